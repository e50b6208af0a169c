"""One process per state file: `activities emulator --state FILE` refuses a file another
emulator (or an activities command on the local instance) is serving, instead of overwriting
its changes."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path
from typing import Any

STOP_SECONDS = 20


def test_a_second_emulator_on_the_same_state_file_refuses_to_start(
    emulator_process: Any, tmp_path: Path
) -> None:
    state = tmp_path / "state.json"
    first = emulator_process("--state", str(state))

    second = subprocess.run(
        [sys.executable, "-m", "framework", "emulator", "--port", "0", "--state", str(state)],
        capture_output=True, text=True, timeout=STOP_SECONDS, check=False)

    assert (second.returncode, second.stdout) == (1, "")
    assert second.stderr == (
        f"Error: the instance state {state} is in use by another process (it holds "
        f"{state}.lock)\n"
        "  fix: wait for the other activities command (or emulator) to end, then run this one "
        "again; the lock goes with that process, even if it crashes\n"
    )
    code, _, _ = first.stop()
    assert code == 0
