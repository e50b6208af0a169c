"""Helpers for the client's tests: an injectable clock, and a scripted in-process Marketo.

The scripted transport is only for unit tests of the client alone (what a real server cannot be
made to do on cue, such as answering 602 to ten tasks at once); everything that can be shown
against the emulator over a real socket is tested there (test_emulator_*.py).
"""

from __future__ import annotations

import asyncio
import json
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any

import httpx

from tests.support.bodies import type_body as type_body
from tests.support.clocks import FakeTime as FakeTime

ENDPOINT = "https://123-abc-456.mktorest.com"
SECRET = "s3cret-value-0123456789"
CLIENT_ID = "client-id-abcdef"


def envelope(
    result: list[dict[str, Any]] | None = None, request_id: str = "e42b#1"
) -> dict[str, Any]:
    return {"requestId": request_id, "success": True, "result": result or [], "errors": []}


def failure(code: str, message: str, request_id: str = "e42b#2") -> dict[str, Any]:
    errors = [{"code": code, "message": message}]
    return {"requestId": request_id, "success": False, "errors": errors}


# One scripted answer: an envelope, an HTTP status, an exception to raise, or a function of the
# request returning any of those.
Answer = dict[str, Any] | int | Exception | Callable[[httpx.Request], Any]


@dataclass
class ScriptedMarketo:
    """Answers identity with token-1, token-2, ... and REST calls from `answers` in order
    (then success with one item echoing the path)."""

    answers: list[Answer] = field(default_factory=list)
    expires_in: int = 3599
    identity_status: int = 200
    requests: list[httpx.Request] = field(default_factory=list)
    tokens_issued: int = 0
    delay: float = 0.0

    @property
    def transport(self) -> httpx.MockTransport:
        return httpx.MockTransport(self.handle)

    @property
    def rest(self) -> list[httpx.Request]:
        return [r for r in self.requests if not r.url.path.startswith("/identity")]

    async def handle(self, request: httpx.Request) -> httpx.Response:
        self.requests.append(request)
        if self.delay:
            await asyncio.sleep(self.delay)
        else:
            await asyncio.sleep(0)
        if request.url.path == "/identity/oauth/token":
            return self._identity()
        answer: Any = self.answers.pop(0) if self.answers else None
        if callable(answer) and not isinstance(answer, Exception):
            answer = answer(request)
        if answer is None:
            answer = envelope([{"apiName": "echo", "path": request.url.path}])
        if isinstance(answer, Exception):
            raise answer
        if isinstance(answer, int):
            return httpx.Response(answer, text=f"{answer} from the gateway")
        return httpx.Response(200, json=answer)

    def _identity(self) -> httpx.Response:
        if self.identity_status != 200:
            return httpx.Response(
                self.identity_status,
                json={"error": "invalid_client", "error_description": "Bad client credentials"},
            )
        self.tokens_issued += 1
        body = {"access_token": f"token-{self.tokens_issued}", "token_type": "bearer",
                "expires_in": self.expires_in, "scope": "apis@x"}
        return httpx.Response(200, json=body)


def run(coroutine: Awaitable[Any]) -> Any:
    """Run one test coroutine in a fresh event loop (no pytest plugin needed)."""

    async def main() -> Any:
        return await coroutine

    return asyncio.run(main())


def body_of(request: httpx.Request) -> Any:
    return json.loads(request.content) if request.content else None


def fault_seed(rate: float, wanted: list[str | None], limit: int = 100_000) -> int:
    """A seed whose first emulator fault draws are `wanted` ("error:606", "drop", "lose", None).

    The emulator draws one fault per counted call (framework/emulator/faults.py); searching for a
    seed keeps each test's story readable instead of a magic number.
    """
    from framework.emulator.faults import FaultPlan

    def describe(seed: int) -> list[str | None]:
        plan = FaultPlan(rate, seed)
        drawn = [plan.draw() for _ in wanted]
        return [None if f is None else (f"error:{f.code}" if f.kind == "error" else f.kind)
                for f in drawn]

    for seed in range(limit):
        if describe(seed) == wanted:
            return seed
    raise AssertionError(f"no seed below {limit} draws {wanted}")


class FakeServer:
    """A real HTTP server on 127.0.0.1 (the emulator's wire layer, none of its rules) whose
    answers are scripted: `answer(path, request)` returns (status, body bytes). For what the
    other side may send that the emulator never would: hostile, huge or malformed answers."""

    def __init__(self, answer: Callable[[str, Any], tuple[int, bytes]]) -> None:
        import threading

        self.answer = answer
        self.url = ""
        self._ready = threading.Event()
        self._thread = threading.Thread(target=asyncio.run, args=(self._serve(),), daemon=True)
        self._stop: asyncio.Event | None = None
        self._loop: asyncio.AbstractEventLoop | None = None

    async def _handle(self, request: Any) -> Any:
        from framework.emulator.wire import Reply

        status, body = self.answer(request.path, request)
        return Reply(status, body)

    async def _serve(self) -> None:
        from framework.emulator.wire import HttpServer

        self._loop, self._stop = asyncio.get_running_loop(), asyncio.Event()
        server = HttpServer(self._handle)
        self.url = f"http://127.0.0.1:{await server.start('127.0.0.1', 0)}"
        self._ready.set()
        await self._stop.wait()
        await server.close()

    def __enter__(self) -> FakeServer:
        self._thread.start()
        self._ready.wait(10)
        return self

    def __exit__(self, *exc: object) -> None:
        assert self._loop is not None and self._stop is not None
        self._loop.call_soon_threadsafe(self._stop.set)
        self._thread.join(10)
