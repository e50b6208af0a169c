"""Saved plans: round trip, checksum, format version and unreadable files."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from framework.errors import PlanError
from framework.plan.planfile import dumps, load_plan, save_plan
from tests.plan.plan_literals import every_kind_of_change

FIX = "  fix: make the plan again with `activities plan --out {path}`"


def test_a_saved_plan_loads_back_equal_and_sealed(tmp_path: Path) -> None:
    plan = every_kind_of_change()
    path = tmp_path / "plans" / "p.json"
    save_plan(plan, path)
    assert path.read_text() == dumps(plan)
    loaded = load_plan(path)
    assert loaded == plan
    assert loaded.checksum == plan.compute_checksum()


def test_save_plan_seals_an_unsealed_plan(tmp_path: Path) -> None:
    plan = every_kind_of_change().model_copy(update={"checksum": ""})
    save_plan(plan, tmp_path / "p.json")
    assert load_plan(tmp_path / "p.json").checksum == plan.compute_checksum()


def edited(tmp_path: Path, change: dict[str, object]) -> Path:
    path = tmp_path / "p.json"
    save_plan(every_kind_of_change(), path)
    document = json.loads(path.read_text())
    document.update(change)
    path.write_text(json.dumps(document))
    return path


@pytest.mark.parametrize(
    "change", [{"estimatedApplyCalls": 1}, {"extra": True}, {"checksum": "sha256:0"}, {}],
)
def test_any_edit_is_refused(tmp_path: Path, change: dict[str, object]) -> None:
    path = edited(tmp_path, change)
    if not change:
        path.write_text(path.read_text().replace('"apiName": "newType"', '"apiName": "other"'))
    with pytest.raises(PlanError) as raised:
        load_plan(path)
    assert str(raised.value) == (
        f"{path}: the plan's checksum does not match its content: it was edited after it was "
        "made, or is truncated; a plan is applied only as it was reviewed\n" + FIX.format(path=path)
    )


def test_another_format_version_is_refused(tmp_path: Path) -> None:
    path = edited(tmp_path, {"format_version": 3})
    with pytest.raises(PlanError) as raised:
        load_plan(path)
    assert str(raised.value) == (
        f"{path}: plan format_version 3 is not supported (this tool reads 2)\n"
        + FIX.format(path=path)
    )


def test_a_plan_of_the_previous_format_is_refused_with_what_to_do(tmp_path: Path) -> None:
    path = edited(tmp_path, {"format_version": 1})
    with pytest.raises(PlanError) as raised:
        load_plan(path)
    assert str(raised.value) == (
        f"{path}: the plan was made by an older version of activities (format_version 1; this "
        "one reads 2, with typed steps and the order of calls); it cannot be applied or shown\n"
        + FIX.format(path=path)
    )


def test_unreadable_files_say_what_to_do(tmp_path: Path) -> None:
    missing = tmp_path / "missing.json"
    with pytest.raises(PlanError) as raised:
        load_plan(missing)
    assert str(raised.value) == (
        f"{missing}: no such plan file\n"
        f"  fix: check the path, or make one with `activities plan --out {missing}`"
    )
    broken = tmp_path / "broken.json"
    broken.write_text('{"format_version": 1,\n oops}')
    with pytest.raises(PlanError) as raised:
        load_plan(broken)
    assert str(raised.value) == (
        f"{broken}:2:2: not valid JSON: Expecting property name enclosed in double quotes\n"
        + FIX.format(path=broken)
    )
    listed = tmp_path / "list.json"
    listed.write_text("[]")
    with pytest.raises(PlanError) as raised:
        load_plan(listed)
    assert str(raised.value) == (
        f"{listed}: not a plan (expected a JSON object)\n" + FIX.format(path=listed)
    )


def test_a_file_that_is_no_plan_is_never_offered_to_be_overwritten(tmp_path: Path) -> None:
    definition = tmp_path / "buyCar.yaml"
    definition.write_text("version: 1\napiName: buyCar\n")
    with pytest.raises(PlanError) as raised:
        load_plan(definition)
    assert str(raised.value) == (
        f"{definition}:1:1: not valid JSON: Expecting value\n"
        "  fix: pass a plan saved by `activities plan --out plans/NAME.json`; this file is not one"
    )
    binary = tmp_path / "logo.png"
    binary.write_bytes(b"\x89PNG\xff")
    with pytest.raises(PlanError) as raised:
        load_plan(binary)
    assert str(raised.value).endswith(
        "\n  fix: pass a plan saved by `activities plan --out plans/NAME.json`; "
        "this file is not one"
    )


def test_an_unwritable_out_path_says_what_to_do(tmp_path: Path) -> None:
    blocker = tmp_path / "plans"
    blocker.write_text("a file where the folder should be")
    path = blocker / "next.json"
    with pytest.raises(PlanError) as raised:
        save_plan(every_kind_of_change(), path)
    assert str(raised.value) == (
        f"{path}: cannot write the plan: File exists\n"
        "  fix: pass an --out path in a folder you can write to"
    )
