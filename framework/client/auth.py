"""Access tokens from Marketo's identity service (client credentials).

Source: https://experienceleague.adobe.com/en/docs/marketo-developer/marketo/rest/authentication

A token is refreshed before it expires (with a margin) and whenever Marketo rejects it
(601/602), whatever the local clock says. Refreshes are single-flight: when many tasks see 602
together, one asks for a new token and the others reuse it; a task whose rejected token was
already replaced by another task does not refresh again.
"""

from __future__ import annotations

import asyncio
import logging
import math
from collections.abc import Awaitable, Callable
from dataclasses import dataclass

import httpx

from framework.client.envelope import load_json, read_bounded, short, too_large
from framework.client.operations import IDENTITY_PATH
from framework.client.redact import redact, remember_secret
from framework.client.retry import (
    NOTICEABLE_WAIT_SECONDS,
    RETRYABLE_HTTP,
    UNREACHABLE_CODES,
    RetryPolicy,
    unreachable,
)
from framework.client.stats import ClientStats
from framework.errors import AuthenticationError, TransientError

log = logging.getLogger("framework.client")

# Refresh this long before the announced expiry (at most a tenth of the lifetime, so that
# short-lived tokens are still used).
EXPIRY_MARGIN_SECONDS = 60.0
IDENTITY_ENDPOINT = f"GET {IDENTITY_PATH}"
MAX_LIFETIME_SECONDS = 86_400.0
# Where the client id and secret came from, as a credential error names them; the command
# passes the environment's own variables (or the GitHub secrets of a workflow) instead.
DEFAULT_CREDENTIALS = "MARKETO_CLIENT_ID / MARKETO_CLIENT_SECRET"


def credentials_fix(credentials: str) -> str:
    return (f"  fix: check {credentials}: the client id and secret of the LaunchPoint custom "
            "service")


@dataclass(frozen=True)
class Token:
    """A bearer token, the refresh that produced it, and when to stop trusting it."""

    value: str
    generation: int
    refresh_at: float

    def __repr__(self) -> str:
        return f"Token(generation={self.generation}, refresh_at={self.refresh_at:.1f})"


