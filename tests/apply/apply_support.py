"""Builders shared by the apply tests: definition files, plans, clients and live reads."""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Any

import httpx

from framework.client.marketo import MarketoClient
from framework.environment import Target
from framework.live import LiveState
from framework.plan.model import Plan
from framework.plan.pipeline import make_plan
from framework.plan.planfile import save_plan
from framework.plan.read import read_live
from framework.settings import load_settings
from tests.support.clocks import FakeTime

DEFAULT_ATTRIBUTES = (("seats", "integer"), ("venue", "string"))


def type_yaml(
    api_name: str,
    *,
    version: int = 1,
    name: str | None = None,
    trigger: str | None = None,
    filter_name: str | None = None,
    primary: tuple[str, str] = ("title", "string"),
    attributes: tuple[tuple[str, str], ...] = DEFAULT_ATTRIBUTES,
    protect: bool = False,
    ensure: str = "present",
) -> str:
    """A definition file; names derive from the apiName unless given."""
    word = api_name[0].upper() + api_name[1:]
    lines = [
        f"version: {version}",
        f"apiName: {api_name}",
        f"name: {name or word}",
        f"triggerName: {trigger or 'Does ' + word}",
        f"filterName: {filter_name or 'Did ' + word}",
        "primaryAttribute:",
        f"  apiName: {primary[0]}",
        f"  name: {primary[0].title()}",
        f"  dataType: {primary[1]}",
    ]
    if attributes:
        lines.append("attributes:")
        for attr, data_type in attributes:
            lines += [
                f"  - apiName: {attr}",
                f"    name: {attr.title()}",
                f"    dataType: {data_type}",
            ]
    lines += [f"protect: {'true' if protect else 'false'}", f"ensure: {ensure}"]
    return "\n".join(lines) + "\n"


def write_type(project: Path, api_name: str, **fields: Any) -> Path:
    path = project / "activities" / f"{api_name}.yaml"
    path.write_text(type_yaml(api_name, **fields), encoding="utf-8")
    return path


def target_of(emulator: Any) -> Target:
    """The `--endpoint URL` target of a RunningEmulator."""
    return Target(
        "endpoint", emulator.url, emulator.config.client_id, emulator.config.client_secret
    )


def client_for(emulator: Any, *, budget: float = 120.0, seed: int | None = None) -> MarketoClient:
    """A client on the emulator whose waits are instant (and whose retry budget is in fake s)."""
    time = FakeTime()
    # Plain http on loopback: skipping the CA bundle saves ~80 ms per client.
    transport = httpx.AsyncHTTPTransport(verify=False)
    return MarketoClient(
        emulator.url,
        emulator.config.client_id,
        emulator.config.client_secret,
        retry_budget_seconds=budget,
        timeout_seconds=5.0,
        clock=time.clock,
        sleep=time.sleep,
        seed=seed,
        transport=transport,
    )


async def _read(emulator: Any, names: set[str] | None) -> LiveState:
    async with client_for(emulator) as client:
        return await read_live(client, names)


def read(emulator: Any, names: set[str] | None = None) -> LiveState:
    """The emulator's live state, read over HTTP."""
    return asyncio.run(_read(emulator, names))


async def _plan(project: Path, emulator: Any, allow_destructive: bool) -> Plan:
    settings = load_settings(project)
    async with client_for(emulator) as client:
        return await make_plan(
            settings,
            target_of(emulator),
            client,
            project / "activities",
            allow_destructive=allow_destructive,
        )


def plan_for(project: Path, emulator: Any, *, allow_destructive: bool = False) -> Plan:
    """The plan of the project's definitions against the emulator."""
    return asyncio.run(_plan(project, emulator, allow_destructive))


def saved_plan(
    project: Path, emulator: Any, name: str = "reviewed", *, allow_destructive: bool = False
) -> Path:
    """Make a plan and save it as plans/NAME.json; returns its path."""
    path = project / "plans" / f"{name}.json"
    save_plan(plan_for(project, emulator, allow_destructive=allow_destructive), path)
    return path


def mutating_calls(emulator: Any) -> int:
    return int(emulator.stats()["mutating_calls"])
