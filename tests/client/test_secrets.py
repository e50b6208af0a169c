"""The client secret and the access tokens appear in no log line, exception text or repr."""

from __future__ import annotations

import logging
from collections.abc import Callable

import pytest

from framework.client import MarketoClient, Pacing
from framework.client.redact import redact
from framework.errors import MarketoError
from tests.client.scripted import FakeTime, fault_seed, run, type_body
from tests.conftest import RunningEmulator


def test_no_secret_or_token_in_logs_errors_or_reprs(
    emulator_factory: Callable[..., RunningEmulator], debug_log: pytest.LogCaptureFixture,
    fake_time: FakeTime,
) -> None:
    # Faults (a lost create, a 606), a token that expires on the server and is replaced after a
    # 602, a refused call and refused credentials: every path that logs or raises.
    server_time = FakeTime()
    emulator = emulator_factory(token_ttl=1, fault_rate=0.5, clock=server_time.clock,
                                seed=fault_seed(0.5, ["lose", "error:606", None, None]))
    config = emulator.config
    texts: list[str] = []

    async def scenario() -> None:
        async with MarketoClient(emulator.url, config.client_id, config.client_secret,
                                 clock=fake_time.clock, sleep=fake_time.sleep, seed=1,
                                 pacing=Pacing(window_seconds=1.0)) as client:
            texts.append(repr(client))
            for attempt in (client.create_type(type_body("buyCar")), client.list_types()):
                try:
                    await attempt
                except MarketoError as error:
                    texts.extend([str(error), repr(error)])
            server_time.now += 1.05  # the emulator's token expires: the next one is new
            try:
                await client.approve_type("noSuchType")
            except MarketoError as error:
                texts.extend([str(error), repr(error)])
            texts.extend([repr(client.stats), str(client.stats.snapshot()), repr(client._auth)])
        async with MarketoClient(emulator.url, config.client_id, "wrong-secret") as wrong:
            try:
                await wrong.list_types()
            except MarketoError as error:
                texts.extend([str(error), repr(error), repr(wrong)])

    run(scenario())
    identity = emulator.server.emulator.identity
    tokens = {identity.current.value, *identity.expired} if identity.current else set()
    assert len(tokens) == 2  # the run did use two tokens
    assert emulator.stats()["errors_by_code"] == {"602": 1, "606": 1, "702": 1}
    logged = [record.getMessage() for record in debug_log.records]
    assert any("/identity/oauth/token" in line for line in logged)  # httpx's own INFO line
    assert any(line.startswith("-> POST /rest/") for line in logged)  # the client's DEBUG lines
    everything = "\n".join(logged + texts)
    for secret in (config.client_secret, config.client_id, "wrong-secret", *tokens):
        assert secret not in everything


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("GET /identity/oauth/token?grant_type=client_credentials&client_id=abc&client_secret=x1",
         "GET /identity/oauth/token?grant_type=client_credentials&client_id=<redacted>"
         "&client_secret=<redacted>"),
        ("Authorization: Bearer cdf01657-110d:int", "Authorization: Bearer <redacted>"),
        ('{"access_token":"cdf01657:int","expires_in":3599}',
         '{"access_token":"<redacted>","expires_in":3599}'),
        ("/rest/v1/leads.json?access_token=cdf01657:int&x=1",
         "/rest/v1/leads.json?access_token=<redacted>&x=1"),
    ],
)
def test_redaction_masks_every_way_a_credential_is_written(text: str, expected: str) -> None:
    assert redact(text) == expected


def test_httpx_records_are_redacted_before_any_handler_sees_them(
    debug_log: pytest.LogCaptureFixture,
) -> None:
    MarketoClient("https://x.mktorest.com", "id", "secret")  # installs the filter
    logging.getLogger("httpx").info(
        'HTTP Request: %s %s "%s"', "GET",
        "https://x.mktorest.com/identity/oauth/token?client_id=id&client_secret=topsecret",
        "HTTP/1.1 200 OK",
    )
    [record] = [r for r in debug_log.records if r.name == "httpx"]
    assert record.getMessage() == (
        'HTTP Request: GET https://x.mktorest.com/identity/oauth/token?client_id=<redacted>'
        '&client_secret=<redacted> "HTTP/1.1 200 OK"'
    )


def test_a_secret_is_masked_in_the_lower_case_a_host_name_gets() -> None:
    # A client secret typed as the host of --endpoint came back from httpx lowercased in
    # "cannot reach https://qasecret...", past a mask that looked only for the value as typed.
    from framework.client.redact import forget_secrets, remember_secret

    remember_secret("QaSecretValue456")
    try:
        assert redact("cannot reach https://qasecretvalue456.mktorest.com: failed") == (
            "cannot reach https://<redacted>.mktorest.com: failed"
        )
        assert redact("QaSecretValue456") == "<redacted>"
    finally:
        forget_secrets()
