"""gunicorn's threaded worker with a buffering front: a request reaches a thread only whole.

gthread hands a connection to a thread as soon as its first bytes arrive; the thread then reads
the rest of the head and the body at the client's pace, so a few clients sending a byte every
few seconds could hold every thread and starve ordinary requests. Here the worker's event loop
reads each request (head and body, up to the limits) without blocking, and a thread gets it
only once it is whole. A request that is not whole within `web.request_read_seconds` is
answered 408, one over web.max_body_kb 413, one whose request line or head is too long 414 or
431, all as JSON and from the loop; malformed requests gunicorn's parser refuses are JSON too.
"""

from __future__ import annotations

import json
import selectors
import socket
import time
from functools import partial
from typing import Any

from gunicorn import http, util
from gunicorn.workers.gthread import ThreadWorker

from web.errors import GENERIC_MESSAGE, error_body
from web.request_reader import ReadLimits, Refusal, RequestReader

REASONS = {400: "Bad Request", 403: "Forbidden", 408: "Request Timeout",
           413: "Content Too Large", 414: "URI Too Long", 417: "Expectation Failed",
           431: "Request Header Fields Too Large", 500: "Internal Server Error",
           501: "Not Implemented"}  # fmt: skip
CODES = {403: "forbidden", 408: "request_timeout", 413: "payload_too_large",
         414: "uri_too_long", 417: "expectation_failed", 431: "header_fields_too_large",
         500: "internal_error", 501: "not_implemented"}  # fmt: skip
MESSAGES = {
    414: "The request line is too long; send long queries as a POST body.",
    431: "The request's header fields are too large.",
    500: GENERIC_MESSAGE,
}
# After a refusal, the rest of what the client sends is read and dropped for this long, so
# that closing does not reset the connection before the client has read the answer.
LINGER_SECONDS = 2.0


