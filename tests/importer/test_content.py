"""The text of imported files: any live value survives the round trip, in fmt's layout."""

from __future__ import annotations

from pathlib import Path

import pytest

from framework.definitions.document import read_document
from framework.definitions.formatting import canonical_text
from framework.definitions.loader import check_definitions
from framework.importer.content import DEFAULT_MODELINE, definition_text
from framework.live import LiveAttribute, TypeVersion
from framework.settings import Settings


def version(**fields: object) -> TypeVersion:
    values: dict[str, object] = {
        "apiName": "tricky",
        "name": "Tricky",
        "triggerName": "Does Tricky",
        "filterName": "Did Tricky",
        "primaryAttribute": LiveAttribute(apiName="subject", name="Subject"),
    }
    values.update(fields)
    return TypeVersion.model_validate(values)


TRICKY = [
    pytest.param({"name": "yes"}, id="boolean-looking"),
    # A type's display name holds letters, digits, spaces and underscores only (validate's rule);
    # trigger, filter and attribute names and descriptions are free text.
    pytest.param({"description": "123", "triggerName": "1.5e3", "filterName": "null"},
                 id="numbers"),
    pytest.param({"triggerName": "~"}, id="tilde"),
    pytest.param({"filterName": "# not a comment", "triggerName": "- dash"},
                 id="comment-and-dash"),
    pytest.param({"description": "key: value, {braces} [brackets] & *star !tag"}, id="flow"),
    pytest.param({"description": "Zürich → 東京 ✓"}, id="unicode"),
    pytest.param({"description": "word " * 60}, id="long-and-trailing-space"),
    pytest.param({"description": "line one\nline two\n  indented # hash"}, id="multi-line"),
    pytest.param({"name": " padded "}, id="padding"),
    pytest.param({"attributes": (  # sorted by apiName, as TypeVersion.from_marketo makes them
        LiveAttribute(apiName="a1", name="on", dataType="boolean"),
        LiveAttribute(apiName="b2", name="'quoted'", description='say "hi"', dataType="date"),
    )}, id="attributes"),
]


@pytest.mark.parametrize("fields", TRICKY)
def test_a_live_version_survives_the_round_trip_in_canonical_layout(
    tmp_path: Path, fields: dict[str, object]
) -> None:
    live = version(**fields)
    text = definition_text(live, modeline=DEFAULT_MODELINE)
    path = tmp_path / "tricky.yaml"
    path.write_text(text, encoding="utf-8")
    result = check_definitions(tmp_path, Settings(root=tmp_path))
    assert result.problems == []
    [loaded] = result.files
    assert TypeVersion.from_definition(loaded.definition) == live
    assert canonical_text(read_document(path, "tricky.yaml")) == text  # fmt --check is clean
    assert text.startswith(DEFAULT_MODELINE + "\nversion: 1\napiName: tricky\n")
    assert "protect" not in text and "ensure" not in text


def test_only_present_descriptions_and_attributes_are_written() -> None:
    assert definition_text(version(), modeline=DEFAULT_MODELINE, version=2, protect=True) == (
        f"{DEFAULT_MODELINE}\nversion: 2\napiName: tricky\nname: Tricky\n"
        "triggerName: Does Tricky\nfilterName: Did Tricky\n"
        "primaryAttribute:\n  apiName: subject\n  name: Subject\n  dataType: string\n"
        "protect: true\n"
    )


def test_the_modeline_names_the_schema_beside_the_file() -> None:
    assert DEFAULT_MODELINE == "# yaml-language-server: $schema=.schema.json"
