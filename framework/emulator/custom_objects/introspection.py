"""Test hooks under /_emulator/customobjects/: declare which assets use a custom object type.

    POST /_emulator/customobjects/{apiName}/dependentAssets
         {"assetType": "Smart Campaign", "assetId": 3773, "assetName": "CarTest.HasCar",
          "usedFields": ["vin"]}                         (or an array of such objects)
    GET  /_emulator/customobjects/{apiName}/dependentAssets

A declared asset shows in dependentAssets.json, makes delete of the type 1022, and makes
deleteField of a field in its `usedFields` 1022. Declaring an asset again (same assetType and
assetId) replaces it; POST with `[]` forgets every asset of the type.
"""

from __future__ import annotations

import json
from typing import Any

from framework.emulator.custom_objects.model import DependentAsset
from framework.emulator.custom_objects.schema import ObjectCatalog
from framework.emulator.wire import Request

OBJECTS_PATH = "/_emulator/customobjects/"


class BadDeclaration(Exception):
    """A declaration a test got wrong: HTTP 400 saying why."""


def introspect_objects(catalog: ObjectCatalog, request: Request) -> tuple[int, dict[str, Any]]:
    """(HTTP status, JSON body) for one introspection request about custom object types."""
    api_name, _, rest = request.path[len(OBJECTS_PATH):].partition("/")
    if rest != "dependentAssets" or request.method not in ("GET", "POST"):
        return 404, {"error": f"no introspection endpoint {request.method} {request.path}"}
    found = catalog.types.get(api_name)
    if found is None:
        return 404, {"error": f"no custom object type {api_name!r}"}
    if request.method == "POST":
        if found.approved is None:
            return 409, {"error": f"custom object type {api_name!r} was never approved: no "
                                  "smart campaign or list can use it yet"}
        try:
            assets = _assets(request.body, {f.name for f in found.approved.fields})
        except BadDeclaration as exc:
            return 400, {"error": str(exc)}
        if not assets:
            found.assets = []
        for asset in assets:
            catalog.declare_asset(api_name, asset)
    return 200, {"apiName": api_name, "dependentAssets": [a.to_json() for a in found.assets]}


def _assets(body: bytes, field_names: set[str]) -> list[DependentAsset]:
    try:
        data = json.loads(body or b"null")
    except ValueError as exc:
        raise BadDeclaration(f"the body is not JSON: {exc}") from exc
    items = data if isinstance(data, list) else [data]
    return [_asset(item, field_names) for item in items]


def _asset(item: Any, field_names: set[str]) -> DependentAsset:
    if not isinstance(item, dict):
        raise BadDeclaration("an asset is a JSON object with assetType, assetId and assetName")
    kind, number, name = item.get("assetType"), item.get("assetId"), item.get("assetName")
    if not isinstance(kind, str) or not kind.strip():
        raise BadDeclaration("assetType must be a non-empty string, e.g. 'Smart Campaign'")
    if not isinstance(number, int) or isinstance(number, bool) or number < 1:
        raise BadDeclaration("assetId must be a positive integer")
    if not isinstance(name, str) or not name.strip():
        raise BadDeclaration("assetName must be a non-empty string")
    used = item.get("usedFields", [])
    if not isinstance(used, list) or not all(isinstance(f, str) for f in used):
        raise BadDeclaration("usedFields must be an array of field names")
    unknown = sorted(set(used) - field_names)
    if unknown:
        raise BadDeclaration(f"usedFields names no custom field of the approved version: "
                             f"{', '.join(unknown)}")
    return DependentAsset(kind, number, name, tuple(used))
