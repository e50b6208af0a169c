"""The identity service: client-credentials tokens, one per client, reused while valid."""

from __future__ import annotations

import math
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from framework.emulator.refusal import Refusal

SCOPE = "apis@emulator.local"


@dataclass
class Token:
    value: str
    expires_at: float


class OAuthError(Exception):
    """HTTP 401 with an OAuth-style body, as clients expect from identity."""

    def __init__(self, error: str, description: str) -> None:
        super().__init__(description)
        self.body = {"error": error, "error_description": description}


class Identity:
    """Issues tokens to the configured client and checks them on REST calls."""

    def __init__(self, client_id: str, client_secret: str, ttl: int,
                 clock: Callable[[], float]) -> None:
        self._client_id, self._client_secret = client_id, client_secret
        self.ttl, self.clock = ttl, clock
        self.current: Token | None = None
        self.expired: set[str] = set()

    def issue(self, params: dict[str, str]) -> dict[str, Any]:
        """The token body, or OAuthError for anything but the configured client credentials."""
        if params.get("grant_type") != "client_credentials":
            raise OAuthError("unsupported_grant_type", "grant_type must be client_credentials")
        if (params.get("client_id"), params.get("client_secret")) != (
            self._client_id, self._client_secret
        ):
            raise OAuthError("invalid_client", "Bad client credentials")
        now = self.clock()
        if self.current is None or self.current.expires_at <= now:
            if self.current is not None:
                self.expired.add(self.current.value)
            self.current = Token(f"{uuid.uuid4()}:int", now + self.ttl)
        # Rounded up (after dropping float noise, e.g. 100.00000000001): a fresh 100 s token
        # says 100, never 99, and the count reaches 0 only when the token has expired.
        remaining = max(0, math.ceil(round(self.current.expires_at - now, 6)))
        return {"access_token": self.current.value, "token_type": "bearer",
                "expires_in": remaining, "scope": SCOPE}

    def check(self, token: str | None) -> None:
        """Accept a valid token; 601 for a missing or unknown one, 602 for an expired one."""
        if not token:
            raise Refusal("601", "Access token invalid")
        current = self.current
        if current is not None and token == current.value:
            if current.expires_at > self.clock():
                return
            raise Refusal("602", "Access token expired")
        if token in self.expired:
            raise Refusal("602", "Access token expired")
        raise Refusal("601", "Access token invalid")
