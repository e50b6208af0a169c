"""The kinds of schema the tool manages, one folder each.

`activity_type` is the original kind (its code still lives in framework.definitions and
framework.plan); `custom_object` holds everything particular to custom object types: the
model, the rules, the codec to and from Marketo's shape, the differ and the steps. The shared
stages (load, validate, read live, compare, policy, order, render, apply, verify, lock)
dispatch on `Kind`.
"""

from __future__ import annotations

from typing import Any, Literal

Kind = Literal["activityType", "customObject"]
ACTIVITY_TYPE: Kind = "activityType"
CUSTOM_OBJECT: Kind = "customObject"
KINDS: tuple[Kind, ...] = (ACTIVITY_TYPE, CUSTOM_OBJECT)
# How messages name each kind.
KIND_WORDS: dict[Kind, str] = {
    ACTIVITY_TYPE: "custom activity type",
    CUSTOM_OBJECT: "custom object type",
}


def kind_of(value: Any) -> str:
    """The kind of a definition, as a mapping or a model: `kind`, or activityType without it."""
    kind = value.get("kind") if isinstance(value, dict) else getattr(value, "kind", None)
    return kind if isinstance(kind, str) else "activityType"
