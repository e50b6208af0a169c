"""Valid definitions, including the edge cases right at Marketo's limits."""

from __future__ import annotations

from pathlib import Path

from framework.definitions.loader import check_definitions, load_definitions
from framework.definitions.model import (
    ActivityType,
    Attribute,
    DefinitionFile,
    PrimaryAttribute,
)
from framework.settings import Settings
from tests.definitions.texts import MODELINE, Writer, definition

REPOSITORY = Path(__file__).resolve().parents[2]

MINIMAL = """\
version: 1
apiName: visitStore
name: Visit Store
triggerName: Visits Store
filterName: Visited Store
primaryAttribute:
  apiName: storeName
  name: Store Name
"""


def attributes(count: int) -> str:
    return "".join(
        f"  - apiName: extra{i}\n    name: Extra {i}\n    dataType: integer\n" for i in range(count)
    )


def test_minimal_file_gets_the_defaults(write_files: Writer) -> None:
    folder = write_files({"visitStore.yaml": MINIMAL})

    assert load_definitions(folder, Settings()) == [
        DefinitionFile(
            path="activities/visitStore.yaml",
            definition=ActivityType(
                version=1,
                apiName="visitStore",
                name="Visit Store",
                triggerName="Visits Store",
                filterName="Visited Store",
                primaryAttribute=PrimaryAttribute(
                    apiName="storeName", name="Store Name", dataType="string"
                ),
                attributes=[],
                protect=False,
                ensure="present",
            ),
        )
    ]


def test_exactly_twenty_attributes_besides_the_primary(write_files: Writer) -> None:
    folder = write_files({"buyCar.yaml": definition() + attributes(19)})

    [loaded] = load_definitions(folder, Settings())

    assert len(loaded.definition.attributes) == 20


def test_exactly_the_type_limit(write_files: Writer) -> None:
    folder = write_files({f"type{i}.yaml": definition(f"type{i}") for i in range(10)})

    assert len(load_definitions(folder, Settings(max_types=10))) == 10


def test_a_tombstone_does_not_count_against_the_type_limit(write_files: Writer) -> None:
    files: dict[str, str | bytes] = {f"type{i}.yaml": definition(f"type{i}") for i in range(10)}
    files["oldType.yaml"] = definition("oldType", extra="ensure: absent\n")
    folder = write_files(files)

    loaded = load_definitions(folder, Settings(max_types=10))

    assert [f.definition.ensure for f in loaded].count("absent") == 1
    assert len(loaded) == 11


def test_a_raised_type_limit_from_settings(write_files: Writer) -> None:
    folder = write_files({f"type{i}.yaml": definition(f"type{i}") for i in range(12)})

    assert len(load_definitions(folder, Settings(max_types=12))) == 12


def test_yml_extension(write_files: Writer) -> None:
    folder = write_files({"buyCar.yml": definition()})

    [loaded] = load_definitions(folder, Settings())

    assert (loaded.path, loaded.definition.apiName) == ("activities/buyCar.yml", "buyCar")


def test_punctuation_and_quotes_in_descriptions(write_files: Writer) -> None:
    text = definition(
        extra=("description: 'It''s \"quoted\": colons, #hashes, commas, & ampersands — dashes'\n")
    ).replace(
        "    name: Price\n",
        '    name: Price\n    description: "Net price in USD; excludes tax (\\"MSRP\\")."\n',
    )
    folder = write_files({"buyCar.yaml": text})

    [loaded] = load_definitions(folder, Settings())

    assert loaded.definition.description == (
        'It\'s "quoted": colons, #hashes, commas, & ampersands — dashes'
    )
    assert loaded.definition.attributes == [
        Attribute(
            apiName="price",
            name="Price",
            description='Net price in USD; excludes tax ("MSRP").',
            dataType="currency",
        )
    ]


def test_long_api_name_and_a_modeline(write_files: Writer) -> None:
    # 250 characters: the longest file name most file systems allow, with ".yaml".
    text = definition("a" * 250, trigger="Does A", filter_="Did A")
    folder = write_files({"a" * 250 + ".yaml": MODELINE + text})

    [loaded] = load_definitions(folder, Settings())

    assert loaded.definition.apiName == "a" * 250


