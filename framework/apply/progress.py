"""Progress displays: listeners that turn apply events into text on a stream the CLI gives.

- `LogProgress`: one plain line per step start and outcome (CI logs, pipes);
- `TerminalProgress`: finished steps scroll up, one status line at the bottom is redrawn in
  place (a TTY);
- `JsonProgress`: one JSON object per line per event; the CLI ends with a `summary` object.
"""

from __future__ import annotations

import json
import shutil
from collections.abc import Callable

from framework.apply.model import ApplyEvent, Notice, StepEvent

Write = Callable[[str], None]


def terminal_columns() -> int:
    """The terminal's width now (it may be resized during an apply); 80 when unknown."""
    return shutil.get_terminal_size((80, 24)).columns


def step_line(event: StepEvent) -> str:
    """`attendWebinar: step 2 create_attributes (minutesWatched, url): done`."""
    what = f"{event.apiName}: step {event.index + 1} {event.op}"
    if event.attributes:
        what += f" ({', '.join(event.attributes)})"
    line = f"{what}: {event.status}"
    return f"{line}: {event.detail}" if event.detail else line


class LogProgress:
    """Plain lines, for logs."""

    def __init__(self, write: Write) -> None:
        self._write = write

    def __call__(self, event: ApplyEvent) -> None:
        if isinstance(event, Notice):
            self._write(event.message + "\n")
        else:
            self._write(step_line(event) + "\n")


class JsonProgress:
    """JSON lines, for machines."""

    def __init__(self, write: Write) -> None:
        self._write = write

    def __call__(self, event: ApplyEvent) -> None:
        self._write(json.dumps(event.to_json(), separators=(",", ":")) + "\n")


class TerminalProgress:
    """Finished steps as lines, and a redrawn status line: steps finished and those running."""

    CLEAR = "\r\x1b[K"

    def __init__(self, write: Write, columns: Callable[[], int] = terminal_columns) -> None:
        self._write = write
        self._columns = columns
        self._running: dict[tuple[str, int], str] = {}
        self._finished = 0
        self._total = 0

    def __call__(self, event: ApplyEvent) -> None:
        self._write(self.CLEAR)
        if isinstance(event, Notice):
            steps = event.data.get("steps")
            if isinstance(steps, int):
                self._total = steps
            self._write(event.message + "\n")
        elif event.status == "started":
            self._running[(event.apiName, event.index)] = f"{event.apiName} {event.op}"
        else:
            self._running.pop((event.apiName, event.index), None)
            if event.status != "not-run" and event.status != "already-live":
                self._finished += 1
            mark = {"failed": "✗", "not-run": "-", "already-live": "="}.get(event.status, "✓")
            self._write(f"{mark} {step_line(event)}\n")
        self._write(self._status())

    def _status(self) -> str:
        if not self._running:
            return ""
        running = ", ".join(sorted(self._running.values()))
        total = f"/{self._total}" if self._total else ""
        # One column short of the width: a line that fills the last column wraps on many
        # terminals, and the CLEAR of the next redraw would then leave the first row behind.
        width = max(self._columns() - 1, 20)
        line = f"[{self._finished}{total} steps] running: {running}"
        return line if len(line) <= width else line[: width - 3] + "..."

    def close(self) -> None:
        """Clear the status line."""
        self._write(self.CLEAR)
