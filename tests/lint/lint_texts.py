"""Definition texts for the lint tests: one base type and the edits each rule is about."""

from __future__ import annotations


def attend_class(
    *,
    version: int = 1,
    trigger: str = "Attends Class",
    filter_name: str = "Attended Class",
    primary: str = "title",
    attributes: str = "  - apiName: replayUrl\n    name: Replay URL\n    dataType: link\n"
    "  - apiName: seats\n    name: Seats\n    dataType: integer\n",
    protect: bool = True,
    ensure: str = "present",
    extra: str = "",
    comment: str = "",
) -> str:
    return (
        f"version: {version}{comment}\n"
        "apiName: attendClass\n"
        "name: Attend Class\n"
        f"triggerName: {trigger}\n"
        f"filterName: {filter_name}\n"
        "primaryAttribute:\n"
        f"  apiName: {primary}\n"
        "  name: Title\n"
        f"attributes:\n{attributes}"
        f"protect: {'true' if protect else 'false'}\n"
        f"ensure: {ensure}\n"
        f"{extra}"
    )


SEATS = "  - apiName: seats\n    name: Seats\n    dataType: integer\n"
REPLAY = "  - apiName: replayUrl\n    name: Replay URL\n    dataType: link\n"

# Issue 22, item 8: the words every message uses for a dropped attribute, from Adobe's
# Activities guide ("Custom Activity Type Attributes": changes are not applied retroactively
# to existing activities; a removal affects the attribute's use in filters); plan says the same.
DROPPED = (
    "records sent before the approve keep their old attributes, values included, but the "
    "type's Smart List filters can no longer use it, and records sent after the approve "
    "cannot carry it"
)
