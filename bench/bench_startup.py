"""Benchmark: start-up of `activities --help` and `activities validate`, as ratios.

A pre-commit hook or a CI step pays the start-up on every run, and it is nearly all imports. The
goals are ratios measured in one run, so a slow or busy machine does not move them much:
`--help` within 2.5x of `python -c "import click"`, and `validate` of the four example files
within 2x of `python -c "import pydantic, ruamel.yaml, click"` (the libraries it cannot do
without). Each command runs as a fresh process, the runs interleaved; the figure is the median
of five wall times, with the median CPU time (user + system, which other work on the machine
disturbs less) beside it. Compiled bytecode is written first, as an installed tool has it.
"""

from __future__ import annotations

import os
import resource
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
RUNS = 5
GOALS = {"--help": 2.5, "validate": 2.0}
COMMANDS: dict[str, list[str]] = {
    "click": [sys.executable, "-c", "import click"],
    "libraries": [sys.executable, "-c", "import pydantic, ruamel.yaml, click"],
    "--help": [sys.executable, "-m", "framework", "--help"],
    "validate": [sys.executable, "-m", "framework", "validate", "--dir", "activities"],
}
BASELINE = {"--help": "click", "validate": "libraries"}
# As a user runs it: bytecode cached, no plugin switch chosen.
ENVIRONMENT = {k: v for k, v in os.environ.items()
               if k not in ("PYTHONDONTWRITEBYTECODE", "PYDANTIC_DISABLE_PLUGINS")}


def _times(command: list[str]) -> tuple[float, float]:
    """The wall and CPU seconds of one fresh process running COMMAND."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    subprocess.run(command, cwd=ROOT, check=True, stdout=subprocess.DEVNULL, env=ENVIRONMENT)
    wall = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime
    return wall, cpu


def measure(runs: int = RUNS) -> dict[str, tuple[float, float]]:
    """The median wall and CPU time of each command in COMMANDS, over `runs` interleaved rounds."""
    for command in COMMANDS.values():  # writes the bytecode; not counted
        _times(command)
    samples: dict[str, list[tuple[float, float]]] = {name: [] for name in COMMANDS}
    for _ in range(runs):
        for name, command in COMMANDS.items():
            samples[name].append(_times(command))
    return {
        name: (statistics.median(w for w, _ in times), statistics.median(c for _, c in times))
        for name, times in samples.items()
    }


def run() -> list[dict[str, str]]:
    medians = measure()
    rows = []
    for name, goal in GOALS.items():
        baseline = BASELINE[name]
        (wall, cpu), (base_wall, base_cpu) = medians[name], medians[baseline]
        ratio = wall / base_wall
        verdict = "within" if ratio <= goal else "OVER"
        rows.append({
            "benchmark": "start-up",
            "case": f"activities {name} vs python -c 'import {COMMANDS[baseline][2][7:]}'",
            "result": f"{wall * 1000:.0f} ms / {base_wall * 1000:.0f} ms: x{ratio:.2f} "
                      f"({verdict} the x{goal} goal; CPU x{cpu / base_cpu:.2f}; "
                      f"medians of {RUNS})",
        })
    return rows
