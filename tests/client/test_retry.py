"""Retries: which failures are retried, how long the client waits, and what it raises."""

from __future__ import annotations

import logging
import socket

import httpx
import pytest

from framework.client import MarketoClient, Pacing
from framework.client.retry import UNREACHABLE_BUDGET_SECONDS
from framework.errors import (
    MarketoError,
    QuotaExceededError,
    ResponseLostError,
    TransientError,
)
from tests.client.scripted import (
    CLIENT_ID,
    ENDPOINT,
    SECRET,
    Answer,
    FakeTime,
    ScriptedMarketo,
    envelope,
    failure,
    run,
)

APPROVE = "POST /rest/v1/activities/external/type/{apiName}/approve.json"


def call(marketo: ScriptedMarketo, fake_time: FakeTime, method: str, *args: object,
         budget: float = 120.0) -> dict[str, object]:
    """Run one client method; return the stats (the exception propagates)."""

    async def scenario() -> dict[str, object]:
        async with MarketoClient(ENDPOINT, CLIENT_ID, SECRET, transport=marketo.transport,
                                 clock=fake_time.clock, sleep=fake_time.sleep, seed=7,
                                 retry_budget_seconds=budget,
                                 pacing=Pacing(window_seconds=20.0)) as client:
            await getattr(client, method)(*args)
            return client.stats.snapshot()

    return run(scenario())  # type: ignore[no-any-return]


@pytest.mark.parametrize(
    ("answer", "code"),
    [
        (502, "502"),
        (failure("604", "Request timed out"), "604"),
        (failure("606", "Max rate limit '100' exceeded with in '20' secs"), "606"),
        (failure("608", "API Temporarily Unavailable"), "608"),
        (failure("611", "System error"), "611"),
        (failure("615", "Concurrent access limit reached"), "615"),
        (failure("713", "Transient Error"), "713"),
        (httpx.ConnectError("connection refused"), "ConnectError"),
        (httpx.ConnectTimeout("connect timed out"), "ConnectTimeout"),
    ],
)
@pytest.mark.parametrize("method", ["approve_type", "describe_type"])
def test_transient_failures_are_retried_after_a_backoff(
    marketo: ScriptedMarketo, fake_time: FakeTime, answer: Answer, code: str, method: str
) -> None:
    marketo.answers = [answer]
    stats = call(marketo, fake_time, method, "buyCar")
    assert stats == {"calls": 2, "token_requests": 1, "retries": 1, "lost_responses": 0,
                     "calls_by_op": {method: 2}, "errors_by_code": {code: 1}}
    [slept] = fake_time.sleeps
    if code == "606":  # the server's window must move: a whole window and a margin
        assert 20.05 <= slept <= 20.3
    else:  # the first backoff: between half and all of 0.5 s
        assert 0.25 <= slept <= 0.5


def test_backoff_grows_exponentially_with_jitter_from_the_seed(
    marketo: ScriptedMarketo, fake_time: FakeTime
) -> None:
    marketo.answers = [failure("608", "API Temporarily Unavailable")] * 5
    call(marketo, fake_time, "list_types")
    ceilings = [0.5, 1.0, 2.0, 4.0, 8.0]
    assert len(fake_time.sleeps) == 5
    for slept, ceiling in zip(fake_time.sleeps, ceilings, strict=True):
        assert ceiling / 2 <= slept <= ceiling
    again = FakeTime()
    call(ScriptedMarketo(answers=[failure("608", "API Temporarily Unavailable")] * 5), again,
         "list_types")
    assert again.sleeps == fake_time.sleeps  # same seed, same waits


def test_the_retry_budget_ends_in_a_transient_error(
    marketo: ScriptedMarketo, fake_time: FakeTime
) -> None:
    marketo.answers = [failure("713", "Transient Error", request_id=f"r#{n}") for n in range(20)]
    with pytest.raises(TransientError) as caught:
        call(marketo, fake_time, "describe_type", "buyCar", budget=10.0)
    # Waits of ~0.5, 1, 2 and 4 s fit in 10 s; the fifth (~8 s) would not.
    assert len(marketo.rest) == 5
    elapsed = sum(fake_time.sleeps)
    assert str(caught.value) == (
        "Marketo error 713: still failing with 713 (Transient Error) on type 'buyCar' after 5 "
        f"attempts in {elapsed:.1f} s; the retry budget is 10 s\n  fix: try again later; if other "
        "integrations share the instance, lower calls_per_20s and max_concurrent (endpoint GET "
        "/rest/v1/activities/external/type/{apiName}/describe.json, requestId r#4)"
    )
    assert caught.value.may_have_happened is False


