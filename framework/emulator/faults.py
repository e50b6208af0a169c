"""Seeded, reproducible faults: transient errors, dropped connections, lost responses."""

from __future__ import annotations

import random
from dataclasses import dataclass
from typing import Literal

# The transient answers Marketo gives under load; 502 is an HTTP status, the others envelopes.
TRANSIENT_CODES = ("502", "604", "606", "608", "615", "713")
MESSAGES = {
    "502": "Bad Gateway",
    "604": "Request timed out",
    "606": "Max rate limit exceeded",
    "608": "API Temporarily Unavailable",
    "615": "Concurrent access limit reached",
    "713": "Transient Error",
}

FaultKind = Literal["error", "drop", "lose"]


@dataclass(frozen=True)
class Fault:
    """What goes wrong with one call: an error answer (nothing done), a dropped connection
    (nothing done, no answer) or a lost response (done, then the connection closes)."""

    kind: FaultKind
    code: str = ""

    @property
    def message(self) -> str:
        return MESSAGES.get(self.code, "")


class FaultPlan:
    """Draws a fault for each counted call with probability `rate`, from `seed`."""

    def __init__(self, rate: float, seed: int | None, kinds: tuple[str, ...] = ()) -> None:
        self.rate = rate
        self.random = random.Random(seed)
        self.kinds = kinds  # only these kinds (`error`, `drop`, `lose`); () is the usual mix

    def draw(self) -> Fault | None:
        if self.rate <= 0 or self.random.random() >= self.rate:
            return None
        if self.kinds:
            kind = self.random.choice(self.kinds)
            if kind == "error":
                return Fault("error", self.random.choice(TRANSIENT_CODES))
            return Fault("drop") if kind == "drop" else Fault("lose")
        # Half transient error answers, a quarter dropped connections, a quarter lost responses.
        roll = self.random.random()
        if roll < 0.5:
            return Fault("error", self.random.choice(TRANSIENT_CODES))
        return Fault("drop") if roll < 0.75 else Fault("lose")
