"""Each command is a plain function: plain values in, an exit code out, no click needed; and
`main(argv)` returns the code instead of exiting (framework/commands/common.py maps errors)."""

from __future__ import annotations

import inspect
import json
from pathlib import Path

import click
import pytest

from framework.cli import COMMANDS, load_command, main
from framework.commands import lock
from framework.commands.apply import apply
from framework.commands.fmt import fmt
from framework.commands.ids import ids
from framework.commands.plan import plan
from framework.commands.validate import validate
from framework.errors import FolderError
from tests.apply.apply_support import read, type_yaml, write_type
from tests.conftest import RunningEmulator


@pytest.fixture
def here(project: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The project as the working folder, where the commands read their settings."""
    monkeypatch.chdir(project)
    return project


@pytest.fixture
def credentials(emulator: RunningEmulator, monkeypatch: pytest.MonkeyPatch) -> str:
    """The emulator's credentials in the environment; its URL (for `endpoint`)."""
    for name, value in emulator.env.items():
        monkeypatch.setenv(name, value)
    return emulator.url


def test_validate_returns_0_or_1_and_reports(
    here: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    write_type(here, "attendClass")
    assert validate() == 0
    assert capsys.readouterr().out == "1 definition valid\n"

    (here / "activities" / "broken.yaml").write_text("apiName: broken\n")
    assert validate(as_json=True) == 1
    report = json.loads(capsys.readouterr().out)
    assert (report["valid"], report["checked"]) == (False, 2)


def test_a_user_error_is_raised_by_the_function_and_mapped_by_main(
    here: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    with pytest.raises(FolderError, match="the definitions folder missing does not exist"):
        validate(Path("missing"))

    assert main(["validate", "--dir", "missing"]) == 1
    assert capsys.readouterr().err.startswith(
        "Error: the definitions folder missing does not exist\n"
    )


def test_fmt_checks_then_rewrites(here: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = here / "activities" / "attendClass.yaml"
    canonical = type_yaml("attendClass")
    lines = canonical.splitlines(keepends=True)
    path.write_text("".join([lines[1], lines[0], *lines[2:]]))  # apiName before version

    assert fmt(check=True) == 1
    assert path.read_text() != canonical
    assert fmt() == 0
    assert path.read_text() == canonical
    assert fmt(check=True) == 0
    assert capsys.readouterr().out.splitlines()[-1] == (
        "0 files would be reformatted, 1 file already formatted"
    )


def test_plan_then_apply_the_saved_plan_against_the_emulator(
    here: Path, emulator: RunningEmulator, credentials: str,
    capsys: pytest.CaptureFixture[str],
) -> None:
    write_type(here, "attendClass")
    saved = Path("plans") / "reviewed.json"

    assert plan(endpoint=credentials, out=saved, detailed_exitcode=True) == 2
    assert read(emulator).types == {}  # a plan changes nothing
    capsys.readouterr()

    assert apply(saved, endpoint=credentials) == 0
    assert capsys.readouterr().out.startswith(
        "Applied and verified: the live types match the plan (1 done).\n"
    )
    assert sorted(read(emulator).types) == ["attendClass"]
    assert plan(endpoint=credentials, detailed_exitcode=True) == 0


def test_ids_and_lock_show_after_an_apply(
    here: Path, emulator: RunningEmulator, credentials: str,
    capsys: pytest.CaptureFixture[str],
) -> None:
    (here / "pyproject.toml").write_text(
        f'[tool.activities.environments.staging]\nendpoint = "{credentials}"\n'
    )
    write_type(here, "attendClass")
    assert apply(env="staging", yes=True) == 0
    type_id = read(emulator).types["attendClass"].id
    capsys.readouterr()

    assert ids(env="staging", as_json=True) == 0
    assert json.loads(capsys.readouterr().out)["ids"] == {"attendClass": type_id}

    assert lock.show(env="staging", as_json=True) == 0
    summary = json.loads(capsys.readouterr().out)
    assert (summary["inUse"], summary["types"]["attendClass"]["id"]) == (True, type_id)
    assert lock.show() == 1  # the built-in local instance: no apply recorded a lock


@pytest.mark.parametrize(
    ("argv", "code", "stderr"),
    [
        (["--version"], 0, ""),
        (["validate"], 0, ""),
        (["paln"], 1, "Error: No such command 'paln'."),
        (["plan", "--formt", "x"], 1, "Error: No such option '--formt'."),
        (["emulator", "--fault-rate", "2"], 2, "Error: Invalid value for '--fault-rate'"),
    ],
)
def test_main_returns_the_exit_code_instead_of_exiting(
    here: Path, capsys: pytest.CaptureFixture[str], argv: list[str], code: int, stderr: str
) -> None:
    assert main(argv) == code
    assert stderr in capsys.readouterr().err


def _leaves(command: click.Command) -> list[click.Command]:
    if isinstance(command, click.Group):
        return [leaf for sub in command.commands.values() for leaf in _leaves(sub)]
    return [command]


@pytest.mark.parametrize("name", sorted(COMMANDS))
def test_click_only_parses_into_a_plain_function(name: str) -> None:
    for command in _leaves(load_command(name)):
        function = command.callback
        assert function is not None
        # Not wrapped (click.pass_context, a decorator): called with what click parsed, alone.
        assert not hasattr(function, "__wrapped__"), command.name
        parameters = inspect.signature(function).parameters
        assert sorted(parameters) == sorted(p.name for p in command.params if p.name), (
            command.name
        )
        assert inspect.signature(function).return_annotation in (int, "int"), command.name
