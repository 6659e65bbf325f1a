"""Downloading URLs (httpx): only public addresses, checked after DNS and on every redirect; timeouts, a
size limit enforced while streaming, one retry with backoff.

A URL is a request the user (or, in the web app, a page's visitor) makes this machine send. Without a
check, ``http://127.0.0.1:8000/...``, ``http://169.254.169.254/`` (cloud metadata) or a name that
resolves to 10.x.x.x reads services that only this machine can reach (server-side request forgery).
So every hop is resolved here, every address it resolves to must be public (``AddressPolicy``), the
connection goes to the address that was checked (the name is kept for the Host header and TLS), and
redirects are followed here, one checked hop at a time. ``storydiff fetch --allow-private`` lifts the
check for a trusted network. Proxies from the environment are not used: they would resolve names
themselves, after the check.
"""

from __future__ import annotations

import ipaddress
import socket
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field

import httpx

from storydiff import __version__
from storydiff.model import RawDocument
from storydiff.readers.files import DEFAULT_MAX_SIZE, ReadError

USER_AGENT = f"storydiff/{__version__}"
MAX_REDIRECTS = 5
_RETRY_STATUS = {429, 500, 502, 503, 504}
_REDIRECT_STATUS = {301, 302, 303, 307, 308}

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address
Resolver = Callable[[str, int], list[str]]


def resolve(host: str, port: int) -> list[str]:
    """Every address ``host`` resolves to (an address literal resolves to itself)."""
    infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    return list(dict.fromkeys(str(info[4][0]).split("%", 1)[0] for info in infos))


def address_kind(ip: IPAddress) -> str | None:
    """Why an address is not public (loopback, private, link-local...), or None for a public one."""
    if isinstance(ip, ipaddress.IPv6Address):
        embedded = ip.ipv4_mapped or ip.sixtofour or (ip.teredo[1] if ip.teredo else None)
        if embedded is not None:
            return address_kind(embedded)
    for kind, test in (
        ("unspecified", ip.is_unspecified),
        ("loopback", ip.is_loopback),
        ("link-local", ip.is_link_local),
        ("multicast", ip.is_multicast),
        ("private", ip.is_private),
        ("reserved", ip.is_reserved),
    ):
        if test:
            return kind
    return None if ip.is_global else "non-public"


@dataclass(frozen=True)
class AddressPolicy:
    """Which addresses a download may connect to: public ones, or any with ``allow_private``.
    ``allowed`` lists addresses accepted anyway (a test's own local server)."""

    allow_private: bool = False
    allowed: frozenset[str] = field(default_factory=frozenset)

    def refusal(self, host: str, address: str) -> str | None:
        """Why ``host`` (resolved to ``address``) may not be fetched, or None when it may."""
        if self.allow_private or address in self.allowed:
            return None
        kind = address_kind(ipaddress.ip_address(address))
        if kind is None:
            return None
        named = f"{address} is" if host.strip("[]") == address else f"{host} resolves to {address},"
        return f"refused: {named} a {kind} address (only public addresses are fetched; --allow-private lifts this)"


class _TooLarge(Exception):
    pass


class _Redirect(Exception):
    def __init__(self, location: str) -> None:
        self.location = location


def _checked_target(
    url: httpx.URL, policy: AddressPolicy, resolver: Resolver
) -> tuple[httpx.URL, dict[str, str], dict[str, str]]:
    """(URL to connect to, headers, extensions) for one hop: the host replaced by its checked address."""
    if url.scheme not in ("http", "https"):
        raise ReadError(str(url), f"not an http(s) URL (scheme {url.scheme or 'missing'!r})")
    if not url.host:
        raise ReadError(str(url), "URL without a host")
    port = url.port or (443 if url.scheme == "https" else 80)
    try:
        addresses = resolver(url.host, port)
    except (OSError, UnicodeError) as exc:
        raise ReadError(str(url), f"cannot resolve {url.host} ({exc})") from None
    if not addresses:
        raise ReadError(str(url), f"{url.host} resolves to no address")
    for address in addresses:  # every one: a name with a public and a private address is refused
        reason = policy.refusal(url.host, address)
        if reason:
            raise ReadError(str(url), reason)
    headers = {"Host": url.netloc.decode("ascii")}
    extensions = {"sni_hostname": url.host} if url.scheme == "https" else {}
    return url.copy_with(host=addresses[0]), headers, extensions


