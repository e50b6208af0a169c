"""The words both kinds of definition share: Marketo's data types and its limits on names.

Adobe documents the 11 data types for custom activity types and custom object types alike.
"""

from __future__ import annotations

from enum import StrEnum

# Marketo: apiName is alphanumeric with at least one letter, at most 255 characters
# (Adobe's Activities guide and its Swagger spec):
# https://experienceleague.adobe.com/en/docs/marketo-developer/marketo/rest/lead-database/activities
API_NAME_PATTERN = r"^[A-Za-z0-9]*[A-Za-z][A-Za-z0-9]*$"
MAX_API_NAME_LENGTH = 255
# Marketo: 0 to 20 secondary attributes, the primary not counted (error 1028).
MAX_ATTRIBUTES = 20
# Marketo: 10 custom activity types per subscription by default (error 1027).
DEFAULT_MAX_TYPES = 10
# Display names need one visible character: a blank name shows as nothing in Smart Lists.
NOT_BLANK_PATTERN = r"\S"
# Adobe's Activities guide ("Create type", Display Name): a type's display name accepts
# alphanumeric characters, spaces and underscores, and must contain at least one letter.
# https://experienceleague.adobe.com/en/docs/marketo-developer/marketo/rest/lead-database/activities
# The guide states it for the type's display name only; attribute, trigger and filter names
# are free text (its own trigger example has an en dash).
TYPE_NAME_PATTERN = r"^[A-Za-z0-9 _]*[A-Za-z][A-Za-z0-9 _]*$"
# Lengths Marketo does not document for names and descriptions: the emulator (our reference
# instance) refuses longer ones with 1003, so validate refuses them first.
MAX_NAME_LENGTH = 255
MAX_DESCRIPTION_LENGTH = 2000


class DataType(StrEnum):
    """The 11 attribute data types Marketo accepts (its Activities guide and Swagger enum)."""

    string = "string"
    boolean = "boolean"
    integer = "integer"
    float = "float"
    link = "link"
    email = "email"
    currency = "currency"
    date = "date"
    datetime = "datetime"
    phone = "phone"
    text = "text"
