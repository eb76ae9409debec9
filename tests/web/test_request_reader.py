"""Framing requests as their bytes arrive: whole when head and body are in, refused at a limit."""

from __future__ import annotations

import pytest

from web.request_reader import ReadLimits, RequestReader

LIMITS = ReadLimits(request_line=100, head=400, body=50)


def fed(*pieces: bytes) -> RequestReader:
    reader = RequestReader(LIMITS)
    for piece in pieces:
        assert reader.feed(piece) is None
    return reader


def test_a_head_without_a_body_is_whole_at_its_blank_line() -> None:
    assert not fed(b"GET / HTTP/1.1\r\nHost: x\r\n").whole
    assert fed(b"GET / HTTP/1.1\r\nHost: x\r\n", b"\r\n").whole


def test_a_body_of_declared_length_is_whole_when_all_in() -> None:
    head = b"POST / HTTP/1.1\r\nContent-Length: 5\r\nExpect: 100-continue\r\n\r\n"
    reader = fed(head, b"ab")
    assert not reader.whole and reader.expects_continue
    assert reader.feed(b"cde") is None and reader.whole


def test_a_chunked_body_is_whole_after_its_last_chunk_and_trailer() -> None:
    head = b"POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n"
    pieces = [head, b"3;ext=1\r\nab", b"c\r\n2\r\nde\r", b"\n0\r\n", b"X-Trailer: 1\r\n"]
    reader = fed(*pieces)
    assert not reader.whole
    assert reader.feed(b"\r\n") is None and reader.whole


def test_malformed_chunks_are_handed_on_for_the_parser_to_refuse() -> None:
    assert fed(b"POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n").whole


@pytest.mark.parametrize(
    ("request_bytes", "status"),
    [
        (b"GET /" + b"x" * 200, 414),
        (b"GET / HTTP/1.1\r\n" + b"X-A: b\r\n" * 60, 431),
        (b"POST / HTTP/1.1\r\nContent-Length: 51\r\n\r\n", 413),
        (b"POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n40\r\n", 413),
        (b"POST / HTTP/1.1\r\nContent-Length: 1\r\nContent-Length: 2\r\n\r\n", 400),
        (b"POST / HTTP/1.1\r\nContent-Length: 1\r\nTransfer-Encoding: chunked\r\n\r\n", 400),
        (b"POST / HTTP/1.1\r\nContent-Length: -1\r\n\r\n", 400),
    ],
    ids=["line", "head", "length", "chunked", "two-lengths", "length-and-chunked", "negative"],
)
def test_requests_over_a_limit_or_ambiguous_are_refused(request_bytes: bytes, status: int) -> None:
    refusal = RequestReader(LIMITS).feed(request_bytes)
    assert refusal is not None and refusal.status == status
