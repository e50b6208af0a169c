"""Endpoints 8 to 10: create, update and delete a type's attributes, always on its draft.

All-or-nothing: every item is checked before the draft changes, so a refused call changes nothing.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from framework.emulator import validation as check
from framework.emulator.catalog import Catalog, check_frozen
from framework.emulator.model import ActivityType, Attribute, TypeVersion
from framework.emulator.refusal import Refusal, blank, rule


def create_attributes(catalog: Catalog, api_name: str, body: Any) -> dict[str, Any]:
    """Endpoint 8: add attributes to the draft."""
    found = catalog.get(api_name)
    items = check.attribute_list(body)
    _no_duplicates(items)
    base = found.latest
    added: list[Attribute] = []
    for index, item in enumerate(items):
        primary = check.is_primary(item.get("isPrimary"), f"attributes[{index}].isPrimary")
        attribute = check.new_attribute(item, f"attributes[{index}]", primary=bool(primary))
        if item.get("dataType") is None:
            # ACT: dataType is required here (only create type's primary defaults to string).
            raise blank(f"attributes[{index}].dataType")
        if base.attribute(attribute.api_name) is not None:
            raise Refusal("1017", f"Object already exists: attribute '{attribute.api_name}'")
        added.append(attribute)
    attributes = (*base.attributes, *added)
    _check_primary(found, base, attributes)
    check.attribute_count(attributes)
    return catalog.save_draft(found, base.with_attributes(attributes))


def update_attributes(catalog: Catalog, api_name: str, body: Any) -> dict[str, Any]:
    """Endpoint 9: change names, descriptions, data types or the primary flag on the draft."""
    found = catalog.get(api_name)
    items = check.attribute_list(body)
    _no_duplicates(items)
    base = found.latest
    changed = {a.api_name: a for a in base.attributes}
    for index, item in enumerate(items):
        current = changed.get(item["apiName"])
        if current is None:
            raise Refusal("1006", f"Field '{item['apiName']}' not found")
        changed[current.api_name] = _updated(found, current, item, index)
    attributes = tuple(changed.values())
    _check_primary(found, base, attributes)
    check.attribute_count(attributes)
    version = base.with_attributes(attributes)
    check_frozen(found, version)
    return catalog.save_draft(found, version)


def delete_attributes(catalog: Catalog, api_name: str, body: Any) -> dict[str, Any]:
    """Endpoint 10: remove secondary attributes from the draft."""
    found = catalog.get(api_name)
    items = check.attribute_list(body)
    base = found.latest
    doomed = {item["apiName"] for item in items}
    for name in sorted(doomed):
        current = base.attribute(name)
        if current is None:
            raise Refusal("1006", f"Field '{name}' not found")
        if current.primary:
            raise rule(f"Attribute '{name}' is the primary attribute and cannot be deleted")
    attributes = tuple(a for a in base.attributes if a.api_name not in doomed)
    return catalog.save_draft(found, base.with_attributes(attributes))


def _updated(
    found: ActivityType, current: Attribute, item: dict[str, Any], index: int
) -> Attribute:
    where = f"attributes[{index}]"
    name = current.name
    if "name" in item:
        name = check.plain_name(check.required_text(item, "name", f"{where}.name"),
                                f"{where}.name")
    description = current.description
    if "description" in item:
        description = check.optional_text(item, "description")
    data_type = current.data_type
    if "dataType" in item:
        data_type = check.data_type(item["dataType"], f"{where}.dataType")
    if found.ever_approved and data_type != current.data_type:
        raise rule(
            f"Attribute '{current.api_name}' of approved activity type '{found.api_name}' cannot "
            f"change its dataType from {current.data_type} to {data_type}; delete it and create it "
            "again"
        )
    primary = check.is_primary(item.get("isPrimary"), f"{where}.isPrimary")
    flag = current.primary if primary is None else primary
    return replace(current, name=name, description=description, data_type=data_type, primary=flag)


def _check_primary(
    found: ActivityType, base: TypeVersion, attributes: tuple[Attribute, ...]
) -> None:
    primaries = [a.api_name for a in attributes if a.primary]
    if len(primaries) > 1:
        raise rule(
            f"There may only be one primary attribute ({', '.join(primaries)}): first update "
            "the current primary with isPrimary:false"
        )
    before = base.primary.api_name if base.primary else None
    after = primaries[0] if primaries else None
    if found.ever_approved and before != after:
        raise rule(
            f"Activity type '{found.api_name}' has been approved: its primary attribute can no "
            "longer be changed"
        )


def _no_duplicates(items: list[dict[str, Any]]) -> None:
    problem = check.duplicate_names(items)
    if problem is not None:
        raise problem
