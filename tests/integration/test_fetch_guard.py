"""The server-side request forgery guard: private addresses in every IPv6 disguise, and a
connection that goes where the check said it would."""

from __future__ import annotations

import socket
from collections.abc import Iterator
from typing import Any

import pytest

from tests.loopback import Site, serve
from watchlist.articles.web import check_url, fetch_page, http_session
from watchlist.config import load_settings
from watchlist.errors import InputError

SETTINGS = load_settings({}).intake  # private addresses refused, as shipped


@pytest.mark.parametrize(
    "url",
    [
        "http://127.0.0.1/",
        "http://[::1]/",
        "http://[::ffff:127.0.0.1]/",  # IPv4-mapped
        "http://[::127.0.0.1]/",  # IPv4-compatible
        "http://[64:ff9b::7f00:1]/",  # NAT64 of 127.0.0.1
        "http://[64:ff9b::a00:1]/",  # NAT64 of 10.0.0.1
        "http://[64:ff9b:1::a9fe:a9fe]/",  # local-use NAT64 of 169.254.169.254
        "http://[2002:7f00:1::]/",  # 6to4 of 127.0.0.1
        "http://[2002:c0a8:101::1]/",  # 6to4 of 192.168.1.1
    ],
)
def test_private_addresses_in_any_form_are_refused(url: str) -> None:
    with pytest.raises(InputError, match="private or loopback"):
        check_url(url, SETTINGS)


def test_public_addresses_pass() -> None:
    check_url("http://[64:ff9b::5db8:d822]/", SETTINGS)  # NAT64 of 93.184.216.34
    check_url("http://93.184.216.34/", SETTINGS)


@pytest.fixture
def site() -> Iterator[Site]:
    with serve(Site(files={"/secret": b"internal only"})) as running:
        yield running


def test_a_host_that_resolves_anew_to_loopback_is_not_fetched(
    site: Site, monkeypatch: pytest.MonkeyPatch
) -> None:
    """DNS rebinding: the check sees a public address, the connection would get loopback."""
    port = int(site.base_url.rsplit(":", 1)[1])
    real = socket.getaddrinfo
    answers = iter(["93.184.216.34"])

    def rebinding(host: Any, *args: Any, **kwargs: Any) -> Any:
        if host != "rebind.test":
            return real(host, *args, **kwargs)
        address = next(answers, "127.0.0.1")
        return [(socket.AF_INET, socket.SOCK_STREAM, 6, "", (address, port))]

    monkeypatch.setattr(socket, "getaddrinfo", rebinding)
    with pytest.raises(InputError, match="private or loopback"):
        fetch_page(http_session(SETTINGS), f"http://rebind.test:{port}/secret", SETTINGS)
    assert site.requests == []
