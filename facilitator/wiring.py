"""The factory's named steps, each wiring one concern into the app."""

from __future__ import annotations

import logging

from flask import Flask
from flask_babel import get_locale, lazy_gettext
from sqlalchemy import event

from facilitator.extensions import babel, csrf, db, login_manager, migrate, socketio
from facilitator.settings_checks import socket_origins

MAX_SOCKET_MESSAGE = 64 * 1024


def configure_logging(app: Flask) -> None:
    """Log events and ids only; case text never goes to a log."""
    logging.basicConfig(
        level=app.config["LOG_LEVEL"], format="%(asctime)s %(levelname)s %(name)s: %(message)s"
    )
    for noisy in ("engineio.server", "socketio.server", "werkzeug"):
        logging.getLogger(noisy).setLevel(logging.WARNING)


def _sqlite_pragmas(dbapi_connection, _record) -> None:  # type: ignore[no-untyped-def]
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=FULL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA busy_timeout=15000")
    cursor.close()


def init_extensions(app: Flask) -> None:
    """Bind the extension singletons to this app."""
    url = app.config["SQLALCHEMY_DATABASE_URI"]
    if url.startswith("sqlite"):
        app.config.setdefault("SQLALCHEMY_ENGINE_OPTIONS", {"connect_args": {"timeout": 15}})
    else:
        app.config.setdefault("SQLALCHEMY_ENGINE_OPTIONS", {"pool_pre_ping": True})
    # SQL errors would otherwise quote the statement's values (case text) into the logs.
    app.config["SQLALCHEMY_ENGINE_OPTIONS"].setdefault("hide_parameters", True)
    db.init_app(app)
    with app.app_context():
        if db.engine.dialect.name == "sqlite":
            event.listen(db.engine, "connect", _sqlite_pragmas)
    migrate.init_app(app, db, directory=str(app.root_path + "/../migrations"))
    csrf.init_app(app)
    babel.init_app(app, locale_selector=lambda: "en")
    login_manager.init_app(app)
    login_manager.login_view = "auth.login"
    login_manager.login_message = lazy_gettext("Sign in to see this page.")
    login_manager.login_message_category = "info"
    login_manager.session_protection = "strong"

    from facilitator.web.guards import sign_in_first
    from facilitator.web.signed_in import load_user

    login_manager.unauthorized_handler(sign_in_first)
    login_manager.user_loader(load_user)  # an active account with a live session


def register_blueprints(app: Flask) -> None:
    from facilitator.web import (
        account,
        admin,
        auth,
        cases,
        errors,
        exports,
        headers,
        history,
        join,
        meetings,
        signed_in,
    )

    for module in (auth, account, cases, meetings, exports, history, join, admin):
        app.register_blueprint(module.bp)
    headers.install(app)
    signed_in.install(app)
    errors.install(app)
    app.context_processor(lambda: {"get_locale": get_locale})


def register_socket_handlers(app: Flask) -> None:
    # Imported before init_app: Flask-SocketIO keeps handlers decorated while it has no
    # server and binds them to every app's server. Decorated after the first init_app, they
    # would bind to that first server only, and a second app would accept any socket unchecked.
    import facilitator.realtime  # noqa: F401  (handlers register on import)

    socketio.init_app(
        app,
        async_mode=app.config["ASYNC_MODE"],
        cors_allowed_origins=socket_origins(app.config["ALLOWED_ORIGINS"]),
        message_queue=app.config["MESSAGE_QUEUE"],
        max_http_buffer_size=MAX_SOCKET_MESSAGE,
        logger=False,
        engineio_logger=False,
    )


def register_cli(app: Flask) -> None:
    from facilitator import cli

    cli.register(app)
