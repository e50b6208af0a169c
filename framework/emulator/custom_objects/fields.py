"""addField, updateField and deleteField: a type's custom fields, always changed on its draft.

All-or-nothing: every item is checked before the draft changes, so a refused call changes
nothing. The rules every version must keep (limits, links, what approval froze) are checked by
`ObjectCatalog.save_draft`.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from framework.emulator.custom_objects import rules
from framework.emulator.custom_objects.linking import resolve
from framework.emulator.custom_objects.model import (
    SYSTEM_DISPLAY_NAMES,
    SYSTEM_NAMES,
    ObjectField,
    ObjectType,
    ObjectVersion,
    folded,
)
from framework.emulator.custom_objects.schema import ObjectCatalog, in_use
from framework.emulator.refusal import Refusal, rule
from framework.emulator.validation import body_object, optional_text, required_text


def add_fields(catalog: ObjectCatalog, api_name: str, body: Any) -> list[dict[str, Any]]:
    """Add Custom Object Type Fields: new fields on the draft."""
    found = catalog.get(api_name)
    base = found.latest
    fields = list(base.fields)
    for index, data in enumerate(rules.input_items(body)):
        where = f"input[{index}]"
        item = rules.field_item(data, where)
        version = base.with_fields(tuple(fields))
        _check_new_name(version, item.name)
        _check_display_name(version, item.display_name, None)
        link = None
        if item.related is not None:
            link = resolve(item.related, api_name, catalog.types, catalog.settings,
                           f"{where}.relatedTo")
        fields.append(ObjectField(item.name, item.display_name, item.data_type, item.description,
                                  item.dedupe, link))
    catalog.save_draft(found, base.with_fields(tuple(fields)))
    return []


def update_field(catalog: ObjectCatalog, path: str, body: Any) -> list[dict[str, Any]]:
    """Update Custom Object Type Field: change one field of the draft (`path` is
    `{apiName}/{fieldApiName}`)."""
    api_name, _, field_name = path.partition("/")
    found = catalog.get(api_name)
    data = body_object(body)
    base = found.latest
    current = _existing(base, field_name)
    changed = _updated(catalog, found, base, current, data)
    fields = tuple(changed if f is current else f for f in base.fields)
    catalog.save_draft(found, base.with_fields(fields))
    return []


def delete_fields(catalog: ObjectCatalog, api_name: str, body: Any) -> list[dict[str, Any]]:
    """Delete Custom Object Type Fields: remove fields from the draft."""
    found = catalog.get(api_name)
    names = rules.field_names(body)
    base = found.latest
    doomed = [_existing(base, name) for name in names]
    if not catalog.settings.field_delete_ignores_usage:
        _check_unused(found, doomed)
    _check_unlinked(catalog, found, doomed)
    kept = tuple(f for f in base.fields if all(f is not d for d in doomed))
    catalog.save_draft(found, base.with_fields(kept))
    return []


def _existing(version: ObjectVersion, name: str) -> ObjectField:
    """A custom field to change or delete: 709 for a system field, 1006 for an unknown one."""
    if folded(name) in SYSTEM_NAMES:
        raise rule(f"Field '{name}' is a system field: it cannot be changed or deleted")
    found = version.field(name)
    if found is None:
        raise Refusal("1006", f"Field '{name}' not found")
    return found


def _check_new_name(version: ObjectVersion, name: str) -> None:
    if folded(name) in SYSTEM_NAMES or version.field(name) is not None:
        raise Refusal("1017", f"Object already exists: field '{name}'")


def _check_display_name(version: ObjectVersion, label: str, own: ObjectField | None) -> None:
    """CO: a field's display name "must be unique to the custom object" (without case)."""
    taken = SYSTEM_DISPLAY_NAMES | {folded(f.display_name) for f in version.fields
                                    if f is not own}
    if folded(label) in taken:
        raise rule(f"displayName '{label}' is already used by another field of this type")


def _updated(catalog: ObjectCatalog, found: ObjectType, base: ObjectVersion,
             current: ObjectField, data: dict[str, Any]) -> ObjectField:
    approved = found.approved is not None
    name = current.name
    if data.get("name") is not None:
        name = rules.api_name(required_text(data, "name"), "name")
        if name != current.name:
            if approved:
                raise rule(f"Field '{current.name}' of approved custom object type "
                           f"'{found.api_name}' cannot be renamed: delete it and add it again")
            if folded(name) != folded(current.name):
                _check_new_name(base, name)
    label = current.display_name
    if data.get("displayName") is not None:
        label = rules.display_name(required_text(data, "displayName"), "displayName")
        _check_display_name(base, label, current)
    description = optional_text(data, "description") if "description" in data \
        else current.description
    flag = rules.optional_bool(data, "isDedupeField")
    dedupe = current.dedupe if flag is None else flag
    kind = current.data_type
    if data.get("dataType") is not None:
        kind = rules.data_type(data["dataType"], "dataType")
    if approved and kind != current.data_type and "link" not in (kind, current.data_type):
        raise rule(f"Field '{current.name}' of approved custom object type '{found.api_name}' "
                   f"cannot change its dataType from {current.data_type} to {kind}; delete it "
                   "and add it again")
    link = current.link if kind == "link" else None
    related = None
    if data.get("relatedTo") is not None:
        related = rules.related_to(data["relatedTo"], "relatedTo")
    rules.link_shape(kind, related or (None if link is None else _as_sent(current)), current.name)
    if related is not None:
        link = resolve(related, found.api_name, catalog.types, catalog.settings, "relatedTo")
    return replace(current, name=name, display_name=label, data_type=kind,
                   description=description, dedupe=dedupe, link=link)


def _as_sent(current: ObjectField) -> rules.RelatedTo:
    assert current.link is not None
    return rules.RelatedTo(current.link.object, current.link.field)


def _check_unused(found: ObjectType, doomed: list[ObjectField]) -> None:
    """Deleting a field a smart campaign or list uses is refused (BEHAVIOUR.md)."""
    for asset in found.assets:
        used = {folded(name) for name in asset.used_fields}
        hit = [f.name for f in doomed if folded(f.name) in used]
        if hit:
            raise in_use(f"field(s) {', '.join(hit)} of custom object type '{found.api_name}' "
                         f"are used by {asset.asset_type} {asset.asset_id} "
                         f"'{asset.asset_name}'; remove them from it first")


def _check_unlinked(catalog: ObjectCatalog, found: ObjectType, doomed: list[ObjectField]) -> None:
    """A plain field another type links to (the `links-to-any-field` reading) stays; dedupe
    fields are frozen anyway (709 from the draft's checks)."""
    plain = {folded(f.name): f.name for f in doomed if not f.dedupe}
    for other in catalog.ordered():
        for link_field in (f for v in other.versions() for f in v.links):
            link = link_field.link
            if link is not None and link.object == found.api_name and folded(link.field) in plain:
                raise in_use(f"field '{plain[folded(link.field)]}' of custom object type "
                             f"'{found.api_name}' is linked to by {other.api_name}."
                             f"{link_field.name}; delete that link first")
