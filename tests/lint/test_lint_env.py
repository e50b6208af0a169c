"""`lint -e ENV`: a change is destructive only where the type is approved (lock or instance)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from tests.lint.lint_texts import DROPPED, SEATS, attend_class


def _staging(history: Any, emulator: Any, cli: Any) -> None:
    """attendClass applied to `staging` (the emulator); buyBook defined but never applied."""
    (history.root / "pyproject.toml").write_text(
        f'[tool.activities.environments.staging]\nendpoint = "{emulator.url}"\n'
    )
    history.write("attendClass", attend_class())
    applied = cli("apply", "-e", "staging", "--yes", cwd=history.root, env=emulator.env)
    assert applied.exit_code == 0, applied.output
    history.write("buyBook", attend_class().replace("attendClass", "buyBook")
                  .replace("Class", "Book"))
    history.commit("two types, one applied")
    history.branch("feature")
    for name in ("attendClass", "buyBook"):
        text = attend_class(version=2, attributes=SEATS)
        if name == "buyBook":
            text = text.replace("attendClass", "buyBook").replace("Class", "Book")
        history.write(name, text)


def _type_id(project: Path) -> int:
    from framework.lock import read_lock
    from framework.settings import load_settings

    lock = read_lock("staging", load_settings(project))
    assert lock is not None
    found = lock.type_id("attendClass")
    assert found is not None
    return found


def test_with_env_a_removal_fails_only_on_the_type_approved_there(
    history: Any, emulator: Any, cli: Any
) -> None:
    _staging(history, emulator, cli)

    # The lock file is enough: no credentials in the environment.
    no_credentials = {"MARKETO_CLIENT_ID": "", "MARKETO_CLIENT_SECRET": ""}
    result = cli("lint", "--base", "main", "-e", "staging", cwd=history.root, env=no_credentials)

    assert result.exit_code == 1, result.output
    lines = result.stdout.splitlines()
    assert lines[0].startswith("Approvals on staging from activities/.lock/staging.json (updated ")
    assert lines[1] == (
        "activities/attendClass.yaml:9: destructive attribute-removed: attendClass: attribute "
        f"replayUrl (link) was removed: {DROPPED} (attendClass is "
        f"approved on staging, id {_type_id(history.root)})"
    )
    assert lines[3] == (
        "activities/buyBook.yaml:9: warning attribute-removed: buyBook: attribute replayUrl "
        f"(link) was removed: {DROPPED} (not approved on staging: "
        "nothing is lost there yet)"
    )
    assert lines[-1].endswith("1 failing, 1 warning(s).")


def test_with_env_and_no_lock_file_the_instance_says_what_is_approved(
    history: Any, emulator: Any, cli: Any
) -> None:
    _staging(history, emulator, cli)
    (history.root / "activities" / ".lock" / "staging.json").unlink()

    result = cli("lint", "--base", "main", "-e", "staging", cwd=history.root, env=emulator.env)

    assert result.exit_code == 1, result.output
    lines = result.stdout.splitlines()
    assert lines[0] == (
        "No lock file at activities/.lock/staging.json (no apply has recorded one yet): read "
        "the approvals from the instance instead."
    )
    assert lines[1].startswith("activities/attendClass.yaml:9: destructive attribute-removed")
    assert lines[3].startswith("activities/buyBook.yaml:9: warning attribute-removed")
    assert emulator.stats()["mutating_calls"] == 3  # the apply's, and none by lint


CAR = """\
kind: customObject
version: {version}
apiName: {name}
displayName: {display}
fields:
  - {{name: vin, displayName: VIN, dataType: string, isDedupeField: true}}
{extra}"""
TRIM = "  - {name: trim, displayName: Trim, dataType: string}\n"


def _objects_on_staging(history: Any, emulator: Any, cli: Any) -> None:
    """Custom object type car applied to `staging` (approved there); van defined but never
    applied; then both lose their field trim on a branch."""
    (history.root / "pyproject.toml").write_text(
        f'[tool.activities.environments.staging]\nendpoint = "{emulator.url}"\n'
    )
    history.write("car", CAR.format(version=1, name="car", display="Car", extra=TRIM))
    applied = cli("apply", "-e", "staging", "--yes", cwd=history.root, env=emulator.env)
    assert applied.exit_code == 0, applied.output
    history.write("van", CAR.format(version=1, name="van", display="Van", extra=TRIM))
    history.commit("two custom object types, one applied")
    history.branch("feature")
    for name, display in (("car", "Car"), ("van", "Van")):
        history.write(name, CAR.format(version=2, name=name, display=display, extra=""))


@pytest.mark.parametrize("source", ["lock", "instance"])
def test_with_env_a_custom_object_is_graded_where_it_stands(
    history: Any, emulator: Any, cli: Any, source: str
) -> None:
    # A custom object type has its own draft/approve lifecycle: a field dropped from one
    # approved on the environment loses values; from one never approved there, nothing.
    _objects_on_staging(history, emulator, cli)
    env = {"MARKETO_CLIENT_ID": "", "MARKETO_CLIENT_SECRET": ""}
    if source == "instance":
        (history.root / "activities" / ".lock" / "staging.json").unlink()
        env = emulator.env

    result = cli("lint", "--base", "main", "-e", "staging", cwd=history.root, env=env)

    assert result.exit_code == 1, result.output
    findings = [line for line in result.stdout.splitlines() if line.startswith("activities/")]
    assert findings == [
        "activities/car.yaml:5: destructive field-removed: car: field trim is removed; its "
        "values are lost (car is approved on staging)",
        "activities/van.yaml:5: warning field-removed: van: field trim is removed; its values "
        "are lost (not approved on staging: nothing is lost there yet)",
    ]
    assert result.stdout.splitlines()[-1].endswith("1 failing, 1 warning(s).")
