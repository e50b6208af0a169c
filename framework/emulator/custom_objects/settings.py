"""How an emulated instance reads the custom-object rules Adobe leaves open (BEHAVIOUR.md).

Each reading is a switch: the default follows Adobe's API guide and examples; the switch
follows the other plausible reading (mostly the product docs' UI pages).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, replace

# The name of each switch (`activities emulator --object-reading NAME`) and what it turns on.
READINGS: dict[str, str] = {
    "bridge-dedupe-optional":
        "a bridge (a type linking to another custom object) may be approved without a dedupe "
        "field, as the product docs' approval page says",
    "string-links-only":
        "link fields may point only at string or email fields, as the product docs' link-field "
        "page says (a lead's or company's `id` is refused)",
    "links-to-any-field":
        "a link to a custom object may point at any of its fields, not only at marketoGUID and "
        "its dedupe fields (what Adobe's linkableObjects example offers)",
    "system-fields-count":
        "the 3 system fields count against the 50 fields a type may hold (47 custom fields)",
    "lifetime-field-additions":
        "the 20 fields that may be added after the first approval are counted over the type's "
        "life, not per approval",
    "discard-deletes-new-types":
        "discardDraft on a never-approved type deletes it instead of failing with 1048",
    "field-delete-ignores-usage":
        "deleteField succeeds even when a dependent asset uses the field (1022 otherwise)",
}


@dataclass(frozen=True)
class ObjectSettings:
    """The subscription's custom-object limits and the emulator's readings of Adobe's rules."""

    enabled: bool = True  # custom objects are a paid option; off: every schema call is 1026
    max_types: int = 10
    max_fields: int = 50
    max_added_after_approval: int = 20
    max_dedupe_fields: int = 3
    bridge_dedupe_optional: bool = False
    string_links_only: bool = False
    links_to_any_field: bool = False
    system_fields_count: bool = False
    lifetime_field_additions: bool = False
    discard_deletes_new_types: bool = False
    field_delete_ignores_usage: bool = False

    def reading(self, names: Iterable[str]) -> ObjectSettings:
        """These settings with the named readings (keys of READINGS) switched on."""
        unknown = sorted(set(names) - set(READINGS))
        if unknown:
            raise ValueError(f"unknown reading(s): {', '.join(unknown)}")
        return replace(self, **{name.replace("-", "_"): True for name in names})

    def readings(self) -> list[str]:
        """The readings switched on, by name."""
        return [name for name in READINGS if getattr(self, name.replace("-", "_"))]
