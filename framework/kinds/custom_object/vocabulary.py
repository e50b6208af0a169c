"""The words and limits of custom object types, apart from the model classes.

Rules and messages read these without building the pydantic models (`activities validate`, a
pre-commit hook, never builds them). Adobe's guide:
https://experienceleague.adobe.com/en/docs/marketo-developer/marketo/rest/lead-database/custom-objects
"""

from __future__ import annotations

from framework.definitions.vocabulary import TYPE_NAME_PATTERN

CUSTOM_OBJECTS_GUIDE = (
    "https://experienceleague.adobe.com/en/docs/marketo-developer/marketo/rest/lead-database/"
    "custom-objects"
)
# Adobe's guide: type and field API names are "alphanumeric and underscore" only. We also
# require a letter, as for activity types (a name of digits reads as an id everywhere).
OBJECT_NAME_PATTERN = r"^[A-Za-z0-9_]*[A-Za-z][A-Za-z0-9_]*$"
# Display names: the guide says alphanumeric and underscore, yet its own examples ("Lead ID",
# "Very Long Title") have spaces, so spaces are accepted too (the activity type rule).
DISPLAY_NAME_PATTERN = TYPE_NAME_PATTERN
# Adobe's guide: "The maximum number of custom objects types allowed is 10".
DEFAULT_MAX_OBJECT_TYPES = 10
# Adobe's guide: at most 50 fields per type (the three system fields not counted), of which
# at most 20 may be added after the type's first approval.
MAX_FIELDS = 50
MAX_FIELDS_ADDED_AFTER_APPROVAL = 20
# Adobe's guide: "At least 1 dedupe field is required, a maximum of 3".
MIN_DEDUPE_FIELDS = 1
MAX_DEDUPE_FIELDS = 3
# Every type has them; "you can't edit or delete them" (Adobe's custom object field pages).
SYSTEM_FIELDS = ("marketoGUID", "createdAt", "updatedAt")
SYSTEM_DISPLAY_NAMES = ("Marketo GUID", "Created At", "Updated At")
# The standard objects a link field may point at (Get Linkable Custom Objects lists them with
# every approved custom object); Marketo matches these names case-insensitively.
STANDARD_LINK_TARGETS = ("lead", "company")
# The fields of a lead and a company a link may point at: Adobe's UI offers Id and Email
# Address for a lead, Id for a company (custom lead fields, which this tool cannot know, are
# not offered). A custom object type offers marketoGUID and its dedupe fields (the guide's
# Get Linkable Custom Objects example).
STANDARD_LINK_FIELDS = {"lead": ("id", "email"), "company": ("id",)}
