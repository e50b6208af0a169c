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
