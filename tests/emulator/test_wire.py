"""The HTTP/1.1 layer on raw sockets: framing, keep-alive, pipelining and malformed requests."""

from __future__ import annotations

import json
import socket

import pytest

from tests.emulator.rest import Api, type_body

TYPES = "/rest/v1/activities/external/types.json"


def exchange(api: Api, data: bytes, answers: int = 1) -> list[bytes]:
    """Send raw bytes; the raw answers (head and body) until `answers` arrived or it closed."""
    port = int(api.running.url.rsplit(":", 1)[1])
    with socket.create_connection(("127.0.0.1", port), timeout=5) as raw:
        raw.sendall(data)
        received = b""
        while received.count(b"HTTP/1.1 ") - received.count(b"HTTP/1.1 100 ") < answers:
            chunk = raw.recv(65536)
            if not chunk:
                break
            received += chunk
        while True:  # the last body may still be on its way
            head, _, rest = received.rpartition(b"\r\n\r\n")
            length = int(head.lower().split(b"content-length: ")[-1].split(b"\r\n")[0])
            if len(rest) >= length:
                break
            received += raw.recv(65536)
    return [b"HTTP/1.1 " + part for part in received.split(b"HTTP/1.1 ")[1:]]


def get(api: Api, extra: str = "", version: str = "HTTP/1.1") -> bytes:
    return (f"GET {TYPES} {version}\r\nHost: x\r\nAuthorization: Bearer {api.token}\r\n"
            f"{extra}\r\n").encode()


def test_pipelined_requests_are_answered_in_order(api: Api) -> None:
    answers = exchange(api, get(api) * 3, answers=3)
    assert len(answers) == 3
    assert all(a.startswith(b"HTTP/1.1 200 OK\r\n") for a in answers)


def test_connection_close_and_http_1_0_close_after_the_answer(api: Api) -> None:
    for request in (get(api, "Connection: close\r\n"), get(api, version="HTTP/1.0")):
        [answer] = exchange(api, request * 2, answers=2)
        assert b"connection: close\r\n" in answer


def test_a_chunked_body_with_expect_continue(api: Api) -> None:
    body = json.dumps(type_body()).encode()
    chunks = b"".join(f"{len(part):x}\r\n".encode() + part + b"\r\n"
                      for part in (body[:10], body[10:]))
    request = (f"POST /rest/v1/activities/external/type.json HTTP/1.1\r\nHost: x\r\n"
               f"Authorization: Bearer {api.token}\r\nContent-Type: application/json\r\n"
               "Transfer-Encoding: chunked\r\nExpect: 100-continue\r\n\r\n").encode()
    answers = exchange(api, request + chunks + b"0\r\n\r\n", answers=1)
    assert answers[0] == b"HTTP/1.1 100 Continue\r\n\r\n"
    assert b'"status":"draft"' in answers[1]


@pytest.mark.parametrize(("request_bytes", "status"), [
    (b"GET / HTTP/2.0\r\nHost: x\r\n\r\n", b"505"),
    (b"GET /x HTTP/1.1\r\n\r\n", b"400"),
    (b"GET /x HTTP/1.1\r\nHost: x\r\n bad folded\r\n\r\n", b"400"),
    (b"POST /x HTTP/1.1\r\nHost: x\r\nContent-Length: 2\r\nContent-Length: 3\r\n\r\nab", b"400"),
    (b"POST /x HTTP/1.1\r\nHost: x\r\nContent-Length: -1\r\n\r\n", b"400"),
    (b"POST /x HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: gzip\r\n\r\n", b"501"),
    (b"POST /x HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n", b"400"),
    (b"GET /x HTTP/1.1\r\nHost: x\r\nX-Big: " + b"a" * 80_000 + b"\r\n\r\n", b"431"),
])
def test_malformed_requests_get_an_http_error_and_a_close(
    api: Api, request_bytes: bytes, status: bytes
) -> None:
    [answer] = exchange(api, request_bytes)
    assert answer.startswith(b"HTTP/1.1 " + status + b" ")
    assert b"connection: close\r\n" in answer
