"""The HTTP/1.1 layer on raw sockets: framing, keep-alive, pipelining and malformed requests."""

from __future__ import annotations

import contextlib
import json
import logging
import socket
import subprocess
import sys
import time
from collections.abc import Callable

import httpx
import pytest

from framework.emulator.wire import WireLimits
from tests.emulator.rest import Api, conference_body

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
    body = json.dumps(conference_body()).encode()
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


CHUNKED_POST = (b"POST /rest/v1/activities/external/type.json HTTP/1.1\r\nHost: x\r\n"
                b"Content-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n")


@pytest.mark.parametrize("request_bytes", [
    # "\xb2" is "²" in latin-1: str.isdigit() says yes, int() says no
    b"POST /x HTTP/1.1\r\nHost: x\r\nContent-Length: \xb2\r\n\r\n",
    CHUNKED_POST + b"-100\r\n",
    CHUNKED_POST + b"0x10\r\n",
    CHUNKED_POST + b"5;ext=" + b"e" * 80_000 + b"\r\nhello\r\n0\r\n\r\n",
    CHUNKED_POST + b"0\r\nX-Trailer: " + b"t" * 80_000 + b"\r\n\r\n",
])
def test_hostile_framing_gets_a_400_and_no_traceback(
    api: Api, request_bytes: bytes, caplog: pytest.LogCaptureFixture
) -> None:
    [answer] = exchange(api, request_bytes)
    assert answer.startswith(b"HTTP/1.1 400 Bad Request\r\n")
    assert b"connection: close\r\n" in answer
    assert [r.getMessage() for r in caplog.records if r.levelno >= logging.WARNING] == []


def connect(api: Api) -> socket.socket:
    port = int(api.running.url.rsplit(":", 1)[1])
    return socket.create_connection(("127.0.0.1", port), timeout=5)


def read_all(raw: socket.socket) -> bytes:
    """Everything until the server closes the connection."""
    received = b""
    while chunk := raw.recv(65536):
        received += chunk
    return received


def test_an_idle_connection_is_closed_after_the_idle_timeout(
    api_factory: Callable[..., Api],
) -> None:
    api = api_factory(limits=WireLimits(idle_seconds=0.05))
    with connect(api) as idle, connect(api) as used:
        used.sendall(get(api))
        first = used.recv(65536)
        assert first.startswith(b"HTTP/1.1 200 OK\r\n")
        # Both are closed by the server (recv returns b""), long before the socket's 5 s.
        assert read_all(idle) == b""
        assert b"HTTP/1.1" not in read_all(used)


def test_a_request_that_arrives_too_slowly_gets_408(api_factory: Callable[..., Api]) -> None:
    api = api_factory(limits=WireLimits(read_seconds=0.05))
    with connect(api) as slow:
        slow.sendall(b"GET /rest/v1/activities/external/types.json HTTP/1.1\r\nHo")
        answer = read_all(slow)
    assert answer.startswith(b"HTTP/1.1 408 Request Timeout\r\n")
    assert answer.endswith(b"Request Timeout: the request did not arrive in 0.05 s")


def test_connections_past_the_cap_get_a_503_that_says_why(api_factory: Callable[..., Api]) -> None:
    # Both held connections are being answered (a 2 s latency): none can make room.
    api = api_factory(limits=WireLimits(max_connections=2), latency_ms=2000)
    api.http.close()  # its pooled connection would count as one of the two
    held = [connect(api), connect(api)]
    for raw in held:
        raw.sendall(get(api))
    time.sleep(0.2)
    with connect(api) as extra:
        extra.sendall(get(api))
        refused = read_all(extra)
    assert refused.startswith(b"HTTP/1.1 503 Service Unavailable\r\n")
    assert b"connection: close\r\n" in refused
    assert refused.endswith(b"the emulator serves at most 2 connections at once; retry later")
    for raw in held:
        assert raw.recv(65536).startswith(b"HTTP/1.1 200 OK\r\n")
        raw.close()


