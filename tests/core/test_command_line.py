"""Usage errors: exit 1 (never 2, which `plan --detailed-exitcode` uses for changes present)."""

from __future__ import annotations

from typing import Any

import pytest


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
