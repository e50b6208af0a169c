"""The table of invalid definitions: every message asserted whole, with its line and column."""

from __future__ import annotations

from pathlib import Path

import pytest

from framework.definitions.loader import check_definitions, load_definitions
from framework.errors import ConfigError, DefinitionError
from framework.manual import MANUAL
from framework.settings import Settings
from tests.definitions.texts import MODELINE, Writer, definition

D = definition()
PRIMARY = "primaryAttribute:\n  apiName: vehicleModel\n  name: Vehicle Model\n  dataType: string\n"
RENAMED_TWICE = (
    "    renamedFrom: cost\n"
    "  - apiName: amount\n    name: Amount\n    dataType: float\n    renamedFrom: cost\n"
)


def extra_attributes(count: int) -> str:
    return "".join(
        f"  - apiName: extra{i}\n    name: Extra {i}\n    dataType: integer\n" for i in range(count)
    )


CASES = [
    pytest.param(
        {"buyCar.yaml": D.replace("Buy Car\n", "Caf\xe9\n").encode("latin-1")},
        10,
        (
            "activities/buyCar.yaml:3:10: (file): byte 0xE9 is not valid UTF-8\n"
            "  fix: save the file with UTF-8 encoding (most editors: 'Save"
            " with Encoding' → UTF-8)\n"
        ),
        id="not-utf8",
    ),
    pytest.param(
        {"buyCar.yaml": ""},
        10,
        (
            "activities/buyCar.yaml:1:1: (file): is empty: a definition needs"
            " at least version, apiName, name, triggerName, filterName and"
            " primaryAttribute\n"
            "  fix: write the definition or delete the file; see "
            f"{MANUAL}/definitions.md, or `activities schema`\n"
        ),
        id="empty-file",
    ),
    pytest.param(
        {"buyCar.yaml": MODELINE + "# nothing yet\n"},
        10,
        (
            "activities/buyCar.yaml:1:1: (file): is empty: a definition needs"
            " at least version, apiName, name, triggerName, filterName and"
            " primaryAttribute\n"
            "  fix: write the definition or delete the file; see "
            f"{MANUAL}/definitions.md, or `activities schema`\n"
        ),
        id="only-comments",
    ),
    pytest.param(
        {"buyCar.yaml": "- apiName: buyCar\n- name: Buy Car\n"},
        10,
        (
            "activities/buyCar.yaml:1:1: (file): holds a list at the top; a"
            " definition is a mapping of keys\n"
            "  fix: write one activity type per file as `key: value` lines;"
            f" see {MANUAL}/definitions.md, or `activities schema`\n"
        ),
        id="list-at-top",
    ),
    pytest.param(
        {"buyCar.yaml": "buyCar\n"},
        10,
        (
            "activities/buyCar.yaml:1:1: (file): holds a single value, the"
            " text 'buyCar' at the top; a definition is a mapping of keys\n"
            "  fix: write one activity type per file as `key: value` lines;"
            f" see {MANUAL}/definitions.md, or `activities schema`\n"
        ),
        id="scalar-at-top",
    ),
    pytest.param(
        {"buyCar.yaml": D.replace("name: Buy Car", "name: [Buy Car")},
        10,
        (
            "activities/buyCar.yaml:4:12: (file): YAML syntax error: expected"
            " ',' or ']', but got ':'\n"
            "  fix: fix the YAML syntax at this position (check indentation,"
            " colons and quotes)\n"
        ),
        id="unclosed-bracket",
    ),
    pytest.param(
        {"buyCar.yaml": D.replace("name: Buy Car", "name: Buy: Car")},
        10,
        (
            "activities/buyCar.yaml:3:10: (file): YAML syntax error: mapping"
            " values are not allowed here\n"
            "  fix: fix the YAML syntax at this position (check indentation,"
            " colons and quotes)\n"
        ),
        id="colon-in-plain-value",
    ),
    pytest.param(
        {"buyCar.yaml": D.replace("  apiName: vehicleModel", "\tapiName: vehicleModel")},
        10,
        (
            "activities/buyCar.yaml:7:1: (file): a tab character is used for"
            " indentation; YAML allows only spaces\n"
            "  fix: replace the tab with spaces (2 per indentation level)\n"
        ),
        id="tab-indentation",
    ),
    pytest.param(
        {"buyCar.yaml": D.replace("name: Buy Car\n", "name: Buy Car\nname: Purchase Car\n")},
        10,
        (
            "activities/buyCar.yaml:4:1: name: duplicate key: 'name' is"
            " already set on line 3\n"
            "  fix: keep one of the two and delete the other\n"
        ),
        id="duplicate-top-key",
    ),
    pytest.param(
        {"buyCar.yaml": D + "    dataType: float\n"},
        10,
        (
            "activities/buyCar.yaml:14:5: attributes[0].dataType: duplicate"
            " key: 'dataType' is already set on line 13\n"
            "  fix: keep one of the two and delete the other\n"
        ),
        id="duplicate-attribute-key",
    ),
    pytest.param(
        {"buyCar.yaml": D.replace("triggerName", "triggername")},
        10,
        (
            "activities/buyCar.yaml:4:1: triggername: unknown key"
            " 'triggername'; did you mean 'triggerName'?\n"
            "  fix: rename 'triggername' to 'triggerName'\n"
        ),
        id="unknown-key-did-you-mean",
    ),
    pytest.param(
        {"buyCar.yaml": D + "color: red\n"},
        10,
        (
            "activities/buyCar.yaml:14:1: color: unknown key 'color'\n"
            "  fix: remove it; the keys allowed here are: kind, version, apiName,"
            " name, description, triggerName, filterName, primaryAttribute,"
            " attributes, protect, ensure, acknowledge\n"
        ),
        id="unknown-key",
    ),
    pytest.param(
        {"buyCar.yaml": D.replace("    dataType: currency", "    datatype: currency")},
        10,
        (
            "activities/buyCar.yaml:13:5: attributes[0].datatype: unknown key"
            " 'datatype'; did you mean 'dataType'?\n"
            "  fix: rename 'datatype' to 'dataType'\n"
        ),
        id="unknown-attribute-key",
    ),
    pytest.param(
        {"buyCar.yaml": D.replace("version: 1\n", "")},
        10,
        (
            "activities/buyCar.yaml:1:1: version: required key 'version' is missing\n"
            "  fix: add `version: 1`\n"
        ),
        id="missing-version",
    ),
    pytest.param(
        {"buyCar.yaml": D.replace(PRIMARY, "")},
        10,
        (
            "activities/buyCar.yaml:1:1: primaryAttribute: required key"
            " 'primaryAttribute' is missing\n"
            "  fix: add `primaryAttribute:` with apiName, name and dataType"
            " indented below it\n"
        ),
        id="missing-primary",
    ),
    pytest.param(
        {"buyCar.yaml": D.replace("    name: Price\n", "")},
        10,
        (
            "activities/buyCar.yaml:11:5: attributes[0].name: required key"
            " 'name' is missing\n"
            "  fix: add `name: Minutes Watched`\n"
        ),
        id="missing-attribute-name",
    ),
    pytest.param(
        {"buyCar.yaml": D.replace("    dataType: currency\n", "")},
        10,
        (
            "activities/buyCar.yaml:11:5: attributes[0].dataType: required key"
            " 'dataType' is missing\n"
            "  fix: add `dataType:` with the attribute's data type, one of: string, boolean,"
            " integer, float, link, email, currency, date, datetime, phone, text\n"
        ),
        id="missing-attribute-data-type",
    ),
    pytest.param(
        {"buyCar.yaml": D.replace("version: 1", 'version: "1"')},
        10,
        (
            "activities/buyCar.yaml:1:10: version: expected a whole number,"
            " got the text '1'\n"
            "  fix: write a whole number without quotes, e.g. `version: 1`\n"
        ),
        id="version-quoted",
    ),
    pytest.param(
        {"buyCar.yaml": D.replace("version: 1", "version: 0")},
        10,
        (
            "activities/buyCar.yaml:1:10: version: must be 1 or more, got the number 0\n"
            "  fix: write a whole number of 1 or more, e.g. `version: 1`\n"
        ),
        id="version-zero",
    ),
    pytest.param(
        {"buyCar.yaml": D.replace("version: 1", "version: true")},
        10,
        (
            "activities/buyCar.yaml:1:10: version: expected a whole number,"
            " got the boolean true\n"
            "  fix: write a whole number without quotes, e.g. `version: 1`\n"
        ),
        id="version-boolean",
    ),
    pytest.param(
        {"buyCar.yaml": D.replace("version: 1", "version: 1.5")},
        10,
        (
            "activities/buyCar.yaml:1:10: version: expected a whole number,"
            " got the number 1.5\n"
            "  fix: write a whole number without quotes, e.g. `version: 1`\n"
        ),
        id="version-fraction",
    ),
    pytest.param(
        {"buyCar.yaml": D.replace("name: Buy Car", "name: 42")},
        10,
        (
            "activities/buyCar.yaml:3:7: name: expected text, got the number 42\n"
            '  fix: put the value in quotes: `name: "42"`\n'
        ),
        id="name-number",
    ),
    pytest.param(
        {"buyCar.yaml": D + "description: 2024-05-01\n"},
        10,
        (
            "activities/buyCar.yaml:14:14: description: expected text, got the"
            " date 2024-05-01\n"
            '  fix: put the value in quotes: `description: "2024-05-01"`\n'
        ),
        id="description-date",
    ),
    pytest.param(
        {"buyCar.yaml": D.replace("name: Buy Car", 'name: "   "')},
        10,
        (
            "activities/buyCar.yaml:3:7: name: must not be empty or blank\n"
            "  fix: write a display name, e.g. `name: Attend Webinar`\n"
        ),
        id="name-blank",
    ),
    pytest.param(
        {"buyCar.yaml": D.replace("name: Buy Car", 'name: ""')},
        10,
        (
            "activities/buyCar.yaml:3:7: name: must not be empty or blank\n"
            "  fix: write a display name, e.g. `name: Attend Webinar`\n"
        ),
        id="name-empty",
    ),
    pytest.param(
        {"buyCar.yaml": D.replace("triggerName: Buys buyCar", "triggerName:")},
        10,
        (
            "activities/buyCar.yaml:5:1: triggerName: expected text, got"
            " nothing (an empty value)\n"
            "  fix: write text on the same line, e.g. `triggerName: Attends Webinar`\n"
        ),
        id="trigger-null",
    ),
    pytest.param(
        {"buy-car.yaml": D.replace("apiName: buyCar", "apiName: buy-car")},
        10,
        (
            "activities/buy-car.yaml:2:10: apiName: 'buy-car' is not a valid"
            " API name: use letters and digits only, with at least one letter\n"
            "  fix: write `apiName: buyCar`\n"
        ),
        id="api-name-dash",
    ),
    pytest.param(
        {"2024.yaml": D.replace("apiName: buyCar", "apiName: 2024")},
        10,
        (
            "activities/2024.yaml:2:10: apiName: expected an API name (letters"
            " and digits only, with at least one letter), got the number 2024\n"
            "  fix: write an API name such as `apiName: attendWebinar`\n"
        ),
        id="api-name-digits",
    ),
    pytest.param(
        {"2024.yaml": D.replace("apiName: buyCar", 'apiName: "2024"')},
        10,
        (
            "activities/2024.yaml:2:10: apiName: '2024' is not a valid API"
            " name: use letters and digits only, with at least one letter\n"
            "  fix: write an API name such as `apiName: attendWebinar`\n"
        ),
        id="api-name-quoted-digits",
    ),
    pytest.param(
        {"longName.yaml": D.replace("apiName: buyCar", "apiName: " + "a" * 256)},
        10,
        (
            "activities/longName.yaml:2:10: apiName: is 256 characters long;"
            " Marketo accepts at most 255 (error 1003)\n"
            "  fix: shorten it to 255 characters or fewer\n"
        ),
        id="api-name-too-long",
    ),
    pytest.param(
        {"buyCar.yaml": D.replace("apiName: price", "apiName: sale_price")},
        10,
        (
            "activities/buyCar.yaml:11:14: attributes[0].apiName: 'sale_price'"
            " is not a valid API name: use letters and digits only, with at"
            " least one letter\n"
            "  fix: write `apiName: salePrice`\n"
        ),
        id="attribute-underscore",
    ),
    pytest.param(
        {"buyCar.yaml": D.replace("dataType: currency", "dataType: curency")},
        10,
        (
            "activities/buyCar.yaml:13:15: attributes[0].dataType: 'curency'"
            " is not one of Marketo's 11 data types; did you mean 'currency'?\n"
            "  fix: use one of: string, boolean, integer, float, link, email,"
            " currency, date, datetime, phone, text\n"
        ),
        id="data-type-typo",
    ),
    pytest.param(
        {"buyCar.yaml": D.replace("dataType: currency", "dataType: money")},
        10,
        (
            "activities/buyCar.yaml:13:15: attributes[0].dataType: 'money' is"
            " not one of Marketo's 11 data types; did you mean 'currency'?\n"
            "  fix: use one of: string, boolean, integer, float, link, email,"
            " currency, date, datetime, phone, text\n"
        ),
        id="data-type-unknown",
    ),
    pytest.param(
        {"buyCar.yaml": D.replace("dataType: string", "dataType: 7")},
        10,
        (
            "activities/buyCar.yaml:9:13: primaryAttribute.dataType: expected"
            " a data type, got the number 7\n"
            "  fix: use one of the 11 data types: string, boolean, integer,"
            " float, link, email, currency, date, datetime, phone, text\n"
        ),
        id="primary-data-type-number",
    ),
    pytest.param(
        {"buyCar.yaml": D + "protect: yes\n"},
        10,
        (
            "activities/buyCar.yaml:14:10: protect: expected true or false,"
            " got the text 'yes'\n"
            "  fix: write `protect: true` or `protect: false` (without quotes)\n"
        ),
        id="protect-yes",
    ),
    pytest.param(
        {"buyCar.yaml": D + 'protect: "true"\n'},
        10,
        (
            "activities/buyCar.yaml:14:10: protect: expected true or false,"
            " got the text 'true'\n"
            "  fix: write `protect: true` or `protect: false` (without quotes)\n"
        ),
        id="protect-quoted",
    ),
    pytest.param(
        {"buyCar.yaml": D + "ensure: deleted\n"},
        10,
        (
            "activities/buyCar.yaml:14:9: ensure: expected present or absent,"
            " got the text 'deleted'\n"
            "  fix: write `ensure: present` to keep the type, or `ensure:"
            " absent` to delete it\n"
        ),
        id="ensure-deleted",
    ),
    pytest.param(
        {"buyCar.yaml": D.replace(PRIMARY, "primaryAttribute: vehicleModel\n")},
        10,
        (
            "activities/buyCar.yaml:6:19: primaryAttribute: expected"
            " 'primaryAttribute' as a mapping of keys, got the text 'vehicleModel'\n"
            "  fix: indent apiName, name and dataType below it, one `key:"
            " value` per line\n"
        ),
        id="primary-scalar",
    ),
    pytest.param(
        {"buyCar.yaml": D.replace("  - apiName: price", "    apiName: price")},
        10,
        (
            "activities/buyCar.yaml:11:5: attributes: expected a list, got a"
            " mapping of keys\n"
            "  fix: write each attribute as a list item starting with `-"
            " apiName:`, or `attributes: []` for none\n"
        ),
        id="attributes-mapping",
    ),
    pytest.param(
        {"buyCar.yaml": D + "  - price\n"},
        10,
        (
            "activities/buyCar.yaml:14:5: attributes[1]: expected an attribute"
            " as a mapping of keys, got the text 'price'\n"
            "  fix: indent apiName, name and dataType below it, one `key:"
            " value` per line\n"
        ),
        id="attribute-scalar",
    ),
    pytest.param(
        {"buyCar.yaml": D + extra_attributes(20)},
        10,
        (
            "activities/buyCar.yaml:10:1: attributes: has 21 attributes;"
            " Marketo allows at most 20 besides the primary\n"
            "  fix: remove 1, or split the activity into two types\n"
        ),
        id="too-many-attributes",
    ),
    pytest.param(
        {"buyCar.yaml": D + "  - apiName: price\n    name: Price Again\n    dataType: float\n"},
        10,
        (
            "activities/buyCar.yaml:14:14: attributes[1].apiName: 'price' is"
            " already the apiName of attributes[0] (line 11)\n"
            "  fix: give every attribute of a type, the primary included, its"
            " own apiName\n"
        ),
        id="duplicate-attribute",
    ),
    pytest.param(
        {"buyCar.yaml": D.replace("apiName: price", "apiName: vehicleModel")},
        10,
        (
            "activities/buyCar.yaml:11:14: attributes[0].apiName:"
            " 'vehicleModel' is already the apiName of the primary attribute (line 7)\n"
            "  fix: give every attribute of a type, the primary included, its"
            " own apiName\n"
        ),
        id="attribute-same-as-primary",
    ),
    pytest.param(
        {"buyCar.yaml": D + "    renamedFrom: price\n"},
        10,
        (
            "activities/buyCar.yaml:14:18: attributes[0].renamedFrom: 'price'"
            " is this attribute's own apiName\n"
            "  fix: remove renamedFrom, or set it to the attribute's previous apiName\n"
        ),
        id="renamed-from-self",
    ),
    pytest.param(
        {"buyCar.yaml": D + "    renamedFrom: vehicleModel\n"},
        10,
        (
            "activities/buyCar.yaml:14:18: attributes[0].renamedFrom:"
            " 'vehicleModel' is still the apiName of the primary attribute\n"
            "  fix: renamedFrom names an attribute that no longer exists:"
            " remove renamedFrom, or remove the old attribute\n"
        ),
        id="renamed-from-present",
    ),
    pytest.param(
        {"buyCar.yaml": D + RENAMED_TWICE},
        10,
        (
            "activities/buyCar.yaml:18:18: attributes[1].renamedFrom: 'cost'"
            " is already the renamedFrom of attributes[0]\n"
            "  fix: an old attribute can be renamed to one new attribute only\n"
        ),
        id="renamed-from-twice",
    ),
    pytest.param(
        {"buyCar.yaml": D + "    renamedFrom: old-price\n"},
        10,
        (
            "activities/buyCar.yaml:14:18: attributes[0].renamedFrom:"
            " 'old-price' is not a valid API name: use letters and digits"
            " only, with at least one letter\n"
            "  fix: write `renamedFrom: oldPrice`\n"
        ),
        id="renamed-from-invalid",
    ),
    pytest.param(
        {"purchase.yaml": D},
        10,
        (
            "activities/purchase.yaml:2:10: apiName: 'buyCar' does not match"
            " the file name 'purchase.yaml'\n"
            "  fix: rename the file to buyCar.yaml, or set `apiName: purchase`"
            " if that is the type's API name\n"
        ),
        id="file-name-mismatch",
    ),
    pytest.param(
        {"BuyCar.yml": D},
        10,
        (
            "activities/BuyCar.yml:2:10: apiName: 'buyCar' does not match the"
            " file name 'BuyCar.yml'\n"
            "  fix: rename the file to buyCar.yml, or set `apiName: BuyCar` if"
            " that is the type's API name\n"
        ),
        id="file-name-case",
    ),
    pytest.param(
        {
            "buyCar.yaml": D,
            "buyCar.yml": definition(trigger="Buys Car Again", filter_="Bought Car Again"),
        },
        10,
        (
            "activities/buyCar.yml:2:10: apiName: 'buyCar' is already the"
            " apiName of activities/buyCar.yaml (line 2)\n"
            "  fix: give every type its own apiName\n"
        ),
        id="duplicate-type-api-name",
    ),
    pytest.param(
        {
            "buyCar.yaml": definition(trigger="Buys Car"),
            "sellCar.yaml": definition("sellCar", trigger="buys  car"),
        },
        10,
        (
            "activities/sellCar.yaml:4:14: triggerName: 'buys  car' is already"
            " the triggerName of activities/buyCar.yaml (line 4)\n"
            "  fix: give every type its own triggerName; Marketo requires it"
            " to be unique across all custom activity types\n"
        ),
        id="duplicate-trigger-name",
    ),
    pytest.param(
        {
            "buyCar.yaml": definition(filter_="Bought Car"),
            "sellCar.yaml": definition("sellCar", filter_="Bought Car"),
        },
        10,
        (
            "activities/sellCar.yaml:5:13: filterName: 'Bought Car' is already"
            " the filterName of activities/buyCar.yaml (line 5)\n"
            "  fix: give every type its own filterName; Marketo requires it to"
            " be unique across all custom activity types\n"
        ),
        id="duplicate-filter-name",
    ),
    pytest.param(
        {
            "aType.yaml": definition("aType"),
            "bType.yaml": definition("bType"),
            "cType.yaml": definition("cType"),
        },
        2,
        (
            "activities/cType.yaml:2:10: apiName: 3 types have `ensure:"
            " present`, more than max_types = 2 (the limit is first exceeded"
            " by this file)\n"
            "  fix: remove a definition or mark it `ensure: absent`; if your"
            " subscription allows more types, raise max_types under"
            " [tool.activities] in pyproject.toml\n"
        ),
        id="type-limit",
    ),
    pytest.param(
        {
            "buyCar.yaml": D.replace("version: 1", "version: 0").replace(
                "dataType: currency", "dataType: money"
            ),
            "other.yaml": "- x\n",
            "sellCar.yaml": definition("sellCar", trigger="Buys buyCar").replace(
                "name: Vehicle Model", "nmae: Vehicle Model"
            ),
        },
        10,
        (
            "activities/buyCar.yaml:1:10: version: must be 1 or more, got the number 0\n"
            "  fix: write a whole number of 1 or more, e.g. `version: 1`\n"
            "activities/buyCar.yaml:13:15: attributes[0].dataType: 'money' is"
            " not one of Marketo's 11 data types; did you mean 'currency'?\n"
            "  fix: use one of: string, boolean, integer, float, link, email,"
            " currency, date, datetime, phone, text\n"
            "activities/other.yaml:1:1: (file): holds a list at the top; a"
            " definition is a mapping of keys\n"
            "  fix: write one activity type per file as `key: value` lines;"
            f" see {MANUAL}/definitions.md, or `activities schema`\n"
            "activities/sellCar.yaml:4:14: triggerName: 'Buys buyCar' is"
            " already the triggerName of activities/buyCar.yaml (line 4)\n"
            "  fix: give every type its own triggerName; Marketo requires it"
            " to be unique across all custom activity types\n"
            "activities/sellCar.yaml:8:3: primaryAttribute.nmae: unknown key"
            " 'nmae'; did you mean 'name'?\n"
            "  fix: rename 'nmae' to 'name'\n"
        ),
        id="many-problems-one-run",
    ),
    # Repro 1 of issue 9: one type's triggerName is another's filterName (Marketo: 709).
    pytest.param(
        {
            "buyCar.yaml": definition(filter_="Bought Car"),
            "sellCar.yaml": definition("sellCar", trigger="bought  car"),
        },
        10,
        (
            "activities/sellCar.yaml:4:14: triggerName: 'bought  car' is already"
            " the filterName of activities/buyCar.yaml (line 5)\n"
            "  fix: give every type its own triggerName; Marketo requires trigger"
            " and filter names to be unique across all custom activity types"
            " together: one type's trigger name cannot be another's filter name\n"
        ),
        id="trigger-name-is-another-types-filter-name",
    ),
    pytest.param(
        {
            "buyCar.yaml": definition(trigger="Buys Car"),
            "sellCar.yaml": definition("sellCar", filter_="Buys Car"),
        },
        10,
        (
            "activities/sellCar.yaml:5:13: filterName: 'Buys Car' is already"
            " the triggerName of activities/buyCar.yaml (line 4)\n"
            "  fix: give every type its own filterName; Marketo requires trigger"
            " and filter names to be unique across all custom activity types"
            " together: one type's trigger name cannot be another's filter name\n"
        ),
        id="filter-name-is-another-types-trigger-name",
    ),
    # Repro 2 of issue 9: names over 255 characters, descriptions over 2,000 (Marketo: 1003).
    pytest.param(
        {"buyCar.yaml": D.replace("name: Buy Car", "name: " + "B" * 256)},
        10,
        (
            "activities/buyCar.yaml:3:7: name: is 256 characters long;"
            " Marketo accepts at most 255 (error 1003)\n"
            "  fix: shorten it to 255 characters or fewer\n"
        ),
        id="name-too-long",
    ),
    pytest.param(
        {"buyCar.yaml": definition(trigger="Buys " + "x" * 251)},
        10,
        (
            "activities/buyCar.yaml:4:14: triggerName: is 256 characters long;"
            " Marketo accepts at most 255 (error 1003)\n"
            "  fix: shorten it to 255 characters or fewer\n"
        ),
        id="trigger-name-too-long",
    ),
    pytest.param(
        {"buyCar.yaml": definition(filter_="Bought " + "x" * 249)},
        10,
        (
            "activities/buyCar.yaml:5:13: filterName: is 256 characters long;"
            " Marketo accepts at most 255 (error 1003)\n"
            "  fix: shorten it to 255 characters or fewer\n"
        ),
        id="filter-name-too-long",
    ),
    pytest.param(
        {"buyCar.yaml": D.replace("    name: Price", "    name: " + "P" * 256)},
        10,
        (
            "activities/buyCar.yaml:12:11: attributes[0].name: is 256 characters"
            " long; Marketo accepts at most 255 (error 1003)\n"
            "  fix: shorten it to 255 characters or fewer\n"
        ),
        id="attribute-name-too-long",
    ),
    pytest.param(
        {"buyCar.yaml": D.replace("  name: Vehicle Model", "  name: " + "V" * 300)},
        10,
        (
            "activities/buyCar.yaml:8:9: primaryAttribute.name: is 300 characters"
            " long; Marketo accepts at most 255 (error 1003)\n"
            "  fix: shorten it to 255 characters or fewer\n"
        ),
        id="primary-name-too-long",
    ),
    pytest.param(
        {"buyCar.yaml": D + "description: " + "d" * 2001 + "\n"},
        10,
        (
            "activities/buyCar.yaml:14:14: description: is 2,001 characters long;"
            " Marketo accepts at most 2,000 (error 1003)\n"
            "  fix: shorten it to 2,000 characters or fewer\n"
        ),
        id="description-too-long",
    ),
    pytest.param(
        {"buyCar.yaml": D + "    description: " + "d" * 2500 + "\n"},
        10,
        (
            "activities/buyCar.yaml:14:18: attributes[0].description: is 2,500"
            " characters long; Marketo accepts at most 2,000 (error 1003)\n"
            "  fix: shorten it to 2,000 characters or fewer\n"
        ),
        id="attribute-description-too-long",
    ),
    # Repro 3 of issue 9: punctuation in a type's display name (Marketo: 1003).
    pytest.param(
        {"buyCar.yaml": D.replace("name: Buy Car", "name: Buy Car (new!)")},
        10,
        (
            "activities/buyCar.yaml:3:7: name: 'Buy Car (new!)' is not a valid"
            " display name for a type: Marketo accepts letters, digits, spaces and"
            " underscores only, with at least one letter"
            " (https://experienceleague.adobe.com/en/docs/marketo-developer/marketo/"
            "rest/lead-database/activities, 'Create type')\n"
            "  fix: write `name: Buy Car new`\n"
        ),
        id="type-name-punctuation",
    ),
    pytest.param(
        {"buyCar.yaml": D.replace("name: Buy Car", "name: Café Visit")},
        10,
        (
            "activities/buyCar.yaml:3:7: name: 'Café Visit' is not a valid"
            " display name for a type: Marketo accepts letters, digits, spaces and"
            " underscores only, with at least one letter"
            " (https://experienceleague.adobe.com/en/docs/marketo-developer/marketo/"
            "rest/lead-database/activities, 'Create type')\n"
            "  fix: write `name: Caf Visit`\n"
        ),
        id="type-name-accent",
    ),
    pytest.param(
        {"buyCar.yaml": D.replace("name: Buy Car", 'name: "2024"')},
        10,
        (
            "activities/buyCar.yaml:3:7: name: '2024' is not a valid"
            " display name for a type: Marketo accepts letters, digits, spaces and"
            " underscores only, with at least one letter"
            " (https://experienceleague.adobe.com/en/docs/marketo-developer/marketo/"
            "rest/lead-database/activities, 'Create type')\n"
            "  fix: write a display name such as `name: Attend Webinar`\n"
        ),
        id="type-name-digits-only",
    ),
    pytest.param(
        {"buyCar.yaml": D.replace("Buy Car", "Buy\x07Car")},
        10,
        (
            "activities/buyCar.yaml:3:10: (file): contains the control"
            " character U+0007, which YAML does not allow\n"
            "  fix: remove it; if the file is binary or saved as UTF-16, save"
            " it as UTF-8 text\n"
        ),
        id="control-character",
    ),
    pytest.param(
        {"buyCar.yaml": D + "---\n" + D},
        10,
        (
            "activities/buyCar.yaml:14:1: (file): holds a second YAML document"
            " (after a `---` line)\n"
            "  fix: keep one definition per file: move the second one to its own file\n"
        ),
        id="two-documents",
    ),
    pytest.param(
        {"buyCar.yaml": D + "2024: launch year\n"},
        10,
        (
            "activities/buyCar.yaml:14:1: 2024: the key 2024 is the number"
            " 2024, not a name\n"
            "  fix: remove it, or write the intended key name (keys are text"
            " such as apiName)\n"
        ),
        id="key-not-text",
    ),
    pytest.param(
        {"buyCar.yaml": D.replace("version: 1", "version: !!int one")},
        10,
        (
            "activities/buyCar.yaml:1:1: (file): a tagged value cannot be read: "
            "invalid literal for int() with base 10: 'one'\n"
            "  fix: remove the `!!tag` before the value, or fix the value it tags\n"
        ),
        id="bad-tagged-value",
    ),
    pytest.param(
        {"buyCar.yaml": D.replace("version: 1", "version: !!timestamp soon")},
        10,
        (
            "activities/buyCar.yaml:1:10: (file): YAML syntax error: "
            'failed to construct timestamp from "soon"\n'
            "  fix: fix the YAML syntax at this position (check indentation, colons and quotes)\n"
        ),
        id="bad-timestamp",
    ),
]


