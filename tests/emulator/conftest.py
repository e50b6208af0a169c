"""Fixtures for the emulator's own tests: an authenticated raw HTTP client on a running emulator."""

from __future__ import annotations

import select
import signal
import subprocess
import sys
from collections.abc import Callable, Iterator
from typing import Any

import pytest

from tests.emulator.rest import Api

STARTUP_SECONDS = 20


@pytest.fixture
def api_factory(emulator_factory: Callable[..., Any]) -> Iterator[Callable[..., Api]]:
    made: list[Api] = []

    def make(**overrides: Any) -> Api:
        api = Api(emulator_factory(**overrides))
        made.append(api)
        return api

    yield make
    for api in made:
        api.close()


@pytest.fixture
def api(api_factory: Callable[..., Api]) -> Api:
    return api_factory()


class EmulatorProcess:
    """`activities emulator` run as a subprocess: its URL (the first line it prints) and output."""

    def __init__(self, args: list[str]) -> None:
        command = [sys.executable, "-m", "framework", "emulator", "--port", "0", *args]
        self.process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                        text=True)
        assert self.process.stdout is not None
        ready, _, _ = select.select([self.process.stdout], [], [], STARTUP_SECONDS)
        assert ready, "the emulator printed nothing within the startup time"
        self.url = self.process.stdout.readline().strip()

    def stop(self, signal_number: int = signal.SIGINT) -> tuple[int, str, str]:
        """Send the signal; (exit code, the rest of stdout, stderr)."""
        self.process.send_signal(signal_number)
        out, err = self.process.communicate(timeout=STARTUP_SECONDS)
        return self.process.returncode, out, err


@pytest.fixture
def emulator_process() -> Iterator[Callable[..., EmulatorProcess]]:
    started: list[EmulatorProcess] = []

    def start(*args: str) -> EmulatorProcess:
        running = EmulatorProcess(list(args))
        started.append(running)
        return running

    yield start
    for running in started:
        if running.process.poll() is None:
            running.process.kill()
            running.process.communicate()
