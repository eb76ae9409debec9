"""`watchlist serve` against hostile and unlucky clients, on loopback: slow senders hold no
thread, and every refusal the server itself makes is JSON."""

from __future__ import annotations

import http.client
import json
import socket
import threading
import time

from tests.web.conftest import Serve, make_key
from watchlist.config import Settings


def raw(port: int, request: bytes, timeout: float = 10) -> tuple[int, dict[str, object]]:
    """Send bytes as they are; the status and JSON body of the answer."""
    with socket.create_connection(("127.0.0.1", port), timeout=timeout) as connection:
        connection.sendall(request)
        reply = b""
        while chunk := connection.recv(65536):
            reply += chunk
    head, _, body = reply.partition(b"\r\n\r\n")
    assert b"content-type: application/json" in head.lower(), reply[:300]
    return int(head.split(b" ", 2)[1]), json.loads(body)


def lookup_seconds(port: int, key: str) -> float:
    """How long one lookup takes to answer 200."""
    started = time.monotonic()
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    try:
        connection.request("GET", "/api/v1/lookup?name=Ashot+Mkrtychev",
                           headers={"Authorization": f"Bearer {key}"})  # fmt: skip
        response = connection.getresponse()
        response.read()
        assert response.status == 200
    finally:
        connection.close()
    return time.monotonic() - started


SLOW_HEAD = (
    b"POST /api/v1/screen HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
    b"Content-Length: 200\r\n\r\n"
)


def trickle(port: int, stop: threading.Event, answers: list[int]) -> None:
    """A client that sends a POST body one byte every half second, as long as it is let."""
    with socket.create_connection(("127.0.0.1", port), timeout=30) as connection:
        connection.sendall(SLOW_HEAD)
        try:
            while not stop.wait(0.5):
                connection.sendall(b" ")
        except OSError:
            pass  # the server answered and closed
        try:
            reply = connection.recv(65536)
        except OSError:
            reply = b""  # reset once the server stopped waiting for the rest
        answers.append(int(reply.split(b" ", 2)[1]) if reply else 0)


def test_slow_senders_hold_no_thread(serve: Serve, empty_settings: Settings) -> None:
    port = serve(empty_settings, WATCHLIST_WEB_REQUEST_READ_SECONDS="3")
    key = make_key(empty_settings, "lookup")
    stop, answers = threading.Event(), []
    senders = [threading.Thread(target=trickle, args=(port, stop, answers)) for _ in range(16)]
    for sender in senders:
        sender.start()
    time.sleep(1)  # every sender is connected and trickling
    try:
        waits = [lookup_seconds(port, key) for _ in range(5)]
    finally:
        time.sleep(3)  # past the read deadline
        stop.set()
        for sender in senders:
            sender.join(timeout=30)
    assert max(waits) < 2, waits  # not queued behind the 16 slow senders (2 threads)
    assert answers == [408] * 16


def test_a_long_query_string_is_a_json_414(serve: Serve, empty_settings: Settings) -> None:
    port = serve(empty_settings)
    request = f"GET /api/v1/lookup?name={'x' * 5000} HTTP/1.1\r\nHost: x\r\n\r\n".encode()
    status, body = raw(port, request)
    assert status == 414
    assert body["error"]["code"] == "uri_too_long"  # type: ignore[index]


def test_a_chunked_body_over_the_limit_is_a_json_413(
    serve: Serve, empty_settings: Settings
) -> None:
    port = serve(empty_settings, WATCHLIST_WEB_MAX_BODY_KB="1")
    chunk = b"x" * 1000
    request = (b"POST /api/v1/screen HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
               b"Transfer-Encoding: chunked\r\n\r\n" + (b"3e8\r\n" + chunk + b"\r\n") * 3
               + b"0\r\n\r\n")  # fmt: skip
    status, body = raw(port, request)
    assert status == 413
    assert "web.max_body_kb" in body["error"]["message"]  # type: ignore[index]


def test_a_declared_body_over_the_limit_is_a_json_413(
    serve: Serve, empty_settings: Settings
) -> None:
    port = serve(empty_settings, WATCHLIST_WEB_MAX_BODY_KB="1")
    request = (b"POST /api/v1/screen HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
               b"Content-Length: 5000\r\n\r\n" + b"x" * 5000)  # fmt: skip
    assert raw(port, request)[0] == 413


def test_a_request_gunicorn_cannot_parse_is_json(serve: Serve, empty_settings: Settings) -> None:
    port = serve(empty_settings)
    status, body = raw(port, b"GET /healthz HTTP/1.1\r\nHost: x\r\nBad Header: y\r\n\r\n")
    assert status == 400
    assert body["error"]["code"] == "bad_request"  # type: ignore[index]


def test_whole_requests_still_work_chunked_and_pipelined(
    serve: Serve, empty_settings: Settings
) -> None:
    port = serve(empty_settings)
    key = make_key(empty_settings, "screen")
    text = b'{"text": "Nobody listed here."}'
    one = (b"POST /api/v1/screen HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
           b"Authorization: Bearer " + key.encode() + b"\r\nTransfer-Encoding: chunked\r\n\r\n"
           + f"{len(text):x}\r\n".encode() + text + b"\r\n0\r\n\r\n")  # fmt: skip
    two = b"GET /healthz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"
    with socket.create_connection(("127.0.0.1", port), timeout=10) as connection:
        connection.sendall(one + two)
        reply = b""
        while chunk := connection.recv(65536):
            reply += chunk
    assert reply.count(b"HTTP/1.1 200 OK") == 2, reply[:500]
    assert b'"hits":[]' in reply
