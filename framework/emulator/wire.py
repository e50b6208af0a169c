"""A small HTTP/1.1 server on asyncio streams, with full control of the socket.

Full control is why it exists: faults need to close a connection without answering, before or
after the change is applied, which a framework hides. It parses the HTTP/1.1 subset clients send
(Content-Length or chunked bodies, Expect: 100-continue, keep-alive, pipelining) by hand: h11 cost
about five times more per request, and the emulator must never be the bottleneck of a benchmark.
"""

from __future__ import annotations

import asyncio
import contextlib
import errno
import logging
import math
import re
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from http import HTTPStatus
from typing import Any
from urllib.parse import parse_qsl, urlsplit

MAX_BODY = 1_048_576  # ERR: a body over 1 MB gets HTTP 413
MAX_URI = 8_192  # ERR: a URI over 8 KB gets HTTP 414
MAX_HEAD = MAX_URI + 65_536  # request line and headers together
MAX_DRAIN = 16 * MAX_BODY  # larger bodies are not even read before the 413
METHOD_CHARS = frozenset(b"ABCDEFGHIJKLMNOPQRSTUVWXYZ")
DIGITS = re.compile(r"[0-9]+")  # ASCII only: str.isdigit() also accepts "²", which int() refuses
HEX = re.compile(rb"[0-9A-Fa-f]{1,16}")
OUT_OF_DESCRIPTORS = frozenset({errno.EMFILE, errno.ENFILE, errno.ENOBUFS, errno.ENOMEM})
WARN_EVERY_SECONDS = 60.0

log = logging.getLogger("framework.emulator")


@dataclass(frozen=True)
class WireLimits:
    """How long and how many: what a client may hold of the server.

    An idle keep-alive connection is closed after `idle_seconds` without a request; a request
    whose head and body have not all arrived `read_seconds` after its first byte gets 408, and
    a client that leaves answers unread for `read_seconds` is disconnected;
    past `max_connections` open connections, a new one gets 503 and is closed.
    """

    idle_seconds: float = 30.0
    read_seconds: float = 10.0
    max_connections: int = 256


class Query(dict[str, str]):
    """Query parameters: the last value of each name, as a dict, and every pair in `pairs` (SPEC
    sends some arrays as repeated parameters, `names=a&names=b`)."""

    def __init__(self, pairs: list[tuple[str, str]]) -> None:
        super().__init__(pairs)
        self.pairs = tuple(pairs)


def every(query: dict[str, str], name: str) -> list[str]:
    """Every value of a query parameter, in order (only the last one for a plain dict)."""
    if isinstance(query, Query):
        return [value for key, value in query.pairs if key == name]
    return [query[name]] if name in query else []


@dataclass(frozen=True)
class Request:
    method: str
    path: str
    query: dict[str, str]
    headers: dict[str, str]
    body: bytes = b""


@dataclass(frozen=True)
class Reply:
    status: int
    body: bytes = b""
    content_type: str = "application/json;charset=UTF-8"
    silent: bool = False  # close the connection without answering


Handler = Callable[[Request], Awaitable[Reply]]
LoopHandler = Callable[[asyncio.AbstractEventLoop, dict[str, Any]], object]


def plain(status: int, text: str) -> Reply:
    return Reply(status, text.encode(), "text/plain;charset=UTF-8")


class BadRequest(Exception):
    """The bytes are not an HTTP/1.1 request we can answer; reply `status` and close."""

    def __init__(self, status: int, text: str) -> None:
        super().__init__(text)
        self.status, self.text = status, text


