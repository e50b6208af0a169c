"""The twelve custom-object-type endpoints under /rest/v1/customobjects/schema (SPEC's paths).

Each is `(method, path template, action, mutating, json body)`, the fields of the emulator's
`Route`, so that `framework.emulator.routes` serves them beside the activity-type endpoints.
Mutations answer `result: []`, as Adobe's examples and SPEC's `Empty` items do.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from framework.emulator.custom_objects import fields, rules
from framework.emulator.custom_objects.model import FIELD_DATA_TYPES
from framework.emulator.custom_objects.schema import ObjectCatalog
from framework.emulator.wire import every

if TYPE_CHECKING:
    from framework.emulator.routes import Context

SCHEMA = "/rest/v1/customobjects/schema"
TYPE = SCHEMA + "/{apiName}"

Action = Callable[["Context", str, dict[str, str], Any], list[Any]]


def _catalog(context: Context) -> ObjectCatalog:
    catalog = context.instance.objects
    catalog.require_enabled()
    return catalog


def _list(c: Context, n: str, q: dict[str, str], b: Any) -> list[Any]:
    return _catalog(c).list_types(rules.state(q), rules.names_filter(every(q, "names")))


def _data_types(c: Context, n: str, q: dict[str, str], b: Any) -> list[Any]:
    _catalog(c)
    return list(FIELD_DATA_TYPES)


ENDPOINTS: tuple[tuple[str, str, Action, bool, bool], ...] = (
    ("GET", SCHEMA + ".json", _list, False, False),
    ("POST", SCHEMA + ".json", lambda c, n, q, b: _catalog(c).sync(b), True, True),
    ("GET", TYPE + "/describe.json",
     lambda c, n, q, b: _catalog(c).describe(n, rules.state(q)), False, False),
    ("POST", TYPE + "/approve.json", lambda c, n, q, b: _catalog(c).approve(n), True, False),
    ("POST", TYPE + "/discardDraft.json",
     lambda c, n, q, b: _catalog(c).discard_draft(n), True, False),
    ("POST", TYPE + "/delete.json", lambda c, n, q, b: _catalog(c).delete(n), True, False),
    ("POST", TYPE + "/addField.json",
     lambda c, n, q, b: fields.add_fields(_catalog(c), n, b), True, True),
    ("POST", TYPE + "/{fieldApiName}/updateField.json",
     lambda c, n, q, b: fields.update_field(_catalog(c), n, b), True, True),
    ("POST", TYPE + "/deleteField.json",
     lambda c, n, q, b: fields.delete_fields(_catalog(c), n, b), True, True),
    ("GET", SCHEMA + "/fieldDataTypes.json", _data_types, False, False),
    ("GET", SCHEMA + "/linkableObjects.json",
     lambda c, n, q, b: _catalog(c).linkable_objects(), False, False),
    ("GET", TYPE + "/dependentAssets.json",
     lambda c, n, q, b: _catalog(c).dependent_assets(n), False, False),
)
