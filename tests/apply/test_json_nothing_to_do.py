"""`apply --yes --json` with nothing to do still ends with its summary event."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any


def test_nothing_to_do_prints_the_summary_event(project: Path, emulator: Any, cli: Any) -> None:
    applied = cli("apply", "--yes", "--json", "--endpoint", emulator.url, cwd=project,
                  env=emulator.env)

    assert applied.exit_code == 0, applied.output
    summary = json.loads(applied.stdout.splitlines()[-1])
    assert summary.pop("seconds") >= 0
    assert summary == {
        "event": "summary", "outcome": "nothing-to-do", "ok": True, "types": [], "calls": 1,
        "mutatingCalls": 0, "mismatches": [], "journal": None, "rolledBack": False,
    }
