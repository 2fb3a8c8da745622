"""The factory's named steps, each wiring one concern into the app."""

from __future__ import annotations

import logging
import time

from flask import Flask, Response
from flask_babel import get_locale, lazy_gettext
from sqlalchemy import Engine, event
from sqlalchemy.exc import DisconnectionError

from facilitator import access, languages, offload
from facilitator.extensions import babel, csrf, db, login_manager, socketio
from facilitator.identity import request_actor
from facilitator.realtime import handlers, rooms
from facilitator.realtime.packets import TolerantPacket
from facilitator.services import audit
from facilitator.settings_checks import socket_origins
from facilitator.web import (
    account,
    admin,
    auth,
    cases,
    display_links,
    errors,
    exports,
    framework_admin,
    headers,
    health,
    history,
    join,
    language,
    meetings,
    plan,
    pre_meeting,
    signed_in,
)
from facilitator.web.guards import sign_in_first
from facilitator.web.language import select_locale
from facilitator.web.signed_in import load_user

MAX_SOCKET_MESSAGE = 64 * 1024


LOG_FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s"
# C0 and C1 controls, DEL and the Unicode line breaks: each would let a logged value fake a
# line of its own or drive the terminal that shows the log.
_CONTROLS = {code: f"\\x{code:02x}" for code in [*range(0x20), *range(0x7F, 0xA0)]} | {
    0x0A: "\\n",
    0x0D: "\\r",
    0x09: "\\t",
    0x2028: "\\u2028",
    0x2029: "\\u2029",
}


def escape_controls(text: str) -> str:
    """The text with every control character written as an escape (\\n, \\x1b ...)."""
    return text.translate(_CONTROLS)


class EscapingFormatter(logging.Formatter):
    """Encodes control characters in the message and its arguments (a traceback, added
    after the message by the logging module itself, keeps its lines)."""

    def formatMessage(self, record: logging.LogRecord) -> str:  # noqa: N802 (logging's name)
        record.message = escape_controls(record.message)
        return super().formatMessage(record)


def configure_logging(app: Flask) -> None:
    """Log events and ids only; case text never goes to a log; controls are escaped."""
    logging.basicConfig(level=app.config["LOG_LEVEL"], format=LOG_FORMAT)
    for handler in logging.getLogger().handlers:
        if type(handler) in (logging.StreamHandler, logging.FileHandler):  # not pytest's
            handler.setFormatter(EscapingFormatter(LOG_FORMAT))
    for noisy in ("engineio.server", "socketio.server", "werkzeug"):
        logging.getLogger(noisy).setLevel(logging.WARNING)
    # WeasyPrint warns with each character it has no font for (case text, letter by
    # letter) and logs seven progress lines per PDF; fontTools logs its subsetting. Their
    # errors (a failed fetch, a broken font) stay, and carry no case text.
    for library in ("weasyprint", "fontTools"):
        logging.getLogger(library).setLevel(logging.ERROR)


def install_request_ids(app: Flask) -> None:
    """Every HTTP request gets an id (audit entries carry it), answered in X-Request-Id;
    a socket event gets its own when it first records something."""

    @app.before_request
    def _request_id() -> None:
        audit.request_id()

    @app.after_request
    def _answer_request_id(response: Response) -> Response:
        response.headers["X-Request-Id"] = audit.request_id() or ""
        return response


def _sqlite_pragmas(dbapi_connection, _record) -> None:  # type: ignore[no-untyped-def]
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=FULL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA busy_timeout=15000")
    cursor.execute("PRAGMA secure_delete=ON")  # freed pages are zeroed (a purge leaves no text)
    cursor.close()


# A pooled connection checked in this recently is used without a ping: a busy worker's
# writers and handlers check out thousands a second, and a ping is a round trip through
# the hub each time. One idle longer (PostgreSQL may have restarted) is pinged first.
PING_AFTER_IDLE_SECONDS = 1.0


def _ping_when_idle(engine: Engine) -> None:
    """pool_pre_ping, for connections idle longer than PING_AFTER_IDLE_SECONDS only."""

    def connected(_dbapi_connection, record) -> None:  # type: ignore[no-untyped-def]
        record.info["checked_in"] = None  # new: nothing to ping

    def checked_in(_dbapi_connection, record) -> None:  # type: ignore[no-untyped-def]
        record.info["checked_in"] = time.monotonic()

    def checkout(dbapi_connection, record, _proxy) -> None:  # type: ignore[no-untyped-def]
        last = record.info.get("checked_in")
        if last is None or time.monotonic() - last < PING_AFTER_IDLE_SECONDS:
            return
        try:
            alive = engine.dialect.do_ping(dbapi_connection)
        except engine.dialect.loaded_dbapi.Error as failure:
            raise DisconnectionError("the pooled connection is gone") from failure
        if not alive:
            raise DisconnectionError("the pooled connection is gone")  # the pool takes another

    event.listen(engine, "connect", connected)
    event.listen(engine, "checkin", checked_in)
    event.listen(engine, "checkout", checkout)


