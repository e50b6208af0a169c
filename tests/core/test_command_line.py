"""Usage errors: exit 1 (never 2, which `plan --detailed-exitcode` uses for changes present)."""

from __future__ import annotations

import logging
from typing import Any

import pytest

from framework.cli import show_client_warnings


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["plan", "--detailed-exitcode", "--formt", "markdown"], "No such option '--formt'"),
        (["plan", "--format", "yaml"], "Invalid value for '--format': 'yaml' is not one of"),
        (["paln", "--detailed-exitcode"], "No such command 'paln'"),
        (["--bogus"], "No such option '--bogus'"),
        (["show"], "Missing argument 'PLAN'"),
        (["apply", "a.json", "b.json"], "Got unexpected extra argument (b.json)"),
    ],
)
def test_usage_errors_exit_1(cli: Any, args: list[str], message: str) -> None:
    result = cli(*args)
    assert result.exit_code == 1, result.output
    assert message in result.stderr
    assert result.stdout == ""


@pytest.mark.parametrize("args", [[], ["lock"]])
def test_a_group_without_its_command_shows_its_help_and_exits_1(
    cli: Any, args: list[str]
) -> None:
    result = cli(*args)
    assert result.exit_code == 1
    usage = " ".join(["Usage: activities", *args, "[OPTIONS] COMMAND [ARGS]...\n"])
    assert result.stderr.startswith(usage)
    assert "\nCommands:\n" in result.stderr
    assert "Error" not in result.stderr


def test_the_emulator_keeps_2_for_a_bad_option_as_documented(cli: Any) -> None:
    result = cli("emulator", "--fault-rate", "2")
    assert result.exit_code == 2


def test_help_and_version_exit_0(cli: Any) -> None:
    assert cli("plan", "--help").exit_code == 0
    assert cli("--version").exit_code == 0


def test_client_warnings_are_shown_once_on_stderr(capsys: pytest.CaptureFixture[str]) -> None:
    show_client_warnings()
    show_client_warnings()  # idempotent: one handler, one line
    logging.getLogger("framework.client").warning("retrying GET /x after 606 in %.1f s", 20.0)
    logging.getLogger("framework.client").info("not shown")
    assert capsys.readouterr().err == "activities: retrying GET /x after 606 in 20.0 s\n"


def _interrupt(*_: object) -> None:
    raise KeyboardInterrupt


def test_ctrl_c_while_a_command_loads_is_interrupted_and_130(
    cli: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Ctrl+C lands in the import of the command's module, before its error handler exists.
    monkeypatch.setattr("framework.cli.load_command", _interrupt)
    result = cli("plan")
    assert (result.exit_code, result.stderr) == (130, "Interrupted.\n")


def test_ctrl_c_while_the_command_line_starts_is_interrupted_and_130(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    from framework.__main__ import run

    monkeypatch.setattr("framework.cli.main", _interrupt)
    with pytest.raises(SystemExit) as exited:
        run()
    assert exited.value.code == 130
    assert capsys.readouterr().err == "Interrupted.\n"
