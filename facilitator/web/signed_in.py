"""Signed-in sessions over HTTP: recorded at sign-in, checked on every request.

Flask-Login's user loader refuses a user whose server-side session (services.sessions)
was ended or timed out, so the request, or a socket's connect, is anonymous; the request
hook then clears the cookie's session and says why. Signing in through login_user, from
any page, rotates the connection key and records the new session.
"""

from __future__ import annotations

import secrets
from typing import Any

from flask import Flask, flash, g, redirect, request, session, url_for
from flask_babel import gettext as _
from flask_login import current_user, logout_user, user_logged_in
from werkzeug.wrappers import Response

from facilitator.extensions import db
from facilitator.identity import SESSION_KEY
from facilitator.models import User
from facilitator.services import sessions

ENDED_MESSAGE = "Your session has ended. Sign in again."
_OPEN_ENDPOINTS = {"auth.login", "auth.home", "static"}


def load_user(user_id: str) -> User | None:
    """Flask-Login's loader: an active account with a live session in this browser."""
    user = db.session.get(User, int(user_id)) if user_id.isdigit() else None
    if user is None or not user.active:
        return None
    record = sessions.alive(session.get(SESSION_KEY), user.id)
    if record is None:
        return None
    g.auth_session = record
    return user


def _recorded_at_sign_in(_app: Any, user: User, **_extra: Any) -> None:
    """Every sign-in gets a new connection key (the session id) and a session record."""
    key = secrets.token_urlsafe(24)
    session[SESSION_KEY] = key
    agent = request.user_agent.string if request else ""
    sessions.begin(user.id, key, agent, request.remote_addr or "")


def _check_session() -> Response | None:
    """Note activity on a live session; sign out a browser whose session has ended."""
    if "_user_id" not in session or request.blueprint == "health":
        return None  # probes touch no session (liveness must not need the database)
    if current_user.is_authenticated:
        record = g.get("auth_session")
        if record is not None:
            sessions.touch(record)
        return None
    logout_user()
    session.clear()
    flash(_(ENDED_MESSAGE), "info")
    if request.endpoint in _OPEN_ENDPOINTS:
        return None
    return redirect(url_for("auth.login"))


def install(app: Flask) -> None:
    user_logged_in.connect(_recorded_at_sign_in)
    app.before_request(_check_session)
