"""A small HTTP/1.1 server on h11 and asyncio, with full control of the socket.

Full control is why it exists: faults need to close a connection without answering, before or
after the change is applied, which a framework hides. Keep-alive works as clients expect.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from urllib.parse import parse_qsl, urlsplit

import h11

MAX_BODY = 1_048_576  # ERR: a body over 1 MB gets HTTP 413
MAX_URI = 8_192  # ERR: a URI over 8 KB gets HTTP 414
READ_SIZE = 65_536
MAX_DRAIN = 16 * MAX_BODY  # larger bodies are not even read before the 413


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
    extra_headers: tuple[tuple[str, str], ...] = field(default=())


Handler = Callable[[Request], Awaitable[Reply]]


def plain(status: int, text: str) -> Reply:
    return Reply(status, text.encode(), "text/plain;charset=UTF-8")


class HttpServer:
    """Serves `handler` on host:port until `close()`."""

    def __init__(self, handler: Handler) -> None:
        self.handler = handler
        self.server: asyncio.Server | None = None
        self.connections: set[asyncio.Task[None]] = set()

    async def start(self, host: str, port: int) -> int:
        """Listen and return the bound port (useful with port 0)."""
        self.server = await asyncio.start_server(self._accept, host, port, backlog=512)
        return int(self.server.sockets[0].getsockname()[1])

    async def close(self) -> None:
        if self.server is not None:
            self.server.close()
        for task in list(self.connections):
            task.cancel()
        if self.connections:
            await asyncio.gather(*self.connections, return_exceptions=True)
        if self.server is not None:
            await self.server.wait_closed()

    async def _accept(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        task = asyncio.current_task()
        assert task is not None
        self.connections.add(task)
        try:
            await Connection(reader, writer, self.handler).serve()
        except (ConnectionError, asyncio.IncompleteReadError):
            pass
        except asyncio.CancelledError:
            # Server shutdown: end quietly (asyncio logs a cancelled connection task as an error).
            pass
        finally:
            self.connections.discard(task)
            writer.close()
            with contextlib.suppress(Exception):
                await writer.wait_closed()


class Connection:
    """One keep-alive connection: read a request, answer it, start the next cycle."""

    def __init__(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter,
                 handler: Handler) -> None:
        self.reader, self.writer, self.handler = reader, writer, handler
        self.conn = h11.Connection(h11.SERVER, max_incomplete_event_size=MAX_URI + READ_SIZE)

    async def serve(self) -> None:
        while True:
            try:
                keep_going = await self._cycle()
            except h11.RemoteProtocolError as exc:
                await self._refuse(exc.error_status_hint, f"Bad request: {exc}")
                return
            if not keep_going:
                return
            self.conn.start_next_cycle()

    async def _cycle(self) -> bool:
        event = await self._next()
        if not isinstance(event, h11.Request):
            return False
        target = event.target.decode("latin-1")
        headers = {k.decode("latin-1").lower(): v.decode("latin-1") for k, v in event.headers}
        if len(target) > MAX_URI:
            await self._refuse(414, "Request-URI Too Long")
            return False
        length = headers.get("content-length", "0")
        if length.isdigit() and int(length) > MAX_DRAIN:
            await self._refuse(413, "Request Entity Too Large")
            return False
        body = await self._body()
        if body is None:
            # Read to the end first: closing on unread data resets the connection, and the
            # client would never see the 413.
            await self._refuse(413, "Request Entity Too Large")
            return False
        parts = urlsplit(target)
        query = dict(parse_qsl(parts.query, keep_blank_values=True))
        request = Request(event.method.decode("latin-1").upper(), parts.path, query, headers, body)
        reply = await self.handler(request)
        if reply.silent:
            return False
        await self._send(reply, with_body=request.method != "HEAD")
        return self.conn.our_state is h11.DONE and self.conn.their_state is h11.DONE

    async def _next(self) -> h11.Event | type[h11.PAUSED] | type[h11.NEED_DATA]:
        while True:
            event = self.conn.next_event()
            if event is not h11.NEED_DATA:
                return event
            data = await self.reader.read(READ_SIZE)
            self.conn.receive_data(data)
            if not data and self.conn.their_state is h11.IDLE:
                return h11.ConnectionClosed()

    async def _body(self) -> bytes | None:
        chunks: list[bytes] = []
        size = 0
        while True:
            event = await self._next()
            if isinstance(event, h11.Data):
                size += len(event.data)
                if size > MAX_DRAIN:
                    return None
                if size <= MAX_BODY:
                    chunks.append(bytes(event.data))
            elif isinstance(event, h11.EndOfMessage):
                return b"".join(chunks) if size <= MAX_BODY else None
            else:
                raise h11.RemoteProtocolError("connection closed inside a request body")

    async def _send(self, reply: Reply, with_body: bool = True) -> None:
        headers = [("content-type", reply.content_type),
                   ("content-length", str(len(reply.body))), *reply.extra_headers]
        data = self.conn.send(h11.Response(status_code=reply.status, headers=headers))
        if with_body:  # a HEAD answer has the headers of the GET answer and no body
            data += self.conn.send(h11.Data(data=reply.body)) or b""
        data += self.conn.send(h11.EndOfMessage()) or b""
        self.writer.write(data)
        await self.writer.drain()

    async def _refuse(self, status: int, text: str) -> None:
        """Answer a request the handler never sees, then close (its body may be unread)."""
        if self.conn.our_state not in (h11.IDLE, h11.SEND_RESPONSE):
            return
        reply = plain(status, text)
        headers = [("content-type", reply.content_type),
                   ("content-length", str(len(reply.body))), ("connection", "close")]
        with contextlib.suppress(h11.LocalProtocolError):
            data = self.conn.send(h11.Response(status_code=status, headers=headers))
            data += self.conn.send(h11.Data(data=reply.body)) or b""
            data += self.conn.send(h11.EndOfMessage()) or b""
            self.writer.write(data)
            await self.writer.drain()
