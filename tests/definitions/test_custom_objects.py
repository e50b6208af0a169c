"""Custom object definitions: `kind: customObject` files beside activity types, every rule
checked offline with a whole message, the one JSON Schema, and fmt."""

from __future__ import annotations

import json
from typing import Any

import pytest
from ruamel.yaml import YAML

from framework.definitions.document import read_document
from framework.definitions.formatting import canonical_text
from framework.definitions.loader import check_definitions, load_definitions
from framework.definitions.model import ActivityType, DefinitionFile
from framework.definitions.schema import SCHEMA_PATH
from framework.kinds.custom_object.model import CustomObject, ObjectField, RelatedTo
from framework.manual import MANUAL
from framework.settings import Settings
from tests.definitions.texts import Writer, definition

CAR = """\
kind: customObject
version: 1
apiName: car
displayName: Car
pluralName: Cars
description: A car a person owns
showInLeadDetail: true
fields:
  - {name: vin, displayName: VIN, dataType: string, isDedupeField: true}
  - {name: personId, displayName: Person, dataType: link, relatedTo: {name: lead, field: id}}
  - {name: model, displayName: Model, dataType: string}
"""


def custom_object(api_name: str = "car", fields: str = "", *, extra: str = "",
                  display: str = "") -> str:
    """A valid custom object text with one dedupe field, then `fields` and `extra`."""
    return (
        "kind: customObject\n"
        "version: 1\n"
        f"apiName: {api_name}\n"
        f"displayName: {display or api_name.capitalize()}\n"
        "fields:\n"
        "  - {name: code, displayName: Code, dataType: string, isDedupeField: true}\n"
        f"{fields}{extra}"
    )


# A link to a lead: a bridge (a type that links to a custom object) needs one too.
PERSON = ("  - {name: personId, displayName: Person, dataType: link, "
          "relatedTo: {name: lead, field: id}}\n")


def problems(write_files: Writer, files: dict[str, str | bytes], **settings: Any) -> str:
    """The problems of FILES, the same whether the models are built or not (validate)."""
    folder = write_files(files)
    result = check_definitions(folder, Settings(**settings))
    checked = check_definitions(folder, Settings(**settings), models=False)
    assert checked.problems == result.problems
    return "".join(f"{problem}\n" for problem in result.problems)


def test_a_custom_object_loads_beside_an_activity_type(write_files: Writer) -> None:
    folder = write_files({"car.yaml": CAR, "buyCar.yaml": definition()})

    files = load_definitions(folder, Settings())

    assert [type(f.definition) for f in files] == [ActivityType, CustomObject]
    assert files[1] == DefinitionFile(
        path="activities/car.yaml",
        definition=CustomObject(
            kind="customObject",
            version=1,
            apiName="car",
            displayName="Car",
            pluralName="Cars",
            description="A car a person owns",
            showInLeadDetail=True,
            fields=[
                ObjectField(name="vin", displayName="VIN", dataType="string",
                            isDedupeField=True),
                ObjectField(name="personId", displayName="Person", dataType="link",
                            relatedTo=RelatedTo(name="lead", field="id")),
                ObjectField(name="model", displayName="Model", dataType="string"),
            ],
        ),
    )


def test_a_file_may_say_it_is_an_activity_type(write_files: Writer) -> None:
    folder = write_files({"buyCar.yaml": "kind: activityType\n" + definition()})

    [loaded] = load_definitions(folder, Settings())

    assert isinstance(loaded.definition, ActivityType)
    # Left out of dumps: a plan records the definition the same either way.
    assert "kind" not in loaded.definition.model_dump()


def test_definition_files_round_trip_through_json_by_kind(write_files: Writer) -> None:
    folder = write_files({"car.yaml": CAR, "buyCar.yaml": definition()})
    files = load_definitions(folder, Settings())

    again = [DefinitionFile.model_validate_json(f.model_dump_json()) for f in files]

    assert again == files


def test_a_link_to_a_custom_object_of_the_folder(write_files: Writer) -> None:
    course = custom_object("course")
    enrollment = custom_object(
        "enrollment",
        "  - {name: courseId, displayName: Course, dataType: link,"
        " relatedTo: {name: course, field: code}}\n"
        "  - {name: personId, displayName: Person, dataType: link,"
        " relatedTo: {name: Lead, field: id}}\n",
    )

    assert problems(write_files, {"course.yaml": course, "enrollment.yaml": enrollment}) == ""


