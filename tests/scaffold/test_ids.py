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
