"""Reading one HTTP/1.1 request as its bytes arrive, without blocking, to tell when it is whole.

The worker's event loop (web/front.py) feeds it what a connection sends; it answers "whole"
once the head and the body (by Content-Length, or chunked up to its last chunk) are in, or a
`Refusal` as soon as the request is over a limit. It frames requests only: anything it cannot
frame is handed on whole for gunicorn's strict parser to judge.
"""

from __future__ import annotations

import dataclasses
import re

_HEAD_END = b"\r\n\r\n"
_CHUNK_SIZE = re.compile(rb"[0-9A-Fa-f]{1,16}")
_MAX_CHUNK_LINE = 4096  # a chunk-size line with extensions; longer is malformed


@dataclasses.dataclass(frozen=True)
class ReadLimits:
    """What one request may hold (gunicorn's head limits, web.max_body_kb)."""

    request_line: int  # bytes; 0 for no limit
    head: int
    body: int


@dataclasses.dataclass(frozen=True)
class Refusal:
    """An answer given instead of reading on: status, error code, one sentence."""

    status: int
    code: str
    message: str


class _ChunkedBody:
    """Follows chunked framing over the request's bytes received so far."""

    def __init__(self, start: int) -> None:
        self.offset = start  # where the next unread framing starts
        self.size = 0  # payload bytes announced so far
        self.left = 0  # bytes of the current chunk (and its CRLF) still to come
        self.in_trailer = False
        self.done = False

    def advance(self, data: bytearray) -> None:
        """Read as much framing as `data` holds; `done` once the last chunk and trailer are in
        (or once the framing is malformed: the parser will say so)."""
        while not self.done:
            if self.left:
                if len(data) - self.offset < self.left:
                    return
                self.offset, self.left = self.offset + self.left, 0
            line_end = data.find(b"\r\n", self.offset)
            if line_end < 0:
                self.done = len(data) - self.offset > _MAX_CHUNK_LINE
                return
            line = bytes(data[self.offset : line_end])
            self.offset = line_end + 2
            if self.in_trailer:
                self.done = not line
            else:
                self._size_line(line)

    def _size_line(self, line: bytes) -> None:
        token = line.split(b";", 1)[0].strip()
        if not _CHUNK_SIZE.fullmatch(token):
            self.done = True
            return
        size = int(token, 16)
        self.size += size
        self.in_trailer = size == 0
        self.left = size + 2 if size else 0


class RequestReader:
    """One request's bytes so far, and whether they make a whole request."""

    def __init__(self, limits: ReadLimits) -> None:
        self.limits = limits
        self.data = bytearray()
        self.whole = False
        self.expects_continue = False
        self._head_end = -1
        self._length: int | None = None
        self._chunked: _ChunkedBody | None = None

    def feed(self, data: bytes) -> Refusal | None:
        """Take more bytes; a refusal when the request is over a limit (`whole` says when it
        is complete)."""
        self.data += data
        if self._head_end < 0:
            refusal = self._read_head()
            if refusal is not None or self._head_end < 0:
                return refusal
        return self._read_body()

    def _read_head(self) -> Refusal | None:
        end = self.data.find(_HEAD_END)
        line_end = self.data.find(b"\r\n")
        line = len(self.data) if line_end < 0 else line_end
        if self.limits.request_line and line > self.limits.request_line:
            return Refusal(414, "uri_too_long", f"The request line is longer than "
                           f"{self.limits.request_line:,} bytes; send long queries as a POST "
                           "body.")  # fmt: skip
        if (end < 0 and len(self.data) > self.limits.head) or end > self.limits.head:
            return Refusal(431, "header_fields_too_large",
                           "The request's header fields are too large.")  # fmt: skip
        if end < 0:
            return None
        self._head_end = end + len(_HEAD_END)
        return self._frame(bytes(self.data[:end]))

    def _frame(self, head: bytes) -> Refusal | None:
        """How the body is delimited, from the header fields."""
        fields: dict[bytes, list[bytes]] = {}
        for line in head.split(b"\r\n")[1:]:
            name, _, value = line.partition(b":")
            fields.setdefault(name.strip().lower(), []).append(value.strip().lower())
        lengths = set(fields.get(b"content-length", []))
        codings = b",".join(fields.get(b"transfer-encoding", []))
        self.expects_continue = fields.get(b"expect") == [b"100-continue"]
        if codings and lengths or len(lengths) > 1:
            return Refusal(400, "bad_request", "The request's body framing is ambiguous.")
        if codings:
            if codings.rsplit(b",", 1)[-1].strip() == b"chunked":
                self._chunked = _ChunkedBody(self._head_end)
            else:
                self.whole = True  # a coding gunicorn refuses itself
        elif lengths:
            [length] = lengths
            if not length.isdigit():
                return Refusal(400, "bad_request", "The request's Content-Length is invalid.")
            self._length = int(length)
        else:
            self._length = 0
        return None

    def _read_body(self) -> Refusal | None:
        if self._chunked is not None:
            self._chunked.advance(self.data)
            size, self.whole = self._chunked.size, self._chunked.done
        elif self._length is not None:
            size = self._length
            self.whole = len(self.data) - self._head_end >= self._length
        else:
            return None
        if size > self.limits.body:
            self.whole = False
            limit = f"{self.limits.body // 1024:,} KB (web.max_body_kb)"
            message = f"The request body is larger than the limit of {limit}."
            return Refusal(413, "payload_too_large", message)
        return None
