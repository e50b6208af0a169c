"""Custom object types end to end: plan and apply through the CLI against the emulator over a
loopback socket, beside activity types, with the calls made, the lock, stale plans, refusals
naming dependent assets, and replaces."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from tests.apply.apply_support import mutating_calls, write_type

SCHEMA = "/rest/v1/customobjects/schema"
SYNC = f"POST {SCHEMA}.json"
ADD = f"POST {SCHEMA}/{{apiName}}/addField.json"
APPROVE = f"POST {SCHEMA}/{{apiName}}/approve.json"
DELETE = f"POST {SCHEMA}/{{apiName}}/delete.json"
ASSETS = f"GET {SCHEMA}/{{apiName}}/dependentAssets.json"

COURSE = """\
kind: customObject
version: {version}
apiName: course
displayName: Course
description: {description}
fields:
  - {{name: code, displayName: Code, dataType: {code_type}, isDedupeField: true}}
  - {{name: title, displayName: Title, dataType: string}}
"""
ENROLLMENT = """\
kind: customObject
version: 1
apiName: enrollment
displayName: Enrollment
pluralName: Enrollments
showInLeadDetail: true
fields:
  - {name: code, displayName: Code, dataType: string, isDedupeField: true}
  - {name: courseId, displayName: Course, dataType: link, relatedTo: {name: course, field: code}}
  - {name: personId, displayName: Person, dataType: link, relatedTo: {name: lead, field: id}}
