"""One REST call from first attempt to outcome: token, pacing, retries, typed errors.

Whether a failed attempt may be retried depends on whether the request could have been
executed. A connect error means it was never sent; a 6xx answer means Marketo executed
nothing. A lost answer (read timeout, connection closed after sending) on a mutating call
may hide a success, so the client raises ResponseLostError instead of repeating it; a
gateway error (502/503/504) or 713 is retried, but if a mutating call then fails, its error
says `may_have_happened` so that apply reconciles ("already exists" after a 502 is checked).
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any

import httpx

from framework.client.auth import Token, TokenProvider
from framework.client.envelope import Envelope, parse_envelope, read_bounded, too_large
from framework.client.operations import Operation
from framework.client.pacing import Limiter
from framework.client.redact import body_text, redact
from framework.client.retry import (
    MAX_TOKEN_REJECTIONS,
    NOTICEABLE_WAIT_SECONDS,
    QUOTA_CODE,
    RATE_LIMIT_CODE,
    RETRYABLE_CODES,
    RETRYABLE_HTTP,
    TOKEN_CODES,
    UNREACHABLE_CODES,
    Backoff,
    RetryPolicy,
    unreachable,
)
from framework.client.stats import ClientStats
from framework.errors import (
    AuthenticationError,
    MarketoError,
    QuotaExceededError,
    ResponseLostError,
    TransientError,
)

log = logging.getLogger("framework.client")

# The request never left: retrying cannot execute anything twice.
NOT_SENT = (httpx.ConnectError, httpx.ConnectTimeout, httpx.PoolTimeout)
# The request left (or may have) and no answer came back.
LOST = (
    httpx.ReadTimeout,
    httpx.WriteTimeout,
    httpx.ReadError,
    httpx.WriteError,
    httpx.RemoteProtocolError,
    httpx.CloseError,
)
# Failures after which a mutating call may still have been executed.
UNCERTAIN_CODES = frozenset({"713", *(str(status) for status in RETRYABLE_HTTP)})


@dataclass(frozen=True)
class Failure:
    """A failed attempt: its code, text, and whether another attempt is allowed."""

    code: str
    message: str
    retryable: bool
    request_id: str | None = None
    lost: bool = False


@dataclass(frozen=True)
class Call:
    """What one client method asks for."""

    op: Operation
    api_name: str | None = None
    params: dict[str, str] | None = None
    body: Any = None
    field: str | None = None  # a custom object field, for updateField

    @property
    def path(self) -> str:
        return self.op.path(self.api_name, self.field)

    @property
    def where(self) -> str:
        return f" on type {self.api_name!r}" if self.api_name else ""


class CallRunner:
    """Runs calls for one client; safe to share between concurrent tasks."""

    def __init__(
        self,
        http: httpx.AsyncClient,
        auth: TokenProvider,
        limiter: Callable[[], Limiter],
        policy: RetryPolicy,
        stats: ClientStats,
        *,
        timeout_seconds: float,
        clock: Callable[[], float],
        sleep: Callable[[float], Awaitable[None]],
    ) -> None:
        self._http = http
        self._auth = auth
        self._limiter = limiter
        self._policy = policy
        self._stats = stats
        self._timeout = timeout_seconds
        self._clock = clock
        self._sleep = sleep

    async def run(self, call: Call) -> list[dict[str, Any]]:
        """The call's `result` items; a MarketoError subclass when it fails for good."""
        return (await self.run_envelope(call)).result

    async def run_envelope(self, call: Call) -> Envelope:
        """The call's whole answer (paging keys included); raises as `run` does."""
        backoff = self._policy.start()
        rejections = 0
        uncertain = False
        while True:
            token = await self._auth.current()
            outcome = await self._attempt(call, token, backoff, rejections)
            if not isinstance(outcome, Failure):
                return outcome
            self._stats.count_error(outcome.code)
            if outcome.lost and call.op.mutating:
                self._stats.count_lost_response()
                raise self._lost(call, outcome)
            if outcome.code in TOKEN_CODES:
                rejections += 1
                if rejections >= MAX_TOKEN_REJECTIONS:
                    raise self._auth_rejected(call, outcome, rejections)
                await self._auth.replace(token)
                self._stats.count_retry()
                continue
            if outcome.code == QUOTA_CODE:
                raise self._quota(call, outcome)
            uncertain = uncertain or (call.op.mutating and outcome.code in UNCERTAIN_CODES)
            if uncertain and not call.op.retry_uncertain:
                # Write-once records: a retry could store a batch twice; the caller reconciles.
                raise self._error(call, outcome, uncertain)
            if not outcome.retryable:
                raise self._error(call, outcome, uncertain)
            await self._back_off(call, outcome, backoff, uncertain)

    async def _back_off(
        self, call: Call, failure: Failure, backoff: Backoff, uncertain: bool
    ) -> None:
        delay = backoff.next_delay(failure.code)
        if delay is None:
            raise self._exhausted(call, failure, backoff, uncertain)
        log.log(
            logging.WARNING if delay >= NOTICEABLE_WAIT_SECONDS else logging.INFO,
            "retrying %s%s after %s in %.1f s",
            call.op.endpoint, call.where, failure.code, delay,
        )
        self._stats.count_retry()
        if failure.code == RATE_LIMIT_CODE:
            # Everyone on this instance waits, not only the call that was refused.
            await self._limiter().pause(delay)
        else:
            await self._sleep(delay)

    async def _attempt(
        self, call: Call, token: Token, backoff: Backoff, rejections: int
    ) -> Envelope | Failure:
        op = call.op
        path = call.path
        async with self._limiter().slot():
            self._stats.count_call(op.name)
            backoff.sent()
            log.debug(
                "-> %s %s attempt %d params=%s body=%s",
                op.method, path, backoff.attempts + rejections + 1, call.params or {},
                body_text(call.body),
            )
            started = self._clock()
            request = self._http.build_request(
                op.method,
                path,
                params=call.params,
                json=call.body,
                headers={"Authorization": f"Bearer {token.value}"},
                timeout=self._timeout * op.timeout_factor,
            )
            try:
                response = await self._http.send(request, stream=True)
                try:
                    content = await read_bounded(response)
                finally:
                    await response.aclose()
            except NOT_SENT as exc:
                log.info("<- %s %s not sent: %s", op.method, path, type(exc).__name__)
                return Failure(type(exc).__name__, _not_sent_text(exc), retryable=True)
            except LOST as exc:
                log.info("<- %s %s answer lost: %s", op.method, path, type(exc).__name__)
                return Failure(type(exc).__name__, _lost_text(exc), retryable=True, lost=True)
            except httpx.TransportError as exc:
                return Failure(type(exc).__name__, redact(str(exc)), retryable=False)
        elapsed_ms = (self._clock() - started) * 1000
        if content is None:
            raise MarketoError(
                f"{too_large(call.where)}\n  fix: check that the endpoint is the instance's REST "
                "base (https://<munchkin-id>.mktorest.com)",
                endpoint=op.endpoint,
            )
        return self._outcome(call, response, content, elapsed_ms)

    def _outcome(
        self, call: Call, response: httpx.Response, content: bytes, elapsed_ms: float
    ) -> Envelope | Failure:
        op, path = call.op, call.path
        if response.status_code != 200:
            log.info("<- %s %s HTTP %d in %.0f ms", op.method, path, response.status_code,
                     elapsed_ms)
            return Failure(
                str(response.status_code),
                f"HTTP {response.status_code} {response.reason_phrase}".strip(),
                retryable=response.status_code in RETRYABLE_HTTP,
            )
        envelope = parse_envelope(content, op, call.where)
        # One line per answer at INFO: what `--verbose` (ACTIVITIES_LOG=info) shows.
        log.info(
            "<- %s %s HTTP 200 requestId=%s %s in %.0f ms",
            op.method, path, envelope.request_id,
            "success" if envelope.success else f"error {envelope.code}: {envelope.message}",
            elapsed_ms,
        )
        if envelope.success:
            return envelope
        assert envelope.code is not None
        return Failure(
            envelope.code,
            envelope.message,
            retryable=envelope.code in RETRYABLE_CODES,
            request_id=envelope.request_id,
        )

    def _error(self, call: Call, failure: Failure, uncertain: bool) -> MarketoError:
        return MarketoError(
            f"{failure.message}{call.where}",
            code=failure.code,
            endpoint=call.op.endpoint,
            request_id=failure.request_id,
            may_have_happened=uncertain,
        )

    def _lost(self, call: Call, failure: Failure) -> ResponseLostError:
        return ResponseLostError(
            f"no answer to {call.op.endpoint}{call.where}: {failure.message}; Marketo may have "
            "executed it\n  fix: read the live state (activities plan) before trying again",
            endpoint=call.op.endpoint,
        )

    def _quota(self, call: Call, failure: Failure) -> QuotaExceededError:
        return QuotaExceededError(
            f"the daily API quota is spent ({failure.message}){call.where}; it resets at "
            "midnight US Central time (America/Chicago)\n"
            "  fix: run again after the reset, or ask Adobe support for a larger daily quota",
            code=failure.code,
            endpoint=call.op.endpoint,
            request_id=failure.request_id,
        )

    def _auth_rejected(self, call: Call, failure: Failure, rejections: int) -> AuthenticationError:
        return AuthenticationError(
            f"Marketo rejected {rejections} access tokens in a row ({failure.message})"
            f"{call.where}\n  fix: check that the API-only user of the LaunchPoint service is "
            f"active and that {self._auth.credentials} belong to this instance",
            code=failure.code,
            endpoint=call.op.endpoint,
            request_id=failure.request_id,
        )

    def _exhausted(
        self, call: Call, failure: Failure, backoff: Backoff, uncertain: bool
    ) -> TransientError:
        if failure.code in UNREACHABLE_CODES:
            return unreachable(str(self._http.base_url), failure.code, failure.message,
                               backoff, call.op.endpoint, call.where)
        return TransientError(
            f"still failing with {failure.code} ({failure.message}){call.where} after "
            f"{backoff.attempts} attempts in {backoff.elapsed():.1f} s; the retry budget is "
            f"{self._policy.budget_seconds:g} s\n  fix: try again later; if other integrations "
            "share the instance, lower calls_per_20s and max_concurrent",
            code=failure.code,
            endpoint=call.op.endpoint,
            request_id=failure.request_id,
            may_have_happened=uncertain,
        )


def _not_sent_text(exc: httpx.TransportError) -> str:
    detail = redact(str(exc).strip())
    return f"the connection failed ({detail})" if detail else "the connection failed"


def _lost_text(exc: httpx.TransportError) -> str:
    if isinstance(exc, httpx.TimeoutException):
        return f"the answer timed out ({type(exc).__name__})"
    return f"the connection closed before the answer ({type(exc).__name__})"
