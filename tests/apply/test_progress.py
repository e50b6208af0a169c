"""The progress displays: plain log lines, the terminal's redrawn status line, JSON lines."""

from __future__ import annotations

import json

from framework.apply.model import Notice, StepEvent
from framework.apply.progress import JsonProgress, LogProgress, TerminalProgress

EVENTS = [
    Notice("preflight", "re-read 2 type(s)", {"steps": 3}),
    StepEvent("attendClass", 0, "create_type", "started", 1, 1),
    StepEvent("buyBook", 1, "create_attributes", "started", 1, 1, ("isbn", "price")),
    StepEvent("attendClass", 0, "create_type", "done", 1, 1),
    StepEvent("buyBook", 1, "create_attributes", "failed", 1, 1, ("isbn",), "Marketo error 1028"),
]


def test_log_progress_writes_one_line_per_event() -> None:
    out: list[str] = []
    sink = LogProgress(out.append)
    for event in EVENTS:
        sink(event)
    assert "".join(out) == (
        "re-read 2 type(s)\n"
        "attendClass: step 1 create_type: started\n"
        "buyBook: step 2 create_attributes (isbn, price): started\n"
        "attendClass: step 1 create_type: done\n"
        "buyBook: step 2 create_attributes (isbn): failed: Marketo error 1028\n"
    )


def test_terminal_progress_scrolls_finished_steps_above_a_status_line() -> None:
    out: list[str] = []
    sink = TerminalProgress(out.append)
    for event in EVENTS:
        sink(event)
    sink.close()
    clear = TerminalProgress.CLEAR
    assert "".join(out) == (
        f"{clear}re-read 2 type(s)\n"
        f"{clear}[0/3 steps] running: attendClass create_type"
        f"{clear}[0/3 steps] running: attendClass create_type, buyBook create_attributes"
        f"{clear}✓ attendClass: step 1 create_type: done\n"
        "[1/3 steps] running: buyBook create_attributes"
        f"{clear}✗ buyBook: step 2 create_attributes (isbn): failed: Marketo error 1028\n"
        f"{clear}"
    )


def test_json_progress_writes_one_object_per_line() -> None:
    out: list[str] = []
    sink = JsonProgress(out.append)
    for event in EVENTS[:2]:
        sink(event)
    assert [json.loads(line) for line in "".join(out).splitlines()] == [
        {"event": "preflight", "message": "re-read 2 type(s)", "steps": 3},
        {
            "event": "step",
            "apiName": "attendClass",
            "index": 0,
            "op": "create_type",
            "status": "started",
            "phase": 1,
            "wave": 1,
        },
    ]
