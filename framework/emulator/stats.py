"""What the emulator saw: the counters behind GET /_emulator/stats."""

from __future__ import annotations

from collections import Counter, deque
from dataclasses import dataclass, field
from typing import Any

CALL_LOG_SIZE = 1_000  # the most recent calls, oldest first
# Every request that names no endpoint is counted under this one key, so that counters and the
# call log stay small whatever paths clients send.
UNKNOWN_ENDPOINT = "(no such endpoint)"


@dataclass
class Stats:
    """Counts of every REST call that reached the server, faulted ones included.

    Keys are endpoints (method and path template) or UNKNOWN_ENDPOINT, never a raw path.
    """

    total_calls: int = 0
    quota_calls: int = 0
    token_calls: int = 0
    mutating_calls: int = 0
    rate_limited_calls: int = 0  # 606 answers from the window (injected 606 faults not counted)
    concurrency_limited_calls: int = 0  # 615 answers from the limit (likewise)
    max_in_flight: int = 0
    calls_by_endpoint: Counter[str] = field(default_factory=Counter)
    errors_by_code: Counter[str] = field(default_factory=Counter)
    faults: Counter[str] = field(default_factory=Counter)
    call_log: deque[str] = field(default_factory=lambda: deque(maxlen=CALL_LOG_SIZE))

    def to_json(self) -> dict[str, Any]:
        return {
            "total_calls": self.total_calls,
            "quota_calls": self.quota_calls,
            "token_calls": self.token_calls,
            "mutating_calls": self.mutating_calls,
            "rate_limited_calls": self.rate_limited_calls,
            "concurrency_limited_calls": self.concurrency_limited_calls,
            "max_in_flight": self.max_in_flight,
            "calls_by_endpoint": dict(sorted(self.calls_by_endpoint.items())),
            "errors_by_code": dict(sorted(self.errors_by_code.items())),
            "faults": {kind: self.faults[kind] for kind in ("error", "drop", "lose")},
            "call_log": list(self.call_log),
        }