CASES = [
    pytest.param(
        {"car.yaml": custom_object(extra="colour: red\n")},
        "activities/car.yaml:7:1: colour: unknown key 'colour'\n"
        "  fix: remove it; the keys allowed here are: kind, version, apiName, displayName, "
        "pluralName, description, showInLeadDetail, fields, protect, ensure, acknowledge\n",
        id="unknown-key",
    ),
    pytest.param(
        {"car.yaml": custom_object(fields="  - {nam: x, displayName: X, dataType: string}\n")},
        "activities/car.yaml:7:6: fields[1].nam: unknown key 'nam'; did you mean 'name'?\n"
        "  fix: rename 'nam' to 'name'\n",
        id="misspelt-field-key",
    ),
    pytest.param(
        {"car.yaml": "kind: customObject\nversion: 1\napiName: car\nfields: []\n"},
        "activities/car.yaml:1:1: displayName: required key 'displayName' is missing\n"
        "  fix: add `displayName: Car`\n"
        "activities/car.yaml:4:1: fields: has no dedupe field; Marketo approves a custom object "
        "type only with 1 to 3 of them (the key its records are matched by)\n"
        "  fix: mark the field that identifies a record with `isDedupeField: true` (for example "
        "a VIN or an order number)\n",
        id="missing-display-name-and-no-dedupe",
    ),
    pytest.param(
        {"car.yaml": custom_object(display="Car (new)")},
        "activities/car.yaml:4:14: displayName: 'Car (new)' is not a valid display name for a "
        "custom object type or field: Marketo accepts letters, digits, spaces and underscores "
        "only, with at least one letter (https://experienceleague.adobe.com/en/docs/"
        "marketo-developer/marketo/rest/lead-database/custom-objects)\n"
        "  fix: write `displayName: Car new`\n",
        id="display-name-characters",
    ),
    pytest.param(
        {"car.yaml": custom_object("car").replace("apiName: car", "apiName: my-car")},
        "activities/car.yaml:3:10: apiName: 'my-car' is not a valid API name: use letters, "
        "digits and underscores only, with at least one letter\n"
        "  fix: write `apiName: myCar`\n",
        id="api-name-characters",
    ),
    pytest.param(
        {"truck.yaml": custom_object("my_car")},
        "activities/truck.yaml:3:10: apiName: 'my_car' does not match the file name "
        "'truck.yaml'\n"
        "  fix: rename the file to my_car.yaml, or set `apiName: truck` if that is the type's "
        "API name\n",
        id="file-name",
    ),
    pytest.param(
        {"car.yaml": custom_object(fields="  - {name: Code, displayName: CODE, dataType: "
                                          "integer}\n")},
        "activities/car.yaml:7:12: fields[1].name: 'Code' is already the name of fields[0] "
        "(line 6)\n"
        "  fix: give every field of a type its own name; Marketo requires it to be unique "
        "within the type\n"
        "activities/car.yaml:7:31: fields[1].displayName: 'CODE' is already the display name "
        "of fields[0] (line 6)\n"
        "  fix: give every field of a type its own display name; Marketo requires it to be "
        "unique within the type\n",
        id="duplicate-field",
    ),
    pytest.param(
        {"car.yaml": custom_object(fields="  - {name: marketoGUID, displayName: Guid, "
                                          "dataType: string}\n")},
        "activities/car.yaml:7:12: fields[1].name: 'marketoGUID' is a system field every "
        "custom object type has (marketoGUID, createdAt, updatedAt); it cannot be defined, "
        "edited or deleted\n"
        "  fix: leave it out of `fields` (Marketo adds it), or give your field another name\n",
        id="system-field",
    ),
    pytest.param(
        {"car.yaml": custom_object(fields="  - {name: made, displayName: created at, "
                                          "dataType: datetime}\n")},
        "activities/car.yaml:7:31: fields[1].displayName: 'created at' is the display name of "
        "a system field (Marketo GUID, Created At, Updated At); display names are unique "
        "within a type\n"
        "  fix: give the field another display name\n",
        id="system-display-name",
    ),
    pytest.param(
        {"car.yaml": custom_object(fields="  - {name: owner, displayName: Owner, "
                                          "dataType: link}\n")},
        "activities/car.yaml:7:49: fields[1].dataType: a link field needs `relatedTo`: the "
        "object it links to and that object's field\n"
        "  fix: add `relatedTo: {name: lead, field: id}` (or the custom object and field it "
        "links to), or use another data type\n",
        id="link-without-related-to",
    ),
    pytest.param(
        {"car.yaml": custom_object(fields="  - {name: owner, displayName: Owner, dataType: "
                                          "integer, relatedTo: {name: lead, field: id}}\n")},
        "activities/car.yaml:7:58: fields[1].relatedTo: only a link field has `relatedTo`, "
        "and this one's dataType is integer\n"
        "  fix: set `dataType: link`, or remove relatedTo\n",
        id="related-to-without-link",
    ),
    pytest.param(
        {"car.yaml": custom_object(fields="  - {name: other, displayName: Other, dataType: "
                                          "link, relatedTo: {name: car, field: code}}\n"
                                          + PERSON)},
        "activities/car.yaml:7:73: fields[1].relatedTo.name: 'car' is this type itself; a "
        "custom object type cannot link to itself\n"
        "  fix: link to lead, company, or another custom object type\n",
        id="link-to-itself",
    ),
    pytest.param(
        {
            "car.yaml": custom_object(fields="  - {name: personId, displayName: Person, dataType: "
                                             "link, relatedTo: {name: lead, field: id}}\n"),
            "wheel.yaml": custom_object("wheel", fields="  - {name: carId, displayName: Car, "
                                        "dataType: link, relatedTo: {name: car, field: code}}\n"
                                        + PERSON),
        },
        "activities/wheel.yaml:7:71: fields[1].relatedTo.name: links to car, which has a link "
        "field itself (personId); Marketo does not let a custom object type link to one that "
        "links\n"
        "  fix: link to lead or company, or to a type without link fields (the edge of a "
        "many-to-many relationship)\n",
        id="link-to-a-linking-type",
    ),
    pytest.param(
        {
            "course.yaml": custom_object("course"),
            "seat.yaml": custom_object("seat", "  - {name: courseId, displayName: Course, "
                                               "dataType: link, relatedTo: {name: course, "
                                               "field: title}}\n" + PERSON),
        },
        "activities/seat.yaml:7:77: fields[1].relatedTo.field: course offers the link fields "
        "marketoGUID and its dedupe fields (code), not 'title'\n"
        "  fix: link to course's dedupe field or to marketoGUID\n",
        id="link-to-a-missing-field",
    ),
    pytest.param(
        {
            "course.yaml": custom_object("course", extra="ensure: absent\n"),
            "seat.yaml": custom_object("seat", "  - {name: courseId, displayName: Course, "
                                               "dataType: link, relatedTo: {name: course, "
                                               "field: code}}\n" + PERSON),
        },
        "activities/seat.yaml:7:77: fields[1].relatedTo.name: links to course, which "
        "activities/course.yaml deletes (ensure: absent)\n"
        "  fix: remove the link field, or keep the linked type\n",
        id="link-to-a-tombstone",
    ),
    pytest.param(
        {
            "course.yaml": custom_object("course"),
            "seat.yaml": custom_object("seat", "  - {name: courseId, displayName: Course, "
                                               "dataType: link, relatedTo: {name: course, "
                                               "field: code}}\n"),
        },
        "activities/seat.yaml:7:59: fields[1].relatedTo: links to a custom object type, which "
        "makes this type a bridge; Marketo approves a bridge only with a second link field, to "
        "a lead or a company\n"
        "  fix: add a link field such as `{name: personId, displayName: Person, dataType: link, "
        "relatedTo: {name: lead, field: id}}`\n",
        id="bridge-without-a-lead-link",
    ),
    pytest.param(
        {"car.yaml": custom_object(fields="  - {name: owner, displayName: Owner, dataType: "
                                          "link, relatedTo: {name: Lead, field: firstName}}\n")},
        "activities/car.yaml:7:86: fields[1].relatedTo.field: a Lead offers the link fields "
        "id, email, not 'firstName'\n"
        "  fix: link to one of: id, email\n",
        id="lead-field-not-offered",
    ),
    pytest.param(
        {"car.yaml": custom_object(fields="".join(
            f"  - {{name: key{i}, displayName: Key {i}, dataType: string, isDedupeField: true}}\n"
            for i in range(3)))},
        "activities/car.yaml:9:71: fields[3].isDedupeField: 4 fields are dedupe fields; "
        "Marketo allows at most 3 (a compound key)\n"
        "  fix: keep at most 3 fields with `isDedupeField: true`\n",
        id="four-dedupe-fields",
    ),
    pytest.param(
        {"car.yaml": custom_object(fields="".join(
            f"  - {{name: f{i}, displayName: F {i}, dataType: integer}}\n" for i in range(50)))},
        "activities/car.yaml:5:1: fields: has 51 fields; Marketo allows at most 50 per custom "
        "object type (its three system fields not counted)\n"
        "  fix: remove 1, or split the object into two types\n",
        id="fifty-one-fields",
    ),
    pytest.param(
        {"car.yaml": custom_object(display="Car"), "truck.yaml": custom_object("truck",
                                                                               display="car")},
        "activities/truck.yaml:4:14: displayName: 'car' is already the displayName of "
        "activities/car.yaml (line 4)\n"
        "  fix: give every custom object type its own displayName; Marketo requires it to be "
        "unique\n",
        id="display-name-taken",
    ),
    pytest.param(
        {"buyCar.yaml": definition("buyCar"), "buyCar.yml": custom_object("buyCar")},
        "activities/buyCar.yml:3:10: apiName: 'buyCar' is already the apiName of "
        "activities/buyCar.yaml (line 2)\n"
        "  fix: give every type its own apiName\n",
        id="api-name-across-kinds",
    ),
    pytest.param(
        {"car.yaml": custom_object(fields="  - {name: model, displayName: Model, dataType: "
                                          "string, renamedFrom: code}\n")},
        "activities/car.yaml:7:70: fields[1].renamedFrom: 'code' is still the name of "
        "fields[0]\n"
        "  fix: renamedFrom names a field that no longer exists: remove renamedFrom, or remove "
        "the old field\n",
        id="renamed-from-a-present-field",
    ),
    pytest.param(
        {"car.yaml": custom_object(extra="acknowledge:\n  - {rule: trigger-name-changed, "
                                         "version: 1, reason: fine}\n")},
        "activities/car.yaml:8:12: acknowledge[0].rule: the text 'trigger-name-changed' is not "
        "a rule an acknowledgement can name\n"
        "  fix: write one of: field-removed, field-renamed, likely-rename, data-type-changed, "
        f"type-deleted, type-replaced or protect-removed ({MANUAL}/commands/lint.md)\n",
        id="acknowledgement-of-an-activity-rule",
    ),
    pytest.param(
        {"car.yaml": "kind: customObjects\nversion: 1\n"},
        "activities/car.yaml:1:7: kind: the text 'customObjects' is not a kind of definition; "
        "did you mean customObject?\n"
        "  fix: write `kind: customObject` for a custom object type, or leave kind out for a "
        "custom activity type\n",
        id="unknown-kind",
    ),
]


