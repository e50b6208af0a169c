"""One check per Marketo data type: a value as read from a record file, or why it is wrong.

The rules are Adobe's field types
(https://experienceleague.adobe.com/en/docs/marketo-developer/marketo/rest/lead-database/field-types):
string up to 255 characters, text area up to 30,000 bytes, URLs with their protocol, dates as
`YYYY-MM-DD`, datetimes as ISO 8601 with the offset (the tool always sends one). Each check
takes a JSON value and returns the value to send; a CSV cell is text and goes through
`from_text` first. A check raises `BadValue` with a message naming what was expected.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable
from datetime import UTC, date, datetime
from math import isfinite
from typing import Any

MAX_STRING_CHARACTERS = 255
MAX_TEXT_BYTES = 30_000
# Marketo's integer fields are 32-bit (Java int).
MIN_INTEGER, MAX_INTEGER = -(2**31), 2**31 - 1
MAX_LEAD_ID = 2**63 - 1

# [0-9], not \d: \d also matches other scripts' digits.
TIMESTAMP = (r"[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}(\.[0-9]{1,6})?"
             r"(Z|[+-][0-9]{2}:[0-9]{2})")
DATE = r"[0-9]{4}-[0-9]{2}-[0-9]{2}"
EMAIL = r"[^@\s]+@[^@\s]+\.[^@\s.]+"
PHONE = r"\+?[0-9(][0-9 ().\-]*[0-9]( ?(x|ext\.?) ?[0-9]+)?"
LINK = r"https?://[^\s/?#]+[^\s]*"
INTEGER_TEXT = r"-?[0-9]+"

_TIMESTAMP = re.compile(TIMESTAMP)
_DATE = re.compile(DATE)
_EMAIL = re.compile(EMAIL)
_PHONE = re.compile(PHONE)
_LINK = re.compile(LINK)
_timestamp = _TIMESTAMP.fullmatch
_INTEGER_TEXT = re.compile(INTEGER_TEXT)

Check = Callable[[Any], Any]


class BadValue(Exception):
    """A value that is not of its attribute's data type; the text says what was expected."""


def _shown(value: Any) -> str:
    text = repr(value) if isinstance(value, str) else str(value).lower() if isinstance(
        value, bool) else str(value)
    return text if len(text) <= 60 else text[:57] + "..."


def _text(value: Any, what: str) -> str:
    if not isinstance(value, str):
        raise BadValue(f"{_shown(value)} is not {what}: expected a string")
    if not value.isascii():
        try:
            value.encode()
        except UnicodeEncodeError as exc:
            # JSON may escape half of a surrogate pair ("\ud800"); no UTF-8 text holds one.
            raise BadValue(f"{_shown(value)} holds {exc.object[exc.start]!r}, half of a "
                           "surrogate pair: not text Marketo can store (not UTF-8)") from exc
    return value


def check_string(value: Any) -> str:
    # The common case first: ASCII text (no surrogate possible) within the limit.
    if value.__class__ is str and value.isascii() and len(value) <= MAX_STRING_CHARACTERS:
        return value
    text = _text(value, "a string")
    if len(text) > MAX_STRING_CHARACTERS:
        raise BadValue(f"a string of {len(text)} characters is over Marketo's "
                       f"{MAX_STRING_CHARACTERS}")
    return text


def check_text(value: Any) -> str:
    text = _text(value, "a text")
    size = len(text) if text.isascii() else len(text.encode())
    if size > MAX_TEXT_BYTES:
        raise BadValue(f"a text of {size} bytes (UTF-8) is over Marketo's {MAX_TEXT_BYTES}")
    return text


def check_integer(value: Any) -> int:
    if value.__class__ is not int:
        raise BadValue(f"{_shown(value)} is not an integer")
    if not MIN_INTEGER <= value <= MAX_INTEGER:
        raise BadValue(f"{value} is outside Marketo's integer range {MIN_INTEGER}..{MAX_INTEGER}")
    return value