def test_607_stops_at_once_and_says_when_the_quota_resets(
    marketo: ScriptedMarketo, fake_time: FakeTime
) -> None:
    marketo.answers = [failure("607", "Daily quota reached", request_id="q#1")]
    with pytest.raises(QuotaExceededError) as caught:
        call(marketo, fake_time, "approve_type", "buyCar")
    assert str(caught.value) == (
        "Marketo error 607: the daily API quota is spent (Daily quota reached) on type 'buyCar'; "
        "it resets at midnight US Central time (America/Chicago)\n  fix: run again after the "
        "reset, or ask Adobe support for a larger daily quota "
        f"(endpoint {APPROVE}, requestId q#1)"
    )
    assert len(marketo.rest) == 1 and fake_time.sleeps == []


def test_other_codes_raise_at_once_with_code_message_endpoint_and_request_id(
    marketo: ScriptedMarketo, fake_time: FakeTime
) -> None:
    marketo.answers = [failure("709", "No draft to approve", request_id="ab#9")]
    with pytest.raises(MarketoError) as caught:
        call(marketo, fake_time, "approve_type", "buyCar")
    error = caught.value
    assert type(error) is MarketoError
    assert str(error) == (
        f"Marketo error 709: No draft to approve on type 'buyCar' (endpoint {APPROVE}, "
        "requestId ab#9)"
    )
    assert (error.code, error.endpoint, error.request_id, error.may_have_happened) == (
        "709", APPROVE, "ab#9", False
    )
    assert len(marketo.rest) == 1


def test_http_errors_other_than_gateway_ones_are_not_retried(
    marketo: ScriptedMarketo, fake_time: FakeTime
) -> None:
    marketo.answers = [413]
    with pytest.raises(MarketoError) as caught:
        call(marketo, fake_time, "add_activities", [{"leadId": 1}])
    assert str(caught.value) == (
        "Marketo error 413: HTTP 413 Request Entity Too Large "
        "(endpoint POST /rest/v1/activities/external.json)"
    )


@pytest.mark.parametrize(
    "lost",
    [
        httpx.ReadTimeout("timed out"),
        httpx.RemoteProtocolError("Server disconnected without sending a response."),
        httpx.ReadError("connection reset by peer"),
    ],
)
def test_a_lost_answer_to_a_mutating_call_is_not_repeated(
    marketo: ScriptedMarketo, fake_time: FakeTime, lost: httpx.TransportError
) -> None:
    marketo.answers = [lost]
    with pytest.raises(ResponseLostError) as caught:
        call(marketo, fake_time, "create_type", {"apiName": "buyCar"})
    what = ("the answer timed out" if isinstance(lost, httpx.TimeoutException)
            else "the connection closed before the answer")
    assert str(caught.value) == (
        "no answer to POST /rest/v1/activities/external/type.json on type 'buyCar': "
        f"{what} ({type(lost).__name__}); Marketo may have executed it\n"
        "  fix: read the live state (activities plan) before trying again "
        "(endpoint POST /rest/v1/activities/external/type.json)"
    )
    assert caught.value.may_have_happened is True
    assert caught.value.endpoint == "POST /rest/v1/activities/external/type.json"
    assert len(marketo.rest) == 1 and fake_time.sleeps == []


def test_a_lost_answer_to_a_read_is_simply_retried(
    marketo: ScriptedMarketo, fake_time: FakeTime
) -> None:
    marketo.answers = [httpx.ReadTimeout("timed out"), httpx.ReadError("reset")]
    stats = call(marketo, fake_time, "list_types")
    assert (stats["calls"], stats["retries"], stats["lost_responses"]) == (3, 2, 0)
    assert stats["errors_by_code"] == {"ReadError": 1, "ReadTimeout": 1}


