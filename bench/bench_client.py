"""The client's pacing against the emulator's window: throughput as a ratio to the limit, and
the slowdown under 20% transient faults.

A short window (50 calls per 2 s on both sides) shows the same behaviour as Marketo's 100 per
20 s in a fraction of the time. Calls are real HTTP over loopback; waits are real.
"""

from __future__ import annotations

import asyncio
import time
from typing import Any

import httpx

from framework.client import MarketoClient, Pacing
from framework.emulator.config import EmulatorConfig
from framework.emulator.server import EmulatorServer

CALLS = 50
WINDOW = 2.0
CONCURRENT = 10
PACED_CALLS = 250
FAULTY_CALLS = 150
FAULT_RATE = 0.2
SEED = 7


class SendTimes(httpx.AsyncHTTPTransport):
    """The real transport, noting when each REST request is handed to the socket."""

    def __init__(self) -> None:
        super().__init__()
        self.sent: list[float] = []

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        if request.url.path.startswith("/rest/"):
            self.sent.append(time.monotonic())
        return await super().handle_async_request(request)


async def _run(url: str, calls: int, transport: SendTimes) -> tuple[float, dict[str, Any]]:
    pacing = Pacing(calls_per_window=CALLS, window_seconds=WINDOW, max_concurrent=CONCURRENT)
    async with MarketoClient(url, "bench", "bench-secret", pacing=pacing, transport=transport,
                             seed=SEED) as client:
        started = time.monotonic()
        await asyncio.gather(*(client.list_types() for _ in range(calls)))
        return time.monotonic() - started, client.stats.snapshot()


def _serve(**overrides: Any) -> EmulatorServer:
    config = EmulatorConfig(client_id="bench", client_secret="bench-secret",
                            rate_limit_calls=CALLS, rate_limit_seconds=WINDOW,
                            max_concurrent=CONCURRENT, **overrides)
    return EmulatorServer(config)


def _paced() -> dict[str, str]:
    with _serve() as server:
        transport = SendTimes()
        elapsed, _ = asyncio.run(_run(server.url, PACED_CALLS, transport))
        server_stats = server.emulator.stats.to_json()
    sent = sorted(transport.sent)
    # Sustained rate: the calls of every window but the last, over the time from the first
    # window's first send to the last window's first send (the last burst would be free).
    windows = len(sent) // CALLS
    achieved = (windows - 1) * CALLS / (sent[(windows - 1) * CALLS] - sent[0])
    limit = CALLS / WINDOW
    row = {
        "benchmark": "client",
        "case": f"pacing: {PACED_CALLS} calls, emulator and Pacing {CALLS}/{WINDOW:g}s, "
                f"{CONCURRENT} concurrent",
        "result": f"{achieved:.1f} calls/s of {limit:.0f} allowed = ratio {achieved / limit:.2f}; "
                  f"606: {server_stats['rate_limited_calls']}, "
                  f"615: {server_stats['concurrency_limited_calls']}; {elapsed:.1f} s",
    }
    return row


def _faulty() -> dict[str, str]:
    with _serve(fault_rate=FAULT_RATE, seed=SEED) as server:
        elapsed, stats = asyncio.run(_run(server.url, FAULTY_CALLS, SendTimes()))
    with _serve() as server:
        clean, _ = asyncio.run(_run(server.url, FAULTY_CALLS, SendTimes()))
    return {
        "benchmark": "client",
        "case": f"faults: {FAULTY_CALLS} reads, {FAULT_RATE:.0%} transient faults (seed {SEED})",
        "result": f"{elapsed:.1f} s vs {clean:.1f} s clean = slowdown x{elapsed / clean:.2f}; "
                  f"{stats['calls']} calls, {stats['retries']} retries "
                  f"{stats['errors_by_code']}",
    }


def run() -> list[dict[str, str]]:
    return [_paced(), _faulty()]


if __name__ == "__main__":
    for row in run():
        print(f"{row['case']}: {row['result']}")
