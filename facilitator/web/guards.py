"""Turning an access decision into an HTTP answer, for the blueprints."""

from __future__ import annotations

import time
from typing import TypeVar
from urllib.parse import urlsplit

from flask import abort, current_app, flash, jsonify, redirect, request, session, url_for
from flask_login import login_url
from werkzeug.wrappers import Response

from facilitator import access
from facilitator.domain.actor import Actor
from facilitator.extensions import db, login_manager
from facilitator.identity import SESSION_KEY, request_actor, start_session
from facilitator.realtime import publisher
from facilitator.services import sessions

T = TypeVar("T")
AUTHENTICATED_AT = "authenticated_at"  # when the password or a code was last entered (epoch s)


def mark_authenticated() -> None:
    """The user has just entered their password or a code (sign-in or step-up)."""
    session[AUTHENTICATED_AT] = time.time()


def safe_next(target: str | None, default: str = "/cases") -> str:
    """A local path to go back to, never another site (no scheme, host or '//')."""
    if not target or not target.startswith("/") or target.startswith(("//", "/\\")):
        return default
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or "\\" in target or any(ord(c) < 32 for c in target):
        return default
    return target


def step_up_needed(back_to: str) -> Response | None:
    """None when the password or a code was entered within STEP_UP_MINUTES; else the answer
    that asks for it again: 401 with X-Step-Up for a script's fetch, a redirect otherwise."""
    minutes = current_app.config["STEP_UP_MINUTES"]
    entered = session.get(AUTHENTICATED_AT)
    if isinstance(entered, (int, float)) and 0 <= time.time() - entered <= minutes * 60:
        return None
    confirm = url_for("account.confirm", next=safe_next(back_to))
    if request.headers.get("X-Requested-With") == "fetch":
        answer = jsonify(step_up=url_for("account.confirm"))
        answer.status_code = 401
        answer.headers["X-Step-Up"] = "required"
        return answer
    return redirect(confirm)


def require(action: str, target: object = None) -> Actor:
    """Return the request's actor if it may do this; else answer 404 (never reveal what exists)."""
    actor = request_actor()
    if actor.kind == "anonymous":
        abort(401)
    if not access.can(actor, action, target):
        abort(404)
    return actor


SESSION_LANGUAGE = "language"  # the language chosen before signing in or joining


def fresh_session() -> None:
    """Start a new session at sign-in or guest join, closing the previous one's sockets."""
    kept_language = session.get(SESSION_LANGUAGE)  # a choice made before, on this browser
    sessions.end(session.get(SESSION_KEY), "signed_out")
    publisher.close_session(session.get(SESSION_KEY, ""), "signed_out")
    start_session()
    if kept_language:
        session[SESSION_LANGUAGE] = kept_language


def load(model: type[T], object_id: int) -> T:
    """Fetch a row by id or answer 404 (401 first to the anonymous: ids are not revealed)."""
    if request_actor().kind == "anonymous":
        abort(401)
    found = db.session.get(model, object_id)
    if found is None:
        abort(404)
    return found


def sign_in_first() -> Response:
    """Answer a staff page without a signed-in user: 404 to a guest, as for anything they may
    not see; anyone else goes to sign in (Flask-Login's usual answer)."""
    if request_actor().is_guest:
        abort(404)
    flash(login_manager.login_message, login_manager.login_message_category)
    return redirect(login_url(login_manager.login_view, next_url=request.url))
