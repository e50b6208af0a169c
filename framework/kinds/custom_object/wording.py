"""How validate's messages word a custom object type's keys: examples and fixes."""

from __future__ import annotations

from framework.definitions.wording import Wording
from framework.kinds.custom_object.vocabulary import CUSTOM_OBJECTS_GUIDE

TOP_EXAMPLES = {
    "kind": "kind: customObject",
    "version": "version: 1",
    "apiName": "apiName: car",
    "displayName": "displayName: Car",
    "pluralName": "pluralName: Cars",
    "description": "description: A car a person owns",
    "showInLeadDetail": "showInLeadDetail: true",
    "protect": "protect: true",
    "ensure": "ensure: present",
}
FIELD_EXAMPLES = {
    "name": "name: vin",
    "displayName": "displayName: VIN",
    "description": "description: Vehicle identification number",
    "dataType": "dataType: string",
    "isDedupeField": "isDedupeField: true",
    "renamedFrom": "renamedFrom: vehicleId",
    "field": "field: id",
    # acknowledge items
    "version": "version: 4",
    "reason": "reason: nobody reads this field any more",
}
BLOCK_FIXES = {
    "fields": "add `fields:` with items like `- {name: vin, displayName: VIN, dataType: string, "
    "isDedupeField: true}` below it",
}


def _model_at(parent: tuple[int | str, ...]) -> str:
    if not parent:
        return "CustomObject"
    if parent[0] == "acknowledge":
        return "ObjectAcknowledgement"
    return "RelatedTo" if "relatedTo" in parent else "ObjectField"


CUSTOM_OBJECT_WORDING = Wording(
    model="CustomObject",
    model_at=_model_at,
    top_examples=TOP_EXAMPLES,
    item_examples=FIELD_EXAMPLES,
    block_fixes=BLOCK_FIXES,
    is_display_name=lambda loc: bool(loc) and loc[-1] == "displayName",
    api_name_keys=frozenset({"apiName", "name", "renamedFrom", "field"}),
    api_name_rule="letters, digits and underscores only, with at least one letter",
    guide=CUSTOM_OBJECTS_GUIDE,
    item="a field",
    mapping_fix="indent name, displayName and dataType below it, one `key: value` per line",
    list_fix="write each field as a list item starting with `- name:`, or `fields: []` for none",
)
