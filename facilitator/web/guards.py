"""Turning an access decision into an HTTP answer, for the blueprints."""

from __future__ import annotations

from typing import TypeVar

from flask import abort, flash, redirect, request, session
from flask_login import login_url
from werkzeug.wrappers import Response

from facilitator import access
from facilitator.extensions import db, login_manager
from facilitator.identity import SESSION_KEY, Actor, request_actor, start_session

T = TypeVar("T")


def require(action: str, target: object = None) -> Actor:
    """Return the request's actor if it may do this; else answer 404 (never reveal what exists)."""
    actor = request_actor()
    if actor.kind == "anonymous":
        abort(401)
    if not access.can(actor, action, target):
        abort(404)
    return actor


def fresh_session() -> None:
    """Start a new session at sign-in or guest join, closing the previous one's sockets."""
    from facilitator.realtime.publisher import close_session
    from facilitator.services import sessions

    sessions.end(session.get(SESSION_KEY), "signed_out")
    close_session(session.get(SESSION_KEY, ""), "signed_out")
    start_session()


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