class BufferingWorker(ThreadWorker):  # type: ignore[misc]  # gunicorn ships no type hints
    """gthread, reading each request whole in the event loop before a thread serves it."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        web = self.app.settings.web
        self.read_seconds: float = web.request_read_seconds
        self.limits = ReadLimits(
            request_line=self.cfg.limit_request_line,
            head=(self.cfg.limit_request_fields + 1) * (self.cfg.limit_request_field_size + 2),
            body=web.max_body_kb * 1024,
        )
        self.reading: dict[Any, tuple[RequestReader, float]] = {}  # connection -> deadline
        self.lingering: dict[Any, float] = {}

    def enqueue_req(self, conn: Any) -> None:
        """Give a thread a whole request; start reading one otherwise."""
        if getattr(conn, "whole_request", False) or self.cfg.is_ssl:
            conn.whole_request = False
            super().enqueue_req(conn)
            return
        reader = RequestReader(self.limits)
        pipelined = conn.parser.unreader.take_buffered() if conn.parser is not None else b""
        refusal = reader.feed(pipelined) if pipelined else None
        if refusal is not None or reader.whole:
            self._settle(conn, reader, refusal)
            return
        self.reading[conn] = (reader, time.monotonic() + self.read_seconds)
        conn.sock.setblocking(False)
        self.poller.register(conn.sock, selectors.EVENT_READ, partial(self._on_bytes, conn))

    def _on_bytes(self, conn: Any, sock: socket.socket) -> None:
        data = _receive(sock)
        if data is None:
            return
        reader, _ = self.reading[conn]
        if not data:
            self._stop_reading(conn)
            self._close(conn)
            return
        waiting = reader.expects_continue
        refusal = reader.feed(data)
        if refusal is not None or reader.whole:
            self._stop_reading(conn)
            self._settle(conn, reader, refusal)
        elif reader.expects_continue and not waiting:  # the head just came, asking
            util.write_nonblock(sock, b"HTTP/1.1 100 Continue\r\n\r\n")

    def _stop_reading(self, conn: Any) -> None:
        self.reading.pop(conn, None)
        self.lingering.pop(conn, None)
        try:
            self.poller.unregister(conn.sock)
        except (KeyError, ValueError, OSError):
            pass

    def _settle(self, conn: Any, reader: RequestReader, refusal: Refusal | None) -> None:
        """Answer a refusal from here, or hand the whole request to a thread."""
        if refusal is not None:
            self._refuse(conn, refusal)
            return
        if conn.parser is None:
            conn.parser = http.get_parser(self.cfg, conn.sock, conn.client)
        conn.parser.unreader.unread(bytes(reader.data))
        conn.data_ready = True  # gthread must not wait for bytes already read
        conn.whole_request = True
        self.enqueue_req(conn)

    def _refuse(self, conn: Any, refusal: Refusal) -> None:
        """Send the refusal, then drop what the client still sends until it closes."""
        try:
            conn.sock.setblocking(False)
            conn.sock.send(problem(refusal))
            conn.sock.shutdown(socket.SHUT_WR)
        except OSError:
            self._close(conn)
            return
        self.lingering[conn] = time.monotonic() + LINGER_SECONDS
        self.poller.register(conn.sock, selectors.EVENT_READ, partial(self._on_linger, conn))

    def _on_linger(self, conn: Any, sock: socket.socket) -> None:
        if _receive(sock) == b"":
            self._stop_reading(conn)
            self._close(conn)

    def _close(self, conn: Any) -> None:
        self.nr_conns -= 1
        conn.close()

    def murder_pending(self) -> None:
        """Also answer 408 to each request not whole by its deadline, and stop lingering."""
        super().murder_pending()
        now = time.monotonic()
        for conn in [c for c, until in self.lingering.items() if until <= now]:
            self._stop_reading(conn)
            self._close(conn)
        late = [conn for conn, (_, deadline) in self.reading.items() if deadline <= now]
        message = f"The request was not received within {self.read_seconds:g} s "
        for conn in late:
            self._stop_reading(conn)
            self._refuse(conn, Refusal(408, "request_timeout",
                                       message + "(web.request_read_seconds)."))  # fmt: skip

    def handle_error(self, req: Any, client: Any, addr: Any, exc: BaseException) -> None:
        """gunicorn's answer to a request it cannot parse, as the JSON every error has."""
        capture = _Capture()
        super().handle_error(req, capture, addr, exc)  # logs, and picks the status
        status = capture.status()
        message = MESSAGES.get(status, str(exc) or REASONS.get(status, "Error"))
        refusal = Refusal(status, CODES.get(status, "bad_request"), message)
        try:
            util.write_nonblock(client, problem(refusal))
        except OSError:
            pass


def _receive(sock: socket.socket) -> bytes | None:
    """What the socket holds (b"" when the client closed), or None when nothing is ready."""
    try:
        return sock.recv(1 << 16)
    except BlockingIOError:
        return None
    except OSError:
        return b""


def problem(refusal: Refusal) -> bytes:
    """A whole HTTP response carrying the refusal as a JSON problem body; the connection closes."""
    body = json.dumps(error_body(refusal.code, refusal.message)).encode()
    reason = REASONS.get(refusal.status, "Error")
    head = (f"HTTP/1.1 {refusal.status} {reason}\r\nConnection: close\r\n"
            f"Content-Type: application/json\r\nContent-Length: {len(body)}\r\n\r\n")  # fmt: skip
    return head.encode("latin-1") + body


class _Capture:
    """Stands in for the client socket while gunicorn writes its HTML error page."""

    def __init__(self) -> None:
        self.sent = b""

    def gettimeout(self) -> float:
        return 0.0

    def sendall(self, data: bytes) -> None:
        self.sent += data

    def status(self) -> int:
        """The status gunicorn chose (500 if it wrote nothing)."""
        parts = self.sent.split(b" ", 2)
        return int(parts[1]) if len(parts) > 2 and parts[1].isdigit() else 500
