"""`--verbose` and ACTIVITIES_LOG: each API call with its endpoint, status, request id and time,
and never a credential or a token, at any level."""

from __future__ import annotations

import re
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import Result

from tests.conftest import RunningEmulator

EXAMPLES = Path(__file__).resolve().parents[2] / "activities"
# `<- METHOD PATH HTTP STATUS [requestId=... outcome] in N ms`, one per answer.
ANSWER = re.compile(
    r"^activities: <- (GET|POST) (/\S+) HTTP (\d+)(?: requestId=(\S+) (success|error .*))? "
    r"in \d+ ms$"
)


def _tokens(emulator: RunningEmulator) -> set[str]:
    identity = emulator.server.emulator.identity
    return {identity.current.value, *identity.expired} if identity.current else set()


def _answers(stderr: str) -> list[re.Match[str]]:
    return [m for line in stderr.splitlines() if (m := ANSWER.match(line))]


@pytest.mark.parametrize(
    "how",
    [("--verbose", "plan"), ("plan", "--verbose")],
    ids=["before-the-command", "after-it"],
)
def test_verbose_shows_each_api_call_with_its_request_id_and_time(
    cli: Callable[..., Result], project: Path, emulator: RunningEmulator, how: tuple[str, str]
) -> None:
    shutil.copy(EXAMPLES / "buyCar.yaml", project / "activities")

    result = cli(*how, "--endpoint", emulator.url, cwd=project, env=emulator.env)

    assert result.exit_code == 0, result.output
    answers = _answers(result.stderr)
    stats = emulator.stats()
    assert len(answers) == stats["total_calls"] + stats["token_calls"]
    assert [m.group(2) for m in answers[:2]] == [
        "/identity/oauth/token", "/rest/v1/activities/external/types.json"
    ]
    assert all(m.group(4) for m in answers[1:])  # every REST answer names its request id
    assert not any(line.startswith("activities: ->") for line in result.stderr.splitlines())
    for secret in (emulator.config.client_id, emulator.config.client_secret, *_tokens(emulator)):
        assert secret not in result.output


def test_activities_log_debug_adds_the_requests_with_bodies_and_masks_every_secret(
    cli: Callable[..., Result], project: Path, emulator_factory: Callable[..., RunningEmulator]
) -> None:
    # A token that expires after a second of the emulator's clock: a 602 and a second token.
    emulator = emulator_factory(fault_rate=0.3, seed=4)
    shutil.copy(EXAMPLES / "buyCar.yaml", project / "activities")

    result = cli("apply", "--yes", "--endpoint", emulator.url, cwd=project,
                 env={**emulator.env, "ACTIVITIES_LOG": "debug"})

    assert result.exit_code == 0, result.output
    requests = [line for line in result.stderr.splitlines() if line.startswith("activities: ->")]
    assert any(" body={" in line and "buyCar" in line for line in requests), result.stderr
    assert _answers(result.stderr)
    for secret in (emulator.config.client_id, emulator.config.client_secret, *_tokens(emulator)):
        assert secret not in result.output


def test_without_verbose_no_call_is_shown(
    cli: Callable[..., Result], project: Path, emulator: RunningEmulator
) -> None:
    result = cli("plan", "--endpoint", emulator.url, cwd=project, env=emulator.env)

    assert result.exit_code == 0, result.output
    assert _answers(result.stderr) == []


def test_an_unknown_log_level_is_one_error(cli: Callable[..., Result], project: Path) -> None:
    result = cli("plan", cwd=project, env={"ACTIVITIES_LOG": "verbos"})

    assert result.exit_code == 1
    assert result.stderr == (
        "Error: ACTIVITIES_LOG='verbos' is not a log level\n"
        "  fix: set it to debug, info, warn, error or off (info is what --verbose shows), or "
        "unset it\n"
    )
