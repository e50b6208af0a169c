"""Which failures are worth another attempt, and how long to wait before it.

Marketo says a 6xx error means nothing was executed, so 604/606/608/611/615 are safe to
retry on any call; 502 and 713 come from the gateway or the backend and are retried too, but
on a mutating call they leave the outcome uncertain (see calls.py).
"""

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import dataclass

from framework.client.pacing import WINDOW_MARGIN_SECONDS
from framework.errors import TransientError

RETRYABLE_CODES = frozenset({"604", "606", "608", "611", "615", "713"})
# Nothing answered at all (connection refused, unknown host, no route): retried only briefly,
# since waiting minutes for an endpoint that is not there helps nobody.
UNREACHABLE_CODES = frozenset({"ConnectError", "ConnectTimeout"})
UNREACHABLE_BUDGET_SECONDS = 5.0
RETRYABLE_HTTP = frozenset({502, 503, 504})
TOKEN_CODES = frozenset({"600", "601", "602"})
RATE_LIMIT_CODE = "606"
QUOTA_CODE = "607"
# How many fresh tokens in a row Marketo may reject before the client gives up.
MAX_TOKEN_REJECTIONS = 3
# Retry waits at least this long are logged as warnings, so a command never looks stuck in silence.
NOTICEABLE_WAIT_SECONDS = 1.0


class RetryPolicy:
    """Jittered exponential backoff inside a total time budget, from one seeded RNG."""

    def __init__(
        self,
        budget_seconds: float,
        window_seconds: float,
        clock: Callable[[], float],
        seed: int | None = None,
        base_seconds: float = 0.5,
        cap_seconds: float = 30.0,
    ) -> None:
        self.budget_seconds = budget_seconds
        self.window_seconds = window_seconds
        self.base_seconds = base_seconds
        self.cap_seconds = cap_seconds
        self.clock = clock
        self._rng = random.Random(seed)

    def start(self) -> Backoff:
        """The backoff of one call; its budget counts from its first send (`sent`)."""
        return Backoff(self)

    def delay(self, attempt: int, code: str) -> float:
        """Seconds to wait before retry number `attempt` (1-based) after failure `code`."""
        ceiling = min(self.cap_seconds, self.base_seconds * 2.0 ** (attempt - 1))
        # "Equal jitter": half fixed so waits grow, half random so tasks spread out.
        delay = ceiling / 2 + self._rng.uniform(0, ceiling / 2)
        if code == RATE_LIMIT_CODE:
            # The server's window is full: only waiting a whole window guarantees it has moved;
            # the jitter spreads the refused calls over the start of the next window.
            delay = self.window_seconds + WINDOW_MARGIN_SECONDS + self._rng.uniform(0, ceiling / 2)
        return delay


@dataclass
class Backoff:
    """The retry state of one call."""

    policy: RetryPolicy
    started: float | None = None
    attempts: int = 0

    def sent(self) -> None:
        """An attempt is being sent. Waiting for the limiter before the first one is not
        failing, so it does not eat into the retry budget."""
        if self.started is None:
            self.started = self.policy.clock()

    def next_delay(self, code: str) -> float | None:
        """The wait before the next attempt, or None when it would overrun the budget."""
        self.attempts += 1
        delay = self.policy.delay(self.attempts, code)
        budget = self.policy.budget_seconds
        if code in UNREACHABLE_CODES:
            budget = min(budget, UNREACHABLE_BUDGET_SECONDS)
        if self.elapsed() + delay > budget:
            return None
        return delay

    def elapsed(self) -> float:
        """Seconds since the first attempt was sent."""
        if self.started is None:
            return 0.0
        return self.policy.clock() - self.started


def unreachable(
    base_url: str, code: str, reason: str, backoff: Backoff, endpoint: str, where: str = ""
) -> TransientError:
    """Nothing answers at `base_url`: the error after the short retry budget of UNREACHABLE."""
    return TransientError(
        f"cannot reach {base_url.rstrip('/')}{where}: {reason} ({backoff.attempts} attempts in "
        f"{backoff.elapsed():.1f} s)\n  fix: check the endpoint (https://<munchkin-id>"
        ".mktorest.com for Marketo, the URL `activities emulator` printed for an emulator) and "
        "the network, then run again",
        code=code,
        endpoint=endpoint,
    )
