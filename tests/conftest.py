"""Shared fixtures: the emulator over a real loopback socket, and the CLI."""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Iterator
from dataclasses import replace
from pathlib import Path
from typing import Any

import httpx
import pytest
from click.testing import CliRunner, Result

from framework.cli import activities
from framework.client.redact import forget_secrets
from framework.client.shared_window import CACHE_DIR_VARIABLE
from framework.emulator.config import EmulatorConfig
from framework.emulator.server import EmulatorServer

CLIENT_ID = "test-client-id"
CLIENT_SECRET = "test-client-secret-0123456789"


class RunningEmulator:
    """An emulator served on 127.0.0.1 for one test, with its introspection endpoints."""

    def __init__(self, server: EmulatorServer, config: EmulatorConfig) -> None:
        self.server = server
        self.config = config
        self.url = server.url

    def stats(self) -> dict[str, Any]:
        return httpx.get(f"{self.url}/_emulator/stats").json()  # type: ignore[no-any-return]

    def reset(self) -> None:
        httpx.post(f"{self.url}/_emulator/reset").raise_for_status()

    def mark_in_use(self, api_name: str) -> None:
        httpx.post(f"{self.url}/_emulator/types/{api_name}/in-use").raise_for_status()

    def declare_asset(self, object_api_name: str, asset_type: str, asset_id: int,
                      asset_name: str, used_fields: tuple[str, ...] = ()) -> None:
        """A smart campaign or list now uses this approved custom object type (and fields):
        dependentAssets lists it, delete is 1022, deleting a used field is 1022."""
        httpx.post(f"{self.url}/_emulator/customobjects/{object_api_name}/dependentAssets",
                   json={"assetType": asset_type, "assetId": asset_id, "assetName": asset_name,
                         "usedFields": list(used_fields)}).raise_for_status()

    @property
    def env(self) -> dict[str, str]:
        """Environment variables that point `--endpoint` users at this emulator."""
        return {
            "MARKETO_CLIENT_ID": self.config.client_id,
            "MARKETO_CLIENT_SECRET": self.config.client_secret,
        }


@pytest.fixture(autouse=True)
def _own_cache_dir(tmp_path_factory: pytest.TempPathFactory,
                   monkeypatch: pytest.MonkeyPatch) -> None:
    """Each test has its own cache folder: the shared pacing windows of one test (and its
    subprocesses) are not another's, and none is written to the user's cache."""
    monkeypatch.setenv(CACHE_DIR_VARIABLE, str(tmp_path_factory.mktemp("cache")))


@pytest.fixture(autouse=True)
def _fresh_secret_registry() -> Iterator[None]:
    """Each test starts with no registered secret (the registry lives for a process's run)."""
    forget_secrets()
    yield
    forget_secrets()


class HeldCalls:
    """An emulator latency (`sleep=held.sleep`) that holds every admitted call until `expect`ed
    calls have all arrived: concurrency made certain, instead of likely with a real delay."""

    def __init__(self) -> None:
        self.running: RunningEmulator | None = None
        self.target = 0

    def expect(self, running: RunningEmulator, calls: int) -> None:
        """The next `calls` REST calls arrive together; admitted ones wait for the last."""
        self.running = running
        self.target = running.server.emulator.stats.total_calls + calls

    async def sleep(self, seconds: float) -> None:
        assert self.running is not None, "call expect() before sending"
        emulator = self.running.server.emulator
        for _ in range(10_000):  # 10 s at most: a broken test fails instead of hanging
            if emulator.stats.total_calls >= self.target:
                return
            await asyncio.sleep(0.001)
        raise AssertionError(f"only {emulator.stats.total_calls} of {self.target} calls came")


@pytest.fixture
def emulator_factory() -> Iterator[Callable[..., RunningEmulator]]:
    """Start emulators with any EmulatorConfig overrides (and EmulatorServer's `limits`, `clock`,
    `wall` and `sleep`); all stop at the end of the test."""
    servers: list[EmulatorServer] = []

    def start(**overrides: Any) -> RunningEmulator:
        served = {key: overrides.pop(key) for key in ("limits", "clock", "wall", "sleep")
                  if key in overrides}
        config = replace(
            # Values read back as text, as Marketo renders them: the tool must cope.
            EmulatorConfig(client_id=CLIENT_ID, client_secret=CLIENT_SECRET, string_values=True),
            **overrides
        )
        server = EmulatorServer(config, **served)
        server.start()
        servers.append(server)
        return RunningEmulator(server, config)

    yield start
    for server in servers:
        server.stop()


@pytest.fixture
def emulator(emulator_factory: Callable[..., RunningEmulator]) -> RunningEmulator:
    """A default emulator (Marketo's limits, no faults)."""
    return emulator_factory()


@pytest.fixture
def project(tmp_path: Path) -> Path:
    """An empty project folder with a pyproject.toml and an `activities/` folder."""
    (tmp_path / "pyproject.toml").write_text("[tool.activities]\nmax_types = 10\n")
    (tmp_path / "activities").mkdir()
    return tmp_path


@pytest.fixture
def cli(monkeypatch: pytest.MonkeyPatch) -> Callable[..., Result]:
    """Run `activities ARGS` in-process in folder `cwd`, with extra environment variables."""

    def run(
        *args: str,
        cwd: Path | None = None,
        env: dict[str, str] | None = None,
        input: str | None = None,
    ) -> Result:
        if cwd is not None:
            monkeypatch.chdir(cwd)
        runner = CliRunner()
        return runner.invoke(activities, list(args), env=env, input=input, catch_exceptions=False)

    return run