class HttpServer:
    """Serves `handler` on host:port until `close()`."""

    def __init__(self, handler: Handler, limits: WireLimits = WireLimits()) -> None:  # noqa: B008 - frozen
        self.handler = handler
        self.limits = limits
        self.server: asyncio.Server | None = None
        self.connections: set[asyncio.Task[None]] = set()
        self.refused_connections = 0
        self.evicted_connections = 0
        self.warned_at: float | None = None  # when "out of file descriptors" was last logged
        self.closing = False
        self.live: set[Connection] = set()
        self._watchdog: asyncio.Task[None] | None = None

    async def start(self, host: str, port: int) -> int:
        """Listen and return the bound port (useful with port 0)."""
        loop = asyncio.get_running_loop()
        loop.set_exception_handler(self._loop_exception(loop.get_exception_handler()))
        self.server = await asyncio.start_server(self._accept, host, port, backlog=512,
                                                 limit=MAX_HEAD)
        self._watchdog = asyncio.create_task(self._watch())
        return int(self.server.sockets[0].getsockname()[1])

    async def _watch(self) -> None:
        """Ends every connection past its deadline. One task for all of them: a timer per
        request cost more than parsing it."""
        loop = asyncio.get_running_loop()
        tick = max(min(self.limits.idle_seconds, self.limits.read_seconds) / 4, 0.005)
        while True:
            await asyncio.sleep(tick)
            now = loop.time()
            for connection in list(self.live):
                if connection.deadline < now:
                    connection.expire()

    async def close(self) -> None:
        self.closing = True
        if self._watchdog is not None:
            self._watchdog.cancel()
        if self.server is not None:
            self.server.close()
        for task in list(self.connections):
            task.cancel()
        if self.connections:
            await asyncio.gather(*self.connections, return_exceptions=True)
        if self.server is not None:
            await self.server.wait_closed()

    def _loop_exception(self, default: LoopHandler | None) -> LoopHandler:
        """Out of file descriptors, asyncio stops accepting for a second and retries, logging
        a traceback each time: log one warning a minute instead."""

        def handle(loop: asyncio.AbstractEventLoop, context: dict[str, Any]) -> None:
            exception = context.get("exception")
            if isinstance(exception, OSError) and exception.errno in OUT_OF_DESCRIPTORS:
                now = time.monotonic()
                if self.warned_at is None or now - self.warned_at >= WARN_EVERY_SECONDS:
                    log.warning("the emulator is out of file descriptors (%s): it accepts no "
                                "connection until some close", exception.strerror)
                    self.warned_at = now
            elif self.closing and isinstance(exception, ValueError | OSError):
                # asyncio's delayed retry of accept() after running out of descriptors may fire
                # after the listening socket closed ("Invalid file descriptor: -1"): harmless.
                log.debug("after close: %s", exception)
            elif default is not None:
                default(loop, context)
            else:
                loop.default_exception_handler(context)

        return handle

    async def _accept(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        task = asyncio.current_task()
        assert task is not None
        self.connections.add(task)
        try:
            if len(self.connections) > self.limits.max_connections and not self._evict():
                await self._refuse(reader, writer)
            else:
                connection = Connection(reader, writer, self.handler, self.limits, task)
                self.live.add(connection)
                try:
                    await connection.serve()
                finally:
                    self.live.discard(connection)
        except (ConnectionError, asyncio.IncompleteReadError, TimeoutError):
            pass
        except asyncio.CancelledError:
            # Server shutdown: end quietly (asyncio logs a cancelled connection task as an error).
            pass
        finally:
            self.connections.discard(task)
            writer.close()
            with contextlib.suppress(Exception):
                await writer.wait_closed()


    def _evict(self) -> bool:
        """Make room by ending the connection that has waited longest for its client (idle,
        or sending a request slowly): a client holding many slow connections must not lock
        every other client out. False when every connection is being answered."""
        waiting = [c for c in self.live if c.waiting_for in ("idle", "request") and not c.overdue]
        if not waiting:
            return False
        min(waiting, key=lambda c: c.since).expire()
        self.evicted_connections += 1
        return True

    async def _refuse(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        """503 and close; what the client sent is read first (briefly), so that closing on
        unread data does not reset the connection before the client sees the answer."""
        self.refused_connections += 1
        text = (f"Service Unavailable: the emulator serves at most "
                f"{self.limits.max_connections} connections at once; retry later")
        reply = plain(503, text)
        writer.write(head_bytes(reply, keep_alive=False) + reply.body)
        await writer.drain()
        with contextlib.suppress(TimeoutError, OSError):
            async with asyncio.timeout(min(self.limits.read_seconds, 1.0)):
                await reader.read(MAX_HEAD)


class Connection:
    """One keep-alive connection: read a request, answer it, read the next one.

    `deadline` (loop time) is when the current wait ends the connection: the first byte of the
    next request (idle), the rest of it (408), or the client reading an answer; HttpServer's
    watchdog calls `expire` past it.
    """

    def __init__(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter,
                 handler: Handler, limits: WireLimits, task: asyncio.Task[None]) -> None:
        self.reader, self.writer, self.handler = reader, writer, handler
        self.limits, self.task = limits, task
        self.loop = asyncio.get_running_loop()
        self.deadline = math.inf
        self.waiting_for = "nothing"  # "idle", "request" or "reader" while a deadline runs
        self.since = self.loop.time()  # when the current wait began
        self.overdue = False

    def expire(self) -> None:
        self.overdue = True
        self.task.cancel()

    async def serve(self) -> None:
        while True:
            try:
                keep_alive = await self._cycle()
            except BadRequest as bad:
                await self._send(plain(bad.status, bad.text), keep_alive=False)
                return
            except asyncio.CancelledError:
                if not self.overdue:
                    raise  # the server is shutting down
                self.task.uncancel()
                if self.waiting_for == "request":  # idle or not reading: just close
                    late = plain(408, "Request Timeout: the request did not arrive in "
                                      f"{self.limits.read_seconds:g} s")
                    self.writer.write(head_bytes(late, keep_alive=False) + late.body)
                return
            if not keep_alive:
                return

    def _wait(self, what: str, seconds: float) -> None:
        if what != self.waiting_for:
            self.since = self.loop.time()
        self.waiting_for, self.deadline = what, self.loop.time() + seconds

    def _done_waiting(self) -> None:
        self.waiting_for, self.deadline = "nothing", math.inf

    async def _cycle(self) -> bool:
        self._wait("idle", self.limits.idle_seconds)
        first = await self.reader.read(1)
        if not first:
            return False
        self._wait("request", self.limits.read_seconds)
        method, target, keep_alive, headers, body = await self._request(first)
        self._done_waiting()
        parts = urlsplit(target)
        query = Query(parse_qsl(parts.query, keep_blank_values=True))
        reply = await self.handler(Request(method, parts.path, query, headers, body))
        if reply.silent:
            return False
        await self._send(reply, keep_alive, with_body=method != "HEAD")
        return keep_alive

    async def _request(self, first: bytes) -> tuple[str, str, bool, dict[str, str], bytes]:
        """(method, target, keep-alive, headers, body) of the request that began with `first`."""
        head = first + await self._head()
        method, target, version, headers = parse_head(head)
        keep_alive = wants_keep_alive(version, headers)
        if len(target) > MAX_URI:
            raise BadRequest(414, "Request-URI Too Long")
        if headers.get("expect", "").lower() == "100-continue":
            self.writer.write(b"HTTP/1.1 100 Continue\r\n\r\n")
        body = await self._body(headers)
        if body is None:
            # The body was read to its end first: closing on unread data resets the connection
            # and the client would never see the 413.
            raise BadRequest(413, "Request Entity Too Large")
        return method, target, keep_alive, headers, body

    async def _head(self) -> bytes:
        """The rest of the request line and the headers."""
        try:
            return await self.reader.readuntil(b"\r\n\r\n")
        except asyncio.IncompleteReadError as exc:
            raise BadRequest(400, "Bad request: closed inside the headers") from exc
        except asyncio.LimitOverrunError as exc:
            raise BadRequest(431, "Request Header Fields Too Large") from exc

    async def _line(self, what: str) -> bytes:
        """One CRLF-ended line of a chunked body (a size line or a trailer)."""
        try:
            return await self.reader.readuntil(b"\r\n")
        except asyncio.LimitOverrunError as exc:
            raise BadRequest(400, f"Bad request: {what} over {MAX_HEAD} bytes") from exc

    async def _body(self, headers: dict[str, str]) -> bytes | None:
        """The whole body, or None when it is over MAX_BODY (read, up to MAX_DRAIN, and dropped)."""
        if "transfer-encoding" in headers:
            if "content-length" in headers:
                raise BadRequest(400, "Bad request: both Content-Length and Transfer-Encoding")
            if headers["transfer-encoding"].lower() != "chunked":
                raise BadRequest(501, "Transfer-Encoding not implemented")
            return await self._chunked()
        length = headers.get("content-length", "0")
        if not DIGITS.fullmatch(length):
            raise BadRequest(400, "Bad request: invalid Content-Length")
        size = int(length)
        if size > MAX_DRAIN:
            raise BadRequest(413, "Request Entity Too Large")
        body = await self.reader.readexactly(size)
        return body if size <= MAX_BODY else None

    async def _chunked(self) -> bytes | None:
        chunks: list[bytes] = []
        size = 0
        while True:
            digits = (await self._line("a chunk size line")).split(b";")[0].strip()
            if not HEX.fullmatch(digits):  # int(..., 16) would take "-100", "0x10" or "1_0"
                raise BadRequest(400, "Bad request: invalid chunk size")
            chunk = int(digits, 16)
            if chunk == 0:
                while (await self._line("a trailer")) != b"\r\n":
                    pass  # trailers are ignored
                return b"".join(chunks) if size <= MAX_BODY else None
            size += chunk
            if size > MAX_DRAIN:
                raise BadRequest(413, "Request Entity Too Large")
            data = await self.reader.readexactly(chunk + 2)
            if size <= MAX_BODY:
                chunks.append(data[:-2])

    async def _send(self, reply: Reply, keep_alive: bool, with_body: bool = True) -> None:
        data = head_bytes(reply, keep_alive)
        # A HEAD answer has the headers of the GET answer and no body.
        self.writer.write(data + reply.body if with_body else data)
        if self.writer.transport.get_write_buffer_size():
            # The client reads slower than it asks: it has read_seconds to catch up, then the
            # connection is closed, so that it cannot hold it forever.
            self._wait("reader", self.limits.read_seconds)
            await self.writer.drain()
            self._done_waiting()


def head_bytes(reply: Reply, keep_alive: bool) -> bytes:
    """The status line and headers of `reply`."""
    phrase = HTTPStatus(reply.status).phrase
    lines = [f"HTTP/1.1 {reply.status} {phrase}", f"content-type: {reply.content_type}",
             f"content-length: {len(reply.body)}"]
    if not keep_alive:
        lines.append("connection: close")
    return ("\r\n".join(lines) + "\r\n\r\n").encode("latin-1")


def parse_head(head: bytes) -> tuple[str, str, str, dict[str, str]]:
    """(method, target, version, lower-cased headers) of a request head; BadRequest otherwise."""
    lines = head[:-4].split(b"\r\n")
    parts = lines[0].split(b" ")
    if len(parts) != 3 or not parts[0] or not set(parts[0]) <= METHOD_CHARS:
        raise BadRequest(400, "Bad request: malformed request line")
    method, target, version = (p.decode("latin-1") for p in parts)
    if version not in ("HTTP/1.1", "HTTP/1.0"):
        raise BadRequest(505, "HTTP Version Not Supported")
    headers: dict[str, str] = {}
    for line in lines[1:]:
        name, colon, value = line.partition(b":")
        if not colon or not name or name != name.strip() or line[:1] in (b" ", b"\t"):
            raise BadRequest(400, "Bad request: malformed header line")
        key, text = name.decode("latin-1").lower(), value.strip().decode("latin-1")
        if key in headers:
            if key == "content-length" and headers[key] != text:
                raise BadRequest(400, "Bad request: conflicting Content-Length headers")
            text = headers[key] if key == "content-length" else f"{headers[key]}, {text}"
        headers[key] = text
    if version == "HTTP/1.1" and "host" not in headers:
        raise BadRequest(400, "Bad request: missing Host header")
    return method, target, version, headers


def wants_keep_alive(version: str, headers: dict[str, str]) -> bool:
    tokens = {t.strip().lower() for t in headers.get("connection", "").split(",")}
    if version == "HTTP/1.0":
        return "keep-alive" in tokens
    return "close" not in tokens
