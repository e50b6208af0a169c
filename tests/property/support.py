"""What the property-based tests share: an emulator for a whole module, a fast client on it,
definition files written from plain values, and the tally of outcomes the tests print."""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx

from framework.client.marketo import MarketoClient, Pacing
from framework.emulator.config import EmulatorConfig
from framework.emulator.server import EmulatorServer

CLIENT_ID = "property-client"
CLIENT_SECRET = "property-secret-0123456789"
# The tool's pacing and the emulator's limits are tested elsewhere; here they would only wait.
FAST = Pacing(calls_per_window=1_000_000, window_seconds=20.0, max_concurrent=10)
# The figures of each run, for the record (a git-ignored folder of the repository).
REPORT = Path(__file__).resolve().parents[2] / ".activities" / "property-figures.txt"


def serve(max_types: int) -> Iterator[EmulatorServer]:
    config = EmulatorConfig(client_id=CLIENT_ID, client_secret=CLIENT_SECRET,
                            max_types=max_types, rate_limit_calls=1_000_000,
                            daily_quota=100_000_000)
    with EmulatorServer(config) as server:
        yield server


def reset(server: EmulatorServer) -> None:
    httpx.post(f"{server.url}/_emulator/reset").raise_for_status()


def client(server: EmulatorServer) -> MarketoClient:
    return MarketoClient(server.url, CLIENT_ID, CLIENT_SECRET, pacing=FAST,
                         retry_budget_seconds=5)


def yaml_text(data: dict[str, Any]) -> str:
    """A definition file: every text value double-quoted as JSON (a subset of YAML), so any
    value reaches the loader exactly as generated."""
    lines: list[str] = []
    for key, value in data.items():
        if key == "primaryAttribute":
            lines.append("primaryAttribute:")
            lines += [f"  {k}: {_scalar(v)}" for k, v in value.items() if v is not None]
        elif key == "attributes":
            lines.append("attributes:" if value else "attributes: []")
            for attribute in value:
                items = [(k, v) for k, v in attribute.items() if v is not None]
                lines += [f"{'  - ' if i == 0 else '    '}{k}: {_scalar(v)}"
                          for i, (k, v) in enumerate(items)]
        elif value is not None:
            lines.append(f"{key}: {_scalar(value)}")
    return "\n".join(lines) + "\n"


def _scalar(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    return json.dumps(value, ensure_ascii=False)


def write_folder(folder: Path, files: dict[str, dict[str, Any]]) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    for old in folder.iterdir():
        old.unlink()
    for name, data in files.items():
        (folder / name).write_text(yaml_text(data), encoding="utf-8")


class Tally:
    """Outcomes by stage, printed at the end of the test (`pytest -s`) and appended to REPORT."""

    def __init__(self, title: str) -> None:
        self.title = title
        self.counts: Counter[str] = Counter()

    def add(self, stage: str) -> None:
        self.counts[stage] += 1

    def report(self) -> str:
        total = sum(self.counts.values())
        parts = ", ".join(f"{stage} {n}" for stage, n in sorted(self.counts.items()))
        line = f"{self.title}: {total} examples: {parts}"
        REPORT.parent.mkdir(exist_ok=True)
        with REPORT.open("a", encoding="utf-8") as out:
            out.write(line + "\n")
        return line
