"""End to end: `activities plan` and `activities show` against the emulator over HTTP."""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Callable
from pathlib import Path
from typing import Any

from click.testing import Result

from tests.plan.live_setup import seed, write_definition

LIST = "GET /rest/v1/activities/external/types.json"
DESCRIBE = "GET /rest/v1/activities/external/type/{apiName}/describe.json"

Cli = Callable[..., Result]


def calls_since(emulator: Any, before: dict[str, Any]) -> Counter[str]:
    """REST calls by endpoint made after the `before` stats snapshot."""
    after = Counter(emulator.stats()["calls_by_endpoint"])
    after.subtract(before["calls_by_endpoint"])
    return +after


def seeded(emulator: Any, *types: tuple[str, str]) -> dict[str, Any]:
    seed(emulator.url, emulator.config.client_id, emulator.config.client_secret, *types)
    return emulator.stats()  # type: ignore[no-any-return]


def test_plan_reads_with_one_list_and_only_the_describes_each_status_needs(
    cli: Cli, project: Path, emulator: Any
) -> None:
    before = seeded(
        emulator,
        ("sameType", "approved"),
        ("editedType", "approved with draft"),
        ("newDraft", "draft"),
        ("strayType", "approved"),
    )
    folder = project / "activities"
    write_definition(folder, "sameType")
    write_definition(folder, "editedType")
    write_definition(folder, "newDraft")
    write_definition(folder, "brandNew")
    result = cli("plan", "--endpoint", emulator.url, "--detailed-exitcode",
                 cwd=project, env=emulator.env)
    assert result.exit_code == 2, result.output
    # 4 live types, 1 pending draft: 1 + 4 + 1 calls, no more.
    assert calls_since(emulator, before) == Counter({LIST: 1, DESCRIBE: 5})
    assert emulator.stats()["total_calls"] - before["total_calls"] == 6
    assert result.stdout.splitlines()[0] == (
        f"Plan for endpoint ({emulator.url.removeprefix('http://')}): 1 to create, 0 to update, "
        "0 to replace, 0 to delete, 1 draft to approve, 1 draft to discard, 1 unchanged."
    )
    assert (f"    strayType: run `activities import strayType --endpoint {emulator.url}` to "
            "manage it") in result.stdout
    assert result.stdout.endswith(
        "Read the live state with 6 calls; applying this plan takes 5 calls.\n"
    )


def test_plan_saves_json_and_show_renders_it_without_any_call(
    cli: Cli, project: Path, emulator: Any
) -> None:
    write_definition(project / "activities", "brandNew")
    out = project / "plans" / "next.json"
    result = cli("plan", "--endpoint", emulator.url, "--out", str(out), cwd=project,
                 env=emulator.env)
    assert result.exit_code == 0, result.output
    assert result.stderr == (
        # The plan records only the host, so the apply that works names the endpoint again.
        f"Saved the plan to {out}; apply it with "
        f"`activities apply {out} --endpoint {emulator.url}`.\n"
    )
    document = json.loads(out.read_text())
    assert document["readCalls"] == 1
    assert document["estimatedApplyCalls"] == 3
    assert document["fingerprints"] == {"brandNew": "absent"}
    assert document["provenance"]["environment"] == "endpoint"
    assert document["provenance"]["allowDestructive"] is False
    before = emulator.stats()["total_calls"]
    shown = cli("show", str(out), cwd=project)
    assert shown.exit_code == 0
    assert shown.stdout == result.stdout
    as_json = cli("show", str(out), "--format", "json", cwd=project)
    assert as_json.stdout == out.read_text()
    assert emulator.stats()["total_calls"] == before