def test_a_mutating_call_that_fails_after_a_gateway_error_may_have_happened(
    marketo: ScriptedMarketo, fake_time: FakeTime
) -> None:
    # The 502 may hide a create that went through: "already exists" must be checked, not failed.
    marketo.answers = [502, failure("1017", "Object already exists", request_id="c#2")]
    with pytest.raises(MarketoError) as caught:
        call(marketo, fake_time, "create_type", {"apiName": "buyCar"})
    assert (caught.value.code, caught.value.may_have_happened) == ("1017", True)


def test_a_connect_error_leaves_a_mutating_call_certain(
    marketo: ScriptedMarketo, fake_time: FakeTime
) -> None:
    marketo.answers = [httpx.ConnectError("refused"),
                       failure("1017", "Object already exists", request_id="c#2")]
    with pytest.raises(MarketoError) as caught:
        call(marketo, fake_time, "create_type", {"apiName": "buyCar"})
    assert (caught.value.code, caught.value.may_have_happened) == ("1017", False)


def test_waiting_for_the_limiter_does_not_eat_the_retry_budget(fake_time: FakeTime) -> None:
    marketo = ScriptedMarketo(answers=[envelope([]), failure("713", "Transient Error")])

    async def scenario() -> dict[str, object]:
        async with MarketoClient(ENDPOINT, CLIENT_ID, SECRET, transport=marketo.transport,
                                 clock=fake_time.clock, sleep=fake_time.sleep, seed=7,
                                 retry_budget_seconds=10.0,
                                 pacing=Pacing(calls_per_window=1, window_seconds=20.0)) as client:
            await client.list_types()
            await client.list_types()  # waits 20 s for the window, then fails once
            return client.stats.snapshot()

    stats = run(scenario())
    assert (stats["calls"], stats["retries"]) == (3, 1)
    assert fake_time.sleeps[0] == 20.05


def test_waits_a_person_would_notice_are_warnings(caplog: pytest.LogCaptureFixture) -> None:
    """Short retries stay at DEBUG; a wait of a second or more is a WARNING the CLI shows."""
    fake_time = FakeTime()
    marketo = ScriptedMarketo([failure("604", "Request timed out")] * 3)
    with caplog.at_level(logging.DEBUG, logger="framework.client"):
        call(marketo, fake_time, "describe_type", "attendWebinar")
    retries = [r for r in caplog.records if r.getMessage().startswith("retrying ")]
    assert [r.levelno >= logging.WARNING for r in retries] == [s >= 1.0 for s in fake_time.sleeps]
    assert any(s >= 1.0 for s in fake_time.sleeps) and any(s < 1.0 for s in fake_time.sleeps)
    assert retries[-1].getMessage().startswith(
        "retrying GET /rest/v1/activities/external/type/{apiName}/describe.json"
    )


def test_an_endpoint_where_nothing_listens_fails_in_seconds_not_minutes(
    fake_time: FakeTime,
) -> None:
    with socket.socket() as probe:  # a port that was free a moment ago: connection refused
        probe.bind(("127.0.0.1", 0))
        url = f"http://127.0.0.1:{probe.getsockname()[1]}"

    async def scenario() -> None:
        async with MarketoClient(url, CLIENT_ID, SECRET, clock=fake_time.clock,
                                 sleep=fake_time.sleep, seed=7) as client:
            await client.list_types()

    with pytest.raises(TransientError) as caught:
        run(scenario())
    assert sum(fake_time.sleeps) < UNREACHABLE_BUDGET_SECONDS
    assert caught.value.code == "ConnectError"
    assert str(caught.value) == (
        f"Marketo error ConnectError: cannot reach {url}: the connection failed (All connection "
        "attempts failed) (5 attempts in 4.7 s)\n  fix: check the endpoint (https://<munchkin-id>"
        ".mktorest.com for Marketo, the URL `activities emulator` printed for an emulator) and the "
        "network, then run again (endpoint GET /identity/oauth/token)")
