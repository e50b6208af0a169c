"""A lock names the instance it describes, and every reader checks it before trusting it."""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

import git

from framework.lock.binding import (
    Instance,
    binding_mismatch,
    environment_instance,
    id_mismatches,
    local_lineage,
)
from framework.lock.model import Lock
from framework.settings import load_settings
from tests.apply.apply_support import read, write_type

TYPES = ("attendWebinar", "visitStore")


def _staging(project: Path, emulator: Any, cli: Any) -> Path:
    """Both types applied to `staging` (the emulator); the path of its lock file."""
    (project / "pyproject.toml").write_text(
        f'[tool.activities.environments.staging]\nendpoint = "{emulator.url}"\n'
    )
    for name in TYPES:
        write_type(project, name)
    applied = cli("apply", "-e", "staging", "--yes", cwd=project, env=emulator.env)
    assert applied.exit_code == 0, applied.output
    return project / "activities" / ".lock" / "staging.json"


def _edit(path: Path, change: Any) -> None:
    data = json.loads(path.read_text())
    change(data)
    path.write_text(json.dumps(data, indent=2, sort_keys=True) + "\n")


def _swap_ids(data: dict[str, Any]) -> None:
    """What a bad merge-conflict resolution does: the two `id` lines swapped."""
    types = data["types"]
    types["attendWebinar"]["id"], types["visitStore"]["id"] = (
        types["visitStore"]["id"], types["attendWebinar"]["id"],
    )


def test_a_lock_records_its_instance(project: Path, emulator: Any, cli: Any) -> None:
    path = _staging(project, emulator, cli)
    lock = Lock.model_validate_json(path.read_text())
    here = environment_instance(load_settings(project), "staging")
    assert here == Instance("staging", emulator.url.removeprefix("http://"))
    assert binding_mismatch(lock, here) is None
    assert "instanceLineage" not in json.loads(path.read_text())  # local only


def test_with_swapped_ids_drift_blames_the_lock_not_the_instance(
    project: Path, emulator: Any, cli: Any
) -> None:
    """Reproduction 2: drift said "[recreated] ... its id was 100004, now 100001"."""
    path = _staging(project, emulator, cli)
    live = read(emulator)
    webinar, store = live.types["attendWebinar"].id, live.types["visitStore"].id
    _edit(path, _swap_ids)

    drift = cli("drift", "-e", "staging", cwd=project, env=emulator.env)

    assert "[recreated]" not in drift.output
    assert (
        "The lock file's id does not match the instance (lock file "
        "activities/.lock/staging.json; "
        "a hand edit or a bad merge-conflict resolution does this): "
        f"attendWebinar: {store} in the lock file, {webinar} on the instance ({store} is "
        f"visitStore's id there); visitStore: {webinar} in the lock file, {store} on the "
        f"instance ({webinar} is attendWebinar's id there); `activities lock repair -e staging` "
        "rebuilds it from the instance and the definitions"
    ) in drift.output.replace("\n", " ")
    assert drift.exit_code == 0, drift.output  # the instance is as the definitions say


def test_with_swapped_ids_plan_says_the_lock_does_not_match(
    project: Path, emulator: Any, cli: Any
) -> None:
    path = _staging(project, emulator, cli)
    _edit(path, _swap_ids)

    planned = cli("plan", "-e", "staging", cwd=project, env=emulator.env)

    assert planned.exit_code == 0, planned.output
    warning = [line for line in planned.stderr.splitlines() if line.startswith("Warning:")]
    assert len(warning) == 1
    assert warning[0].startswith(
        "Warning: the lock file's id does not match the instance (lock file "
        "activities/.lock/staging.json; "
    )
    assert warning[0].endswith("would send records to the wrong type.")


def test_ids_refuses_a_lock_written_for_another_host(
    project: Path, emulator: Any, cli: Any
) -> None:
    path = _staging(project, emulator, cli)
    _edit(path, lambda data: data.update(endpointHost="987-XYZ-654.mktorest.com"))
    host = emulator.url.removeprefix("http://")

    ids = cli("ids", "-e", "staging", cwd=project, env=emulator.env)

    assert ids.exit_code == 0, ids.output
    assert ids.stderr.splitlines()[0] == (
        f"Ids of staging read from the instance ({host}, 2 types); the lock file "
        "activities/.lock/staging.json is not used: it was written for host "
        f"987-XYZ-654.mktorest.com, not {host}; `activities lock repair -e staging` rebuilds "
        "it from the instance and the definitions."
    )
    live = read(emulator)
    webinar, store = live.types["attendWebinar"].id, live.types["visitStore"].id
    assert ids.stdout.splitlines() == [f"attendWebinar  {webinar}", f"visitStore     {store}"]


