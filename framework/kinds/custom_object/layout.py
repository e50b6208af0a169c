"""How `activities fmt` orders a custom object file: Adobe's create request order, then ours."""

from __future__ import annotations

from framework.definitions.layout import Layout

OBJECT_KEYS = (
    "kind", "version", "apiName", "displayName", "pluralName", "description",
    "showInLeadDetail", "fields", "protect", "ensure", "acknowledge",
)
FIELD_KEYS = (
    "name", "displayName", "description", "dataType", "isDedupeField", "relatedTo",
    "renamedFrom",
)
CUSTOM_OBJECT_LAYOUT = Layout(
    keys=OBJECT_KEYS,
    items={"fields": FIELD_KEYS, "acknowledge": ("rule", "version", "reason")},
    item_blocks={"relatedTo": ("name", "field")},
)
