"""How many calls per second the emulator serves with no latency (it must never be the bottleneck).

The emulator runs as `activities emulator` in its own process with limits raised out of the way;
the load comes from raw keep-alive HTTP/1.1 connections on asyncio (no client library), so the
generator is much cheaper than the server. One more case serves from a thread in this process, as
the embedded `local` instance does.
"""

from __future__ import annotations

import asyncio
import json
import select
import signal
import subprocess
import sys
import time
from urllib.parse import urlsplit

import httpx

CONNECTIONS = 8
SECONDS = 3.0
LIMITS = ["--rate-limit", "100000000/1", "--max-concurrent", "1000", "--daily-quota",
          "1000000000", "--max-types", "100"]
CLIENT = ("bench-id", "bench-secret")


def _token(url: str) -> str:
    reply = httpx.get(f"{url}/identity/oauth/token", params={
        "grant_type": "client_credentials", "client_id": CLIENT[0], "client_secret": CLIENT[1]})
    return str(reply.json()["access_token"])


def _prepare(url: str, token: str) -> None:
    """One type with 20 attributes, approved, to describe."""
    auth = {"Authorization": f"Bearer {token}"}
    base = f"{url}/rest/v1/activities/external/type"
    httpx.post(f"{base}.json", headers=auth, json={
        "apiName": "benchType", "name": "Bench Type", "triggerName": "Benches",
        "filterName": "Benched", "primaryAttribute": {"apiName": "main", "name": "Main"}})
    httpx.post(f"{base}/benchType/attributes/create.json", headers=auth, json={"attributes": [
        {"apiName": f"field{i}", "name": f"Field {i}", "dataType": "string"} for i in range(20)]})
    httpx.post(f"{base}/benchType/approve.json", headers=auth)


async def _connection(host: str, port: int, request: bytes, deadline: float) -> int:
    reader, writer = await asyncio.open_connection(host, port)
    done = 0
    try:
        while time.perf_counter() < deadline:
            writer.write(request)
            head = await reader.readuntil(b"\r\n\r\n")
            if not head.startswith(b"HTTP/1.1 200"):
                raise RuntimeError(f"unexpected answer: {head[:60]!r}")
            length = int(head.lower().split(b"content-length: ")[1].split(b"\r\n")[0])
            body = await reader.readexactly(length)
            if body.startswith(b'{"requestId"') and b'"success":true' not in body:
                raise RuntimeError(f"refused: {body[:200]!r}")
            done += 1
    finally:
        writer.close()
    return done


async def _load(url: str, path: str, token: str | None) -> float:
    parts = urlsplit(url)
    host, port = parts.hostname or "127.0.0.1", parts.port or 80
    auth = f"Authorization: Bearer {token}\r\n" if token else ""
    request = f"GET {path} HTTP/1.1\r\nHost: {host}\r\n{auth}\r\n".encode()
    started = time.perf_counter()
    counts = await asyncio.gather(*(
        _connection(host, port, request, started + SECONDS) for _ in range(CONNECTIONS)))
    return sum(counts) / (time.perf_counter() - started)


def _cases(url: str) -> list[tuple[str, str, str | None]]:
    token = _token(url)
    _prepare(url, token)
    query = f"grant_type=client_credentials&client_id={CLIENT[0]}&client_secret={CLIENT[1]}"
    return [
        ("list types (endpoint 1)", "/rest/v1/activities/external/types.json", token),
        ("describe, 20 attributes (endpoint 2)",
         "/rest/v1/activities/external/type/benchType/describe.json", token),
        ("identity token", f"/identity/oauth/token?{query}", None),
    ]


def _row(case: str, rate: float, where: str) -> dict[str, str]:
    verdict = "ok" if rate >= 1000 else "BELOW 1,000/s"
    return {"benchmark": "emulator", "case": f"{case}, {where}",
            "result": f"{rate:,.0f} calls/s ({CONNECTIONS} keep-alive connections, "
                      f"{SECONDS:g} s; {verdict})"}


def _subprocess_rows() -> list[dict[str, str]]:
    command = [sys.executable, "-m", "framework", "emulator", "--port", "0",
               "--client-id", CLIENT[0], "--client-secret", CLIENT[1], *LIMITS]
    process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL,
                               text=True)
    try:
        assert process.stdout is not None
        ready, _, _ = select.select([process.stdout], [], [], 20)
        if not ready:
            raise RuntimeError("the emulator did not start")
        url = process.stdout.readline().strip()
        return [_row(case, asyncio.run(_load(url, path, token)), "own process")
                for case, path, token in _cases(url)]
    finally:
        process.send_signal(signal.SIGINT)
        process.wait(20)


def _thread_rows() -> list[dict[str, str]]:
    from framework.emulator.config import EmulatorConfig
    from framework.emulator.server import EmulatorServer

    config = EmulatorConfig(client_id=CLIENT[0], client_secret=CLIENT[1],
                            rate_limit_calls=100_000_000, rate_limit_seconds=1,
                            max_concurrent=1000, daily_quota=1_000_000_000, max_types=100)
    with EmulatorServer(config) as server:
        case, path, token = _cases(server.url)[0]
        return [_row(case, asyncio.run(_load(server.url, path, token)),
                     "thread in the caller's process (embedded `local`)")]


def run() -> list[dict[str, str]]:
    return [*_subprocess_rows(), *_thread_rows()]


if __name__ == "__main__":
    print(json.dumps(run(), indent=1))