def check_float(value: Any) -> float | int:
    if value.__class__ is float:
        if not isfinite(value):
            raise BadValue(f"{value} is not a finite number")
        return value
    if value.__class__ is not int:
        raise BadValue(f"{_shown(value)} is not a number")
    return value


def check_boolean(value: Any) -> bool:
    if value.__class__ is not bool:
        raise BadValue(f"{_shown(value)} is not a boolean: expected true or false")
    return value


def _pattern(pattern: re.Pattern[str], what: str, example: str) -> Check:
    fullmatch = pattern.fullmatch

    def check(value: Any) -> str:
        # ASCII text needs no encoding check (no surrogate is ASCII).
        text = value if value.__class__ is str and value.isascii() else _text(value, what)
        if len(text) > MAX_STRING_CHARACTERS or fullmatch(text) is None:
            raise BadValue(f"{_shown(value)} is not {what} (e.g. {example})")
        return text

    return check


check_email = _pattern(_EMAIL, "an email address", "person@example.com")
check_phone = _pattern(_PHONE, "a phone number", "+1 415-555-0100")
check_link = _pattern(_LINK, "a URL with its protocol", "https://example.com/page")


# Dates and timestamps repeat in record files (a webinar's start, a day): remember the good
# ones, a bounded few, so a repeat costs one dict lookup.
_GOOD_DATES: dict[str, None] = {}
_REMEMBERED = 4096


def _remember(text: str) -> str:
    if len(_GOOD_DATES) >= _REMEMBERED:
        _GOOD_DATES.clear()
    _GOOD_DATES[text] = None
    return text


def check_date(value: Any) -> str:
    if value.__class__ is str and value in _GOOD_DATES and len(value) == 10:
        return value
    text = _text(value, "a date")
    if _DATE.fullmatch(text) is None:
        raise BadValue(f"{_shown(value)} is not a date: expected YYYY-MM-DD")
    try:
        date.fromisoformat(text)
    except ValueError as exc:
        raise BadValue(f"{_shown(value)} is not a calendar date") from exc
    return _remember(text)


def check_datetime(value: Any) -> str:
    if value.__class__ is str and value.isascii():
        if value in _GOOD_DATES and len(value) > 10:
            return value
        text = value  # ASCII: no encoding check needed
    else:
        text = _text(value, "a datetime")
    if _timestamp(text) is None:
        raise BadValue(f"{_shown(value)} is not a full timestamp with an offset "
                       "(e.g. 2026-09-26T06:56:35+07:00 or 2026-09-25T23:56:35Z)")
    try:
        datetime.fromisoformat(text)
    except ValueError as exc:
        raise BadValue(f"{_shown(value)} is not a real date and time") from exc
    return _remember(text)


def check_lead_id(value: Any) -> int:
    if type(value) is not int or not 1 <= value <= MAX_LEAD_ID:
        raise BadValue(f"{_shown(value)} is not a lead id: expected a positive integer")
    return value


CHECKS: dict[str, Check] = {
    "string": check_string,
    "text": check_text,
    "integer": check_integer,
    "float": check_float,
    "currency": check_float,
    "boolean": check_boolean,
    "email": check_email,
    "phone": check_phone,
    "link": check_link,
    "date": check_date,
    "datetime": check_datetime,
}


def from_text(data_type: str, text: str) -> Any:
    """A CSV cell as the JSON value it stands for; text that cannot be one is kept as text
    (the check then says why it is wrong)."""
    if data_type == "integer":
        return int(text) if _INTEGER_TEXT.fullmatch(text) else text
    if data_type in ("float", "currency"):
        try:
            number = float(text)
        except ValueError:
            return text
        return number if math.isfinite(number) else text
    if data_type == "boolean":
        lowered = text.lower()
        return {"true": True, "false": False}.get(lowered, text)
    return text


def utc_seconds(text: str) -> str:
    """A timestamp as Marketo reads it back: UTC, whole seconds, `Z`."""
    moment = datetime.fromisoformat(text.replace("Z", "+00:00"))
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
