"""`activities apply` end to end: the CLI against the emulator over a loopback socket."""

from __future__ import annotations

import json
import re
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest

from tests.apply.apply_support import mutating_calls, read, saved_plan, write_type

TYPE = "/rest/v1/activities/external/type"
LIST = "GET /rest/v1/activities/external/types.json"
DESCRIBE = f"GET {TYPE}/{{apiName}}/describe.json"
CREATE = "POST /rest/v1/activities/external/type.json"
ATTRIBUTES = f"POST {TYPE}/{{apiName}}/attributes/create.json"
APPROVE = f"POST {TYPE}/{{apiName}}/approve.json"
DELETE = f"POST {TYPE}/{{apiName}}/delete.json"


def _endpoint(emulator: Any) -> list[str]:
    return ["--endpoint", emulator.url]


def test_apply_saved_plan_then_no_changes_and_reapply_is_a_noop(
    project: Path, emulator: Any, cli: Any
) -> None:
    write_type(project, "attendClass")
    write_type(
        project,
        "buyBook",
        attributes=(("isbn", "string"), ("price", "currency"), ("pages", "integer")),
    )
    plan = saved_plan(project, emulator)
    before = emulator.stats()["calls_by_endpoint"]

    applied = cli(
        "apply", "plans/reviewed.json", *_endpoint(emulator), cwd=project, env=emulator.env
    )

    assert applied.exit_code == 0, applied.output
    assert applied.stdout == (
        "Applied and verified: the live types match the plan (2 done).\n"
        "  attendClass (create): done, 3 of 3 step(s) done by this run\n"
        "  buyBook (create): done, 3 of 3 step(s) done by this run\n"
        "Calls: 10 call(s), 6 of them changing something.\n"
        "Journal: plans/reviewed.journal.jsonl\n"
    )
    after = emulator.stats()["calls_by_endpoint"]
    made = {
        key: after[key] - before.get(key, 0) for key in after if after[key] != before.get(key, 0)
    }
    # Pre-flight list; create, attributes, approve per type; verify: list + 2 describes. The
    # lock is written from the verify's read (it used to read list + 2 describes again).
    assert made == {LIST: 2, CREATE: 2, ATTRIBUTES: 2, APPROVE: 2, DESCRIBE: 2}
    live = read(emulator)
    assert sorted(live.types) == ["attendClass", "buyBook"]
    assert all(t.status == "approved" for t in live.types.values())
    assert [a.apiName for a in live.types["buyBook"].approved.attributes] == [
        "isbn",
        "pages",
        "price",
    ]  # type: ignore[union-attr]

    replanned = cli(
        "plan", "--detailed-exitcode", *_endpoint(emulator), cwd=project, env=emulator.env
    )
    assert replanned.exit_code == 0, replanned.output

    mutating = mutating_calls(emulator)
    again = cli("apply", str(plan), *_endpoint(emulator), cwd=project, env=emulator.env)
    assert again.exit_code == 0, again.output
    assert mutating_calls(emulator) == mutating
    assert again.stdout == (
        "The plan is already applied: every type it changes is already at its target. Nothing "
        "was changed (3 call(s), 0 of them changing something).\n"
        f"Journal: plans/{plan.stem}.journal.jsonl\n"
    )


def test_stale_plan_is_refused_with_what_changed(project: Path, emulator: Any, cli: Any) -> None:
    write_type(project, "attendClass")
    saved_plan(project, emulator, "first")
    write_type(project, "attendClass", version=2, name="Attend Lesson")
    # Someone applies another plan first: the reviewed one no longer matches the live state.
    saved_plan(project, emulator, "other")
    assert (
        cli(
            "apply", "plans/other.json", *_endpoint(emulator), cwd=project, env=emulator.env
        ).exit_code
        == 0
    )
    write_type(project, "attendClass")  # the reviewed plan's checkout: other came from a branch
    mutating = mutating_calls(emulator)

    stale = cli("apply", "plans/first.json", *_endpoint(emulator), cwd=project, env=emulator.env)

    assert stale.exit_code == 1
    assert stale.stderr.endswith(
        "Error: plans/first.json is stale: the live instance changed since the plan was made, "
        "and is neither as planned nor as the plan would leave it; nothing was changed\n"
        "  - attendClass: absent when planned; now exists (approved); differs from the plan's "
        "target: name is now 'Attend Lesson' (should be 'AttendClass')\n"
        f"  fix: make a new plan (`activities plan --endpoint {emulator.url}`), review it, and "
        "apply that one\n"
    )
    assert mutating_calls(emulator) == mutating


