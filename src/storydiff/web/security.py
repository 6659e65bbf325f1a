"""Safety for pages built from untrusted article text, on every answer the app gives.

Templates autoescape everything; the Content-Security-Policy is the second wall: scripts and styles only
from our own files, no inline script, style or handler, no plugins, no framing, forms post only to us.
The ASGI middlewares here, outermost first:

- ``SecurityHeaders``: the CSP and hardening headers on every answer, errors and crashes included;
- ``CrashGuard``: an exception no handler took becomes a logged 500 in the client's format (Starlette's
  own 500 would bypass the headers);
- ``HostAllowList``: only Host headers naming this server (DNS rebinding: a page of evil.example that
  resolves to 127.0.0.1 cannot read the app);
- ``BodySizeLimit``: request bodies over the limit answer 413 before they are read whole.

``SECURITY_HEADERS`` are also what ``web.server``'s protocol adds to uvicorn's own 400 and 500.
"""

from __future__ import annotations

import ipaddress
import logging
from collections.abc import Iterable

from starlette.exceptions import HTTPException
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from storydiff.web.errors import send_error

log = logging.getLogger("storydiff.web")

CONTENT_SECURITY_POLICY = "; ".join(
    [
        "default-src 'none'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self' data:",
        "connect-src 'self'",
        "font-src 'self'",
        "form-action 'self'",
        "base-uri 'none'",
        "frame-ancestors 'none'",
        "object-src 'none'",
    ]
)
# The OpenAPI page (/docs) is FastAPI's own: it needs its bundled assets, which we serve locally.
DOCS_POLICY = CONTENT_SECURITY_POLICY.replace(
    "script-src 'self'", "script-src 'self' 'unsafe-inline'"
).replace("style-src 'self'", "style-src 'self' 'unsafe-inline'")

SECURITY_HEADERS = [
    (b"x-content-type-options", b"nosniff"),
    (b"referrer-policy", b"no-referrer"),
    (b"x-frame-options", b"DENY"),
    (b"cross-origin-opener-policy", b"same-origin"),
    (b"cross-origin-resource-policy", b"same-origin"),
]
LOCAL_NAMES = ("localhost", "127.0.0.1", "::1")


def security_headers(path: str = "") -> list[tuple[bytes, bytes]]:
    policy = DOCS_POLICY if path.startswith(("/docs", "/redoc")) else CONTENT_SECURITY_POLICY
    return [(b"content-security-policy", policy.encode()), *SECURITY_HEADERS]


class Watched:
    """A ``send`` that remembers whether the answer has started: an error can be answered only before."""

    def __init__(self, send: Send) -> None:
        self.send = send
        self.started = False

    async def __call__(self, message: Message) -> None:
        self.started = self.started or message["type"] == "http.response.start"
        await self.send(message)


class SecurityHeaders:
    """ASGI middleware adding the CSP and hardening headers to every response."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        added = security_headers(scope.get("path", ""))
        names = {name for name, _ in added}

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = [h for h in message.get("headers", []) if h[0].lower() not in names]
                message["headers"] = [*headers, *added]
            await send(message)

        await self.app(scope, receive, send_with_headers)


class CrashGuard:
    """A request that raises past every handler is a bug: log it, answer a 500 the client can read."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        watched = Watched(send)
        try:
            await self.app(scope, receive, watched)
        except Exception:
            log.exception("internal error on %s %s", scope.get("method"), scope.get("path"))
            if not watched.started:
                await send_error(
                    scope, send, 500, "internal error: this is a bug in storydiff (see the server log)"
                )


def host_allowed(host_header: str, allowed: Iterable[str]) -> bool:
    """Whether a Host header (``name``, ``name:port``, ``[v6]:port``) names one of ``allowed``."""
    host = host_header.strip().lower()
    if host.startswith("["):
        host = host[1 : host.find("]")] if "]" in host else host
    elif host.count(":") == 1:
        host = host.rsplit(":", 1)[0]
    host = host.rstrip(".")
    if not host:
        return False
    return host in {name.lower().strip("[]") for name in allowed}


def allowed_hosts(bind: str, extra: Iterable[str] = ()) -> list[str]:
    """The Host names a server bound to ``bind`` answers: localhost names, the bound name or address,
    and ``extra``. Bound to every interface (0.0.0.0, ::), any IP address is accepted too: a browser only
    sends an address as Host when the user typed it, never through a rebound DNS name."""
    names = [*LOCAL_NAMES, *extra]
    if bind not in ("0.0.0.0", "::", ""):
        names.append(bind)
    return names


class HostAllowList:
    """Refuse (400) requests whose Host header names another server: DNS rebinding protection."""

    def __init__(self, app: ASGIApp, allowed: Iterable[str], any_address: bool = False) -> None:
        self.app = app
        self.allowed = list(allowed)
        self.any_address = any_address

    def accepts(self, host: str) -> bool:
        if host_allowed(host, self.allowed):
            return True
        if self.any_address:
            name = host.strip()
            name = name[1 : name.find("]")] if name.startswith("[") else name.rsplit(":", 1)[0]
            try:
                ipaddress.ip_address(name)
                return True
            except ValueError:
                return False
        return False

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        hosts = [value.decode("latin-1") for name, value in scope.get("headers", []) if name == b"host"]
        if len(hosts) != 1 or not self.accepts(hosts[0]):
            shown = hosts[0][:100] if hosts else "none"
            await send_error(
                scope,
                send,
                400,
                f"this server does not answer for host {shown!r} (allowed: {', '.join(self.allowed)}; "
                "start it with 'storydiff serve --allow-host NAME' to add a name)",
            )
            return
        await self.app(scope, receive, send)


class BodySizeLimit:
    """Reject request bodies over ``max_bytes`` with 413 before reading them whole.

    Checks Content-Length up front and counts streamed chunks, so a chunked upload cannot
    slip past the limit.
    """

    def __init__(self, app: ASGIApp, max_bytes: int) -> None:
        self.app = app
        self.max_bytes = max_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        for name, value in scope.get("headers", []):
            if name == b"content-length" and (not value.isdigit() or int(value) > self.max_bytes):
                await self._too_large(scope, send)
                return
        received = 0

        async def limited_receive() -> Message:
            nonlocal received
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > self.max_bytes:
                    raise RequestTooLarge(self.max_bytes)
            return message

        watched = Watched(send)
        try:
            await self.app(scope, limited_receive, watched)
        except RequestTooLarge:
            if not watched.started:
                await self._too_large(scope, send)

    async def _too_large(self, scope: Scope, send: Send) -> None:
        await send_error(scope, send, 413, too_large_message(self.max_bytes))


class RequestTooLarge(HTTPException):
    """Raised while a route reads the body; an HTTPException so that FastAPI's body parsing passes it on
    (it turns other errors into a 400) and the app's handler answers it as a 413."""

    def __init__(self, limit: int) -> None:
        super().__init__(413, too_large_message(limit))


def too_large_message(limit: int) -> str:
    return f"request too large: the limit is {limit // (1024 * 1024)} MB ({limit} bytes)"