class TokenProvider:
    """Hands out the current token and replaces it, one refresh at a time."""

    def __init__(
        self,
        http: httpx.AsyncClient,
        client_id: str,
        client_secret: str,
        *,
        clock: Callable[[], float],
        policy: RetryPolicy,
        stats: ClientStats,
        sleep: Callable[[float], Awaitable[None]],
        credentials: str = DEFAULT_CREDENTIALS,
    ) -> None:
        self._http = http
        self.credentials = credentials  # the variables' names, never their values
        remember_secret(client_id)
        remember_secret(client_secret)
        self._credentials = {
            "grant_type": "client_credentials",
            "client_id": client_id,
            "client_secret": client_secret,
        }
        self._clock = clock
        self._policy = policy
        self._stats = stats
        self._sleep = sleep
        self._token: Token | None = None
        self._detail = ""  # what the last failed identity request said
        self._generation = 0
        self._lock = asyncio.Lock()

    def __repr__(self) -> str:
        return f"TokenProvider(token={self._token!r})"

    async def current(self) -> Token:
        """A token believed valid: the cached one, or a fresh one if it is due for refresh."""
        token = self._token
        if token is not None and self._clock() < token.refresh_at:
            return token
        return await self._refresh(token)

    async def replace(self, rejected: Token) -> Token:
        """A token other than `rejected` (Marketo answered 601/602 to it)."""
        return await self._refresh(rejected)

    async def _refresh(self, stale: Token | None) -> Token:
        async with self._lock:
            token = self._token
            # Another task replaced the stale token while this one waited for the lock.
            if token is not None and (stale is None or token.generation != stale.generation):
                return token
            self._token = await self._fetch()
            return self._token

    async def _fetch(self) -> Token:
        backoff = self._policy.start()
        while True:
            backoff.sent()
            failure = await self._request()
            if isinstance(failure, Token):
                return failure
            delay = backoff.next_delay(failure)
            if delay is None and failure in UNREACHABLE_CODES:
                raise unreachable(str(self._http.base_url), failure, redact(self._detail),
                                  backoff, IDENTITY_ENDPOINT)
            if delay is None:
                raise TransientError(
                    f"the identity service kept failing ({failure}) for "
                    f"{backoff.elapsed():.0f} s\n  fix: check the endpoint, then retry later",
                    code=failure,
                    endpoint=IDENTITY_ENDPOINT,
                )
            log.log(
                logging.WARNING if delay >= NOTICEABLE_WAIT_SECONDS else logging.INFO,
                "retrying %s after %s in %.1f s", IDENTITY_ENDPOINT, failure, delay,
            )
            await self._sleep(delay)

    async def _request(self) -> Token | str:
        """A token, or the name of a retryable failure."""
        self._stats.count_token_request()
        sent_at = self._clock()
        log.debug("-> %s (credentials redacted)", IDENTITY_ENDPOINT)
        try:
            request = self._http.build_request("GET", IDENTITY_PATH, params=self._credentials)
            response = await self._http.send(request, stream=True)
            try:
                content = await read_bounded(response)
            finally:
                await response.aclose()
        except httpx.TransportError as exc:
            log.info("<- %s failed: %s", IDENTITY_ENDPOINT, type(exc).__name__)
            self._detail = f"the connection failed ({exc})" if str(exc) else type(exc).__name__
            return type(exc).__name__
        log.info("<- %s HTTP %d in %.0f ms", IDENTITY_ENDPOINT, response.status_code,
                 (self._clock() - sent_at) * 1000)
        if content is None:
            raise AuthenticationError(
                f"{too_large('')} (HTTP {response.status_code})\n"
                "  fix: check that the endpoint is the instance's REST base "
                "(https://<munchkin-id>.mktorest.com)",
                code=str(response.status_code),
                endpoint=IDENTITY_ENDPOINT,
            )
        if response.status_code in (400, 401, 403):
            raise AuthenticationError(
                f"the identity service refused the client credentials "
                f"(HTTP {response.status_code}: {_oauth_error(content)})\n"
                f"{credentials_fix(self.credentials)}",
                code=str(response.status_code),
                endpoint=IDENTITY_ENDPOINT,
            )
        if response.status_code in RETRYABLE_HTTP:
            return f"http-{response.status_code}"
        return self._parse(response.status_code, content, sent_at)

    def _parse(self, status: int, content: bytes, sent_at: float) -> Token:
        try:
            data = load_json(content)
            value = data["access_token"]
            expires_in = float(data.get("expires_in", 0))
            # A hostile lifetime (negative, NaN, infinite, centuries) is read as "refresh soon".
            expires_in = min(max(expires_in, 0.0), MAX_LIFETIME_SECONDS) if math.isfinite(
                expires_in) else 0.0
        except (ValueError, KeyError, TypeError) as exc:
            raise AuthenticationError(
                f"the identity service answered HTTP {status} without a token\n"
                "  fix: check that the endpoint is the instance's REST base "
                "(https://<munchkin-id>.mktorest.com)",
                code=str(status),
                endpoint=IDENTITY_ENDPOINT,
            ) from exc
        if status != 200 or not isinstance(value, str) or not value:
            raise AuthenticationError(
                f"the identity service answered HTTP {status} without a token\n"
                f"{credentials_fix(self.credentials)}",
                code=str(status),
                endpoint=IDENTITY_ENDPOINT,
            )
        remember_secret(value)
        self._generation += 1
        margin = min(EXPIRY_MARGIN_SECONDS, expires_in / 10)
        # Measured from when the request left: the lifetime started no earlier than that.
        token = Token(value, self._generation, sent_at + expires_in - margin)
        log.debug("token #%d obtained, expires in %.0f s", token.generation, expires_in)
        return token


def _oauth_error(content: bytes) -> str:
    """The OAuth error text of a refused identity call, without echoing anything sent."""
    try:
        data = load_json(content)
    except ValueError:
        return "no details"
    if not isinstance(data, dict):
        return "no details"
    parts = [str(data[key]) for key in ("error", "error_description") if data.get(key)]
    return short(": ".join(parts)) or "no details"