def test_changed_live_type_is_described_before_and_now(
    project: Path, emulator: Any, cli: Any
) -> None:
    write_type(project, "attendClass")
    saved_plan(project, emulator, "create")
    cli("apply", "plans/create.json", *_endpoint(emulator), cwd=project, env=emulator.env)
    add_room = write_type(
        project,
        "attendClass",
        version=2,
        attributes=(("seats", "integer"), ("venue", "string"), ("room", "string")),
    ).read_text()
    saved_plan(project, emulator, "add-room")
    write_type(project, "attendClass", version=3, attributes=(("seats", "integer"),))
    saved_plan(project, emulator, "drop-venue", allow_destructive=True)
    assert (
        cli(
            "apply", "plans/drop-venue.json", *_endpoint(emulator), cwd=project, env=emulator.env
        ).exit_code
        == 0
    )
    # Back on the reviewed plan's commit (drop-venue was applied from another branch).
    (project / "activities" / "attendClass.yaml").write_text(add_room)

    stale = cli("apply", "plans/add-room.json", *_endpoint(emulator), cwd=project, env=emulator.env)

    assert stale.exit_code == 1
    assert (
        "  - attendClass: attributes removed: venue; differs from the plan's target: "
        "attributes missing: room, venue\n"
    ) in stale.stderr


def test_destructive_plan_without_allowance_is_refused_before_any_mutating_call(
    project: Path, emulator: Any, cli: Any
) -> None:
    write_type(project, "attendClass")
    write_type(project, "buyBook")
    saved_plan(project, emulator, "create")
    cli("apply", "plans/create.json", *_endpoint(emulator), cwd=project, env=emulator.env)
    write_type(project, "attendClass", version=2, ensure="absent")
    write_type(project, "buyBook", version=2, attributes=(("seats", "integer"),))
    saved_plan(project, emulator, "destroy")
    mutating = mutating_calls(emulator)
    total = emulator.stats()["total_calls"]

    refused = cli(
        "apply", "plans/destroy.json", *_endpoint(emulator), cwd=project, env=emulator.env
    )

    assert refused.exit_code == 1
    assert refused.stderr == (
        "Error: refusing to apply: the plan has destructive changes (deletes and replaces lose "
        "activity history; attribute drops take attributes out of Smart List filters) that are "
        "not allowed; nothing was changed\n"
        "  - attendClass (activities/attendClass.yaml): delete: ensure: absent; type attendClass "
        "is deleted with its Smart List trigger and filter; Marketo refuses (1022) while a smart "
        "list or campaign still uses it, and its history is lost\n"
        # The reason is the attribute removed, not the routine words every update carries.
        "  - buyBook (activities/buyBook.yaml): update: attribute venue is removed; records "
        "sent before the approve keep their old attributes, values included, but the type's "
        "Smart List filters can no longer use it, and records sent after the approve cannot "
        "carry it"
        "\n  fix: review the destructive changes, then make the plan again with "
        f"`activities plan --allow-destructive --endpoint {emulator.url}` (or "
        f"`activities apply --allow-destructive --endpoint {emulator.url}`)\n"
    )
    assert mutating_calls(emulator) == mutating
    assert emulator.stats()["total_calls"] == total  # refused before connecting at all


def test_destructive_plan_made_with_allowance_deletes(
    project: Path, emulator: Any, cli: Any
) -> None:
    write_type(project, "attendClass")
    saved_plan(project, emulator, "create")
    cli("apply", "plans/create.json", *_endpoint(emulator), cwd=project, env=emulator.env)
    write_type(project, "attendClass", version=2, ensure="absent")
    saved_plan(project, emulator, "delete", allow_destructive=True)

    applied = cli("apply", "plans/delete.json", *_endpoint(emulator), cwd=project, env=emulator.env)

    assert applied.exit_code == 0, applied.output
    assert "  attendClass (delete): done, 1 of 1 step(s) done by this run\n" in applied.stdout
    assert read(emulator).types == {}


def test_plan_for_another_instance_is_refused(
    project: Path, emulator: Any, emulator_factory: Any, cli: Any
) -> None:
    write_type(project, "attendClass")
    saved_plan(project, emulator)
    other = emulator_factory()

    refused = cli(
        "apply", "plans/reviewed.json", "--endpoint", other.url, cwd=project, env=other.env
    )

    host, other_host = emulator.url.split("//")[1], other.url.split("//")[1]
    assert refused.exit_code == 1
    assert refused.stderr == (
        f"Error: refusing to apply plans/reviewed.json: it was made for environment 'endpoint' "
        f"(host {host}), but this apply targets environment 'endpoint' (host {other_host}); "
        "nothing was changed\n"
        f"  fix: apply it to the instance it was reviewed for (--endpoint {emulator.url}), or "
        f"make a plan for this one with `activities plan --endpoint {other.url}`\n"
    )
    assert other.stats()["total_calls"] == 0


