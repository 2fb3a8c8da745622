"""Sign in, sign out, and the one-time setup of the first admin."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_user, logout_user
from werkzeug.wrappers import Response

from facilitator.identity import SESSION_KEY
from facilitator.services import accounts, sessions
from facilitator.web.guards import fresh_session

bp = Blueprint("auth", __name__)
LOCAL_ADDRESSES = {"127.0.0.1", "::1"}


@bp.get("/")
def home() -> Response:
    if not accounts.has_users():
        return redirect(url_for("auth.setup"))
    if current_user.is_authenticated:
        return redirect(url_for("cases.index"))
    return redirect(url_for("auth.login"))


@bp.route("/login", methods=["GET", "POST"])
def login() -> Response | str:
    if request.method == "POST":
        user = accounts.authenticate(
            request.form.get("email", ""), request.form.get("password", "")
        )
        if user is not None:
            fresh_session()
            login_user(user)
            return redirect(url_for("cases.index"))
        flash(_("That email and password don't match an active account."), "error")
    return render_template("auth/login.html", email=request.form.get("email", ""))


@bp.post("/logout")
def logout() -> Response:
    from facilitator.realtime.publisher import close_session

    sessions.end(session.get(SESSION_KEY), "signed_out")  # a copied cookie stops working too
    close_session(session.get(SESSION_KEY, ""), "signed_out")
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
            flash(_("Welcome. Add your colleagues under Admin."), "info")
            return redirect(url_for("cases.index"))
    return render_template("auth/setup.html", form=form)