@pytest.mark.parametrize("models", [True, False], ids=["models", "stored-schemas"])
@pytest.mark.parametrize(("files", "max_types", "expected"), CASES)
def test_invalid_definition_reports_whole_message(
    write_files: Writer, files: dict[str, str | bytes], max_types: int, expected: str,
    models: bool,
) -> None:
    folder = write_files(files)

    # Without models, as validate checks: the stored core schemas (framework.validators).
    result = check_definitions(folder, Settings(max_types=max_types), models=models)

    assert "".join(f"{problem}\n" for problem in result.problems) == expected
    assert result.files_with_problems == len({p.path for p in result.problems})


def test_table_holds_at_least_forty_cases() -> None:
    assert len(CASES) >= 40


def test_load_definitions_raises_with_every_problem(write_files: Writer) -> None:
    folder = write_files({"buyCar.yaml": D.replace("version: 1", "version: 0"), "x.yaml": "[]\n"})

    with pytest.raises(DefinitionError) as caught:
        load_definitions(folder, Settings())

    assert str(caught.value) == (
        "2 problems in the definition files\n"
        "activities/buyCar.yaml:1:10: version: must be 1 or more, got the number 0\n"
        "  fix: write a whole number of 1 or more, e.g. `version: 1`\n"
        "activities/x.yaml:1:1: (file): holds a list at the top; "
        "a definition is a mapping of keys\n"
        "  fix: write one activity type per file as `key: value` lines; see "
        f"{MANUAL}/definitions.md, or `activities schema`"
    )
    assert [problem.line for problem in caught.value.problems] == [1, 1]


def test_missing_key_below_a_modeline_points_at_the_first_key(write_files: Writer) -> None:
    folder = write_files({"buyCar.yaml": MODELINE + D.replace("version: 1\n", "")})

    result = check_definitions(folder, Settings())

    assert [str(problem) for problem in result.problems] == [
        "activities/buyCar.yaml:2:1: version: required key 'version' is missing\n"
        "  fix: add `version: 1`"
    ]


def test_missing_folder_is_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(ConfigError) as caught:
        load_definitions(tmp_path / "nowhere", Settings())

    assert str(caught.value) == (
        f"the definitions folder {tmp_path / 'nowhere'} does not exist\n"
        "  fix: create it, pass --dir PATH, or set `definitions` under [tool.activities] "
        "in pyproject.toml"
    )
