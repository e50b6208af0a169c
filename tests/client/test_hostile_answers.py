"""What the other side may send: secrets echoed back, answers nested, huge or not JSON.

A fake identity and REST service on a real loopback socket answers as scripted; each answer
must end in one clear MarketoError naming the endpoint, with no known secret in it or in the
debug log, and never an unexpected exception.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from click.testing import Result

from framework.client import MarketoClient
from framework.client.envelope import MAX_ANSWER_BYTES
from framework.client.redact import REDACTED, redact_known
from framework.errors import AuthenticationError, MarketoError
from tests.client.scripted import CLIENT_ID, SECRET, FakeServer, FakeTime, envelope, run

TOKEN = "tok-0f1e2d3c4b5a69788796a5b4c3d2e1f0"
IDENTITY = "/identity/oauth/token"
LIST = "GET /rest/v1/activities/external/types.json"
DEEP = b"[" * 100_000 + b"]" * 100_000


def token_answer() -> tuple[int, bytes]:
    body = {"access_token": TOKEN, "token_type": "bearer", "expires_in": 3600, "scope": "x"}
    return 200, json.dumps(body).encode()


def serve(identity: tuple[int, bytes], rest: tuple[int, bytes]) -> FakeServer:
    return FakeServer(lambda path, request: identity if path == IDENTITY else rest)


def list_types(server: FakeServer, fake_time: FakeTime) -> MarketoError:
    """The error that listing types ends in."""

    async def scenario() -> None:
        async with MarketoClient(server.url, CLIENT_ID, SECRET, clock=fake_time.clock,
                                 sleep=fake_time.sleep, seed=1) as client:
            await client.list_types()

    with pytest.raises(MarketoError) as caught:
        run(scenario())
    return caught.value


def assert_no_secret(*texts: str) -> None:
    everything = "\n".join(texts)
    for secret in (CLIENT_ID, SECRET, TOKEN):
        assert secret not in everything


def test_an_identity_refusal_echoing_the_credentials_is_masked(
    fake_time: FakeTime, debug_log: pytest.LogCaptureFixture
) -> None:
    echo = {"error": "invalid_client",
            "error_description": f"no client {CLIENT_ID} with secret {SECRET}"}
    with serve((401, json.dumps(echo).encode()), (200, b"{}")) as server:
        error = list_types(server, fake_time)
    assert isinstance(error, AuthenticationError)
    assert str(error).startswith(
        "Marketo error 401: the identity service refused the client credentials (HTTP 401: "
        f"invalid_client: no client {REDACTED} with secret {REDACTED})\n")
    assert_no_secret(str(error), repr(error), *(r.getMessage() for r in debug_log.records))


def test_a_rest_error_echoing_the_access_token_is_masked(
    fake_time: FakeTime, debug_log: pytest.LogCaptureFixture
) -> None:
    refusal = {"requestId": f"{TOKEN}#1", "success": False,
               "errors": [{"code": "1003", "message": f"token {TOKEN} may not do this"}]}
    with serve(token_answer(), (200, json.dumps(refusal).encode())) as server:
        error = list_types(server, fake_time)
    assert str(error) == (f"Marketo error 1003: token {REDACTED} may not do this (endpoint "
                          f"{LIST}, requestId {REDACTED}#1)")
    logged = [r.getMessage() for r in debug_log.records]
    assert any(f"error 1003: token {REDACTED} may not do this" in line for line in logged)
    assert_no_secret(str(error), repr(error), *logged)


def test_known_secrets_are_masked_in_any_text_once_a_client_knew_them(
    fake_time: FakeTime,
) -> None:
    with serve(token_answer(), (200, json.dumps(envelope()).encode())) as server:

        async def scenario() -> None:
            async with MarketoClient(server.url, CLIENT_ID, SECRET, clock=fake_time.clock,
                                     sleep=fake_time.sleep) as client:
                await client.list_types()

        run(scenario())
    typed = f"https://example.com/?id={CLIENT_ID}&s={SECRET} {TOKEN}"
    assert redact_known(typed) == f"https://example.com/?id={REDACTED}&s={REDACTED} {REDACTED}"


@pytest.mark.parametrize(("identity", "rest", "expected"), [
    ((200, DEEP), (200, b"{}"),
     "Marketo error 200: the identity service answered HTTP 200 without a token"),
    (token_answer(), (200, DEEP), "the answer is not JSON ('[[[[[[[["),
    (token_answer(), (200, b'{"success": true, "result": ' + DEEP + b"}"),
     "the answer is not JSON ('{\"success\": true, \"result\": [[[[["),
    (token_answer(), (200, b"<html>gateway</html>"),
     "the answer is not JSON ('<html>gateway</html>')"),
    (token_answer(), (200, b"[1, 2]"), "the answer is not a Marketo envelope ('[1, 2]')"),
    (token_answer(), (200, b" " * (MAX_ANSWER_BYTES + 1)),
     "the answer is over 16 MB and was not read\n"),
    ((200, b" " * (MAX_ANSWER_BYTES + 1)), (200, b"{}"),
     "Marketo error 200: the answer is over 16 MB and was not read (HTTP 200)\n"),
    ((200, b'{"access_token": "' + TOKEN.encode() + b'", "expires_in": {"a": 1}}'), (200, b"{}"),
     "Marketo error 200: the identity service answered HTTP 200 without a token"),
])
def test_hostile_answers_are_one_clear_error_naming_the_endpoint(
    fake_time: FakeTime, identity: tuple[int, bytes], rest: tuple[int, bytes], expected: str
) -> None:
    with serve(identity, rest) as server:
        error = list_types(server, fake_time)
    assert str(error).startswith(expected)
    endpoint = "GET /identity/oauth/token" if rest == (200, b"{}") else LIST
    assert str(error).endswith(f"(endpoint {endpoint})")
    assert len(str(error)) < 1_000


def test_a_long_error_message_is_cut_short(fake_time: FakeTime) -> None:
    refusal: dict[str, Any] = {"requestId": "r#1", "success": False,
                               "errors": [{"code": "1003", "message": "x" * 100_000}]}
    with serve(token_answer(), (200, json.dumps(refusal).encode())) as server:
        error = list_types(server, fake_time)
    assert str(error) == (f"Marketo error 1003: {'x' * 500}... (100000 characters) "
                          f"(endpoint {LIST}, requestId r#1)")


def test_the_cli_shows_a_refusal_that_echoes_the_credentials_masked(
    project: Path, cli: Callable[..., Result], caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    echo = {"error": "invalid_client",
            "error_description": f"no client {CLIENT_ID} with secret {SECRET}"}
    with serve((401, json.dumps(echo).encode()), (200, b"{}")) as server:
        result = cli("plan", "--endpoint", server.url, cwd=project,
                     env={"MARKETO_CLIENT_ID": CLIENT_ID, "MARKETO_CLIENT_SECRET": SECRET})
    assert result.exit_code == 1
    assert f"no client {REDACTED} with secret {REDACTED}" in result.output
    assert_no_secret(result.output, *(r.getMessage() for r in caplog.records))


def test_the_cli_masks_registered_secrets_in_any_error(capsys: pytest.CaptureFixture[str]) -> None:
    from framework.client.redact import remember_secret
    from framework.commands.common import outcome
    from framework.errors import ConfigError

    def failing() -> int:
        raise ConfigError(f"endpoint 'https://x.mktorest.com/?t={TOKEN}' is not usable")

    remember_secret(TOKEN)
    assert outcome(failing) == 1
    assert capsys.readouterr().err == (
        f"Error: endpoint 'https://x.mktorest.com/?t={REDACTED}' is not usable\n")
