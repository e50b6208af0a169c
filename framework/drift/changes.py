"""The field-by-field differences between two versions of a type. Pure."""

from __future__ import annotations

from dataclasses import dataclass

from framework.live import LiveAttribute, TypeVersion

TYPE_FIELDS = ("name", "description", "triggerName", "filterName")
ATTRIBUTE_FIELDS = ("apiName", "name", "description", "dataType")


@dataclass(frozen=True, order=True)
class FieldChange:
    """One field that differs: `field` is a path such as `attributes.venue.dataType`."""

    field: str
    before: str | None
    after: str | None

    def words(self) -> str:
        """`name "Old" → "New"`, `attribute seats (integer) added`, ..."""
        if self.field.startswith("attributes.") and self.field.count(".") == 1:
            name = self.field.split(".", 1)[1]
            if self.before is None:
                return f"attribute {name} ({self.after}) added"
            if self.after is None:
                return f"attribute {name} ({self.before}) removed"
        return f"{_label(self.field)} {_quoted(self.before)} → {_quoted(self.after)}"


def version_changes(before: TypeVersion, after: TypeVersion) -> list[FieldChange]:
    """Every field of `after` that differs from `before`, in a stable order."""
    found = [
        FieldChange(name, getattr(before, name), getattr(after, name))
        for name in TYPE_FIELDS
        if getattr(before, name) != getattr(after, name)
    ]
    found += _attribute_changes("primaryAttribute", before.primaryAttribute, after.primaryAttribute)
    old = {a.apiName: a for a in before.attributes}
    new = {a.apiName: a for a in after.attributes}
    for name in sorted(old.keys() | new.keys()):
        path = f"attributes.{name}"
        if name not in new:
            found.append(FieldChange(path, old[name].dataType, None))
        elif name not in old:
            found.append(FieldChange(path, None, new[name].dataType))
        else:
            found += _attribute_changes(path, old[name], new[name])
    return found


def _attribute_changes(path: str, before: LiveAttribute, after: LiveAttribute) -> list[FieldChange]:
    return [
        FieldChange(f"{path}.{name}", getattr(before, name), getattr(after, name))
        for name in ATTRIBUTE_FIELDS
        if getattr(before, name) != getattr(after, name)
    ]


def _label(path: str) -> str:
    parts = path.split(".")
    if parts[0] == "attributes":
        return f"attribute {parts[1]} {'.'.join(parts[2:])}"
    if parts[0] == "primaryAttribute":
        return f"primary attribute {'.'.join(parts[1:])}"
    return path


def _quoted(value: str | None) -> str:
    return "(none)" if value is None else f'"{value}"'