def test_many_slow_connections_of_one_client_do_not_lock_the_others_out(
    api_factory: Callable[..., Api]
) -> None:
    # Before: 256 connections sending their requests slowly locked every other client out
    # (503) until their 10 s deadlines ran out.
    api = api_factory()
    api.http.close()
    slow = [connect(api) for _ in range(256)]
    for raw in slow:
        raw.sendall(b"GET /rest/v1/activities/external/types.json HTTP/1.1\r\nHost: x\r\n")
    time.sleep(0.3)
    with connect(api) as other:
        other.sendall(get(api, "Connection: close\r\n"))
        assert read_all(other).startswith(b"HTTP/1.1 200 OK\r\n")
    for raw in slow:
        raw.close()


def test_unknown_paths_share_one_counter_and_stats_stay_small(api: Api) -> None:
    requests = b"".join(
        f"GET /rest/v1/nothing/{number}/{'p' * 2_000}.json HTTP/1.1\r\nHost: x\r\n"
        f"Authorization: Bearer {api.token}\r\n\r\n".encode() for number in range(1_100))
    assert len(exchange(api, requests, answers=1_100)) == 1_100  # pipelined: one round trip
    api.http.post("/rest/v1/activities/external/types.json", headers=api.auth)  # 605
    stats = api.http.get("/_emulator/stats")
    assert stats.json()["calls_by_endpoint"] == {"(no such endpoint)": 1_101}
    assert stats.json()["call_log"] == ["(no such endpoint)"] * 1_000
    assert len(stats.content) < 40_000


OUT_OF_DESCRIPTORS_SCRIPT = """
import resource, sys
resource.setrlimit(resource.RLIMIT_NOFILE, (48, resource.getrlimit(resource.RLIMIT_NOFILE)[1]))
from framework.emulator.config import EmulatorConfig
from framework.emulator.server import EmulatorServer
server = EmulatorServer(EmulatorConfig())
print(server.start(), flush=True)
sys.stdin.read()
server.stop()
"""


@pytest.mark.skipif(sys.platform == "win32", reason="RLIMIT_NOFILE is POSIX")
def test_out_of_descriptors_is_one_warning_and_serving_resumes() -> None:
    process = subprocess.Popen([sys.executable, "-c", OUT_OF_DESCRIPTORS_SCRIPT],
                               stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                               stderr=subprocess.PIPE, text=True)
    assert process.stdout is not None and process.stdin is not None
    try:
        url = process.stdout.readline().strip()
        port = int(url.rsplit(":", 1)[1])
        flood = [socket.create_connection(("127.0.0.1", port), timeout=5) for _ in range(80)]
        for raw in flood:
            raw.close()
        # asyncio accepts again a second after running out; then every backlog entry is served.
        answer = httpx.get(f"{url}/_emulator/stats", timeout=20)
        assert answer.status_code == 200
    finally:
        _, err = process.communicate("", timeout=20)
    assert "Traceback" not in err, err
    assert err.count("out of file descriptors") == 1, err


def test_a_client_that_never_reads_its_answers_is_disconnected(
    api_factory: Callable[..., Api],
) -> None:
    api = api_factory(limits=WireLimits(read_seconds=0.05))
    api.http.close()
    for number in range(1_000):  # fill the call log: each stats answer is about 20 KB
        api.running.server.emulator.stats.call_log.append(f"GET /{number}")
    http = api.running.server._http
    assert http is not None
    stats = b"GET /_emulator/stats HTTP/1.1\r\nHost: x\r\n\r\n"
    with connect(api) as greedy:
        greedy.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)
        with contextlib.suppress(OSError):  # the server may close while we still send
            greedy.sendall(stats * 2_000)  # 40 MB of answers, never read
        for _ in range(2_000):  # the server gives up within read_seconds of a full buffer
            if not http.connections:
                break
            time.sleep(0.005)
        assert not http.connections
