"""The Marketo endpoints the client calls, one value each."""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import quote

# Marketo's documented timeouts are 30 s per call and 90 s for Add Custom Activities:
# that call gets three times the client's timeout.
ADD_ACTIVITIES_TIMEOUT_FACTOR = 3.0
MAX_RECORDS_PER_CALL = 300


@dataclass(frozen=True)
class Operation:
    """One endpoint: the client method's name, its HTTP method and its path template."""

    name: str
    method: str
    template: str
    # Mutating calls must not be retried blindly when their answer is lost.
    mutating: bool
    timeout_factor: float = 1.0
    # False: after a failure that may hide a success (502, 713) the call is not repeated.
    retry_uncertain: bool = True

    @property
    def endpoint(self) -> str:
        """`METHOD /path/{apiName}/...`: how errors and the emulator's stats name the endpoint."""
        return f"{self.method} {self.template}"

    def path(self, api_name: str | None = None, field: str | None = None) -> str:
        if "{apiName}" not in self.template:
            return self.template
        if api_name is None:
            raise ValueError(f"{self.endpoint} needs a type apiName")
        path = self.template.replace("{apiName}", quote(api_name, safe=""))
        if "{fieldApiName}" in path:
            if field is None:
                raise ValueError(f"{self.endpoint} needs a field name")
            path = path.replace("{fieldApiName}", quote(field, safe=""))
        return path


_TYPE = "/rest/v1/activities/external/type/{apiName}"

LIST_TYPES = Operation("list_types", "GET", "/rest/v1/activities/external/types.json", False)
DESCRIBE_TYPE = Operation("describe_type", "GET", f"{_TYPE}/describe.json", False)
CREATE_TYPE = Operation("create_type", "POST", "/rest/v1/activities/external/type.json", True)
UPDATE_TYPE = Operation("update_type", "POST", f"{_TYPE}.json", True)
APPROVE_TYPE = Operation("approve_type", "POST", f"{_TYPE}/approve.json", True)
DISCARD_DRAFT = Operation("discard_draft", "POST", f"{_TYPE}/discardDraft.json", True)
DELETE_TYPE = Operation("delete_type", "POST", f"{_TYPE}/delete.json", True)
CREATE_ATTRIBUTES = Operation("create_attributes", "POST", f"{_TYPE}/attributes/create.json", True)
UPDATE_ATTRIBUTES = Operation("update_attributes", "POST", f"{_TYPE}/attributes/update.json", True)
DELETE_ATTRIBUTES = Operation("delete_attributes", "POST", f"{_TYPE}/attributes/delete.json", True)
LIST_ACTIVITY_TYPES = Operation(
    "list_activity_types", "GET", "/rest/v1/activities/types.json", False
)
ADD_ACTIVITIES = Operation(
    "add_activities", "POST", "/rest/v1/activities/external.json", True,
    ADD_ACTIVITIES_TIMEOUT_FACTOR,
)
# One call of at most 300 records, never repeated after an answer that may hide a success:
# records are write-once, so `activities send` reads back instead (framework/records).
ADD_RECORD_BATCH = Operation(
    "add_record_batch", "POST", "/rest/v1/activities/external.json", True,
    ADD_ACTIVITIES_TIMEOUT_FACTOR, retry_uncertain=False,
)
# Adobe's Activities page lists "Get Paging Token: 300s": ten times the client's 30 s.
PAGING_TOKEN_TIMEOUT_FACTOR = 10.0
PAGING_TOKEN = Operation("paging_token", "GET", "/rest/v1/activities/pagingtoken.json", False,
                         PAGING_TOKEN_TIMEOUT_FACTOR)
LEAD_ACTIVITIES = Operation("lead_activities", "GET", "/rest/v1/activities.json", False)

# Custom object types (Adobe's Custom Objects guide, "Custom Object Types"): every change
# answers `result: []`, so the tool reads the type back afterwards.
_OBJECTS = "/rest/v1/customobjects/schema"
_OBJECT = f"{_OBJECTS}/{{apiName}}"
LIST_OBJECT_TYPES = Operation("list_object_types", "GET", f"{_OBJECTS}.json", False)
DESCRIBE_OBJECT_TYPE = Operation("describe_object_type", "GET", f"{_OBJECT}/describe.json", False)
SYNC_OBJECT_TYPE = Operation("sync_object_type", "POST", f"{_OBJECTS}.json", True)
APPROVE_OBJECT_TYPE = Operation("approve_object_type", "POST", f"{_OBJECT}/approve.json", True)
DISCARD_OBJECT_DRAFT = Operation(
    "discard_object_draft", "POST", f"{_OBJECT}/discardDraft.json", True
)
DELETE_OBJECT_TYPE = Operation("delete_object_type", "POST", f"{_OBJECT}/delete.json", True)
ADD_OBJECT_FIELDS = Operation("add_object_fields", "POST", f"{_OBJECT}/addField.json", True)
UPDATE_OBJECT_FIELD = Operation(
    "update_object_field", "POST", f"{_OBJECT}/{{fieldApiName}}/updateField.json", True
)
DELETE_OBJECT_FIELDS = Operation(
    "delete_object_fields", "POST", f"{_OBJECT}/deleteField.json", True
)
OBJECT_DEPENDENT_ASSETS = Operation(
    "object_dependent_assets", "GET", f"{_OBJECT}/dependentAssets.json", False
)

IDENTITY_PATH = "/identity/oauth/token"
