"""Running the app under uvicorn with the security headers on uvicorn's own answers too.

uvicorn answers a request it cannot parse (400) itself, outside the app and its middlewares; the protocol
here adds the same headers to that answer. (Its own 500, for an app that raises before answering, cannot
happen: ``security.CrashGuard`` answers every exception.)
"""

from __future__ import annotations

from typing import Any

from uvicorn.protocols.http.h11_impl import STATUS_PHRASES, H11Protocol

from storydiff.web.security import security_headers


class HardenedH11Protocol(H11Protocol):
    """uvicorn's h11 protocol whose own error answers carry the app's security headers."""

    def send_400_response(self, msg: str) -> None:
        import h11

        body = f"Error 400: {msg}\n".encode("ascii", "replace")
        headers = [
            (b"content-type", b"text/plain; charset=utf-8"),
            (b"content-length", str(len(body)).encode()),
            (b"connection", b"close"),
            *security_headers(),
        ]
        for event in (
            h11.Response(status_code=400, headers=headers, reason=STATUS_PHRASES[400]),
            h11.Data(data=body),
            h11.EndOfMessage(),
        ):
            self.transport.write(self.conn.send(event))
        self.transport.close()


def server_config(app: Any, host: str, port: int, **options: Any) -> Any:
    """A uvicorn Config serving ``app`` with the hardened protocol."""
    import uvicorn

    return uvicorn.Config(app, host=host, port=port, http=HardenedH11Protocol, **options)
