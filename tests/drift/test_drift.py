"""`activities drift` against the emulator over HTTP: each kind of drift, and what is not drift.

Refresh the golden files on purpose with `UPDATE_GOLDEN=1 pytest tests/drift`, then review them.
"""

from __future__ import annotations

import asyncio
import json
import os
import re
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

import pytest

from framework.client.marketo import MarketoClient
from framework.errors import ReadOnlyError
from tests.apply.apply_support import client_for, mutating_calls, saved_plan, write_type

GOLDEN = Path(__file__).parent / "golden"
Edit = Callable[[MarketoClient], Awaitable[Any]]


def check_golden(name: str, text: str) -> None:
    path = GOLDEN / name
    if os.environ.get("UPDATE_GOLDEN"):
        path.write_text(text, encoding="utf-8")
    assert text == path.read_text(encoding="utf-8"), f"{name} changed: UPDATE_GOLDEN=1 to accept"


@pytest.fixture
def applied(project: Path, emulator: Any, cli: Any) -> Path:
    """Two types applied with --endpoint, so the project has a lock file for the emulator."""
    write_type(project, "attendClass")
    write_type(project, "buyBook")
    plan = saved_plan(project, emulator)
    result = cli("apply", str(plan), "--endpoint", emulator.url, cwd=project, env=emulator.env)
    assert result.exit_code == 0, result.output
    return project


def _edit(emulator: Any, edit: Edit) -> None:
    """What someone does in Marketo's UI (or another integration): a normal client's calls."""

    async def run() -> None:
        async with client_for(emulator) as client:
            await edit(client)

    asyncio.run(run())


def _drift(cli: Any, project: Path, emulator: Any, *options: str) -> Any:
    return cli("drift", "--endpoint", emulator.url, *options, cwd=project, env=emulator.env)


