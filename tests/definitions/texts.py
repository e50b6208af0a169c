"""Definition texts shared by the definitions tests."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

MODELINE = "# yaml-language-server: $schema=.schema.json\n"


def definition(
    api_name: str = "buyCar", *, trigger: str = "", filter_: str = "", extra: str = ""
) -> str:
    """A valid definition text; `extra` is appended (e.g. `ensure: absent`)."""
    return (
        "version: 1\n"
        f"apiName: {api_name}\n"
        "name: Buy Car\n"
        f"triggerName: {trigger or 'Buys ' + api_name}\n"
        f"filterName: {filter_ or 'Bought ' + api_name}\n"
        "primaryAttribute:\n"
        "  apiName: vehicleModel\n"
        "  name: Vehicle Model\n"
        "  dataType: string\n"
        "attributes:\n"
        "  - apiName: price\n"
        "    name: Price\n"
        "    dataType: currency\n"
        f"{extra}"
    )


# Writes {file name: content} into a fresh `activities/` folder and returns the folder.
Writer = Callable[[dict[str, str | bytes]], Path]
