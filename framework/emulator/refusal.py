"""A Marketo error answer, raised inside the emulator and turned into an envelope by the app."""

from __future__ import annotations


class Refusal(Exception):
    """Marketo refuses the call: `success:false` with one error {code, message}; nothing changed."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(f"{code}: {message}")
        self.code = code
        self.message = message


def blank(field: str) -> Refusal:
    """701, Marketo's "%s cannot be blank" for a missing required field."""
    return Refusal("701", f"{field} cannot be blank")


def no_data() -> Refusal:
    """702, Marketo's answer for an unknown type apiName."""
    return Refusal("702", "No data found for a given search scenario")


def rule(message: str) -> Refusal:
    """709, a business rule violation (e.g. approving a type that has no draft)."""
    return Refusal("709", message)


def invalid(message: str) -> Refusal:
    """1003, invalid data (a bad dataType, apiName or name)."""
    return Refusal("1003", message)
