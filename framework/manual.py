"""The manual's address. A user's repository has no docs/ and the wheel ships none, so what the
tool prints or writes names a page of the manual by its address on the project's site."""

from __future__ import annotations

MANUAL = "https://github.com/activities-as-code/activities/blob/main/docs"


def page(name: str) -> str:
    """The address of the manual's page NAME (`definitions.md`, `commands/lint.md#rules`)."""
    return f"{MANUAL}/{name}"
