"""Downloading URLs: only public addresses (after DNS and on every redirect) unless --allow-private,
against a real local HTTP server."""

from __future__ import annotations

import http.server
import ipaddress
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from fastapi.testclient import TestClient

from storydiff.cli import main
from storydiff.model import RawDocument
from storydiff.readers.fetch import AddressPolicy, address_kind, fetch_urls
from storydiff.readers.files import ReadError
from storydiff.web.app import create_app
from storydiff.web.inputs import Budget
from tests.test_web_api import PASTED_A, PASTED_B

PAGE = (
    b"<html><head><title>Ferry runs aground off Quillmarsh</title></head><body><article>"
    b"<p>The ferry Orvel Star ran aground off Quillmarsh on Sunday with 120 passengers aboard, the coast "
    b"guard said.</p><p>Nobody was hurt, and tugs pulled the ship free at high tide six hours later.</p>"
    b"</article></body></html>"
)


class Handler(http.server.BaseHTTPRequestHandler):
    """/page: an article; /redirect?to=URL: a 302 there; /loop: redirects to itself; /big: 3 MB."""

    def do_GET(self) -> None:  # noqa: N802 - the stdlib's name
        if self.path == "/page":
            self._answer(200, PAGE, "text/html; charset=utf-8")
        elif self.path.startswith("/redirect?to="):
            self.send_response(302)
            self.send_header("Location", self.path.split("=", 1)[1])
            self.end_headers()
        elif self.path == "/loop":
            self.send_response(302)
            self.send_header("Location", "/loop")
            self.end_headers()
        elif self.path == "/big":
            self._answer(200, b"<p>" + b"word " * 600_000 + b"</p>", "text/html")
        else:
            self._answer(404, b"no", "text/plain")

    def _answer(self, status: int, body: bytes, ctype: str) -> None:
        self.send_response(status)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture(scope="module")
def site() -> Iterator[str]:
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


def fetch(url: str, **options: Any) -> RawDocument | ReadError:
    return next(fetch_urls([url], timeout=5, backoff=0.01, **options))


def test_address_kinds() -> None:
    kinds = {
        "127.0.0.1": "loopback",
        "::1": "loopback",
        "10.1.2.3": "private",
        "192.168.0.10": "private",
        "172.16.5.4": "private",
        "169.254.169.254": "link-local",
        "fe80::1": "link-local",
        "224.0.0.251": "multicast",
        "ff02::1": "multicast",
        "0.0.0.0": "unspecified",
        "::ffff:127.0.0.1": "loopback",  # IPv4-mapped IPv6 is checked as the IPv4 address it carries
        "100.64.0.1": "non-public",  # carrier-grade NAT
        "93.184.216.34": None,
        "2606:4700::1111": None,
    }
    for address, kind in kinds.items():
        assert address_kind(ipaddress.ip_address(address)) == kind, address


def test_a_loopback_server_is_refused_by_default_and_fetched_with_allow_private(site: str) -> None:
    refused = fetch(f"{site}/page")
    assert isinstance(refused, ReadError) and "127.0.0.1" in refused.reason and "loopback" in refused.reason
    fetched = fetch(f"{site}/page", allow_private=True)
    assert not isinstance(fetched, ReadError) and b"Orvel Star" in fetched.content
    by_name = fetch(f"{site.replace('127.0.0.1', 'localhost')}/page")
    assert isinstance(by_name, ReadError) and "localhost resolves to" in by_name.reason


def test_names_are_checked_after_dns() -> None:
    def resolver(host: str, port: int) -> list[str]:
        return {"news.example": ["93.184.216.34", "10.0.0.7"], "intranet.example": ["192.168.1.20"]}[host]

    for url, address in (("http://intranet.example/", "192.168.1.20"), ("http://news.example/", "10.0.0.7")):
        found = fetch(url, resolver=resolver)
        assert isinstance(found, ReadError) and address in found.reason and "private" in found.reason


def test_every_redirect_is_checked(site: str) -> None:
    # The first hop is allowed (this test's own server); where it redirects to is checked again.
    own = AddressPolicy(allowed=frozenset({"127.0.0.1"}))
    followed = fetch(f"{site}/redirect?to=/page", policy=own)
    assert not isinstance(followed, ReadError)
    assert followed.hints["url"] == f"{site}/page"
    port = site.rsplit(":", 1)[1]
    for target, kind in (
        (f"http://127.0.0.2:{port}/page", "loopback"),
        ("http://169.254.169.254/latest/meta-data/", "link-local"),
        ("http://[::1]/", "loopback"),
        ("http://10.0.0.1/admin", "private"),
    ):
        refused = fetch(f"{site}/redirect?to={target}", policy=own)
        assert isinstance(refused, ReadError) and kind in refused.reason, (target, refused)
    loop = fetch(f"{site}/loop", policy=own)
    assert isinstance(loop, ReadError) and "more than 5 redirects" in loop.reason
    scheme = fetch(f"{site}/redirect?to=file:///etc/passwd", policy=own)
    assert isinstance(scheme, ReadError) and "not an http(s) URL" in scheme.reason


def test_size_limit_while_streaming(site: str) -> None:
    big = fetch(f"{site}/big", allow_private=True, max_size=1_000_000)
    assert isinstance(big, ReadError) and "size limit" in big.reason


def test_cli_fetch_refuses_loopback_unless_allowed(site: str, tmp_path: Path) -> None:
    db = str(tmp_path / "store.db")
    refused = CliRunner().invoke(main, ["fetch", "--db", db, "--timeout", "5", f"{site}/page"])
    assert (
        refused.exit_code == 1
        and "loopback address" in refused.stderr
        and "--allow-private" in refused.stderr
    )
    allowed = CliRunner().invoke(
        main, ["fetch", "--db", db, "--timeout", "5", "--allow-private", f"{site}/page"]
    )
    assert allowed.exit_code == 0, allowed.stderr
    assert "ingested 1" in allowed.stderr


def test_compare_now_fetches_urls(site: str, tmp_path: Path) -> None:
    """Compare now's URL input works (it was broken), and refuses loopback unless the server allows it."""
    form = {
        "text": [PASTED_A + "\n\nThe ferry Orvel Star ran aground off Quillmarsh on Sunday."],
        "urls": f"{site}/page",
    }
    with TestClient(create_app(None), base_url="http://localhost") as client:
        refused = client.post("/compare", data=form)
        assert refused.status_code == 400 and "loopback address" in refused.text
    allowing = create_app(None, budget=Budget(allow_private_urls=True))
    with TestClient(allowing, base_url="http://localhost") as client:
        response = client.post("/compare", data=form)
        assert response.status_code == 200, response.text
        assert "Ferry runs aground off Quillmarsh" in response.text and "sd-articles" in response.text
        api = client.post("/api/compare", json={"articles": [{"text": PASTED_A}, {"text": PASTED_B}]})
        assert api.status_code == 200
