"""`activities ids`: apiName -> Marketo id, read from the instance over HTTP."""

from __future__ import annotations

import json
import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

from click.testing import Result

Cli = Callable[..., Result]
EXAMPLES = Path(__file__).resolve().parents[2] / "activities"


def applied(cli: Cli, project: Path, emulator: Any, *names: str) -> None:
    for name in names:
        shutil.copy(EXAMPLES / f"{name}.yaml", project / "activities")
    done = cli("apply", "--yes", "--endpoint", emulator.url, cwd=project, env=emulator.env)
    assert done.exit_code == 0, done.output


def test_ids_lists_each_type_with_its_id_and_says_where_they_came_from(
    cli: Cli, project: Path, emulator: Any
) -> None:
    applied(cli, project, emulator, "attendWebinar", "buyCar", "depositCheck")
    (project / "activities" / "depositCheck.yaml").unlink()  # now live without a file
    before = emulator.stats()["mutating_calls"]

    result = cli("ids", "--endpoint", emulator.url, env=emulator.env)

    assert result.exit_code == 0, result.output
    assert result.stdout == (
        "attendWebinar  100001\nbuyCar         100002\ndepositCheck   100003  (unmanaged)\n"
    )
    host = emulator.url.removeprefix("http://")
    assert result.stderr == f"Ids of endpoint read from the instance ({host}, 3 types).\n"
    assert emulator.stats()["mutating_calls"] == before  # it only reads


def test_ids_json_is_one_document(cli: Cli, project: Path, emulator: Any) -> None:
    applied(cli, project, emulator, "buyCar")

    result = cli("ids", "--json", "--endpoint", emulator.url, env=emulator.env)

    assert result.exit_code == 0
    assert json.loads(result.stdout) == {
        "environment": "endpoint",
        "source": "instance",
        "from": emulator.url.removeprefix("http://"),
        "ids": {"buyCar": 100001},
        "unmanaged": [],
    }
    assert result.stderr == ""


def test_ids_of_an_unknown_environment_is_one_error(cli: Cli, project: Path) -> None:
    result = cli("ids", "-e", "nowhere", cwd=project)
    assert result.exit_code == 1
    assert result.stderr.startswith("Error: unknown environment 'nowhere' (known: local)\n")


def sandbox_project(project: Path, emulator: Any) -> dict[str, str]:
    """A `sandbox` environment pointing at the emulator; the variables holding its credentials."""
    (project / "pyproject.toml").write_text(
        "[tool.activities]\nmax_types = 10\n\n[tool.activities.environments.sandbox]\n"
        f'endpoint = "{emulator.url}"\nclient_id_env = "SANDBOX_ID"\n'
        'client_secret_env = "SANDBOX_SECRET"\n'
    )
    return {"SANDBOX_ID": emulator.config.client_id,
            "SANDBOX_SECRET": emulator.config.client_secret}


def test_ids_come_from_the_lock_file_without_a_connection(
    cli: Cli, project: Path, emulator: Any
) -> None:
    credentials = sandbox_project(project, emulator)
    for name in ("attendWebinar", "buyCar"):
        shutil.copy(EXAMPLES / f"{name}.yaml", project / "activities")
    assert cli("apply", "--yes", "-e", "sandbox", cwd=project, env=credentials).exit_code == 0
    calls = emulator.stats()["total_calls"]

    result = cli("ids", "-e", "sandbox")  # no credentials needed: nothing is read live

    assert result.exit_code == 0, result.output
    assert result.stdout == "attendWebinar  100001\nbuyCar         100002\n"
    assert result.stderr == (
        "Ids of sandbox from its lock file activities/.lock/sandbox.json as the last apply "
        "wrote it (2 types), not checked against the instance: `activities ids --check -e "
        "sandbox` confirms them.\n"
    )
    assert emulator.stats()["total_calls"] == calls
    as_json = json.loads(cli("ids", "-e", "sandbox", "--json").stdout)
    assert as_json["source"] == "lock"
    assert as_json["from"] == "activities/.lock/sandbox.json"