def _download(
    client: httpx.Client,
    url: httpx.URL,
    max_size: int,
    policy: AddressPolicy,
    resolver: Resolver,
    deadline: float,
) -> tuple[bytes, str]:
    """One hop: the body and its content type; _Redirect when the answer sends us elsewhere."""
    target, headers, extensions = _checked_target(url, policy, resolver)
    request = client.build_request("GET", target, headers=headers, extensions=extensions)
    response = client.send(request, stream=True)
    try:
        if response.status_code in _REDIRECT_STATUS and response.headers.get("Location"):
            raise _Redirect(response.headers["Location"])
        if response.status_code in _RETRY_STATUS:
            raise httpx.HTTPStatusError(f"HTTP {response.status_code}", request=request, response=response)
        if response.status_code != 200:
            raise ReadError(str(url), f"HTTP {response.status_code}")
        declared = response.headers.get("Content-Length")
        if declared and declared.isdigit() and int(declared) > max_size:
            raise _TooLarge
        chunks: list[bytes] = []
        size = 0
        for chunk in response.iter_bytes():
            if time.monotonic() > deadline:  # a server dripping bytes under the read timeout
                raise ReadError(str(url), "download took longer than its time limit")
            size += len(chunk)
            if size > max_size:
                raise _TooLarge  # stop reading: the rest never reaches memory
            chunks.append(chunk)
        return b"".join(chunks), response.headers.get("Content-Type", "")
    finally:
        response.close()


def _follow(
    client: httpx.Client, url: str, max_size: int, policy: AddressPolicy, resolver: Resolver
) -> tuple[bytes, str, str]:
    """(body, content type, final URL), following at most MAX_REDIRECTS redirects, each hop checked; the
    whole download within the client's timeout."""
    deadline = time.monotonic() + (client.timeout.read or 60.0)
    try:
        current = httpx.URL(url)
    except httpx.InvalidURL as exc:
        raise ReadError(url, f"invalid URL ({exc})") from None
    for _ in range(MAX_REDIRECTS + 1):
        try:
            body, ctype = _download(client, current, max_size, policy, resolver, deadline)
        except _Redirect as hop:
            try:
                current = current.join(hop.location)
            except httpx.InvalidURL as exc:
                raise ReadError(url, f"redirect to an invalid URL ({exc})") from None
            continue
        return body, ctype, str(current)
    raise ReadError(url, f"more than {MAX_REDIRECTS} redirects")


def fetch_one(
    client: httpx.Client,
    url: str,
    *,
    max_size: int = DEFAULT_MAX_SIZE,
    backoff: float = 1.0,
    policy: AddressPolicy | None = None,
    resolver: Resolver = resolve,
) -> RawDocument | ReadError:
    """One URL as a RawDocument, or the reason it could not be fetched. At most one retry."""
    policy = policy or AddressPolicy()
    last = ""
    for attempt in range(2):
        if attempt:
            time.sleep(backoff)
        try:
            body, ctype, final_url = _follow(client, url, max_size, policy, resolver)
        except ReadError as exc:
            return exc if exc.origin == url else ReadError(url, f"{exc.origin}: {exc.reason}")
        except _TooLarge:
            return ReadError(url, f"larger than the size limit of {max_size} bytes")
        except httpx.HTTPStatusError as exc:
            last = str(exc)
            continue
        except (httpx.TransportError, httpx.InvalidURL, httpx.UnsupportedProtocol) as exc:
            last = f"{type(exc).__name__}: {exc}" if str(exc) else type(exc).__name__
            if isinstance(exc, httpx.UnsupportedProtocol | httpx.InvalidURL):
                break
            continue
        fmt = "text" if ctype.startswith("text/plain") else "html"
        return RawDocument(
            origin=url, content=body, format=fmt, hints={"url": final_url, "content_type": ctype.lower()}
        )
    return ReadError(url, f"download failed ({last})")


def fetch_urls(
    urls: Iterable[str],
    *,
    max_size: int = DEFAULT_MAX_SIZE,
    timeout: float = 20.0,
    backoff: float = 1.0,
    allow_private: bool = False,
    policy: AddressPolicy | None = None,
    resolver: Resolver = resolve,
) -> Iterator[RawDocument | ReadError]:
    """Each URL as a RawDocument or the reason it failed; loopback, private, link-local and multicast
    addresses are refused unless ``allow_private``."""
    policy = policy or AddressPolicy(allow_private=allow_private)
    headers = {"User-Agent": USER_AGENT}
    with httpx.Client(headers=headers, timeout=timeout, follow_redirects=False, trust_env=False) as client:
        for url in urls:
            yield fetch_one(client, url, max_size=max_size, backoff=backoff, policy=policy, resolver=resolver)
