"""EmulatorServer: the emulator served over real HTTP from a background thread."""

from __future__ import annotations

import asyncio
import threading
import time
from collections.abc import Awaitable, Callable
from types import TracebackType

from framework.emulator.app import Emulator
from framework.emulator.config import EmulatorConfig
from framework.emulator.wire import HttpServer, WireLimits
from framework.errors import ConfigError

START_TIMEOUT = 10.0


class EmulatorServer:
    """Serves one emulated instance on host:port (0 picks a free port) in its own event loop.

    `clock` (monotonic) and `wall` (epoch seconds) drive tokens, the window and the quota day,
    `sleep` the latency; tests inject them to move time without waiting.
    """

    def __init__(
        self,
        config: EmulatorConfig,
        host: str = "127.0.0.1",
        port: int = 0,
        *,
        limits: WireLimits = WireLimits(),  # noqa: B008 - frozen, so one shared default is safe
        clock: Callable[[], float] = time.monotonic,
        wall: Callable[[], float] = time.time,
        sleep: Callable[[float], Awaitable[None]] = asyncio.sleep,
    ) -> None:
        self.config = config
        self.host, self.port = host, port
        self.url = ""
        self.limits = limits
        self.emulator = Emulator(config, clock, wall, sleep)
        self._loop: asyncio.AbstractEventLoop | None = None
        self._thread: threading.Thread | None = None
        self._http: HttpServer | None = None
        self._stopped: asyncio.Event | None = None
        self._ready = threading.Event()
        self._failure: BaseException | None = None

    def start(self) -> str:
        """Start serving in a background thread; returns the URL once it accepts connections."""
        if self._thread is not None:
            return self.url
        self._thread = threading.Thread(target=self._run, name="marketo-emulator", daemon=True)
        self._thread.start()
        if not self._ready.wait(START_TIMEOUT) or self._failure is not None:
            self._thread.join(START_TIMEOUT)
            self._thread = None
            raise ConfigError(
                f"the emulator cannot listen on {self.host}:{self.port}: {self._failure}\n"
                "  fix: pass another --port, or stop what uses this one"
            ) from self._failure
        return self.url

    def stop(self) -> None:
        """Stop serving, close every connection, join the thread and persist the state."""
        thread, loop, stopped = self._thread, self._loop, self._stopped
        if thread is None or loop is None or stopped is None:
            return
        loop.call_soon_threadsafe(stopped.set)
        thread.join()
        self._thread = None
        self.emulator.save()

    def __enter__(self) -> EmulatorServer:
        self.start()
        return self

    def __exit__(self, kind: type[BaseException] | None, error: BaseException | None,
                 trace: TracebackType | None) -> None:
        self.stop()

    def _run(self) -> None:
        asyncio.run(self._serve())

    async def _serve(self) -> None:
        self._loop = asyncio.get_running_loop()
        self._stopped = asyncio.Event()
        self._http = HttpServer(self.emulator.handle, self.limits)
        try:
            port = await self._http.start(self.host, self.port)
        except OSError as exc:
            self._failure = exc
            self._ready.set()
            return
        host = f"[{self.host}]" if ":" in self.host else self.host
        self.url = f"http://{host}:{port}"
        self._ready.set()
        await self._stopped.wait()
        await self._http.close()