def test_show_refuses_a_plan_edited_after_it_was_made(
    cli: Cli, project: Path, emulator: Any
) -> None:
    write_definition(project / "activities", "brandNew")
    out = project / "plan.json"
    cli("plan", "--endpoint", emulator.url, "--out", str(out), cwd=project, env=emulator.env)
    out.write_text(out.read_text().replace('"Type brandNew"', '"Type brandNew!"'))
    result = cli("show", str(out), cwd=project)
    assert result.exit_code == 1
    assert result.stderr == (
        f"Error: {out}: the plan's checksum does not match its content: it was edited after it "
        "was made, or is truncated; a plan is applied only as it was reviewed\n"
        f"  fix: make the plan again with `activities plan --out {out}`\n"
    )


def test_apply_of_an_edited_plan_says_to_plan_again_where_it_was_told_to_apply(
    cli: Cli, project: Path, emulator: Any
) -> None:
    # The fix was `activities plan --out FILE`, which plans the built-in `local` instance,
    # not the one `apply FILE --endpoint URL` (or `-e NAME`) was run against.
    write_definition(project / "activities", "brandNew")
    out = project / "plan.json"
    cli("plan", "--endpoint", emulator.url, "--out", str(out), cwd=project, env=emulator.env)
    out.write_text(out.read_text().replace('"Type brandNew"', '"Type brandNew!"'))
    before = emulator.stats()["total_calls"]

    result = cli("apply", str(out), "--endpoint", emulator.url, cwd=project, env=emulator.env)

    assert result.exit_code == 1
    assert result.stderr.endswith(
        f"  fix: make the plan again with `activities plan --out {out} --endpoint "
        f"{emulator.url}`\n")
    assert emulator.stats()["total_calls"] == before


def test_definition_errors_exit_1_before_any_connection(
    cli: Cli, project: Path, emulator: Any
) -> None:
    (project / "activities" / "broken.yaml").write_text("version: 1\napiName: broken\n")
    before = emulator.stats()
    result = cli("plan", "--endpoint", emulator.url, "--detailed-exitcode", cwd=project,
                 env=emulator.env)
    assert result.exit_code == 1
    assert result.stderr.startswith("Error: ")
    assert "activities/broken.yaml" in result.stderr
    after = emulator.stats()
    assert (after["total_calls"], after["token_calls"]) == (
        before["total_calls"], before["token_calls"])


def test_a_refused_plan_exits_1_naming_the_file(cli: Cli, project: Path, emulator: Any) -> None:
    seeded(emulator, ("keepMe", "approved"))
    write_definition(project / "activities", "keepMe", protect=True, ensure="absent")
    result = cli("plan", "--endpoint", emulator.url, "--detailed-exitcode", cwd=project,
                 env=emulator.env)
    assert result.exit_code == 1
    assert result.stdout == ""
    assert result.stderr == (
        "Error: plan refused: 1 problem\n"
        "activities/keepMe.yaml: type keepMe is protected (protect: true) and the plan would "
        "delete the type\n"
        "  fix: revert this change, or first merge a reviewed change that sets `protect: false` "
        "in activities/keepMe.yaml\n"
    )


def test_no_changes_exit_0_with_detailed_exitcode(cli: Cli, project: Path, emulator: Any) -> None:
    seeded(emulator, ("sameType", "approved"))
    write_definition(project / "activities", "sameType")
    result = cli("plan", "--endpoint", emulator.url, "--detailed-exitcode", cwd=project,
                 env=emulator.env)
    assert result.exit_code == 0, result.output
    assert "No changes: the live instance matches the definitions.\n" in result.stdout


def test_markdown_and_json_formats(cli: Cli, project: Path, emulator: Any) -> None:
    write_definition(project / "activities", "brandNew")
    markdown = cli("plan", "--endpoint", emulator.url, "--format", "markdown", cwd=project,
                   env=emulator.env)
    assert markdown.stdout.startswith(
        f"### activities plan for `endpoint` ({emulator.url.removeprefix('http://')})\n")
    as_json = cli("plan", "--endpoint", emulator.url, "--format", "json", cwd=project,
                  env=emulator.env)
    assert json.loads(as_json.stdout)["changes"][0]["action"] == "create"


