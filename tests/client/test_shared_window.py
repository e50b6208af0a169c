"""The window of an instance is shared by every process of the machine that calls it.

Two limiters with their own SharedWindow on one file are what two processes (plan, then apply,
or two CI jobs) have; one fake clock stands for the machine's monotonic clock.
"""

from __future__ import annotations

import asyncio
import json
import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from framework.client import MarketoClient, Pacing
from framework.client.pacing import WINDOW_MARGIN_SECONDS, Limiter
from framework.client.shared_window import STALE_SECONDS, SharedWindow, window_file
from tests.client.scripted import FakeTime, run
from tests.conftest import RunningEmulator

PACING = Pacing(calls_per_window=5, window_seconds=1.0, max_concurrent=5)
HOLD = PACING.window_seconds + WINDOW_MARGIN_SECONDS


def limiter(path: Path, fake_time: FakeTime) -> Limiter:
    """A limiter as another process would have it: its own objects, the same file."""
    shared = SharedWindow(path, PACING.calls_per_window, HOLD)
    return Limiter(PACING, fake_time.clock, fake_time.sleep, shared)


def most_in_any_window(starts: list[float], seconds: float) -> int:
    return max(sum(1 for other in starts if first <= other < first + seconds) for first in starts)


def test_two_processes_limiters_stay_within_one_window_together(
    tmp_path: Path, fake_time: FakeTime
) -> None:
    path = tmp_path / "window.json"
    starts: list[float] = []

    async def call(limiter: Limiter) -> None:
        async with limiter.slot():
            starts.append(fake_time.clock())
            await asyncio.sleep(0)

    async def scenario() -> None:
        one, two = limiter(path, fake_time), limiter(path, fake_time)
        await asyncio.gather(*(call(each) for each in (one, two) for _ in range(8)))

    run(scenario())
    assert len(starts) == 16
    assert most_in_any_window(starts, PACING.window_seconds) == 5
    # 16 calls, 5 a window: the last ones waited three windows.
    assert max(starts) - min(starts) >= 3 * HOLD


def test_the_file_names_no_endpoint_and_holds_only_times(
    emulator_factory: Callable[..., RunningEmulator], fake_time: FakeTime
) -> None:
    emulator = emulator_factory()

    config = emulator.config

    async def scenario() -> None:
        async with MarketoClient(emulator.url, config.client_id, config.client_secret,
                                 clock=fake_time.clock, sleep=fake_time.sleep) as client:
            await client.list_types()

    run(scenario())
    path = window_file(emulator.url)
    text = path.read_text(encoding="utf-8")
    assert emulator.url.split("//")[1] not in path.name and emulator.url not in text
    for secret in (config.client_id, config.client_secret):
        assert secret not in text
    [[slot, taken, released]] = json.loads(text)["slots"]
    assert isinstance(slot, str) and taken == released == fake_time.clock()


def test_a_slot_left_in_flight_by_a_dead_process_expires(
    tmp_path: Path, fake_time: FakeTime
) -> None:
    path = tmp_path / "window.json"
    dead = SharedWindow(path, 1, HOLD)
    assert isinstance(dead.take(fake_time.clock()), str)  # and never released
    alive = SharedWindow(path, 1, HOLD)
    assert alive.take(fake_time.clock()) == pytest.approx(STALE_SECONDS + HOLD)
    assert isinstance(alive.take(fake_time.clock() + STALE_SECONDS + HOLD), str)


def test_slots_from_before_a_reboot_and_broken_files_are_ignored(
    tmp_path: Path, fake_time: FakeTime
) -> None:
    path = tmp_path / "window.json"
    window = SharedWindow(path, 1, HOLD)
    path.write_text(json.dumps({"slots": [["old", 10**6, 10**6]]}))  # far later: an old boot
    assert isinstance(window.take(fake_time.clock()), str)
    for broken in ("{", "[]", '{"slots": [1, ["a"], ["b", "x", null]]}'):
        path.write_text(broken)
        assert isinstance(SharedWindow(path, 1, HOLD).take(fake_time.clock()), str)


def test_two_clients_in_two_event_loops_provoke_no_606(
    emulator_factory: Callable[..., RunningEmulator], fake_time: FakeTime
) -> None:
    # Each client runs in its own thread and loop, so each has its own limiter: only the file
    # is shared. The instance counts 5 calls a second on the same (fake) clock.
    emulator = emulator_factory(rate_limit_calls=5, rate_limit_seconds=1.0,
                                clock=fake_time.clock)
    lock = threading.Lock()

    async def sleep(seconds: float) -> None:
        with lock:
            await_seconds = max(seconds, 0.0)
            fake_time.sleeps.append(round(await_seconds, 6))
        await asyncio.sleep(0.001)  # real, and short: the other thread runs meanwhile
        with lock:
            fake_time.now += await_seconds

    results: list[Any] = []

    def one_process() -> None:
        async def scenario() -> None:
            async with MarketoClient(emulator.url, emulator.config.client_id,
                                     emulator.config.client_secret, pacing=PACING,
                                     clock=fake_time.clock, sleep=sleep, seed=1) as client:
                for _ in range(6):
                    await client.list_types()
        try:
            run(scenario())
            results.append("ok")
        except Exception as exc:  # noqa: BLE001 - reported by the assertion below
            results.append(exc)

    threads = [threading.Thread(target=one_process) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    assert results == ["ok", "ok"]
    stats = emulator.stats()
    assert (stats["total_calls"], stats["rate_limited_calls"]) == (12, 0)