def test_interactive_apply_without_terminal_or_yes_refuses(
    project: Path, emulator: Any, cli: Any
) -> None:
    write_type(project, "attendClass")

    refused = cli("apply", *_endpoint(emulator), cwd=project, env=emulator.env)

    assert refused.exit_code == 1
    # The hint repeats the instance the user ran with: without it, it would plan `local`.
    assert refused.stderr == (
        "Error: refusing to apply without confirmation: there is no terminal to ask on; nothing "
        "was changed\n  fix: pass --yes, or save a plan with `activities plan --out "
        f"plans/NAME.json --endpoint {emulator.url}`, review it, and run `activities apply "
        f"plans/NAME.json --endpoint {emulator.url}`\n"
    )
    assert emulator.stats()["total_calls"] == 0


class _Terminal:
    def __init__(self, tty: bool) -> None:
        self.tty = tty

    def isatty(self) -> bool:
        return self.tty


def test_ctrl_c_or_ctrl_d_at_the_prompt_is_a_no(
    project: Path, emulator: Any, cli: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    write_type(project, "attendClass")
    # A terminal on stdin, so apply asks; the empty input ends the prompt as Ctrl+D does
    # (click turns Ctrl+C and Ctrl+D alike into Abort).
    terminal = SimpleNamespace(stdin=_Terminal(True), stdout=_Terminal(False),
                               stderr=_Terminal(False))
    monkeypatch.setattr("framework.commands.apply.sys", terminal)

    declined = cli("apply", *_endpoint(emulator), cwd=project, env=emulator.env, input="")

    assert declined.exit_code == 1, declined.output
    assert declined.stderr == "Apply this plan? [y/N]: \nNot applied; nothing was changed.\n"
    assert emulator.stats()["mutating_calls"] == 0


def test_interactive_apply_with_yes_saves_plan_and_journal(
    project: Path, emulator: Any, cli: Any
) -> None:
    write_type(project, "attendClass")

    applied = cli("apply", "--yes", *_endpoint(emulator), cwd=project, env=emulator.env)

    assert applied.exit_code == 0, applied.output
    saved = sorted(p.name for p in (project / "plans").iterdir())
    assert len(saved) == 2
    plan_name, journal_name = sorted(saved, key=len)
    assert re.fullmatch(r"apply-\d{8}T\d{6}\.\d{6}Z-[0-9a-f]{6}\.json", plan_name)
    assert journal_name == plan_name.replace(".json", ".journal.jsonl")
    assert applied.stdout.startswith("Plan for endpoint")
    assert applied.stdout.endswith(f"Journal: plans/{journal_name}\n")
    again = cli("apply", "--yes", *_endpoint(emulator), cwd=project, env=emulator.env)
    assert again.exit_code == 0
    assert again.stderr.endswith("No changes.\n")


def test_json_output_is_one_event_per_line_ending_with_the_summary(
    project: Path, emulator: Any, cli: Any
) -> None:
    write_type(project, "attendClass", attributes=())
    saved_plan(project, emulator)

    applied = cli(
        "apply",
        "plans/reviewed.json",
        "--json",
        *_endpoint(emulator),
        cwd=project,
        env=emulator.env,
    )

    assert applied.exit_code == 0, applied.output
    events = [json.loads(line) for line in applied.stdout.splitlines()]
    steps = [(e["op"], e["status"]) for e in events if e["event"] == "step"]
    assert steps == [
        ("create_type", "started"),
        ("create_type", "done"),
        ("approve", "started"),
        ("approve", "done"),
    ]
    assert [e["event"] for e in events if e["event"] != "step"] == [
        "preflight",
        "phase",
        "phase",
        "verify",
        "summary",
    ]
    summary = events[-1]
    assert (
        summary["outcome"] == "applied" and summary["ok"] is True and summary["rolledBack"] is False
    )
    assert summary["types"] == [
        {
            "apiName": "attendClass",
            "action": "create",
            "state": "applied",
            "stepsDone": 2,
            "stepsSkipped": 0,
            "stepsTotal": 2,
            "detail": "",
        }
    ]
    assert (summary["calls"], summary["mutatingCalls"]) == (5, 2)


def test_journal_holds_every_step_and_no_secret(project: Path, emulator: Any, cli: Any) -> None:
    write_type(project, "attendClass")
    saved_plan(project, emulator)

    cli("apply", "plans/reviewed.json", *_endpoint(emulator), cwd=project, env=emulator.env)

    text = (project / "plans" / "reviewed.journal.jsonl").read_text()
    lines = [json.loads(line) for line in text.splitlines()]
    assert [line["event"] for line in lines] == ["begin"] + ["step"] * 6 + ["end"]
    assert [(x["op"], x["status"]) for x in lines[1:-1]] == [
        ("create_type", "started"),
        ("create_type", "done"),
        ("create_attributes", "started"),
        ("create_attributes", "done"),
        ("approve", "started"),
        ("approve", "done"),
    ]
    assert lines[-1]["outcome"] == "applied"
    assert emulator.config.client_secret not in text and emulator.config.client_id not in text
    assert "access_token" not in text and "Bearer" not in text