def test_plan_on_the_default_local_instance(cli: Cli, project: Path) -> None:
    write_definition(project / "activities", "brandNew")
    result = cli("plan", "--detailed-exitcode", cwd=project)
    assert result.exit_code == 2, result.output
    assert result.stdout.splitlines()[0] == (
        "Plan for local (embedded emulator): 1 to create, 0 to update, 0 to replace, "
        "0 to delete, 0 unchanged."
    )
    assert result.stdout.endswith(
        "Read the live state with 1 call; applying this plan takes 3 calls.\n"
    )
    assert (project / ".activities").is_dir()


def test_a_refused_destructive_plan_says_how_to_allow_it_for_the_same_instance(
    cli: Cli, project: Path, emulator: Any
) -> None:
    # It said `activities plan --allow-destructive`, which plans the built-in local instance.
    seeded(emulator, ("shrinks", "approved"))
    write_definition(project / "activities", "shrinks",
                     attributes=[{"apiName": "amount", "name": "Amount", "dataType": "integer"}])
    for form in ("text", "markdown"):
        result = cli("plan", "--endpoint", emulator.url, "--format", form, cwd=project,
                     env=emulator.env)
        assert result.exit_code == 0, result.output
        assert f"`activities plan --allow-destructive --endpoint {emulator.url}`" in (
            result.stdout
        ), form


def test_allow_destructive_is_recorded_for_apply(cli: Cli, project: Path, emulator: Any) -> None:
    before = seeded(emulator, ("shrinks", "approved"))
    write_definition(project / "activities", "shrinks",
                     attributes=[{"apiName": "amount", "name": "Amount", "dataType": "integer"}])
    out = project / "plan.json"
    result = cli("plan", "--endpoint", emulator.url, "--allow-destructive", "--out", str(out),
                 "--detailed-exitcode", cwd=project, env=emulator.env)
    assert result.exit_code == 2, result.output
    assert calls_since(emulator, before) == Counter({LIST: 1, DESCRIBE: 1})
    document = json.loads(out.read_text())
    assert document["provenance"]["allowDestructive"] is True
    [change] = document["changes"]
    assert (change["action"], change["risk"]) == ("update", "destructive")
    assert change["steps"] == [
        {"op": "delete_attributes", "apiName": "shrinks", "attributes": ["note"]},
        {"op": "approve", "apiName": "shrinks"},
    ]
    assert "Apply refuses this plan" not in result.stdout
    assert (
        "    destructive: allowed because the plan was made with --allow-destructive\n"
        in result.stdout
    )


def test_saving_a_plan_apply_would_refuse_does_not_invite_applying_it(
    cli: Cli, project: Path, emulator: Any
) -> None:
    seeded(emulator, ("shrinks", "approved"))
    write_definition(project / "activities", "shrinks",
                     attributes=[{"apiName": "amount", "name": "Amount", "dataType": "integer"}])
    out = project / "plan.json"
    result = cli("plan", "--endpoint", emulator.url, "--out", str(out), cwd=project,
                 env=emulator.env)
    assert result.exit_code == 0, result.output
    assert result.stderr == (
        f"Saved the plan to {out}; apply refuses it as it is (destructive changes not allowed): "
        "after review, make it with "
        f"`activities plan --allow-destructive --out {out} --endpoint {emulator.url}`.\n"
    )


def test_refused_credentials_exit_1_without_showing_the_secret(
    cli: Cli, project: Path, emulator: Any
) -> None:
    env = {"MARKETO_CLIENT_ID": "wrong-id", "MARKETO_CLIENT_SECRET": "wrong-secret-9876"}
    result = cli("plan", "--endpoint", emulator.url, cwd=project, env=env)
    assert result.exit_code == 1
    assert result.stdout == ""
    assert result.stderr.startswith("Error: ")
    assert "Traceback" not in result.stderr
    assert "wrong-secret-9876" not in result.stderr
