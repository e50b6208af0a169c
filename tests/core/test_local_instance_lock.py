"""The embedded `local` instance is safe to share: a second command waits for the first one's
lock on the state file, says so, and refuses clearly when the wait runs out (repro 8, issue 9)."""

from __future__ import annotations

import asyncio
import json
import logging
import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from framework import environment
from framework.environment import LOCAL, LOCAL_STATE_FILE, connect, resolve_target
from framework.settings import load_settings

TYPE = """\
version: 1
apiName: {name}
name: {name}
triggerName: Does {name}
filterName: Did {name}
primaryAttribute:
  apiName: subject
  name: Subject
"""


def write(project: Path, folder: str, name: str) -> None:
    (project / folder).mkdir(exist_ok=True)
    (project / folder / f"{name}.yaml").write_text(TYPE.format(name=name), encoding="utf-8")


def live_types(project: Path) -> list[str]:
    state = json.loads((project / ".activities" / LOCAL_STATE_FILE).read_text(encoding="utf-8"))
    return sorted(t["apiName"] for t in state["instance"]["catalog"]["types"])


class Holder(threading.Thread):
    """Another command on the local instance: it opens it, waits for `release`, then creates a
    type through its own copy of the state and ends (saving that copy)."""

    def __init__(self, project: Path) -> None:
        super().__init__(daemon=True)
        self.project = project
        self.opened = threading.Event()
        self.release = threading.Event()

    def run(self) -> None:
        asyncio.run(self._hold())

    async def _hold(self) -> None:
        settings = load_settings(self.project)
        async with connect(resolve_target(settings, LOCAL), settings) as (_, client):
            self.opened.set()
            await asyncio.to_thread(self.release.wait, 30)
            body = {"apiName": "heldType", "name": "Held", "triggerName": "Holds",
                    "filterName": "Held", "primaryAttribute": {"apiName": "x", "name": "X"}}
            await client.create_type(body)
            await client.approve_type("heldType")


class OnWaiting(logging.Handler):
    """Calls `then` when the second command says it waits for the local instance."""

    def __init__(self, then: Callable[[], None]) -> None:
        super().__init__(logging.WARNING)
        self.then = then
        self.messages: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.messages.append(record.getMessage())
        self.then()


@pytest.fixture
def holder(project: Path) -> Any:
    started = Holder(project)
    started.start()
    assert started.opened.wait(30)
    yield started
    started.release.set()
    started.join(30)


def test_a_second_apply_waits_for_the_first_and_neither_is_lost(
    project: Path, holder: Holder, cli: Any
) -> None:
    write(project, "activities", "cliType")
    waiting = OnWaiting(holder.release.set)
    logger = logging.getLogger("framework.client")
    logger.addHandler(waiting)
    try:
        applied = cli("apply", "--yes", cwd=project)
    finally:
        logger.removeHandler(waiting)
    holder.join(30)

    assert applied.exit_code == 0, applied.output
    assert "Applied and verified" in applied.stdout
    # The second command read the state the first left: both types are there.
    assert live_types(project) == ["cliType", "heldType"]
    lock = project / ".activities" / f"{LOCAL_STATE_FILE}.lock"
    assert waiting.messages == [
        "the local instance is in use by another activities command; waiting up to 60 s for "
        f"it to finish ({lock})"
    ]


def test_a_second_command_refuses_clearly_when_the_wait_runs_out(
    project: Path, holder: Holder, cli: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(environment, "LOCAL_WAIT_SECONDS", 0.0)
    write(project, "activities", "cliType")

    planned = cli("plan", cwd=project)

    state = project / ".activities" / LOCAL_STATE_FILE
    assert (planned.exit_code, planned.stdout) == (1, "")
    assert planned.stderr.endswith(
        f"Error: the instance state {state} is in use by another process (it holds "
        f"{state}.lock)\n"
        "  fix: wait for the other activities command (or emulator) to end, then run this one "
        "again; the lock goes with that process, even if it crashes\n"
    )
