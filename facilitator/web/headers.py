"""Security headers on every response."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from flask import Flask, Response, request

CSP = "; ".join(
    [
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self' data:",
        "connect-src 'self'",
        "font-src 'self'",
        "object-src 'none'",
        "base-uri 'none'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    ]
)


EVERY_RESPONSE = {
    "Content-Security-Policy": CSP,
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
    "X-Frame-Options": "DENY",
}


def install(app: Flask) -> None:
    @app.after_request
    def _headers(response: Response) -> Response:
        response.headers.update(EVERY_RESPONSE)
        if not request.path.startswith("/static/"):
            response.headers["Cache-Control"] = "no-store"
        return response


class PollingHeaders:
    """The same headers on Socket.IO's HTTP long-polling answers (they carry board
    snapshots), which the Socket.IO middleware answers before Flask sees the request.
    Polling stays allowed: county networks often block WebSockets."""

    def __init__(self, wsgi_app: Callable[..., Iterable[bytes]], path: str) -> None:
        self.wsgi_app, self.path = wsgi_app, "/" + path.strip("/")

    def __call__(self, environ: dict[str, Any], start_response: Callable[..., Any]) -> Any:
        if not environ.get("PATH_INFO", "").startswith(self.path):
            return self.wsgi_app(environ, start_response)

        def start(status: str, headers: list[tuple[str, str]], *rest: Any) -> Any:
            named = {name.lower() for name, _value in headers}
            wanted = {**EVERY_RESPONSE, "Cache-Control": "no-store"}
            headers = [h for h in headers if h[0].lower() != "cache-control"] + [
                (name, value)
                for name, value in wanted.items()
                if name.lower() not in named or name == "Cache-Control"
            ]
            return start_response(status, headers, *rest)

        return self.wsgi_app(environ, start)