def test_api_names_of_255_characters_are_valid() -> None:
    name = "b" * 255
    data = {
        "version": 1,
        "apiName": name,
        "name": "B",
        "triggerName": "Bs",
        "filterName": "Bed",
        "primaryAttribute": {"apiName": name, "name": "B"},
        "attributes": [{"apiName": "c" * 255, "name": "C", "dataType": "text"}],
    }

    assert ActivityType.model_validate(data).apiName == name


def test_files_that_are_not_definitions_are_ignored(write_files: Writer) -> None:
    folder = write_files(
        {
            "buyCar.yaml": definition(),
            "README.md": "# not a definition\n",
            "notes.txt": "- not yaml at all: [\n",
            ".draft.yaml": "- hidden files are ignored\n",
            "buyCar.yaml.bak": "backup\n",
        }
    )
    (folder / "archive").mkdir()
    (folder / "archive" / "oldType.yaml").write_text("- nested folders are ignored\n")
    (folder / "folder.yaml").mkdir()

    assert [f.path for f in load_definitions(folder, Settings())] == ["activities/buyCar.yaml"]


def test_empty_folder_holds_no_definitions(write_files: Writer) -> None:
    folder = write_files({})

    result = check_definitions(folder, Settings())

    assert (result.files, result.problems, result.checked) == ([], [], 0)


def test_the_four_examples_are_valid_and_realistic() -> None:
    files = load_definitions(REPOSITORY / "activities", Settings())

    assert sorted(f.definition.apiName for f in files) == [
        "attendWebinar",
        "buyCar",
        "depositCheck",
        "visitStore",
    ]
    for loaded in files:
        types = {a.dataType for a in loaded.definition.attributes}
        assert len(loaded.definition.attributes) >= 3
        assert len(types) >= 3, loaded.path
        text = (REPOSITORY / "activities" / Path(loaded.path).name).read_text()
        assert text.startswith(MODELINE)
        assert "\nversion: " in text
    assert len({f.definition.triggerName for f in files}) == 4
    assert len({f.definition.filterName for f in files}) == 4


def test_a_new_type_may_take_the_names_of_a_tombstone(write_files: Writer) -> None:
    # Repro 6 of issue 9: replacing a type by a tombstone plus a new file (README) validates.
    folder = write_files({
        "oldCar.yaml": definition("oldCar", trigger="Buys Car", filter_="Bought Car",
                                  extra="ensure: absent\n"),
        "newCar.yaml": definition("newCar", trigger="Buys Car", filter_="Bought Car"),
    })

    loaded = load_definitions(folder, Settings())

    assert [(f.definition.apiName, f.definition.ensure) for f in loaded] == [
        ("newCar", "present"), ("oldCar", "absent")]


def test_a_types_own_trigger_and_filter_names_may_be_equal(write_files: Writer) -> None:
    folder = write_files({"buyCar.yaml": definition(trigger="Car Sale", filter_="Car Sale")})

    [loaded] = load_definitions(folder, Settings())

    assert loaded.definition.triggerName == loaded.definition.filterName == "Car Sale"


def test_names_right_at_marketos_lengths(write_files: Writer) -> None:
    text = definition(trigger="T" * 255, filter_="F" * 255, extra=f"description: {'d' * 2000}\n")
    text = text.replace("name: Buy Car", "name: " + "B" * 255)
    text = text.replace("    name: Price", "    name: " + "P" * 255)
    folder = write_files({"buyCar.yaml": text})

    [loaded] = load_definitions(folder, Settings())

    assert (len(loaded.definition.name), len(loaded.definition.description or "")) == (255, 2000)


def test_attribute_trigger_and_filter_names_may_hold_punctuation(write_files: Writer) -> None:
    # Adobe's guide restricts the characters of a type's display name only: its own trigger
    # name example holds an en dash ("Attends Webinar – Acme Company").
    text = definition(trigger="Attends Webinar – Acme (EU)", filter_="'Attended: Webinar?!'")
    text = text.replace("name: Buy Car", "name: Buy_Car 2")
    text = text.replace("    name: Price", "    name: Price (USD, incl. tax) – net")
    text = text.replace("  name: Vehicle Model", "  name: Modèle n°1")
    folder = write_files({"buyCar.yaml": text})

    [loaded] = load_definitions(folder, Settings())

    assert loaded.definition.attributes[0].name == "Price (USD, incl. tax) – net"
    assert loaded.definition.primaryAttribute.name == "Modèle n°1"
    assert loaded.definition.filterName == "Attended: Webinar?!"
