"""The instance's custom object types and their lifecycle: list, describe, sync, approve,
discardDraft, delete, dependentAssets.

Pure domain: no HTTP, no clock of its own (timestamps come from `now`). Every operation either
changes the catalog or raises a Refusal and changes nothing. Mutations answer nothing: Marketo's
schema calls return `result: []`, and a client describes the type to see the effect.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from typing import Any

from framework.emulator.custom_objects import rules
from framework.emulator.custom_objects.linking import RESERVED, linkable, linkable_objects
from framework.emulator.custom_objects.model import (
    SYSTEM_FIELDS,
    DependentAsset,
    ObjectType,
    ObjectVersion,
    folded,
)
from framework.emulator.custom_objects.settings import ObjectSettings
from framework.emulator.refusal import Refusal, blank, rule
from framework.emulator.validation import body_object, optional_text, required_text


def not_found(api_name: str) -> Refusal:
    """1013, ERR's "Object not found", for an unknown type apiName."""
    return Refusal("1013", f"Object not found: custom object type '{api_name}'")


def in_use(message: str) -> Refusal:
    """1022, ERR's "Object in use"."""
    return Refusal("1022", f"Object in use: {message}")


class ObjectCatalog:
    """Every custom object type of one emulated instance."""

    def __init__(self, settings: ObjectSettings, now: Callable[[], str]) -> None:
        self.settings = settings
        self.now = now
        self.types: dict[str, ObjectType] = {}
        self.next_order = 1

    def require_enabled(self) -> None:
        if not self.settings.enabled:
            raise Refusal("1026", "Custom object not enabled")

    # -- reading -------------------------------------------------------------------------

    def get(self, api_name: str) -> ObjectType:
        found = self.types.get(api_name)
        if found is None:
            raise not_found(api_name)
        return found

    def ordered(self) -> list[ObjectType]:
        return sorted(self.types.values(), key=lambda t: t.order)

    def list_types(self, state: str | None, names: set[str] | None) -> list[dict[str, Any]]:
        """Types in creation order, each showing the version `state` picks; types without that
        version are left out, as are names that match no type."""
        shown = []
        for found in self.ordered():
            if names is not None and found.api_name not in names:
                continue
            version = pick(found, state)
            if version is not None:
                shown.append(found.describe(version))
        return shown

    def describe(self, api_name: str, state: str | None) -> list[dict[str, Any]]:
        """The version `state` picks, or no result when the type has no such version."""
        found = self.get(api_name)
        version = pick(found, state)
        return [] if version is None else [found.describe(version)]

    def linkable_objects(self) -> list[dict[str, Any]]:
        return linkable_objects(self.ordered(), self.settings)

    def dependent_assets(self, api_name: str) -> list[dict[str, Any]]:
        return [item for asset in self.get(api_name).assets for item in asset.to_api()]

    def linked_by(self, target: ObjectType) -> list[str]:
        """The other types whose approved or draft version links to `target`."""
        return [t.api_name for t in self.ordered() if t is not target and any(
            f.link.object == target.api_name for v in t.versions() for f in v.links
            if f.link is not None)]

    # -- sync (create or update) ---------------------------------------------------------

    def sync(self, body: Any) -> list[dict[str, Any]]:
        """Sync Custom Object Type: create a draft type, or change the draft of one."""
        data = body_object(body)
        action = rules.action(data)
        api_name = rules.api_name(required_text(data, "apiName"), "apiName")
        found = self.types.get(api_name)
        clash = next((t for t in self.types.values()
                      if folded(t.api_name) == folded(api_name)), None)
        if action == "createOnly" and clash is not None:
            raise Refusal("1017", f"Object already exists: custom object type "
                                  f"'{clash.api_name}'")
        if action == "updateOnly" and found is None:
            raise not_found(api_name)
        if found is None:
            if clash is not None:  # createOrUpdate with another case of an existing name
                raise Refusal("1017", f"Object already exists: custom object type "
                                      f"'{clash.api_name}'")
            self._create(api_name, data)
        else:
            self._update(found, data, display_required=action != "updateOnly")
        return []

    def _create(self, api_name: str, data: dict[str, Any]) -> None:
        if folded(api_name) in RESERVED:
            raise rule(f"apiName '{api_name}' is the name of a standard object: choose another")
        label = rules.display_name(required_text(data, "displayName"), "displayName")
        version = ObjectVersion(label, *_type_options(data, ObjectVersion(label)))
        self._check_display_name(api_name, label)
        if len(self.types) >= self.settings.max_types:
            raise rule(f"Max custom object type limit reached: the subscription allows "
                       f"{self.settings.max_types}")
        stamp = self.now()
        self.types[api_name] = ObjectType(api_name, self.next_order, stamp, stamp, draft=version)
        self.next_order += 1

    def _update(self, found: ObjectType, data: dict[str, Any], display_required: bool) -> None:
        base = found.latest
        label = base.display_name
        if display_required or data.get("displayName") is not None:
            label = rules.display_name(required_text(data, "displayName"), "displayName")
        plural, description, show = _type_options(data, base)
        version = replace(base, display_name=label, plural_name=plural, description=description,
                          show_in_lead_detail=show)
        self._check_display_name(found.api_name, label)
        self.save_draft(found, version)

    def _check_display_name(self, api_name: str, label: str) -> None:
        """CO: display names "must be unique"; compared without case across every version of
        every other type."""
        for other in self.types.values():
            if other.api_name != api_name and any(
                    folded(v.display_name) == folded(label) for v in other.versions()):
                raise rule(f"displayName '{label}' is already used by custom object type "
                           f"'{other.api_name}'")

    # -- approve, discard, delete --------------------------------------------------------

    def approve(self, api_name: str) -> list[dict[str, Any]]:
        """The draft becomes the live version, if it satisfies the approval rules."""
        found = self.get(api_name)
        draft = found.draft
        if draft is None:
            raise rule(f"Custom object type '{api_name}' has no draft to approve")
        self._check_approvable(found, draft)
        if found.approved is not None:
            found.added_after_approval += len(added_fields(found.approved, draft))
        found.approved, found.draft = draft, None
        found.updated_at = self.now()
        return []

    def _check_approvable(self, found: ObjectType, draft: ObjectVersion) -> None:
        """UI-APP's validation rules, with CO's "at least 1 dedupe field" for every type."""
        name = found.api_name
        bridge = any(f.link is not None and not f.link.standard for f in draft.links)
        if not draft.dedupe_names and not (bridge and self.settings.bridge_dedupe_optional):
            raise rule(f"Custom object type '{name}' cannot be approved: it needs at least one "
                       "dedupe field (isDedupeField)")
        if bridge and not any(f.link is not None and f.link.standard for f in draft.links):
            raise rule(f"Custom object type '{name}' cannot be approved: it links to a custom "
                       "object, so it is a bridge and also needs a link field to Lead or Company")
        for link_field in draft.links:
            assert link_field.link is not None
            target = self.types.get(link_field.link.object)
            if not link_field.link.standard and (target is None or not linkable(target)):
                raise rule(f"Custom object type '{name}' cannot be approved: link field "
                           f"'{link_field.name}' points at '{link_field.link.object}', which "
                           "is no longer an approved custom object without link fields")

    def discard_draft(self, api_name: str) -> list[dict[str, Any]]:
        """Throw the draft away, back to the approved version."""
        found = self.get(api_name)
        if found.approved is None:
            if self.settings.discard_deletes_new_types:
                del self.types[api_name]
                return []
            raise Refusal("1048", f"Custom Object Discard Draft Failed: custom object type "
                                  f"'{api_name}' has never been approved; delete it instead")
        if found.draft is None:
            raise Refusal("1048", f"Custom Object Discard Draft Failed: custom object type "
                                  f"'{api_name}' is approved and has no draft")
        found.draft = None
        found.updated_at = self.now()
        return []

    def delete(self, api_name: str) -> list[dict[str, Any]]:
        """Remove the type, unless an asset uses it or another type links to it."""
        found = self.get(api_name)
        if found.assets:
            names = ", ".join(sorted({f"{a.asset_type} {a.asset_id}" for a in found.assets}))
            raise in_use(f"custom object type '{api_name}' is used by {names}; remove it from "
                         "those assets first (see dependentAssets)")
        linking = self.linked_by(found)
        if linking:
            raise in_use(f"custom object type '{api_name}' is linked to by "
                         f"{', '.join(linking)}; delete those types first")
        del self.types[api_name]
        return []

    # -- shared --------------------------------------------------------------------------

    def save_draft(self, found: ObjectType, version: ObjectVersion) -> None:
        """Every change goes to the draft (made from the approved version when there is none),
        after the rules that hold for any version and what the first approval froze."""
        self._check_version(found, version)
        found.draft = version
        found.updated_at = self.now()

    def _check_version(self, found: ObjectType, version: ObjectVersion) -> None:
        name = found.api_name
        settings = self.settings
        room = settings.max_fields - (len(SYSTEM_FIELDS) if settings.system_fields_count else 0)
        if len(version.fields) > room:
            raise rule(f"Max field limit reached: custom object type '{name}' may hold {room} "
                       f"custom fields, this would make {len(version.fields)}")
        dedupe = version.dedupe_names
        if len(dedupe) > settings.max_dedupe_fields:
            raise rule(f"Custom object type '{name}' may have at most "
                       f"{settings.max_dedupe_fields} dedupe fields, this would make "
                       f"{len(dedupe)} ({', '.join(dedupe)})")
        links = version.links
        standard = [f.name for f in links if f.link is not None and f.link.standard]
        custom = [f.name for f in links if f.link is not None and not f.link.standard]
        if len(standard) > 1 or len(custom) > 1:
            raise rule(f"Custom object type '{name}' may have one link field to Lead or Company "
                       f"and one to a custom object, this would make "
                       f"{', '.join(f.name for f in links)}")
        linking = self.linked_by(found)
        if links and linking:
            raise rule(f"Custom object type '{name}' is linked to by {', '.join(linking)}: it "
                       "cannot have link fields of its own")
        if found.approved is not None:
            self._check_frozen(found, found.approved, version)

    def _check_frozen(self, found: ObjectType, approved: ObjectVersion,
                      version: ObjectVersion) -> None:
        """CO: once approved, a type's displayName, its link fields and its dedupe fields can
        no longer change, and at most 20 fields may be added."""
        name = found.api_name
        if version.display_name != approved.display_name:
            raise rule(f"Custom object type '{name}' is approved: its displayName cannot change "
                       f"from '{approved.display_name}' to '{version.display_name}'")
        if {(f.name, f.link) for f in approved.links} != {(f.name, f.link) for f in version.links}:
            raise rule(f"Custom object type '{name}' is approved: link fields can no longer be "
                       "added, removed or changed")
        if approved.dedupe_names != version.dedupe_names:
            raise rule(f"Custom object type '{name}' is approved: dedupe fields can no longer be "
                       "added, removed or changed")
        added = len(added_fields(approved, version))
        used = found.added_after_approval if self.settings.lifetime_field_additions else 0
        limit = self.settings.max_added_after_approval
        if used + added > limit:
            over = " over the type's life" if self.settings.lifetime_field_additions else ""
            raise rule(f"Custom object type '{name}' is approved: at most {limit} fields may be "
                       f"added after approval{over}, this would make {used + added}")

    def declare_asset(self, api_name: str, asset: DependentAsset) -> None:
        """Introspection: a smart campaign or list now uses the type (and these fields)."""
        found = self.get(api_name)
        found.assets = [a for a in found.assets
                        if (a.asset_type, a.asset_id) != (asset.asset_type, asset.asset_id)]
        found.assets.append(asset)

    # -- persistence ---------------------------------------------------------------------

    def to_json(self) -> dict[str, Any]:
        return {"nextOrder": self.next_order, "types": [t.to_json() for t in self.ordered()]}

    def load_json(self, data: dict[str, Any]) -> None:
        self.next_order = int(data["nextOrder"])
        self.types = {t.api_name: t for t in map(ObjectType.from_json, data["types"])}


def pick(found: ObjectType, state: str | None) -> ObjectVersion | None:
    """The version a `state` parameter picks (BEHAVIOUR.md): none given, the approved one if
    any, else the draft (CO); `approved` or `draft`, that version; `approvedWithDraft`, the
    draft of a type in that state."""
    if state is None:
        return found.approved or found.draft
    if state == "approved":
        return found.approved
    if state == "draft":
        return found.draft
    return found.draft if found.state == "approvedWithDraft" else None


def added_fields(before: ObjectVersion, after: ObjectVersion) -> list[str]:
    """Fields of `after` that `before` does not have."""
    return [f.name for f in after.fields if before.field(f.name) is None]


def _type_options(data: dict[str, Any], base: ObjectVersion) -> tuple[str | None, str | None, bool]:
    """pluralName, description and showInLeadDetail: each kept from `base` when not sent."""
    plural = base.plural_name
    if "pluralName" in data:
        plural = optional_text(data, "pluralName", rules.MAX_NAME)
        if plural is not None and not plural.strip():
            raise blank("pluralName")
    description = optional_text(data, "description") if "description" in data \
        else base.description
    show = rules.optional_bool(data, "showInLeadDetail")
    return plural, description, base.show_in_lead_detail if show is None else show