def init_extensions(app: Flask) -> None:
    """Bind the extension singletons to this app."""
    url = app.config["SQLALCHEMY_DATABASE_URI"]
    if url.startswith("sqlite"):
        app.config.setdefault("SQLALCHEMY_ENGINE_OPTIONS", {"connect_args": {"timeout": 15}})
    else:
        app.config.setdefault("SQLALCHEMY_ENGINE_OPTIONS", {})
    # SQL errors would otherwise quote the statement's values (case text) into the logs.
    app.config["SQLALCHEMY_ENGINE_OPTIONS"].setdefault("hide_parameters", True)
    db.init_app(app)
    with app.app_context():
        if db.engine.dialect.name == "sqlite":
            event.listen(db.engine, "connect", _sqlite_pragmas)
        else:
            _ping_when_idle(db.engine)
    csrf.init_app(app)
    babel.init_app(app, locale_selector=select_locale)
    login_manager.init_app(app)
    login_manager.login_view = "auth.login"
    login_manager.login_message = lazy_gettext("Sign in to see this page.")
    login_manager.login_message_category = "info"
    login_manager.session_protection = "strong"

    login_manager.unauthorized_handler(sign_in_first)
    login_manager.user_loader(load_user)  # an active account with a live session
    offload.install(app)  # the export render pool; no worker starts before the first export


def register_blueprints(app: Flask) -> None:
    for module in (
        auth,
        account,
        cases,
        meetings,
        plan,
        display_links,
        exports,
        history,
        join,
        pre_meeting,
        language,
        admin,
        framework_admin,
        health,
    ):
        app.register_blueprint(module.bp)
    headers.install(app)
    signed_in.install(app)
    install_request_ids(app)
    errors.install(app)
    app.context_processor(
        lambda: {
            "get_locale": get_locale,
            "may": _may,
            "languages": languages.choices,
            "export_languages": languages.export_choices,
        }
    )


def _may(action: str, target: object = None) -> bool:
    """Templates ask access.py, as the views do, before showing a link."""
    return access.can(request_actor(), action, target)


def register_socket_handlers(app: Flask) -> None:
    # Registered before init_app: Flask-SocketIO keeps handlers registered while it has no
    # server and binds them to every app's server. Registered after the first init_app, they
    # would bind to that first server only, and a second app would accept any socket unchecked.
    handlers.register(socketio)

    # Flask-SocketIO keeps the queue manager of an earlier init_app in server_options and
    # would reuse it: each app (each test's, too) gets the manager its own settings name.
    for earlier in ("client_manager", "message_queue", "channel"):
        socketio.server_options.pop(earlier, None)
    queue, channel = app.config["MESSAGE_QUEUE"], app.config["QUEUE_CHANNEL"]
    manager = rooms.client_manager(queue, channel)  # None: a queue Flask-SocketIO builds
    where = {"client_manager": manager} if manager else {"message_queue": queue, "channel": channel}
    socketio.init_app(
        app,
        async_mode=app.config["ASYNC_MODE"],
        cors_allowed_origins=socket_origins(app.config["ALLOWED_ORIGINS"]),
        **where,
        max_http_buffer_size=MAX_SOCKET_MESSAGE,
        serializer=TolerantPacket,  # a malformed frame changes nothing and logs nothing
        logger=False,
        engineio_logger=False,
    )
    path = socketio.server_options.get("path", "socket.io")
    app.wsgi_app = headers.PollingHeaders(app.wsgi_app, path)  # type: ignore[method-assign]


def trust_proxies(app: Flask) -> None:
    """Behind PROXY_HOPS proxies (nginx), take the client's address and scheme from the
    X-Forwarded-For and -Proto headers the nearest proxies added, for pages and sockets
    alike (the Socket.IO middleware sits inside). With 0, the headers mean nothing."""
    hops = app.config["PROXY_HOPS"]
    if hops:
        from werkzeug.middleware.proxy_fix import ProxyFix

        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=hops, x_proto=hops)  # type: ignore[method-assign]


def register_cli(app: Flask) -> None:
    """The `flask` commands: ours, and Flask-Migrate's `flask db` (the server process,
    wsgi.py, has no commands and so skips importing alembic: 0.3 s of every start)."""
    from flask_migrate import Migrate

    from facilitator import cli

    Migrate(app, db, directory=str(app.root_path + "/../migrations"))
    cli.register(app)