@pytest.mark.parametrize(("files", "expected"), CASES)
def test_invalid_custom_object_reports_whole_message(
    write_files: Writer, files: dict[str, str | bytes], expected: str
) -> None:
    assert problems(write_files, files) == expected


def test_custom_object_limit_is_its_own(write_files: Writer) -> None:
    files: dict[str, str | bytes] = {
        f"t{i}.yaml": custom_object(f"t{i}", display=f"T {i}") for i in range(3)
    }
    files["buyCar.yaml"] = definition()

    assert problems(write_files, files, max_types=1, max_custom_objects=2) == (
        "activities/t2.yaml:1:1: kind: 3 custom object types have `ensure: present`, more than "
        "max_custom_objects = 2 (the limit is first exceeded by this file)\n"
        "  fix: remove a definition or mark it `ensure: absent`; if your subscription allows "
        "more custom object types, raise max_custom_objects under [tool.activities] in "
        "pyproject.toml\n"
    )


def _validator() -> Any:
    import jsonschema

    return jsonschema.Draft202012Validator(json.loads(SCHEMA_PATH.read_text(encoding="utf-8")))


def test_one_schema_accepts_both_kinds() -> None:
    yaml = YAML(typ="safe")

    assert list(_validator().iter_errors(yaml.load(CAR))) == []
    assert list(_validator().iter_errors(yaml.load(definition()))) == []
    assert list(_validator().iter_errors(yaml.load("kind: activityType\n" + definition()))) == []


