"""The request context each socket event runs in, made cheaply.

Flask-SocketIO pushes a Flask request context for every socket event, built from the
environ its connection was opened with. Flask would then, for every event, decode and
verify the session cookie and bind a URL adapter to that environ: about a quarter of the
server's CPU under load (docs/performance.md, "Where the app's time goes"), and all of it
wasted, since Flask-SocketIO swaps in the session it copied at connect time
(`manage_session`) and a connection's environ never changes. So once a connection has
that copy, its events get the copy directly and reuse the URL adapter and the URL match
made for its first event. Who the socket is, and whether it may still act, is re-checked
per event by `facilitator.identity` as before; nothing here decides access.
"""

from __future__ import annotations

from typing import Any

from flask import Flask, Request
from flask.ctx import RequestContext
from werkzeug.routing import MapAdapter

from facilitator.web.edge import CleanRequest

# Flask-SocketIO's key for the session copy it keeps per connection (flask_socketio:
# SocketIO._handle_event); tests/realtime/test_socket_context.py fails if it changes.
SAVED_SESSION = "saved_session"
_URL_ADAPTER = "facilitator.url_adapter"
_ROUTE = "facilitator.route"


class TracebackFreeContext(RequestContext):
    """A request context whose failed URL match keeps no traceback.

    A socket's connect (and its first event) runs before the connection has a session copy,
    so it gets a full request context; the Socket.IO path is no Flask route, and the
    NotFound kept on the request held, through its traceback, every frame of the
    connection's greenthread: its eventlet.wsgi protocol, socket and buffered files.
    Long-lived connections are in the collector's oldest generation when they close, and
    full passes are rare (wsgi.py GC_THRESHOLDS), so each reconnect left ~35 objects and
    their buffers behind (docs/performance.md, the soak). An HTTP request's NotFound is
    raised again when Flask dispatches, with a traceback of its own."""

    def match_request(self) -> None:
        super().match_request()
        refusal = self.request.routing_exception
        if refusal is not None:
            refusal.__traceback__ = refusal.__context__ = refusal.__cause__ = None


class SocketEventContext(RequestContext):
    """A socket event's request context: its URL is its connection's, matched once.

    The Socket.IO path is no Flask route, so matching it raises NotFound, and Flask keeps
    the caught exception on the request. Its traceback holds the frames that hold this
    context: a reference cycle per event that only the garbage collector frees. At the
    stress rate that was ~2,800 objects per young collection and, promoted, full passes of
    ~200 ms over every connection's objects that stalled every meeting (docs/performance.md).
    So the first event's outcome is kept on the connection, with no traceback, and reused.
    """

    def match_request(self) -> None:
        environ, request = self.request.environ, self.request
        if _ROUTE not in environ:
            super().match_request()
            refusal = request.routing_exception
            if refusal is not None:
                refusal.__traceback__ = refusal.__context__ = refusal.__cause__ = None
            environ[_ROUTE] = (request.url_rule, request.view_args, refusal)
        request.url_rule, request.view_args, request.routing_exception = environ[_ROUTE]


class FacilitatorFlask(Flask):
    request_class = CleanRequest  # form and query values arrive clean (web/edge.py)

    def request_context(self, environ: dict[str, Any]) -> RequestContext:
        saved = environ.get(SAVED_SESSION)
        if saved is None:  # an HTTP request, or a connection's connect and first event
            return TracebackFreeContext(self, environ)
        return SocketEventContext(self, environ, session=saved)

    def create_url_adapter(self, request: Request | None) -> MapAdapter | None:
        if request is None or SAVED_SESSION not in request.environ:
            return super().create_url_adapter(request)
        environ = request.environ
        if _URL_ADAPTER not in environ:
            environ[_URL_ADAPTER] = super().create_url_adapter(request)
        return environ[_URL_ADAPTER]  # type: ignore[no-any-return]
