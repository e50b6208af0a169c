"""Marketo's limits: a sliding window of calls (606), concurrent calls (615), a daily quota (607).

The clock is injected so the window and the day can be tested without waiting. Identity calls
never reach this module: they do not count.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Callable
from datetime import UTC, datetime, timedelta, timezone

from framework.emulator.refusal import Refusal

# ERR: the daily quota resets at 00:00 CST; a fixed UTC-6 keeps the day deterministic.
CENTRAL = timezone(timedelta(hours=-6), "CST")


def central_day(epoch_seconds: float) -> str:
    """The quota day (YYYY-MM-DD in US Central Standard Time) of a wall-clock instant."""
    return datetime.fromtimestamp(epoch_seconds, UTC).astimezone(CENTRAL).date().isoformat()


class Pacer:
    """Admits or refuses counted calls; `release` must follow every admitted call."""

    def __init__(
        self,
        calls: int,
        seconds: float,
        max_concurrent: int,
        daily_quota: int,
        clock: Callable[[], float],
        wall: Callable[[], float],
    ) -> None:
        self.calls, self.seconds = calls, seconds
        self.max_concurrent, self.daily_quota = max_concurrent, daily_quota
        self.clock, self.wall = clock, wall
        self.in_flight = 0
        self.window: deque[float] = deque()
        self.day = central_day(wall())
        self.day_calls = 0

    def enter(self) -> None:
        """Take a concurrency slot, or refuse with 615."""
        if self.in_flight >= self.max_concurrent:
            raise Refusal("615", f"Concurrent access limit reached ({self.max_concurrent})")
        self.in_flight += 1

    def leave(self) -> None:
        self.in_flight -= 1

    def admit(self) -> None:
        """Count one call in the window and the day, or refuse with 606 or 607."""
        now = self.clock()
        while self.window and self.window[0] <= now - self.seconds:
            self.window.popleft()
        self._roll_day()
        if self.day_calls >= self.daily_quota:
            raise Refusal("607", "Daily quota reached")
        if len(self.window) >= self.calls:
            raise Refusal(
                "606", f"Max rate limit '{self.calls}' exceeded with in '{self.seconds:g}' secs"
            )
        self.window.append(now)
        self.day_calls += 1

    def usage(self) -> tuple[str, int]:
        """The quota day and the calls counted in it."""
        self._roll_day()
        return self.day, self.day_calls

    def reset(self) -> None:
        self.window.clear()
        self.day_calls = 0

    def _roll_day(self) -> None:
        today = central_day(self.wall())
        if today != self.day:
            self.day, self.day_calls = today, 0
