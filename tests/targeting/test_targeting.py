"""`--target TYPE` / `--exclude TYPE` on plan, apply and drift, against the emulator over HTTP."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

from click.testing import Result

Cli = Callable[..., Result]

DEFINITION = """\
version: 1
apiName: {name}
name: Type {name}
triggerName: {trigger}
filterName: Did {name}
primaryAttribute:
  apiName: subject
  name: Subject
  dataType: string
"""


def define(project: Path, name: str, trigger: str | None = None) -> None:
    text = DEFINITION.format(name=name, trigger=trigger or f"Does {name}")
    (project / "activities" / f"{name}.yaml").write_text(text)


def endpoint(emulator: Any) -> tuple[str, ...]:
    return ("--endpoint", emulator.url)


def test_plan_with_target_plans_only_that_type_and_says_so(
    cli: Cli, project: Path, emulator: Any
) -> None:
    for name in ("alpha", "beta", "gamma"):
        define(project, name)

    result = cli("plan", *endpoint(emulator), "--target", "beta", "--target", "alpha",
                 "--out", "plans/some.json", cwd=project, env=emulator.env)

    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert lines[0].startswith("Plan for endpoint")
    assert lines[1] == "Targeted (only alpha, beta): every other type is left as it is."
    assert "+ create alpha" in result.stdout and "+ create beta" in result.stdout
    assert "gamma" not in result.stdout  # neither planned nor listed as unmanaged
    saved = json.loads((project / "plans" / "some.json").read_text())
    assert saved["provenance"]["targets"] == ["alpha", "beta"]
    assert "excludes" not in saved["provenance"]
    assert [c["apiName"] for c in saved["changes"]] == ["alpha", "beta"]
    shown = cli("show", "plans/some.json", "--format", "markdown")
    assert "> **Targeted** (only `alpha`, `beta`): every other type is left as it is." in (
        shown.stdout
    )

    # Apply derives the plan again from what it recorded, with the same filter: it applies.
    applied = cli("apply", "plans/some.json", *endpoint(emulator), env=emulator.env)
    assert applied.exit_code == 0, applied.output
    after = cli("plan", *endpoint(emulator), "--detailed-exitcode", env=emulator.env)
    assert after.exit_code == 2
    assert "+ create gamma" in after.stdout
    assert "create alpha" not in after.stdout


def test_exclude_leaves_one_type_alone(cli: Cli, project: Path, emulator: Any) -> None:
    for name in ("alpha", "beta"):
        define(project, name)

    result = cli("apply", "--yes", *endpoint(emulator), "--exclude", "alpha",
                 cwd=project, env=emulator.env)

    assert result.exit_code == 0, result.output
    assert "Targeted (excluding alpha): every other type is left as it is." in result.stdout
    live = cli("ids", "--live", *endpoint(emulator), env=emulator.env)
    assert live.stdout == "beta  100001\n"


def test_a_targeted_type_cannot_take_a_name_an_untargeted_type_still_holds(
    cli: Cli, project: Path, emulator: Any
) -> None:
    define(project, "alpha", trigger="Shared Name")
    assert cli("apply", "--yes", *endpoint(emulator), cwd=project, env=emulator.env).exit_code == 0
    # alpha gives the name up and beta takes it: fine in one plan of both types...
    define(project, "alpha", trigger="Another Name")
    define(project, "beta", trigger="Shared Name")
    both = cli("plan", *endpoint(emulator), env=emulator.env)
    assert both.exit_code == 0, both.output

    # ...but with only beta targeted, alpha keeps it, so the plan is refused.
    only_beta = cli("plan", *endpoint(emulator), "--target", "beta", env=emulator.env)

    assert only_beta.exit_code == 1
    assert "'Shared Name' would be held by" in only_beta.stderr
    assert "error 709" in only_beta.stderr


def test_unknown_names_are_refused_before_any_connection(
    cli: Cli, project: Path, emulator: Any
) -> None:
    define(project, "alpha")
    calls = emulator.stats()["total_calls"]

    result = cli("plan", *endpoint(emulator), "--target", "alpah", cwd=project, env=emulator.env)

    assert result.exit_code == 1
    assert result.stderr == (
        "Error: --target alpah: no definition in activities/ declares that type (known: alpha)\n"
        "  fix: pass the apiName of a type that has a definition file (it is case-sensitive)\n"
    )
    assert emulator.stats()["total_calls"] == calls


def test_a_saved_plan_carries_its_targeting(cli: Cli, project: Path, emulator: Any) -> None:
    define(project, "alpha")
    assert cli("plan", *endpoint(emulator), "--out", "p.json", cwd=project,
               env=emulator.env).exit_code == 0

    result = cli("apply", "p.json", *endpoint(emulator), "--target", "alpha", env=emulator.env)

    assert result.exit_code == 1
    assert result.stderr == (
        "Error: --allow-destructive, --dir, --target and --exclude only apply when making a "
        "new plan\n  fix: a saved plan carries them: make it with `activities plan "
        f"--allow-destructive --target TYPE --out FILE --endpoint {emulator.url}` (as needed)\n"
    )


def test_drift_with_target_reports_only_that_type(
    cli: Cli, project: Path, emulator: Any
) -> None:
    import asyncio

    from framework.client.marketo import MarketoClient

    for name in ("alpha", "beta"):
        define(project, name)
    assert cli("apply", "--yes", *endpoint(emulator), cwd=project, env=emulator.env).exit_code == 0

    async def edit() -> None:
        config = emulator.config
        async with MarketoClient(emulator.url, config.client_id, config.client_secret) as client:
            for name in ("alpha", "beta"):
                await client.update_type(name, {"name": f"Renamed {name}"})
                await client.approve_type(name)

    asyncio.run(edit())
    everything = json.loads(cli("drift", *endpoint(emulator), "--json", env=emulator.env).stdout)
    assert {f["type"] for f in everything["findings"]} == {"alpha", "beta"}

    result = cli("drift", *endpoint(emulator), "--json", "--target", "beta", env=emulator.env)

    assert result.exit_code == 2
    report = json.loads(result.stdout)
    assert {f["type"] for f in report["findings"]} == {"beta"}
    assert report["note"].endswith("targeted (only beta): drift of alpha is not shown")