def test_lint_env_refuses_a_lock_written_for_another_environment(
    project: Path, emulator: Any, cli: Any
) -> None:
    path = _staging(project, emulator, cli)
    _edit(path, lambda data: data.update(environment="production"))
    repo = git.Repo.init(project)
    repo.index.add(["activities", "pyproject.toml"])
    repo.index.commit("applied")
    no_credentials = {"MARKETO_CLIENT_ID": "", "MARKETO_CLIENT_SECRET": ""}

    linted = cli("lint", "--base", "HEAD", "-e", "staging", cwd=project, env=no_credentials)

    # Without the lock it must read the instance, which needs the credentials it lacks.
    assert linted.exit_code == 1, linted.output
    assert "needs credentials" in linted.output


def test_a_local_lock_copied_from_another_project_is_refused(
    tmp_path: Path, cli: Any
) -> None:
    first, second = tmp_path / "first", tmp_path / "second"
    for project in (first, second):
        (project / "activities").mkdir(parents=True)
        (project / "pyproject.toml").write_text("[tool.activities]\nmax_types = 10\n")
        write_type(project, "attendWebinar")
    for project in (first, second):
        assert cli("apply", "--yes", cwd=project).exit_code == 0
    ours, theirs = (local_lineage(load_settings(p)) for p in (second, first))
    assert ours and theirs and ours != theirs
    shutil.copy(first / ".activities/lock/local.json", second / ".activities/lock/local.json")

    ids = cli("ids", cwd=second)

    assert ids.exit_code == 0, ids.output
    assert ids.stderr.splitlines()[0].startswith(
        "Ids of local read from the instance (embedded emulator, 1 type); the lock file "
        ".activities/lock/local.json is not used: it was written for another local state "
        f"(lineage {theirs}), not this project's (lineage {ours})"
    )


def test_id_mismatches_leave_a_genuine_recreate_to_drift() -> None:
    from framework.live import LiveState

    lock = Lock.model_validate_json(_lock_json(a=1, b=2))
    recreated = LiveState.model_validate(_live(a=3, b=2))
    assert id_mismatches(lock, recreated) == []
    swapped = LiveState.model_validate(_live(a=2, b=1))
    assert id_mismatches(lock, swapped) == [
        "a: 1 in the lock file, 2 on the instance (1 is b's id there)",
        "b: 2 in the lock file, 1 on the instance (2 is a's id there)",
    ]


def _version(name: str) -> dict[str, Any]:
    return {
        "apiName": name, "name": name, "description": "", "triggerName": f"Does {name}",
        "filterName": f"Did {name}",
        "primaryAttribute": {"apiName": "title", "name": "Title", "dataType": "string"},
        "attributes": [],
    }


def _live(**ids: int) -> dict[str, Any]:
    return {"types": {
        name: {"apiName": name, "id": value, "status": "approved", "approved": _version(name)}
        for name, value in ids.items()
    }}


def _lock_json(**ids: int) -> str:
    live = _live(**ids)["types"]
    return json.dumps({
        "environment": "staging", "endpointHost": "h", "toolVersion": "0", "updatedAt": "t",
        "types": {
            name: {"id": value, "version": 1, "fingerprint": "f", "appliedAt": "t",
                   "gitCommit": None, "state": live[name]}
            for name, value in ids.items()
        },
    })


def test_send_does_not_use_a_lock_written_for_another_host(
    project: Path, emulator: Any, cli: Any
) -> None:
    """Reproduction 2: with another instance's lock, send took its id and stored the records
    as another type's. It now refuses that lock and looks the id up (the same one call)."""
    path = _staging(project, emulator, cli)
    _edit(path, lambda data: data.update(endpointHost="987-XYZ-654.mktorest.com"))
    _edit(path, _swap_ids)  # what that other instance's ids would be here
    (project / "r.jsonl").write_text(json.dumps({
        "leadId": 1, "activityDate": "2026-09-26T06:56:35+07:00",
        "primaryAttributeValue": "Intro", "attributes": {},
    }) + "\n")
    webinar = read(emulator).types["attendWebinar"].id

    sent = cli("send", "attendWebinar", "r.jsonl", "-e", "staging", cwd=project,
               env=emulator.env)

    assert sent.exit_code == 0, sent.output
    assert sent.stdout.splitlines()[0] == (
        f"attendWebinar records from r.jsonl, type id {webinar} from the instance, looked up "
        "by apiName (1 call; the lock file activities/.lock/staging.json is not used: it was "
        "written for host 987-XYZ-654.mktorest.com, not "
        f"{emulator.url.removeprefix('http://')}; `activities lock repair -e staging` rebuilds "
        "it from the instance and the definitions):"
    )
