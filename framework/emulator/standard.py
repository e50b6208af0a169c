"""Endpoint 11: Marketo's standard activity types beside the approved custom ones."""

from __future__ import annotations

from typing import Any

from framework.emulator.catalog import Catalog

# A few of Marketo's built-in types with their real ids (ACT examples); enough to show that the
# endpoint mixes standard and custom types, as the real one does.
STANDARD_TYPES: tuple[dict[str, Any], ...] = (
    {"id": 1, "name": "Visit Webpage", "description": "User visits a web page",
     "primaryAttribute": {"name": "Webpage ID", "dataType": "integer"},
     "attributes": [{"name": "Client IP Address", "dataType": "string"},
                    {"name": "Query Parameters", "dataType": "string"},
                    {"name": "Referrer URL", "dataType": "string"},
                    {"name": "User Agent", "dataType": "string"},
                    {"name": "Webpage URL", "dataType": "string"}]},
    {"id": 2, "name": "Fill Out Form", "description": "User fills out and submits form on web page",
     "primaryAttribute": {"name": "Webform ID", "dataType": "integer"},
     "attributes": [{"name": "Client IP Address", "dataType": "string"},
                    {"name": "Form Fields", "dataType": "text"},
                    {"name": "Query Parameters", "dataType": "string"},
                    {"name": "Referrer URL", "dataType": "string"},
                    {"name": "User Agent", "dataType": "string"},
                    {"name": "Webpage ID", "dataType": "integer"}]},
    {"id": 3, "name": "Click Link", "description": "User clicks link on a page",
     "primaryAttribute": {"name": "Link ID", "dataType": "integer"},
     "attributes": [{"name": "Client IP Address", "dataType": "string"},
                    {"name": "Query Parameters", "dataType": "string"},
                    {"name": "Referrer URL", "dataType": "string"},
                    {"name": "User Agent", "dataType": "string"},
                    {"name": "Webpage ID", "dataType": "integer"}]},
    {"id": 6, "name": "Send Email", "description": "Send Marketo Email to a person",
     "primaryAttribute": {"name": "Mailing ID", "dataType": "integer"},
     "attributes": [{"name": "Campaign Run ID", "dataType": "integer"},
                    {"name": "Step ID", "dataType": "integer"}]},
    {"id": 12, "name": "New Lead", "description": "New person",
     "primaryAttribute": {"name": "Lead ID", "dataType": "integer"},
     "attributes": [{"name": "Source Type", "dataType": "string"}]},
)


def all_activity_types(catalog: Catalog) -> list[dict[str, Any]]:
    """Standard types, then every approved custom type as its live (approved) version."""
    custom = []
    for found in catalog.approved_types():
        version = found.approved
        assert version is not None and version.primary is not None
        body: dict[str, Any] = {"id": found.id, "apiName": found.api_name, "name": version.name}
        if version.description is not None:
            body["description"] = version.description
        body["primaryAttribute"] = _attribute(version.primary.api_name, version.primary.name,
                                              version.primary.data_type)
        body["attributes"] = [_attribute(a.api_name, a.name, a.data_type)
                              for a in version.secondaries]
        custom.append(body)
    return [*STANDARD_TYPES, *custom]


def _attribute(api_name: str, name: str, data_type: str) -> dict[str, str]:
    return {"apiName": api_name, "name": name, "dataType": data_type}