def _stable(text: str, emulator: Any) -> str:
    """The report without what changes from run to run: the port and the lock's time."""
    host = emulator.url.removeprefix("http://")
    text = text.replace(host, "HOST").replace(host.replace(":", "-"), "HOST")
    return re.sub(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ", "TIME", text)


def test_a_clean_instance_has_no_drift(applied: Path, emulator: Any, cli: Any) -> None:
    before = mutating_calls(emulator)

    result = _drift(cli, applied, emulator)

    assert result.exit_code == 0, result.output
    assert _stable(result.stdout, emulator) == (
        "No drift on endpoint (HOST) since the last apply (TIME), per "
        "activities/.lock/endpoint-HOST.json.\n"
    )
    assert mutating_calls(emulator) == before


async def _approve_rename(client: MarketoClient) -> None:
    await client.update_type("attendClass", {"name": "Attends A Class"})
    await client.approve_type("attendClass")


async def _pending_draft(client: MarketoClient) -> None:
    await client.create_attributes("buyBook", [{"apiName": "isbn", "name": "ISBN",
                                                "dataType": "string"}])


async def _delete(client: MarketoClient) -> None:
    await client.delete_type("buyBook")


async def _unmanaged(client: MarketoClient) -> None:
    await client.create_type({
        "apiName": "visitSite", "name": "Visit Site", "triggerName": "Visits Site",
        "filterName": "Visited Site",
        "primaryAttribute": {"apiName": "url", "name": "URL", "dataType": "link"},
    })


async def _recreate(client: MarketoClient) -> None:
    await client.delete_type("buyBook")
    await client.create_type({
        "apiName": "buyBook", "name": "BuyBook", "triggerName": "Does BuyBook",
        "filterName": "Did BuyBook",
        "primaryAttribute": {"apiName": "title", "name": "Title", "dataType": "string"},
    })
    await client.create_attributes("buyBook", [
        {"apiName": "seats", "name": "Seats", "dataType": "integer"},
        {"apiName": "venue", "name": "Venue", "dataType": "string"},
    ])
    await client.approve_type("buyBook")


@pytest.mark.parametrize(
    ("edit", "line"),
    [
        (_approve_rename, '  [edited] attendClass: name was changed on the instance from '
                          '"AttendClass" to "Attends A Class"'),
        (_pending_draft, "  [draft] buyBook: a draft was left pending on the instance "
                         "(attribute isbn (string) added); it is not live until someone "
                         "approves it"),
        (_delete, "  [deleted] buyBook: was deleted on the instance (it had id ID)"),
        (_unmanaged, "  [appeared] visitSite: an unmanaged type appeared on the instance (id ID, "
                     "draft); `activities import visitSite --endpoint http://HOST` adopts it"),
        (_recreate, "  [recreated] buyBook: was deleted and created again on the instance: "
                    "its id was ID, now ID"),
    ],
    ids=["edited", "draft", "deleted", "appeared", "recreated"],
)
def test_each_kind_of_drift_is_reported_and_exits_2(
    applied: Path, emulator: Any, cli: Any, edit: Edit, line: str
) -> None:
    _edit(emulator, edit)
    before = mutating_calls(emulator)

    result = _drift(cli, applied, emulator)

    assert result.exit_code == 2, result.output
    lines = re.sub(r"id \d+|was \d+, now \d+", lambda m: re.sub(r"\d+", "ID", m.group()),
                   result.stdout).splitlines()
    assert _stable(lines[0], emulator) == (
        "Drift on endpoint (HOST) since the last apply (TIME), per "
        "activities/.lock/endpoint-HOST.json:"
    )
    assert [_stable(text, emulator) for text in lines[1:]] == [line, "1 finding(s)."]
    assert mutating_calls(emulator) == before


def test_a_repository_change_not_applied_is_not_drift(
    applied: Path, emulator: Any, cli: Any
) -> None:
    write_type(applied, "attendClass", version=2, name="Attends A Class")

    result = _drift(cli, applied, emulator)

    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines()[1:] == [
        "Not drift: 1 definition(s) differ from the last apply (attendClass): changes not "
        f"applied yet; `activities plan --endpoint {emulator.url}` shows them."
    ]


def test_known_drift_is_ignored_and_counted(applied: Path, emulator: Any, cli: Any) -> None:
    with (applied / "pyproject.toml").open("a") as settings:
        settings.write(
            '\n[[tool.activities.drift_ignore]]\ntype = "attendClass"\nfield = "name"\n'
            'reason = "marketing renames in the UI"\n'
        )
    _edit(emulator, _approve_rename)

    result = _drift(cli, applied, emulator, "--json")

    assert result.exit_code == 0, result.output
    report = json.loads(result.stdout)
    assert (report["drift"], report["findings"], report["ignored"]) == (False, [], 1)
    assert report["ignoredFindings"][0]["field"] == "name"
    text = _drift(cli, applied, emulator)
    assert text.stdout.splitlines()[1:] == [
        "1 known finding(s) ignored by drift_ignore in [tool.activities]."
    ]


def test_json_and_markdown_golden(applied: Path, emulator: Any, cli: Any) -> None:
    write_type(applied, "callShop")  # not applied yet: not drift
    _edit(emulator, _approve_rename)
    _edit(emulator, _pending_draft)
    _edit(emulator, _unmanaged)

    as_json = _drift(cli, applied, emulator, "--json")
    markdown = _drift(cli, applied, emulator, "--format", "markdown")
    text = _drift(cli, applied, emulator)

    assert (as_json.exit_code, markdown.exit_code) == (2, 2), as_json.output + markdown.output
    report = json.loads(as_json.stdout)
    report["lock"]["gitCommit"] = None
    stable = re.sub(r"\(id \d+", "(id ID", _stable(json.dumps(report, indent=2), emulator))
    check_golden("drift.json", stable + "\n")
    check_golden("drift.md", re.sub(r"\(id \d+", "(id ID", _stable(markdown.stdout, emulator)))
    check_golden("drift.txt", re.sub(r"\(id \d+", "(id ID", _stable(text.stdout, emulator)))


def test_without_a_lock_drift_compares_with_the_definitions_and_says_so(
    project: Path, emulator: Any, cli: Any
) -> None:
    write_type(project, "attendClass")
    _edit(emulator, _unmanaged)

    result = _drift(cli, project, emulator)

    assert result.exit_code == 2, result.output
    assert re.sub(r"id \d+", "id ID", _stable(result.stdout, emulator)).splitlines() == [
        "No lock file at activities/.lock/endpoint-HOST.json (no apply has recorded one "
        "yet): drift compares the instance with the definitions instead, and cannot tell "
        "drift from changes not applied yet",
        "Differences between endpoint (HOST) and the definitions:",
        "  [missing] attendClass: is not on the instance: not created yet, or deleted there",
        "  [unmanaged] visitSite: is on the instance (id ID, draft) with no definition "
        "(unmanaged); `activities import visitSite --endpoint http://HOST` adopts it",
        "2 finding(s).",
    ]


def test_the_read_only_client_refuses_every_mutating_call(emulator: Any) -> None:
    calls: list[Edit] = [
        _unmanaged, _delete, _pending_draft, lambda c: c.approve_type("x"),
        lambda c: c.discard_draft("x"), lambda c: c.update_type("x", {"name": "y"}),
        lambda c: c.update_attributes("x", []), lambda c: c.delete_attributes("x", ["a"]),
        lambda c: c.add_activities([{"leadId": 1}]),
    ]

    async def run() -> list[str]:
        refused = []
        async with MarketoClient(
            emulator.url, emulator.config.client_id, emulator.config.client_secret,
            read_only=True,
        ) as client:
            for call in calls:
                with pytest.raises(ReadOnlyError) as caught:
                    await call(client)
                refused.append(caught.value.endpoint)
            await client.list_types()  # reading works
        return refused

    refused = asyncio.run(run())

    assert len(set(refused)) == len(calls)
    assert str(ReadOnlyError(refused[0])) == (
        "refused to call POST /rest/v1/activities/external/type.json: this client is read-only "
        "and never changes the instance; nothing was sent\n"
        "  fix: this is a bug in activities; please report it"
    )
    assert emulator.stats()["mutating_calls"] == 0


def test_drift_on_the_local_instance_reads_its_git_ignored_lock(project: Path, cli: Any) -> None:
    write_type(project, "attendClass")
    assert cli("apply", "--yes", cwd=project).exit_code == 0

    result = cli("drift", cwd=project)

    assert result.exit_code == 0, result.output
    assert re.sub(r"\(\d{4}-[^)]*\)", "(TIME)", result.stdout) == (
        "No drift on local (embedded emulator) since the last apply (TIME), per "
        ".activities/lock/local.json.\n"
    )


def test_json_and_format_markdown_together_are_refused(project: Path, cli: Any) -> None:
    result = cli("drift", "--json", "--format", "markdown", cwd=project)

    assert result.exit_code == 1
    assert result.stderr == (
        "Error: --json and --format markdown are exclusive\n  fix: pass one of them\n"
    )


async def _draft_as_defined(client: MarketoClient) -> None:
    await client.create_type({
        "apiName": "buyBook", "name": "BuyBook", "triggerName": "Does BuyBook",
        "filterName": "Did BuyBook",
        "primaryAttribute": {"apiName": "title", "name": "Title", "dataType": "string"},
    })
    await client.create_attributes("buyBook", [
        {"apiName": "seats", "name": "Seats", "dataType": "integer"},
        {"apiName": "venue", "name": "Venue", "dataType": "string"},
    ])


def test_a_draft_never_approved_is_compared_with_its_definition(
    project: Path, emulator: Any, cli: Any
) -> None:
    # It said "no field differs from the approved version" of a type that has none.
    write_type(project, "buyBook")
    _edit(emulator, _draft_as_defined)

    result = _drift(cli, project, emulator)

    assert result.exit_code == 2, result.output
    assert ("  [draft] buyBook: a draft was left pending on the instance (no field differs "
            "from the definition); it is not live until someone approves it"
            ) in result.stdout.splitlines()


def test_every_hint_repeats_the_environment_and_folder_as_typed(
    project: Path, emulator: Any, cli: Any
) -> None:
    """`-e sandbox --dir defs`: a bare `activities import visitSite` would read `local`."""
    (project / "pyproject.toml").write_text(
        "[tool.activities.environments.sandbox]\n"
        f'endpoint = "{emulator.url}"\n'
        'client_id_env = "MARKETO_SANDBOX_CLIENT_ID"\n'
        'client_secret_env = "MARKETO_SANDBOX_CLIENT_SECRET"\n'
    )
    env = {"MARKETO_SANDBOX_CLIENT_ID": emulator.config.client_id,
           "MARKETO_SANDBOX_CLIENT_SECRET": emulator.config.client_secret}
    write_type(project, "attendClass")
    (project / "activities").rename(project / "defs")
    applied = cli("apply", "-e", "sandbox", "--dir", "defs", "--yes", cwd=project, env=env)
    assert applied.exit_code == 0, applied.output
    (project / "activities").mkdir(exist_ok=True)
    write_type(project, "attendClass", version=2, name="Attends A Class")
    (project / "activities" / "attendClass.yaml").replace(project / "defs" / "attendClass.yaml")
    _edit(emulator, _unmanaged)

    result = cli("drift", "-e", "sandbox", "--dir", "defs", cwd=project, env=env)

    assert result.exit_code == 2, result.output
    lines = re.sub(r"id \d+", "id ID", result.stdout).splitlines()
    assert lines[1:] == [
        "  [appeared] visitSite: an unmanaged type appeared on the instance (id ID, draft); "
        "`activities import visitSite -e sandbox --dir defs` adopts it",
        "1 finding(s).",
        "Not drift: 1 definition(s) differ from the last apply (attendClass): changes not "
        "applied yet; `activities plan -e sandbox --dir defs` shows them.",
    ]
