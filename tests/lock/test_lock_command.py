"""`activities lock show` and `activities lock repair`."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from tests.apply.apply_support import read, write_type


def _staging(project: Path, emulator: Any, cli: Any) -> Path:
    (project / "pyproject.toml").write_text(
        f'[tool.activities.environments.staging]\nendpoint = "{emulator.url}"\n'
    )
    for name in ("attendWebinar", "visitStore"):
        write_type(project, name)
    applied = cli("apply", "-e", "staging", "--yes", cwd=project, env=emulator.env)
    assert applied.exit_code == 0, applied.output
    return project / "activities" / ".lock" / "staging.json"


def _swap_ids(path: Path) -> None:
    data = json.loads(path.read_text())
    types = data["types"]
    types["attendWebinar"]["id"], types["visitStore"]["id"] = (
        types["visitStore"]["id"], types["attendWebinar"]["id"],
    )
    path.write_text(json.dumps(data, indent=2, sort_keys=True) + "\n")


def test_show_prints_what_the_lock_holds_for_which_instance_and_commit(
    project: Path, emulator: Any, cli: Any
) -> None:
    path = _staging(project, emulator, cli)
    lock = json.loads(path.read_text())
    host = emulator.url.removeprefix("http://")
    no_credentials = {"MARKETO_CLIENT_ID": "", "MARKETO_CLIENT_SECRET": ""}

    shown = cli("lock", "show", "-e", "staging", cwd=project, env=no_credentials)

    assert shown.exit_code == 0, shown.output
    lines = shown.stdout.splitlines()
    assert lines[:4] == [
        "Lock file activities/.lock/staging.json",
        f"  for:        environment 'staging' (host {host})",
        f"  written by: activities {lock['toolVersion']} at {lock['updatedAt']}, commit "
        "(none: not in git)",
        f"  in use:     it is the lock of environment 'staging' (host {host})",
    ]
    assert lines[4] == "  types (2):"
    live = read(emulator)
    assert lines[5].split()[:5] == [
        "attendWebinar", "id", str(live.types["attendWebinar"].id), "version", "1",
    ]
    as_json = cli("lock", "show", "-e", "staging", "--json", cwd=project, env=no_credentials)
    data = json.loads(as_json.stdout)
    assert (data["inUse"], data["endpointHost"], sorted(data["types"])) == (
        True, host, ["attendWebinar", "visitStore"],
    )


def test_show_says_why_a_lock_is_not_used_and_exits_1(
    project: Path, emulator: Any, cli: Any
) -> None:
    path = _staging(project, emulator, cli)
    data = json.loads(path.read_text())
    data["endpointHost"] = "987-XYZ-654.mktorest.com"
    path.write_text(json.dumps(data))

    shown = cli("lock", "show", "-e", "staging", cwd=project)

    assert shown.exit_code == 1
    assert "  NOT USED:   the lock file activities/.lock/staging.json is not used: it was " \
        "written for host 987-XYZ-654.mktorest.com, not " in shown.stdout
    missing = cli("lock", "show", cwd=project)  # local: no apply recorded one
    assert missing.exit_code == 1
    assert missing.stdout.startswith(
        "No lock to show: no lock file at .activities/lock/local.json (no apply has recorded "
        "one yet).\n  fix: `activities lock repair` rebuilds it"
    )


def test_repair_shows_what_it_writes_then_rebuilds_swapped_ids(
    project: Path, emulator: Any, cli: Any
) -> None:
    path = _staging(project, emulator, cli)
    _swap_ids(path)
    broken = path.read_bytes()
    live = read(emulator)
    webinar, store = live.types["attendWebinar"].id, live.types["visitStore"].id

    refused = cli("lock", "repair", "-e", "staging", cwd=project, env=emulator.env)

    assert refused.exit_code == 1
    assert path.read_bytes() == broken  # no terminal to confirm on: nothing written
    assert "nothing was written (above is what it would write)" in refused.stderr

    repaired = cli("lock", "repair", "-e", "staging", "--yes", cwd=project, env=emulator.env)

    assert repaired.exit_code == 0, repaired.output
    lines = repaired.stderr.splitlines()
    assert lines[0].startswith(
        "Lock file activities/.lock/staging.json rebuilt for environment 'staging' (host "
    )
    assert lines[1].startswith("  (the lock there now is not used: the lock file's id does not ")
    assert lines[2:4] == [
        f"  ~ attendWebinar: id {webinar}, version 1 (was id {store}, version 1)",
        f"  ~ visitStore: id {store}, version 1 (was id {webinar}, version 1)",
    ]
    assert lines[-1] == "Lock file: activities/.lock/staging.json records 2 type(s)."
    lock = json.loads(path.read_text())
    assert {n: e["id"] for n, e in lock["types"].items()} == {
        "attendWebinar": webinar, "visitStore": store,
    }
    drift = cli("drift", "-e", "staging", cwd=project, env=emulator.env)
    assert drift.exit_code == 0 and drift.output.startswith("No drift on staging"), drift.output


def test_repair_of_a_sound_lock_changes_nothing(project: Path, emulator: Any, cli: Any) -> None:
    path = _staging(project, emulator, cli)
    written = path.read_bytes()

    repaired = cli("lock", "repair", "-e", "staging", "--yes", cwd=project, env=emulator.env)

    assert repaired.exit_code == 0, repaired.output
    assert repaired.stderr.splitlines()[-1] == (
        "Nothing to repair: the lock file already says this."
    )
    assert path.read_bytes() == written


def test_repair_leaves_out_a_type_that_is_not_its_definition(
    project: Path, emulator: Any, cli: Any
) -> None:
    path = _staging(project, emulator, cli)
    path.unlink()
    write_type(project, "visitStore", version=2, name="Visits A Store")  # not applied

    repaired = cli("lock", "repair", "-e", "staging", "--yes", cwd=project, env=emulator.env)

    assert repaired.exit_code == 0, repaired.output
    assert (
        "  ! visitStore: not recorded: differs from activities/visitStore.yaml on the instance; "
        "`activities plan -e staging` shows what differs"
    ) in repaired.stderr.splitlines()
    assert sorted(json.loads(path.read_text())["types"]) == ["attendWebinar"]
