"""Running the emulator in the foreground until SIGINT or SIGTERM, for `activities emulator`."""

from __future__ import annotations

import signal
import threading
from collections.abc import Callable
from types import FrameType

from framework.emulator.server import EmulatorServer

STOP_SIGNALS = (signal.SIGINT, signal.SIGTERM)


def serve_until_signalled(server: EmulatorServer, on_ready: Callable[[str], None]) -> int:
    """Start, call `on_ready(url)`, wait for SIGINT/SIGTERM, then stop (persisting state).

    Returns the number of the signal that stopped it. Must run in the main thread.
    """
    received: list[int] = []
    done = threading.Event()

    def stop(number: int, frame: FrameType | None) -> None:
        received.append(number)
        done.set()

    previous = {number: signal.signal(number, stop) for number in STOP_SIGNALS}
    try:
        on_ready(server.start())
        # A bounded wait keeps the main thread responsive to signals on every platform.
        while not done.wait(0.5):
            pass
    finally:
        server.stop()
        for number, handler in previous.items():
            signal.signal(number, handler)
    return received[0]
