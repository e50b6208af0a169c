"""Benchmark: start-up of `activities --help` and `activities validate`, as ratios.

A pre-commit hook or a CI step pays the start-up on every run, and it is nearly all imports. The
goals are ratios measured in one run, so a slow or busy machine does not move them: `--help`
within 2.5x of `python -c "import click"`, and `validate` of the four example files within 2x of
`python -c "import pydantic, ruamel.yaml, click"` (the libraries it cannot do without). Each
command runs as a fresh process, the runs interleaved, and the best of them is kept: the best
run is the one least disturbed by other work on the machine.
"""

from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
RUNS = 15
GOALS = {"--help": 2.5, "validate": 2.0}
COMMANDS: dict[str, list[str]] = {
    "click": [sys.executable, "-c", "import click"],
    "libraries": [sys.executable, "-c", "import pydantic, ruamel.yaml, click"],
    "--help": [sys.executable, "-m", "framework", "--help"],
    "validate": [sys.executable, "-m", "framework", "validate", "--dir", "activities"],
}
BASELINE = {"--help": "click", "validate": "libraries"}


def _seconds(command: list[str]) -> float:
    started = time.perf_counter()
    subprocess.run(command, cwd=ROOT, check=True, stdout=subprocess.DEVNULL)
    return time.perf_counter() - started


def measure(runs: int = RUNS) -> dict[str, float]:
    """The best wall time of each command in COMMANDS, over `runs` interleaved rounds."""
    best = dict.fromkeys(COMMANDS, float("inf"))
    for _ in range(runs):
        for name, command in COMMANDS.items():
            best[name] = min(best[name], _seconds(command))
    return best


def run() -> list[dict[str, str]]:
    best = measure()
    rows = []
    for name, goal in GOALS.items():
        baseline = BASELINE[name]
        ratio = best[name] / best[baseline]
        verdict = "within" if ratio <= goal else "OVER"
        rows.append({
            "benchmark": "start-up",
            "case": f"activities {name} vs python -c 'import {COMMANDS[baseline][2][7:]}'",
            "result": f"{best[name] * 1000:.0f} ms / {best[baseline] * 1000:.0f} ms: "
                      f"x{ratio:.2f} ({verdict} the x{goal} goal; best of {RUNS})",
        })
    return rows
