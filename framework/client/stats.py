"""Counters of what a client sent and what went wrong, readable while calls run."""

from __future__ import annotations

import threading
from dataclasses import dataclass, field
from typing import Any


@dataclass
class ClientStats:
    """Calls made by one client.

    `calls` counts REST requests attempted (retries included, identity calls excluded);
    `errors_by_code` counts failed attempts by Marketo code ("606"), HTTP status ("http-502")
    or network failure ("ReadTimeout").
    """

    calls: int = 0
    token_requests: int = 0
    retries: int = 0
    lost_responses: int = 0
    calls_by_op: dict[str, int] = field(default_factory=dict)
    errors_by_code: dict[str, int] = field(default_factory=dict)
    # A lock, not just the event loop, because benchmarks and tests read stats from other threads.
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False, compare=False)

    def count_call(self, op: str) -> None:
        with self._lock:
            self.calls += 1
            self.calls_by_op[op] = self.calls_by_op.get(op, 0) + 1

    def count_token_request(self) -> None:
        with self._lock:
            self.token_requests += 1

    def count_retry(self) -> None:
        with self._lock:
            self.retries += 1

    def count_lost_response(self) -> None:
        with self._lock:
            self.lost_responses += 1

    def count_error(self, code: str) -> None:
        with self._lock:
            self.errors_by_code[code] = self.errors_by_code.get(code, 0) + 1

    def snapshot(self) -> dict[str, Any]:
        """A consistent copy of every counter, for reports and assertions."""
        with self._lock:
            return {
                "calls": self.calls,
                "token_requests": self.token_requests,
                "retries": self.retries,
                "lost_responses": self.lost_responses,
                "calls_by_op": dict(sorted(self.calls_by_op.items())),
                "errors_by_code": dict(sorted(self.errors_by_code.items())),
            }