def test_the_schema_discriminates_on_kind() -> None:
    document = YAML(typ="safe").load(CAR)
    document["fields"][0]["dataType"] = "url"
    document["triggerName"] = "Owns Car"

    messages = sorted(error.message for error in _validator().iter_errors(document))

    assert messages == [
        "'url' is not one of ['string', 'boolean', 'integer', 'float', 'link', 'email', "
        "'currency', 'date', 'datetime', 'phone', 'text']",
        "Additional properties are not allowed ('triggerName' was unexpected)",
    ]


MESSY = """\
fields:
- dataType: string
  isDedupeField: true
  displayName: VIN   # the key
  name: vin
- relatedTo:
    field: id
    name: lead
  name: personId
  dataType: link
  displayName: Person
displayName: Car
apiName: car
kind: customObject
# bump on every change
version: 2
"""
TIDY = """\
kind: customObject
# bump on every change
version: 2
apiName: car
displayName: Car
fields:
  - name: vin
    displayName: VIN # the key
    dataType: string
    isDedupeField: true
  - name: personId
    displayName: Person
    dataType: link
    relatedTo:
      name: lead
      field: id
"""


def test_fmt_orders_a_custom_object_as_adobe_s_request(write_files: Writer) -> None:
    folder = write_files({"car.yaml": MESSY})
    document = read_document(folder / "car.yaml", "car.yaml")

    assert canonical_text(document) == TIDY
    document = read_document(folder / "car.yaml", "car.yaml")
    (folder / "car.yaml").write_text(TIDY)
    assert canonical_text(read_document(folder / "car.yaml", "car.yaml")) == TIDY
