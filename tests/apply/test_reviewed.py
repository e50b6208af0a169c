"""A plan is applied only as it was reviewed: edits re-sealed with a fresh sha256 are refused
(the plan is derived again from its own recorded inputs), and with a plan key, so are unsigned
and wrongly signed plans."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from framework.plan.model import Plan
from framework.plan.planfile import dumps
from tests.apply.apply_support import mutating_calls, read, saved_plan, write_type

KEY = "a-ci-secret-of-the-team"


def _reseal(path: Path, edit: Any) -> None:
    """Edit the plan document as a person would, then recompute its plain checksum."""
    document = json.loads(path.read_text())
    edit(document)
    document["checksum"] = ""
    plan = Plan.model_validate(document).sealed()
    path.write_text(dumps(plan))


def _apply(cli: Any, project: Path, emulator: Any, plan: str, **env: str) -> Any:
    return cli(
        "apply", f"plans/{plan}.json", "--endpoint", emulator.url, cwd=project,
        env={**emulator.env, **env},
    )


def _refusal(plan: str, url: str, *lines: str) -> str:
    return (
        f"Error: refusing to apply plans/{plan}.json: it is not the plan its own recorded "
        "definitions and live state make: it was edited after it was made (and sealed again); "
        "nothing was changed\n"
        + "".join(f"  - {line}\n" for line in lines)
        + f"  fix: make a new plan with `activities plan --out FILE --endpoint {url}`, review "
        "it, and apply that one; set ACTIVITIES_PLAN_KEY (a CI secret) to have plans signed\n"
    )


def test_a_step_pointed_at_another_type_is_refused(
    project: Path, emulator: Any, cli: Any
) -> None:
    write_type(project, "attendClass")
    write_type(project, "buyBook")
    saved_plan(project, emulator, "first")
    assert _apply(cli, project, emulator, "first").exit_code == 0
    write_type(project, "attendClass", version=2, name="Attend A Class")
    path = saved_plan(project, emulator, "rename")

    def retarget(document: dict[str, Any]) -> None:
        [change] = [c for c in document["changes"] if c["apiName"] == "attendClass"]
        for step in change["steps"]:
            step["apiName"] = "buyBook"

    _reseal(path, retarget)
    calls = emulator.stats()["total_calls"]

    refused = _apply(cli, project, emulator, "rename")

    assert refused.exit_code == 1, refused.output
    assert refused.stderr == _refusal("rename", emulator.url, "changes[attendClass]: steps differ")
    assert emulator.stats()["total_calls"] == calls  # refused before connecting


def test_allow_destructive_flipped_after_review_is_refused(
    project: Path, emulator: Any, cli: Any
) -> None:
    write_type(project, "attendClass")
    saved_plan(project, emulator, "first")
    assert _apply(cli, project, emulator, "first").exit_code == 0
    write_type(project, "attendClass", version=2, ensure="absent")
    path = saved_plan(project, emulator, "delete")

    def allow(document: dict[str, Any]) -> None:
        document["provenance"]["allowDestructive"] = True

    _reseal(path, allow)
    before = mutating_calls(emulator)

    refused = _apply(cli, project, emulator, "delete")

    assert refused.exit_code == 1
    assert refused.stderr == _refusal(
        "delete", emulator.url, "changes[attendClass]: reasons differ"
    )
    assert mutating_calls(emulator) == before
    assert "attendClass" in read(emulator).types


def _environments(project: Path, staging: Any, production: Any) -> None:
    (project / "pyproject.toml").write_text(
        "[tool.activities]\nmax_types = 10\n"
        f'[tool.activities.environments.staging]\nendpoint = "{staging.url}"\n'
        f'[tool.activities.environments.production]\nendpoint = "{production.url}"\n'
    )


def test_with_a_key_a_plan_moved_from_staging_to_production_is_refused(
    project: Path, emulator_factory: Any, cli: Any
) -> None:
    staging, production = emulator_factory(), emulator_factory()
    _environments(project, staging, production)
    write_type(project, "attendClass")
    env = {**staging.env, "ACTIVITIES_PLAN_KEY": KEY}
    made = cli("plan", "-e", "staging", "--out", "plans/next.json", cwd=project, env=env)
    assert made.exit_code == 0, made.output
    path = project / "plans" / "next.json"
    assert json.loads(path.read_text())["signature"].startswith("hmac-sha256:")
    assert KEY not in path.read_text() and KEY not in made.output

    def to_production(document: dict[str, Any]) -> None:
        document["provenance"]["environment"] = "production"
        document["provenance"]["endpointHost"] = production.url.split("//")[1]

    _reseal(path, to_production)

    refused = cli("apply", "plans/next.json", cwd=project, env=env)

    assert refused.exit_code == 1
    assert refused.stderr == (
        "Error: plans/next.json: the plan's signature does not match: it was edited after it "
        "was signed, or signed with another key than ACTIVITIES_PLAN_KEY holds; a plan is "
        "applied only as it was reviewed\n"
        "  fix: make the plan again with ACTIVITIES_PLAN_KEY set to the same key (`activities "
        "plan --out plans/next.json`), review it, and apply that one\n"
    )
    assert KEY not in refused.output
    assert mutating_calls(production) == 0 and mutating_calls(staging) == 0


def test_with_a_key_an_unsigned_plan_is_refused_and_a_signed_one_applies(
    project: Path, emulator: Any, cli: Any
) -> None:
    write_type(project, "attendClass")
    saved_plan(project, emulator, "unsigned")

    refused = _apply(cli, project, emulator, "unsigned", ACTIVITIES_PLAN_KEY=KEY)

    assert refused.exit_code == 1
    assert refused.stderr.startswith(
        "Error: plans/unsigned.json: the plan is not signed, and ACTIVITIES_PLAN_KEY is set: "
        "apply takes only plans signed with that key\n"
    )
    assert mutating_calls(emulator) == 0
    env = {**emulator.env, "ACTIVITIES_PLAN_KEY": KEY}
    made = cli("plan", "--endpoint", emulator.url, "--out", "plans/signed.json", cwd=project,
               env=env)
    assert made.exit_code == 0, made.output
    applied = _apply(cli, project, emulator, "signed", ACTIVITIES_PLAN_KEY=KEY)
    assert applied.exit_code == 0, applied.output
    other = _apply(cli, project, emulator, "signed", ACTIVITIES_PLAN_KEY="another key")
    assert other.exit_code == 1
    assert "the plan's signature does not match" in other.stderr