"""


def write_course(project: Path, *, version: int = 1, description: str = "A course",
                 code_type: str = "string") -> None:
    (project / "activities" / "course.yaml").write_text(
        COURSE.format(version=version, description=description, code_type=code_type))


def endpoint(emulator: Any) -> list[str]:
    return ["--endpoint", emulator.url]


def calls(emulator: Any) -> dict[str, int]:
    return {k: v for k, v in emulator.stats()["calls_by_endpoint"].items() if "customobjects" in k}


def test_a_mixed_repository_is_planned_applied_and_locked(
    project: Path, emulator: Any, cli: Any
) -> None:
    write_type(project, "attendClass")
    write_course(project)
    (project / "activities" / "enrollment.yaml").write_text(ENROLLMENT)

    planned = cli("plan", "--out", "plans/p.json", *endpoint(emulator), cwd=project,
                  env=emulator.env)
    assert planned.exit_code == 0, planned.output
    assert (
        "Order of calls (apply runs exactly this; types of a phase run concurrently, each "
        "type's steps in turn):\n"
        "    wave 1, staging: attendClass\n"
        "    wave 1, approving: attendClass\n"
        "    custom objects wave 1, staging: course\n"
        "    custom objects wave 1, approving: course\n"
        "    custom objects wave 2, staging: enrollment\n"
        "    custom objects wave 2, approving: enrollment\n"
    ) in planned.stdout
    applied = cli("apply", "plans/p.json", *endpoint(emulator), cwd=project, env=emulator.env)

    assert applied.exit_code == 0, applied.output
    assert applied.stdout.startswith(
        "Applied and verified: the live types match the plan (3 done).\n"
        "  attendClass (create): done, 3 of 3 step(s) done by this run\n"
        "  course (create): done, 3 of 3 step(s) done by this run\n"
        "  enrollment (create): done, 3 of 3 step(s) done by this run\n"
    )
    assert calls(emulator) == {
        # plan, apply's pre-flight, verify (the lock is written from the verify's read)
        f"GET {SCHEMA}.json": 3,
        f"GET {SCHEMA}/{{apiName}}/describe.json": 2,  # verify
        SYNC: 2, ADD: 2, APPROVE: 2,
    }
    [lock_file] = (project / "activities" / ".lock").glob("endpoint-*.json")
    lock = json.loads(lock_file.read_text())
    assert sorted(lock["objects"]) == ["course", "enrollment"]
    assert lock["objects"]["course"]["version"] == 1
    assert sorted(lock["types"]) == ["attendClass"]

    replanned = cli("plan", "--detailed-exitcode", *endpoint(emulator), cwd=project,
                    env=emulator.env)
    assert replanned.exit_code == 0, replanned.output


def test_a_change_lands_in_a_draft_and_keys_never_read_back_plan_nothing(
    project: Path, emulator: Any, cli: Any
) -> None:
    write_course(project)
    assert cli("apply", "--yes", *endpoint(emulator), cwd=project,
               env=emulator.env).exit_code == 0
    text = (project / "activities" / "course.yaml").read_text()
    (project / "activities" / "course.yaml").write_text(
        text.replace("version: 1", "version: 2").replace(
            "fields:", "pluralName: Courses\nshowInLeadDetail: true\nfields:"))

    unchanged = cli("plan", "--detailed-exitcode", *endpoint(emulator), cwd=project,
                    env=emulator.env)
    assert unchanged.exit_code == 0, unchanged.output
    write_course(project, version=3, description="A course we teach")
    changed = cli("apply", "--yes", *endpoint(emulator), cwd=project, env=emulator.env)

    assert changed.exit_code == 0, changed.output
    assert "~ update course (custom object)  [safe]" in changed.stdout
    assert "description changes from 'A course' to 'A course we teach'" in changed.stdout
    assert cli("plan", "--detailed-exitcode", *endpoint(emulator), cwd=project,
               env=emulator.env).exit_code == 0


def test_a_type_in_use_is_refused_naming_each_asset(
    project: Path, emulator: Any, cli: Any
) -> None:
    write_course(project)
    assert cli("apply", "--yes", *endpoint(emulator), cwd=project,
               env=emulator.env).exit_code == 0
    emulator.declare_asset("course", "Smart Campaign", 3773, "Courses.Enrolled (Smart List)",
                           ("code",))
    emulator.declare_asset("course", "Smart List", 12, "Course takers")
    (project / "activities" / "course.yaml").write_text(
        COURSE.format(version=2, description="A course", code_type="string")
        + "ensure: absent\n")
    before = mutating_calls(emulator)

    refused = cli("plan", "--allow-destructive", *endpoint(emulator), cwd=project,
                  env=emulator.env)

    assert refused.exit_code == 1
    assert refused.stderr == (
        "Error: plan refused: 1 problem\n"
        "activities/course.yaml: custom object type course is in use, and Marketo refuses to "
        "delete a type while assets use it: Smart Campaign 3773 'Courses.Enrolled (Smart "
        "List)'; Smart List 12 'Course takers'\n"
        "  fix: remove the type from those assets in Marketo (Get Custom Object Type Dependent "
        "Assets lists them), then make the plan again\n"
    )
    assert calls(emulator)[ASSETS] == 1
    assert mutating_calls(emulator) == before


def test_a_dedupe_change_replaces_the_type_once_allowed(
    project: Path, emulator: Any, cli: Any
) -> None:
    write_course(project)
    assert cli("apply", "--yes", *endpoint(emulator), cwd=project,
               env=emulator.env).exit_code == 0
    write_course(project, version=2, code_type="integer")

    refused = cli("apply", "--yes", *endpoint(emulator), cwd=project, env=emulator.env)
    assert refused.exit_code == 1
    assert "-/+ replace course (custom object)  [destructive]" in refused.stdout
    replaced = cli("apply", "--yes", "--allow-destructive", *endpoint(emulator), cwd=project,
                   env=emulator.env)

    assert replaced.exit_code == 0, replaced.output
    assert "course (replace): done, 4 of 4 step(s) done by this run" in replaced.stdout
    assert cli("plan", "--detailed-exitcode", *endpoint(emulator), cwd=project,
               env=emulator.env).exit_code == 0


def test_a_stale_plan_is_refused_with_what_changed(
    project: Path, emulator: Any, cli: Any
) -> None:
    write_course(project)
    assert cli("apply", "--yes", *endpoint(emulator), cwd=project,
               env=emulator.env).exit_code == 0
    write_course(project, version=2, description="First")
    assert cli("plan", "--out", "plans/first.json", *endpoint(emulator), cwd=project,
               env=emulator.env).exit_code == 0
    write_course(project, version=3, description="Second")
    assert cli("apply", "--yes", *endpoint(emulator), cwd=project,
               env=emulator.env).exit_code == 0
    write_course(project, version=2, description="First")  # the reviewed plan's checkout
    before = mutating_calls(emulator)

    stale = cli("apply", "plans/first.json", *endpoint(emulator), cwd=project, env=emulator.env)

    assert stale.exit_code == 1
    assert stale.stderr == (
        "Error: plans/first.json is stale: the live instance changed since the plan was made, "
        "and is neither as planned nor as the plan would leave it; nothing was changed\n"
        "  - course: description is now 'Second' (was 'A course')\n"
        f"  fix: make a new plan (`activities plan --endpoint {emulator.url}`), review it, and "
        "apply that one\n"
    )
    assert mutating_calls(emulator) == before


def test_the_plan_renders_custom_objects_in_every_format(
    project: Path, emulator: Any, cli: Any
) -> None:
    write_course(project)
    assert cli("plan", "--out", "plans/p.json", *endpoint(emulator), cwd=project,
               env=emulator.env).exit_code == 0

    markdown = cli("show", "plans/p.json", "--format", "markdown", cwd=project)
    as_json = json.loads(cli("show", "plans/p.json", "--format", "json", cwd=project).stdout)

    assert "<details><summary><code>+ create course (custom object)</code>" in markdown.stdout
    assert [c["apiName"] for c in as_json["objectChanges"]] == ["course"]
    assert as_json["objectChanges"][0]["steps"][0] == {
        "op": "sync_object_type", "apiName": "course", "action": "createOnly",
        "displayName": "Course", "pluralName": None, "description": "A course",
        "showInLeadDetail": False}
    assert as_json["objectOrder"] == [{"number": 1, "types": ["course"], "after": {}}]


def _client(emulator: Any) -> Any:
    from framework.client.marketo import MarketoClient

    return MarketoClient(emulator.url, emulator.config.client_id, emulator.config.client_secret)


async def _edit_live(emulator: Any) -> None:
    async with _client(emulator) as client:
        await client.sync_object_type({"action": "updateOnly", "apiName": "course",
                                       "description": "Edited in the UI"})
        await client.approve_object_type("course")
        await client.sync_object_type({"action": "createOnly", "apiName": "boat",
                                       "displayName": "Boat"})


def test_drift_reports_what_changed_on_the_instance_since_apply(
    project: Path, emulator: Any, cli: Any
) -> None:
    import asyncio

    write_course(project)
    assert cli("apply", "--yes", *endpoint(emulator), cwd=project,
               env=emulator.env).exit_code == 0
    assert cli("drift", *endpoint(emulator), cwd=project, env=emulator.env).exit_code == 0
    asyncio.run(_edit_live(emulator))

    drift = cli("drift", "--json", *endpoint(emulator), cwd=project, env=emulator.env)

    assert drift.exit_code == 2, drift.output
    found = [(f["kind"], f["type"], f["field"], f["message"])
             for f in json.loads(drift.stdout)["findings"]]
    assert found == [
        ("appeared", "boat", "(type)", "boat: an unmanaged custom object type appeared on the "
         "instance (draft); `activities import boat` adopts it"),
        ("edited", "course", "description", "course: description was changed from 'A course' "
         "to 'Edited in the UI' on the instance"),
    ]


def test_import_with_no_names_imports_both_kinds(project: Path, emulator: Any, cli: Any) -> None:
    write_type(project, "attendClass")
    write_course(project)
    (project / "activities" / "enrollment.yaml").write_text(ENROLLMENT)
    assert cli("apply", "--yes", *endpoint(emulator), cwd=project,
               env=emulator.env).exit_code == 0
    for name in ("attendClass", "course", "enrollment"):
        (project / "activities" / f"{name}.yaml").unlink()

    imported = cli("import", *endpoint(emulator), cwd=project, env=emulator.env)

    assert imported.exit_code == 0, imported.output
    assert imported.stdout.splitlines()[:3] == [
        "wrote activities/attendClass.yaml: attendClass, its approved version",
        "wrote activities/course.yaml: course, its approved version",
        "wrote activities/enrollment.yaml: enrollment, its approved version",
    ]
    assert (project / "activities" / "course.yaml").read_text().endswith(
        "kind: customObject\nversion: 1\napiName: course\ndisplayName: Course\n"
        "description: A course\nfields:\n"
        "  - name: code\n    displayName: Code\n    dataType: string\n    isDedupeField: true\n"
        "  - name: title\n    displayName: Title\n    dataType: string\n")
    # What Marketo never reads back is not in the imported file: the plan is still empty.
    assert cli("plan", "--detailed-exitcode", *endpoint(emulator), cwd=project,
               env=emulator.env).exit_code == 0
    assert cli("fmt", "--check", cwd=project).exit_code == 0


def test_import_by_name_takes_a_custom_object_type(
    project: Path, emulator: Any, cli: Any
) -> None:
    write_course(project)
    assert cli("apply", "--yes", *endpoint(emulator), cwd=project,
               env=emulator.env).exit_code == 0
    (project / "activities" / "course.yaml").unlink()

    imported = cli("import", "course", *endpoint(emulator), cwd=project, env=emulator.env)

    assert imported.exit_code == 0, imported.output
    assert (project / "activities" / "course.yaml").exists()


@pytest.mark.parametrize("seed", [1, 4])
def test_apply_converges_when_answers_are_lost(
    project: Path, emulator_factory: Any, cli: Any, seed: int
) -> None:
    # About one call in three runs and then loses its answer, or fails transiently: every
    # custom object call answers `result: []`, so apply reads the type back to tell whether
    # the step took effect (seeds 1 and 4 lose 4 answers each); a run that stops anyway is
    # resumed from the journal by applying the same plan again.
    faulty = emulator_factory(fault_rate=0.3, seed=seed, fault_kinds=("lose", "error"))
    write_course(project)
    (project / "activities" / "enrollment.yaml").write_text(ENROLLMENT)
    planned = cli("plan", "--out", "plans/p.json", *endpoint(faulty), cwd=project,
                  env=faulty.env)
    assert planned.exit_code == 0, planned.output
    outcomes = []
    for _ in range(6):
        applied = cli("apply", "plans/p.json", *endpoint(faulty), cwd=project, env=faulty.env)
        outcomes.append(applied.exit_code)
        if applied.exit_code == 0:
            break

    assert outcomes[-1] == 0, outcomes
    assert faulty.stats()["faults"]["lose"] > 0, "the seed lost no answer"
    clean = cli("plan", "--detailed-exitcode", *endpoint(faulty), cwd=project, env=faulty.env)
    assert clean.exit_code in (0, 1)  # 1 only if this plan's reads gave up under faults
    if clean.exit_code == 0:
        assert "No changes" in clean.stdout


def test_target_takes_either_kind(project: Path, emulator: Any, cli: Any) -> None:
    write_type(project, "attendClass")
    write_course(project)

    only_course = cli("plan", "--target", "course", *endpoint(emulator), cwd=project,
                      env=emulator.env)
    only_type = cli("plan", "--exclude", "course", *endpoint(emulator), cwd=project,
                    env=emulator.env)

    assert only_course.exit_code == 0, only_course.output
    assert only_course.stdout.startswith(
        f"Plan for endpoint ({emulator.url.removeprefix('http://')}): 1 to create")
    assert "+ create course (custom object)" in only_course.stdout
    assert "attendClass" not in only_course.stdout
    assert "+ create attendClass" in only_type.stdout
    assert "(excluding course)" in only_type.stdout
    assert "create course" not in only_type.stdout
