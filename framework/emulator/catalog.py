"""The instance's custom activity types and their lifecycle: endpoints 1 to 7.

Pure domain: no HTTP, no clock of its own (timestamps come from `now`). Every operation either
changes the catalog and returns the type as Marketo shows it, or raises a Refusal and changes
nothing.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from framework.emulator import validation as check
from framework.emulator.model import FIRST_TYPE_ID, ActivityType, TypeVersion
from framework.emulator.refusal import Refusal, no_data, rule


class Catalog:
    """Every custom activity type of one emulated instance."""

    def __init__(self, max_types: int, now: Callable[[], str]) -> None:
        self.max_types = max_types
        self.now = now
        self.types: dict[str, ActivityType] = {}
        self.next_id = FIRST_TYPE_ID

    # -- reading -------------------------------------------------------------------------

    def get(self, api_name: str) -> ActivityType:
        found = self.types.get(api_name)
        if found is None:
            raise no_data()
        return found

    def by_id(self, type_id: object) -> ActivityType | None:
        return next((t for t in self.types.values() if t.id == type_id), None)

    def list_types(self) -> list[dict[str, Any]]:
        """Endpoint 1: every type, draft-only ones included, showing what describe shows."""
        return [t.summary(t.approved or t.latest) for t in self._ordered()]

    def describe(self, api_name: str, draft: bool) -> dict[str, Any]:
        """Endpoint 2: the approved version, or the draft with draft=true; each falls back."""
        found = self.get(api_name)
        version = (found.draft or found.approved) if draft else (found.approved or found.draft)
        assert version is not None
        return found.describe(version)

    def approved_types(self) -> list[ActivityType]:
        return [t for t in self._ordered() if t.approved is not None]

    def _ordered(self) -> list[ActivityType]:
        return sorted(self.types.values(), key=lambda t: t.id)

    # -- endpoints 3 to 7 ----------------------------------------------------------------

    def create(self, body: Any) -> dict[str, Any]:
        """Endpoint 3: a new type in `draft` status."""
        data = check.body_object(body)
        api_name = check.api_name(check.required_text(data, "apiName"))
        name = check.display_name(check.required_text(data, "name"), "name")
        trigger = check.plain_name(check.required_text(data, "triggerName"), "triggerName")
        filter_ = check.plain_name(check.required_text(data, "filterName"), "filterName")
        if data.get("primaryAttribute") is None:
            raise Refusal("701", "primaryAttribute cannot be blank")
        primary = check.new_attribute(data["primaryAttribute"], "primaryAttribute", primary=True)
        description = check.optional_text(data, "description")
        if api_name in self.types:
            raise Refusal("1017", f"Object already exists: activity type '{api_name}'")
        self._check_unique_names(api_name, trigger, filter_)
        if len(self.types) >= self.max_types:
            raise Refusal("1027", "Max Activity Type Limit Reached")
        stamp = self.now()
        version = TypeVersion(name, trigger, filter_, description, (primary,))
        created = ActivityType(self.next_id, api_name, stamp, stamp, draft=version)
        self.next_id += 1
        self.types[api_name] = created
        return created.describe(version)

    def update(self, api_name: str, body: Any) -> dict[str, Any]:
        """Endpoint 4: a partial update, always to the draft (made from approved if needed)."""
        found = self.get(api_name)
        data = check.body_object(body)
        base = found.latest
        name = base.name
        if "name" in data:
            name = check.display_name(check.required_text(data, "name"), "name")
        trigger = base.trigger_name
        if "triggerName" in data:
            trigger = check.plain_name(check.required_text(data, "triggerName"), "triggerName")
        filter_ = base.filter_name
        if "filterName" in data:
            filter_ = check.plain_name(check.required_text(data, "filterName"), "filterName")
        description = base.description
        if "description" in data:
            description = check.optional_text(data, "description")
        attributes = base.attributes
        if data.get("primaryAttribute") is not None:
            attributes = self._replace_primary(found, base, data["primaryAttribute"])
        version = TypeVersion(name, trigger, filter_, description, attributes)
        check_frozen(found, version)
        self._check_unique_names(api_name, trigger, filter_)
        return self.save_draft(found, version)

    def _replace_primary(
        self, found: ActivityType, base: TypeVersion, data: Any
    ) -> tuple[Any, ...]:
        current = base.primary
        if isinstance(data, dict) and current is not None:
            # A partial primaryAttribute (PY sends only the fields it changes) keeps the rest.
            data = {**current.to_api(), **data}
        primary = check.new_attribute(data, "primaryAttribute", primary=True)
        changes_identity = current is None or (primary.api_name, primary.data_type) != (
            current.api_name, current.data_type)
        if found.ever_approved and changes_identity:
            raise rule(
                f"Activity type '{found.api_name}' has been approved: its primary attribute's "
                "apiName and dataType can no longer be changed"
            )
        clash = base.attribute(primary.api_name)
        if clash is not None and not clash.primary:
            raise Refusal("1017", f"Object already exists: attribute '{primary.api_name}'")
        kept = tuple(a for a in base.attributes if not a.primary)
        check.attribute_count((primary, *kept))
        return (primary, *kept)

    def approve(self, api_name: str) -> dict[str, Any]:
        """Endpoint 5: the draft becomes the live version."""
        found = self.get(api_name)
        if found.draft is None:
            raise rule(f"Activity type '{api_name}' has no draft to approve")
        if found.draft.primary is None:
            raise rule(f"Activity type '{api_name}' has no primary attribute: set one first")
        found.approved, found.draft = found.draft, None
        found.ever_approved = True
        found.updated_at = self.now()
        return found.describe(found.approved)

    def discard_draft(self, api_name: str) -> dict[str, Any]:
        """Endpoint 6: throw the draft away, back to the approved version."""
        found = self.get(api_name)
        if found.approved is None:
            raise rule(
                f"Activity type '{api_name}' has never been approved: its draft cannot be "
                "discarded; delete the type instead"
            )
        if found.draft is None:
            raise rule(f"Activity type '{api_name}' has no draft to discard")
        found.draft = None
        found.updated_at = self.now()
        return found.describe(found.approved)

    def delete(self, api_name: str) -> dict[str, Any]:
        """Endpoint 7: remove the type and its records, unless a smart list uses it."""
        found = self.get(api_name)
        if found.in_use:
            raise Refusal(
                "1022",
                f"Object in use: activity type '{api_name}' is used by a smart list trigger or "
                "filter; remove it from those assets first",
            )
        del self.types[api_name]
        return found.describe(found.latest, status="deleted")

    def mark_in_use(self, api_name: str) -> None:
        """Introspection: a smart list now uses the type (delete is refused with 1022)."""
        self.get(api_name).in_use = True

    # -- shared --------------------------------------------------------------------------

    def save_draft(self, found: ActivityType, version: TypeVersion) -> dict[str, Any]:
        found.draft = version
        found.updated_at = self.now()
        return found.describe(version)

    def _check_unique_names(self, api_name: str, trigger: str, filter_: str) -> None:
        """Trigger and filter names are one namespace across every version of every other
        type, compared without case and runs of spaces (BEHAVIOUR.md)."""
        for other in self.types.values():
            if other.api_name == api_name:
                continue
            taken = {check.smart_list_key(name)
                     for v in (other.approved, other.draft) if v is not None
                     for name in (v.trigger_name, v.filter_name)}
            for label, name in (("triggerName", trigger), ("filterName", filter_)):
                if check.smart_list_key(name) in taken:
                    raise rule(f"{label} '{name}' is already used by activity type "
                               f"'{other.api_name}'")

    # -- persistence ---------------------------------------------------------------------

    def to_json(self) -> dict[str, Any]:
        return {"nextId": self.next_id, "types": [t.to_json() for t in self._ordered()]}

    def load_json(self, data: dict[str, Any]) -> None:
        self.next_id = int(data["nextId"])
        self.types = {t.api_name: t for t in map(ActivityType.from_json, data["types"])}


def check_frozen(found: ActivityType, version: TypeVersion) -> None:
    """ACT: once a type is approved and in use, its display name, description, trigger name,
    filter name and primary attribute can no longer change (709). `version` is the draft the
    call would leave."""
    frozen = found.approved
    if not found.in_use or frozen is None:
        return
    changed = [label for label, before, after in (
        ("name", frozen.name, version.name),
        ("description", frozen.description, version.description),
        ("triggerName", frozen.trigger_name, version.trigger_name),
        ("filterName", frozen.filter_name, version.filter_name),
        ("primaryAttribute", frozen.primary, version.primary),
    ) if before != after]
    if changed:
        raise rule(
            f"Activity type '{found.api_name}' is approved and in use: its name, description, "
            f"triggerName, filterName and primary attribute can no longer be changed "
            f"({', '.join(changed)} would change)"
        )
