"""What a link field may point at: Lead, Company and approved custom objects without links.

CO, "List Linkable Custom Objects": the answer lists the standard objects (Lead, Company) and the
custom objects, each with its link fields. Adobe's example names lead fields by their display
names (`Id`, `Email Address`) while addField sends `{"name":"lead","field":"id"}` and describe
reads back `{"name":"Lead","field":"id"}`: object and field names are matched without case, a
standard field by its REST name or its display name (BEHAVIOUR.md).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from framework.emulator.custom_objects.model import ID_FIELD, Link, ObjectType, folded
from framework.emulator.custom_objects.rules import RelatedTo
from framework.emulator.custom_objects.settings import ObjectSettings
from framework.emulator.refusal import invalid, rule

STRING_TYPES = ("string", "email")  # what the `string-links-only` reading accepts


@dataclass(frozen=True)
class TargetField:
    """A field a link may point at: its REST name, its display name and its dataType."""

    name: str
    display_name: str
    data_type: str

    def matches(self, wanted: str) -> bool:
        return folded(wanted) in (folded(self.name), folded(self.display_name))


@dataclass(frozen=True)
class StandardObject:
    name: str  # as linkableObjects lists it
    display_name: str  # as relationships name it
    fields: tuple[TargetField, ...]


# A lead link offers Id and Email Address (UI-LNK), a company link Id; the emulator has no
# custom lead or company fields.
STANDARD_OBJECTS = (
    StandardObject("lead", "Lead", (TargetField("email", "Email Address", "email"),
                                    TargetField("id", "Id", "integer"))),
    StandardObject("company", "Company", (TargetField("id", "Id", "integer"),)),
)
RESERVED = frozenset(folded(o.name) for o in STANDARD_OBJECTS)


def custom_targets(found: ObjectType, settings: ObjectSettings) -> tuple[TargetField, ...]:
    """A linkable custom object's link fields (approved version): marketoGUID and its dedupe
    fields, as in CO's `car_c` example; every field with the `links-to-any-field` reading."""
    assert found.approved is not None
    offered = [f for f in found.approved.fields if f.dedupe or settings.links_to_any_field]
    return (TargetField(ID_FIELD, "Marketo GUID", "string"),
            *(TargetField(f.name, f.display_name, f.read_type) for f in offered))


def linkable(found: ObjectType) -> bool:
    """CO: custom object types "must be approved to be selectable as a link object", and "a
    custom object cannot link to another custom object that has an existing link field"."""
    return found.approved is not None and not any(v.links for v in found.versions())


def allowed(settings: ObjectSettings, target: TargetField) -> bool:
    return not settings.string_links_only or target.data_type in STRING_TYPES


def linkable_objects(types: list[ObjectType], settings: ObjectSettings) -> list[dict[str, Any]]:
    """Endpoint linkableObjects.json: standard objects, then linkable custom objects."""
    found: list[tuple[str, str, tuple[TargetField, ...]]] = [
        (o.name, o.display_name, o.fields) for o in STANDARD_OBJECTS]
    found += [(t.api_name, t.approved.display_name, custom_targets(t, settings))
              for t in types if linkable(t) and t.approved is not None]
    answer = []
    for name, label, targets in found:
        usable = [t for t in targets if allowed(settings, t)]
        if usable:
            answer.append({"name": name, "displayName": label, "fields": [
                {"name": t.display_name if name in ("lead", "company") else t.name,
                 "displayName": t.display_name, "dataType": t.data_type} for t in usable]})
    return answer


def resolve(related: RelatedTo, owner: str, types: dict[str, ObjectType],
            settings: ObjectSettings, where: str) -> Link:
    """The Link a `relatedTo` names, or a Refusal saying why it cannot be linked."""
    standard = next((o for o in STANDARD_OBJECTS if folded(o.name) == folded(related.name)),
                    None)
    if standard is not None:
        return _to_field(related, standard.display_name, standard.fields, settings, where)
    target = next((t for t in types.values() if folded(t.api_name) == folded(related.name)),
                  None)
    if target is None:
        raise invalid(f"Invalid value for {where}.name '{related.name}': not a linkable object "
                      "(lead, company or an approved custom object type)")
    if folded(target.api_name) == folded(owner):
        raise rule(f"Custom object type '{owner}' cannot link to itself")
    if target.approved is None:
        raise rule(f"Custom object type '{target.api_name}' is not approved: approve it before "
                   "linking to it")
    if not linkable(target):
        raise rule(f"Custom object type '{target.api_name}' has a link field: a custom object "
                   "cannot link to another custom object that has a link field")
    return _to_field(related, target.api_name, custom_targets(target, settings), settings,
                     where)


def _to_field(related: RelatedTo, object_name: str, targets: tuple[TargetField, ...],
              settings: ObjectSettings, where: str) -> Link:
    target = next((t for t in targets if t.matches(related.field)), None)
    if target is None:
        offered = ", ".join(t.name for t in targets)
        raise invalid(f"Invalid value for {where}.field '{related.field}': {object_name} "
                      f"offers {offered}")
    if not allowed(settings, target):
        raise rule(f"{where}.field '{related.field}' of {object_name} is a {target.data_type} "
                   "field: link fields may only point at string fields")
    return Link(object_name, target.name, target.data_type)
