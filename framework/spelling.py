""""Did you mean": the closest of the allowed words to one that is not allowed."""

from __future__ import annotations

import difflib
from collections.abc import Iterable


def closest(word: str, allowed: Iterable[str], cutoff: float = 0.7) -> str | None:
    """The allowed word nearest to `word` ignoring case (`Sandbox` -> `sandbox`), or None."""
    by_case = {name.lower(): name for name in allowed}
    close = difflib.get_close_matches(word.lower(), list(by_case), n=1, cutoff=cutoff)
    return by_case[close[0]] if close else None
