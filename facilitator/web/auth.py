"""Sign in, sign out, and the one-time setup of the first admin."""

from __future__ import annotations

import time

from flask import Blueprint, abort, flash, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user, login_user, logout_user
from werkzeug.wrappers import Response

from facilitator.domain.limits import PASSWORD_MIN
from facilitator.extensions import db
from facilitator.identity import SESSION_KEY
from facilitator.models import User
from facilitator.realtime import publisher
from facilitator.services import accounts, sessions, signin
from facilitator.web.guards import fresh_session, mark_authenticated

bp = Blueprint("auth", __name__)
LOCAL_ADDRESSES = {"127.0.0.1", "::1"}


@bp.get("/")
def home() -> Response:
    if not accounts.has_users():
        return redirect(url_for("auth.setup"))
    if current_user.is_authenticated:
        return redirect(url_for("cases.index"))
    return redirect(url_for("auth.login"))


# Between the password and the second step: who, since when, and which step is next
PENDING_USER, PENDING_AT, PENDING_STEP = "pending_user_id", "pending_at", "pending_step"
PENDING_SECONDS = 300


def client_address() -> str:
    return request.remote_addr or ""


def failed(email: str, user: User | None, stage: str) -> None:
    """Count a failed step against the typed account and this address; audit it."""
    signin.record_failure(signin.account_key(email), client_address(), user, stage)


def throttled(email: str) -> bool:
    """Refuse (and say how long to wait) while this account or address is throttled."""
    minutes = signin.wait_minutes(signin.account_key(email), client_address())
    if not minutes:
        return False
    signin.record_locked(accounts.find_user(email), minutes)
    wait = ngettext(
        "Too many attempts. Wait %(num)s minute and try again.",
        "Too many attempts. Wait %(num)s minutes and try again.",
        minutes,
    )
    flash(wait, "error")
    return True


def complete_sign_in(user: User, method: str) -> None:
    """Both steps passed: a new session, signed in, the time of this authentication kept."""
    signin.record_success(user, signin.account_key(user.email), method)
    fresh_session()
    login_user(user)
    mark_authenticated()


def pending_user(step: str) -> User | None:
    """The user who passed the password and still owes this step, within five minutes."""
    started = session.get(PENDING_AT)
    if session.get(PENDING_STEP) != step or not isinstance(started, (int, float)):
        return None
    if time.time() - started > PENDING_SECONDS:
        return None
    user = db.session.get(User, session.get(PENDING_USER))
    return user if user is not None and user.active else None


def _start_pending(user: User, step: str) -> Response:
    fresh_session()  # not signed in until the second step passes
    session.update({PENDING_USER: user.id, PENDING_AT: time.time(), PENDING_STEP: step})
    return redirect(url_for("auth.code" if step == "code" else "account.enrol"))


@bp.route("/login", methods=["GET", "POST"])
def login() -> Response | str:
    if request.method == "POST":
        email, password = request.form.get("email", ""), request.form.get("password", "")
        if not throttled(email):
            user = accounts.authenticate(email, password)
            if user is None:
                known = accounts.find_user(email)
                failed(email, known, "password")
                flash(_("That email and password don't match an active account."), "error")
            elif user.mfa_enabled:
                return _start_pending(user, "code")
            elif signin.mfa_required(user) or len(password) < PASSWORD_MIN:
                return _start_pending(user, "enrol")  # a short password needs a second factor
            else:
                complete_sign_in(user, "password")
                return redirect(url_for("cases.index"))
    return render_template("auth/login.html", email=request.form.get("email", ""))


@bp.route("/login/code", methods=["GET", "POST"])
def code() -> Response | str:
    """The second step: a code from the authenticator app, or a recovery code."""
    user = pending_user("code")
    if user is None:
        return redirect(url_for("auth.login"))
    if request.method == "POST" and not throttled(user.email):
        method = signin.check_second_factor(user, request.form.get("code", ""))
        if method is not None:
            complete_sign_in(user, method)
            return redirect(url_for("cases.index"))
        failed(user.email, user, "code")
        flash(_("That code is not right. Enter the current code or a recovery code."), "error")
    return render_template("auth/code.html")


@bp.post("/logout")
def logout() -> Response:
    sessions.end(session.get(SESSION_KEY), "signed_out")  # a copied cookie stops working too
    publisher.close_session(session.get(SESSION_KEY, ""), "signed_out")
    logout_user()
    session.clear()
    response = redirect(url_for("auth.login"))
    response.headers["Clear-Site-Data"] = '"cache", "cookies", "storage"'
    return response


def _setup_allowed() -> bool:
    return not accounts.has_users() and request.remote_addr in LOCAL_ADDRESSES


@bp.route("/setup", methods=["GET", "POST"])
def setup() -> Response | str:
    if not _setup_allowed():
        abort(404)
    form = request.form
    if request.method == "POST":
        try:
            user = accounts.create_user(
                form.get("email", ""),
                form.get("display_name", ""),
                form.get("password", ""),
                "admin",
            )
            team = accounts.create_team(form.get("team", "") or _("My team"))
            accounts.add_member(team, user)
        except accounts.AccountError as refused:
            flash(_(refused.message, **refused.params), "error")
        else:
            fresh_session()
            login_user(user)
            mark_authenticated()
            flash(_("Welcome. Add your colleagues under Admin."), "info")
            return redirect(url_for("cases.index"))
    return render_template("auth/setup.html", form=form)
