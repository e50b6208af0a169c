"""Raw calls to the custom-object-type endpoints of a running emulator, through an `Api` (so the
contract test's recorder sees them), and the bodies of Adobe's examples."""

from __future__ import annotations

from typing import Any

import httpx

from tests.emulator.rest import Api

SCHEMA = "/rest/v1/customobjects/schema"


class ObjectApi:
    """The twelve schema endpoints, by name; every answer is the parsed envelope."""

    def __init__(self, api: Api) -> None:
        self.api = api

    def list(self, **params: str) -> dict[str, Any]:
        return self.api.get(f"{SCHEMA}.json", **params)

    def describe(self, api_name: str, state: str | None = None) -> dict[str, Any]:
        if state is None:
            return self.api.get(f"{SCHEMA}/{api_name}/describe.json")
        return self.api.get(f"{SCHEMA}/{api_name}/describe.json", state=state)

    def sync(self, body: dict[str, Any]) -> dict[str, Any]:
        return self.api.post(f"{SCHEMA}.json", body)

    def approve(self, api_name: str) -> dict[str, Any]:
        return self.api.post(f"{SCHEMA}/{api_name}/approve.json")

    def discard(self, api_name: str) -> dict[str, Any]:
        return self.api.post(f"{SCHEMA}/{api_name}/discardDraft.json")

    def delete(self, api_name: str) -> dict[str, Any]:
        return self.api.post(f"{SCHEMA}/{api_name}/delete.json")

    def add_fields(self, api_name: str, fields: list[dict[str, Any]]) -> dict[str, Any]:
        return self.api.post(f"{SCHEMA}/{api_name}/addField.json", {"input": fields})

    def update_field(self, api_name: str, field: str, body: dict[str, Any]) -> dict[str, Any]:
        return self.api.post(f"{SCHEMA}/{api_name}/{field}/updateField.json", body)

    def delete_fields(self, api_name: str, names: list[str]) -> dict[str, Any]:
        return self.api.post(f"{SCHEMA}/{api_name}/deleteField.json",
                             {"input": [{"name": name} for name in names]})

    def data_types(self) -> dict[str, Any]:
        return self.api.get(f"{SCHEMA}/fieldDataTypes.json")

    def linkable(self) -> dict[str, Any]:
        return self.api.get(f"{SCHEMA}/linkableObjects.json")

    def dependents(self, api_name: str) -> dict[str, Any]:
        return self.api.get(f"{SCHEMA}/{api_name}/dependentAssets.json")

    def declare_asset(self, api_name: str, asset: Any) -> httpx.Response:
        """Introspection: a smart campaign or list uses the type (a dict, or a list of them)."""
        return httpx.post(f"{self.api.running.url}/_emulator/customobjects/{api_name}/"
                          "dependentAssets", json=asset)


# Adobe's one-to-many example (the developer guide's "Car"), as sent.
CAR = {"action": "createOnly", "displayName": "Car", "pluralName": "Cars", "apiName": "car",
       "description": "Automobile owned", "showInLeadDetail": True}
CAR_FIELDS: list[dict[str, Any]] = [
    {"displayName": "Lead ID", "description": "Link field to Lead object", "name": "leadID",
     "dataType": "link", "relatedTo": {"field": "id", "name": "lead"}},
    {"displayName": "VIN", "description": "Vehicle ID number", "name": "vin",
     "dataType": "string", "isDedupeField": True},
    {"displayName": "Make", "description": "Vehicle make", "name": "make", "dataType": "string"},
    {"displayName": "Model", "description": "Vehicle model", "name": "model",
     "dataType": "string"},
    {"displayName": "Year", "description": "Vehicle year", "name": "year",
     "dataType": "integer"},
]
# Adobe's many-to-many example: the "Course" edge and the "Enrollment" bridge.
COURSE = {"action": "createOnly", "displayName": "Course", "pluralName": "Courses",
          "apiName": "course", "description": "Modeling a college course, an edge object",
          "showInLeadDetail": True}
COURSE_FIELDS: list[dict[str, Any]] = [
    {"displayName": "Course ID", "name": "courseID", "dataType": "string",
     "isDedupeField": True},
    {"displayName": "Course Name", "name": "courseName", "dataType": "string"},
]
ENROLLMENT = {"action": "createOnly", "displayName": "Enrollment", "pluralName": "Enrollments",
              "apiName": "enrollment", "description": "Bridge object for Course custom object"}
ENROLLMENT_FIELDS: list[dict[str, Any]] = [
    {"displayName": "Lead ID", "name": "leadID", "dataType": "link",
     "relatedTo": {"field": "id", "name": "lead"}},
    {"displayName": "Course ID", "name": "courseID", "dataType": "link",
     "relatedTo": {"field": "courseID", "name": "course"}},
    {"displayName": "Enrollment ID", "name": "enrollmentID", "dataType": "string",
     "isDedupeField": True},
    {"displayName": "Grade", "name": "grade", "dataType": "string"},
]
