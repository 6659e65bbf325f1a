"""Error answers in the format the client asked for: an HTML page for a browser, JSON for the API.

One rule (``wants_json``) for every error, whoever raises it: a route, FastAPI's validation, the router's
404/405, the size and host checks, or a crash. The HTML page is the app's own ``error.html``; the ASGI
middlewares, which have no template context, use the plain page of ``plain_page``.
"""

from __future__ import annotations

import html
import json
import logging
from typing import TYPE_CHECKING, Any

from starlette.datastructures import Headers
from starlette.types import Scope, Send

if TYPE_CHECKING:
    from fastapi import Request
    from fastapi.responses import Response

log = logging.getLogger("storydiff.web")

REASONS = {
    400: "Bad request",
    403: "Forbidden",
    404: "Not found",
    405: "Method not allowed",
    413: "Request too large",
    422: "Invalid request",
    500: "Internal error",
    503: "Busy or over its time budget",
}


def wants_json(headers: Headers, path: str) -> bool:
    """JSON when the client prefers it (Accept), HTML when it prefers HTML; otherwise by path: the API
    answers JSON, the pages HTML. ``curl`` (Accept: */*) of a page gets HTML, of /api/... JSON."""
    best_json = best_html = -1.0
    for part in headers.get("accept", "").split(","):
        media, _, params = part.strip().partition(";")
        quality = 1.0
        for param in params.split(";"):
            key, _, value = param.strip().partition("=")
            if key == "q":
                try:
                    quality = float(value)
                except ValueError:
                    quality = 0.0
        media = media.strip().lower()
        if media in ("application/json", "application/problem+json") or media.endswith("+json"):
            best_json = max(best_json, quality)
        elif media in ("text/html", "application/xhtml+xml"):
            best_html = max(best_html, quality)
    if best_json > 0 and best_json > best_html:
        return True
    if best_html > 0 and best_html >= best_json:
        return False
    return path.startswith("/api/") or path in ("/openapi.json",)


def plain_page(status: int, message: str) -> bytes:
    """A minimal HTML error page (no template): for answers given before the app runs."""
    title = f"Error {status}"
    return (
        '<!doctype html><html lang="en"><head><meta charset="utf-8"><title>'
        f'{title} · storydiff</title><link rel="stylesheet" href="/static/style.css"></head><body><main>'
        f'<section class="error"><h1>{title}</h1><p class="message">{html.escape(message)}</p>'
        '<p><a href="/">Back to the stories</a></p></section></main></body></html>'
    ).encode()


async def send_error(
    scope: Scope, send: Send, status: int, message: str, headers: list[tuple[bytes, bytes]] | None = None
) -> None:
    """An error answer from ASGI middleware (size limit, host check, crash), in the negotiated format."""
    if wants_json(Headers(scope=scope), scope.get("path", "")):
        body = json.dumps({"detail": message}).encode()
        media = b"application/json"
    else:
        body = plain_page(status, message)
        media = b"text/html; charset=utf-8"
    await send(
        {
            "type": "http.response.start",
            "status": status,
            "headers": [
                (b"content-type", media),
                (b"content-length", str(len(body)).encode()),
                *(headers or []),
            ],
        }
    )
    await send({"type": "http.response.body", "body": body})


def error_response(
    request: Request, status: int, message: str, headers: dict[str, str] | None = None
) -> Response:
    """An error answer from inside the app: the app's error page, or ``{"detail": message}``."""
    from fastapi.responses import JSONResponse

    if wants_json(request.headers, request.url.path):
        return JSONResponse({"detail": message}, status_code=status, headers=headers)
    templates = request.app.state.web.templates
    return templates.TemplateResponse(
        request,
        "error.html",
        {"status": status, "reason": REASONS.get(status, ""), "message": message},
        status_code=status,
        headers=headers,
    )


def install(app: Any) -> None:
    """Route every error the app itself raises through ``error_response``."""
    from fastapi.exceptions import RequestValidationError
    from starlette.exceptions import HTTPException as StarletteHTTPException

    async def http_error(request: Request, exc: Exception) -> Response:
        assert isinstance(exc, StarletteHTTPException)
        detail = exc.detail if isinstance(exc.detail, str) else json.dumps(exc.detail)
        if exc.status_code == 404 and detail == "Not Found":
            detail = f"no page at {request.url.path}"
        elif exc.status_code == 405 and detail == "Method Not Allowed":
            detail = f"{request.method} is not allowed on {request.url.path}"
        return error_response(request, exc.status_code, detail, headers=getattr(exc, "headers", None))

    async def validation_error(request: Request, exc: Exception) -> Response:
        assert isinstance(exc, RequestValidationError)
        problems = "; ".join(
            f"{'.'.join(str(p) for p in error.get('loc', [])[1:]) or 'body'}: {error.get('msg')}"
            for error in exc.errors()
        )
        return error_response(request, 422, f"invalid request: {problems}")

    app.add_exception_handler(StarletteHTTPException, http_error)
    app.add_exception_handler(RequestValidationError, validation_error)
