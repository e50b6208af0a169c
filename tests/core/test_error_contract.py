"""The error contract, as pre-commit keeps it: 1 for a user error, 3 for a bug (with a crash
log and no secret), 130 for Ctrl+C, 143 for SIGTERM (a cancelled CI job), which says how to
resume."""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import Result

import framework.commands.validate
from framework import __version__
from tests.conftest import RunningEmulator

SECRET = "s3cr3t-client-secret-value"


def test_a_user_error_exits_1_with_error(project: Path, cli: Callable[..., Result]) -> None:
    result = cli("validate", "--dir", "missing", cwd=project)

    assert result.exit_code == 1
    assert result.stderr.startswith("Error: the definitions folder missing does not exist\n")


def test_a_bug_exits_3_with_a_crash_log_without_secrets(
    project: Path, cli: Callable[..., Result], monkeypatch: pytest.MonkeyPatch
) -> None:
    def crash(*args: object, **kwargs: object) -> None:
        raise RuntimeError(f"boom at https://id:{SECRET}@example.com with {SECRET}")

    monkeypatch.setattr(framework.commands.validate, "check_definitions", crash)

    result = cli("validate", cwd=project, env={"MARKETO_CLIENT_SECRET": SECRET})

    assert result.exit_code == 3
    found = re.search(r"The crash log is (.+\.log)\.", result.stderr)
    assert found, result.stderr
    log = Path(found.group(1))
    assert log.parent == project / ".activities"
    assert result.stderr == (
        "Unexpected error: RuntimeError: boom at https://<redacted>@example.com with "
        f"<redacted>\nThe crash log is {log}.\n"
        "This is a bug in activities, not in your files. Please report it with the command you "
        "ran and the crash log: https://github.com/activities-as-code/activities/issues\n"
    )
    text = log.read_text()
    assert SECRET not in text
    # The command line that ran (main's argv), not the process's (here, pytest's).
    assert "\ncommand: activities validate\n" in text
    # The running code's version and the distribution it is installed as (pyproject's name).
    assert f"activities: {__version__} (marketo-activities {__version__})\n" in text, (
        "is this venv older than the rename to marketo-activities? `make .venv/.installed`")
    assert f"python: {sys.version.split()[0]} " in text
    assert re.search(r"\npydantic: \d", text) and re.search(r"\nclick: \d", text)
    assert "Traceback (most recent call last):" in text
    assert "in crash\n" in text
    assert "RuntimeError: boom at https://<redacted>@example.com with <redacted>\n" in text


def test_a_crash_log_goes_to_the_temporary_folder_when_the_project_is_read_only(
    tmp_path: Path,
) -> None:
    from framework.crash import write_crash_log

    blocked = tmp_path / "file"
    blocked.write_text("")
    path = write_crash_log(ValueError("x"), ["validate"], folder=blocked / "sub")

    assert path.parent != blocked / "sub"
    assert "ValueError: x" in path.read_text()
    path.unlink()


def test_sigterm_says_how_to_resume_and_exits_143(
    project: Path, emulator_factory: Callable[..., RunningEmulator]
) -> None:
    emulator = emulator_factory(latency_ms=60_000)  # every REST call hangs for a minute
    command = subprocess.Popen(
        [sys.executable, "-m", "framework", "plan", "--endpoint", emulator.url],
        cwd=project, env={**os.environ, **emulator.env},
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )
    try:
        # The plan has sent its first REST call (it hangs) once the token was issued.
        while emulator.stats()["token_calls"] == 0 and command.poll() is None:
            time.sleep(0.01)
        command.send_signal(signal.SIGTERM)
        stdout, stderr = command.communicate(timeout=60)
    finally:
        command.kill()

    assert command.returncode == 143, stderr
    # Only apply, which may stop part way, says more (tests/apply/test_interrupted.py).
    assert stderr.endswith("Terminated (SIGTERM). Run the same command again to resume.\n")
    assert "Traceback" not in stderr


def test_a_lost_answer_may_always_have_happened() -> None:
    """One answer to "may it have happened?": the flag, which a lost answer always sets."""
    from framework.errors import MarketoError, ResponseLostError

    assert ResponseLostError("no answer", may_have_happened=False).may_have_happened is True
    assert MarketoError("refused").may_have_happened is False
    assert MarketoError("after a 502", may_have_happened=True).may_have_happened is True
