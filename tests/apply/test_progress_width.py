"""The redrawn status line fits the terminal it is drawn on, so a redraw leaves no stale row."""

from __future__ import annotations

from framework.apply.model import Notice, StepEvent
from framework.apply.progress import TerminalProgress

RUNNING = [StepEvent(f"customActivityType{n}", n, "create_attributes", "started", 1, 1)
           for n in range(8)]


def status_lines(columns: int) -> list[str]:
    out: list[str] = []
    sink = TerminalProgress(out.append, columns=lambda: columns)
    sink(Notice("preflight", "re-read 8 type(s)", {"steps": 16}))
    for event in RUNNING:
        sink(event)
    text = "".join(out).replace("re-read 8 type(s)\n", "")
    return [line for line in text.split(TerminalProgress.CLEAR) if line]


def test_an_80_column_terminal_gets_79_columns_at_most() -> None:
    lines = status_lines(80)

    assert max(len(line) for line in lines) == 79
    assert lines[-1] == (
        "[0/16 steps] running: customActivityType0 create_attributes, customActivityT..."
    )


def test_a_wide_terminal_gets_the_whole_line() -> None:
    lines = status_lines(400)

    assert lines[-1].endswith("customActivityType7 create_attributes")
    assert len(lines[-1]) > 120