def test_without_a_lock_file_ids_says_so_and_reads_the_instance(
    cli: Cli, project: Path, emulator: Any
) -> None:
    credentials = sandbox_project(project, emulator)
    applied(cli, project, emulator, "buyCar")  # through --endpoint: no sandbox lock

    result = cli("ids", "-e", "sandbox", env=credentials)

    assert result.exit_code == 0, result.output
    assert result.stdout == "buyCar  100001\n"
    host = emulator.url.removeprefix("http://")
    assert result.stderr == (
        f"Ids of sandbox read from the instance ({host}, 1 type); no lock file at "
        f"{project / 'activities' / '.lock' / 'sandbox.json'} (no apply has recorded one yet).\n"
    )
    live = cli("ids", "-e", "sandbox", "--live", env=credentials)
    assert live.stderr == f"Ids of sandbox read from the instance ({host}, 1 type).\n"


def _swap_consistently(path: Path) -> None:
    """The two types' entries swapped whole (id and state): a lock that contradicts nothing
    in itself, as a bad merge-conflict resolution can leave it."""
    data = json.loads(path.read_text())
    types = data["types"]
    for key in ("id",):
        types["attendWebinar"][key], types["buyCar"][key] = (
            types["buyCar"][key], types["attendWebinar"][key])
    types["attendWebinar"]["state"]["id"], types["buyCar"]["state"]["id"] = (
        types["buyCar"]["state"]["id"], types["attendWebinar"]["state"]["id"])
    path.write_text(json.dumps(data, indent=2, sort_keys=True) + "\n")


def _list_calls(emulator: Any) -> int:
    """Calls to List Custom Activity Types."""
    return int(emulator.stats()["calls_by_endpoint"].get(
        "GET /rest/v1/activities/external/types.json", 0))


def test_ids_from_a_lock_file_say_they_are_unchecked_and_check_confirms_them(
    cli: Cli, project: Path, emulator: Any
) -> None:
    credentials = sandbox_project(project, emulator)
    for name in ("attendWebinar", "buyCar"):
        shutil.copy(EXAMPLES / f"{name}.yaml", project / "activities")
    assert cli("apply", "--yes", "-e", "sandbox", cwd=project, env=credentials).exit_code == 0
    listed = _list_calls(emulator)

    checked = cli("ids", "-e", "sandbox", "--check", env=credentials)

    assert checked.exit_code == 0, checked.output
    assert checked.stdout == "attendWebinar  100001\nbuyCar         100002\n"
    assert checked.stderr == (
        "Ids of sandbox from its lock file activities/.lock/sandbox.json (2 types), confirmed "
        "against the instance (its type list).\n"
    )
    assert _list_calls(emulator) == listed + 1


def test_ids_check_refuses_a_lock_whose_ids_were_swapped_naming_both_ids(
    cli: Cli, project: Path, emulator: Any
) -> None:
    """`ids` printed a lock whose ids were swapped consistently (id and state) with exit 0:
    only send, drift and plan, which read the instance, caught it."""
    credentials = sandbox_project(project, emulator)
    for name in ("attendWebinar", "buyCar"):
        shutil.copy(EXAMPLES / f"{name}.yaml", project / "activities")
    assert cli("apply", "--yes", "-e", "sandbox", cwd=project, env=credentials).exit_code == 0
    _swap_consistently(project / "activities" / ".lock" / "sandbox.json")

    offline = cli("ids", "-e", "sandbox")
    checked = cli("ids", "-e", "sandbox", "--check", env=credentials)

    assert offline.exit_code == 0, offline.output  # offline, nothing says otherwise
    assert offline.stderr == (
        "Ids of sandbox from its lock file activities/.lock/sandbox.json as the last apply "
        "wrote it (2 types), not checked against the instance: `activities ids --check -e "
        "sandbox` confirms them.\n"
    )
    assert checked.exit_code == 1, checked.output
    assert checked.stdout == ""
    assert checked.stderr == (
        "Error: the lock file's ids do not match the instance (lock file "
        "activities/.lock/sandbox.json): attendWebinar: 100002 in the lock file, 100001 on the "
        "instance (100002 is buyCar's id there); buyCar: 100001 in the lock file, 100002 on "
        "the instance (100001 is attendWebinar's id there)\n"
        "  fix: `activities lock repair -e sandbox` rebuilds it from the instance and the "
        "definitions\n"
    )


def test_ids_check_needs_a_lock_file_to_check(cli: Cli, project: Path, emulator: Any) -> None:
    result = cli("ids", "--check", "--live", env=emulator.env, cwd=project)

    assert result.exit_code == 1
    assert result.stderr == (
        "Error: --check confirms the ids of a lock file against the instance, and --live reads "
        "them from the instance already\n"
        "  fix: leave out --live (or --check)\n"
    )
