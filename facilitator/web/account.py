"""A staff member's own account: two-step sign-in enrolment, password change, step-up."""

from __future__ import annotations

import segno
from flask import (
    Blueprint,
    abort,
    flash,
    make_response,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask_babel import gettext as _
from flask_login import current_user, login_required
from markupsafe import Markup
from werkzeug.wrappers import Response

from facilitator.domain.limits import PASSWORD_MIN
from facilitator.identity import SESSION_KEY, request_actor
from facilitator.models import User
from facilitator.realtime import publisher
from facilitator.services import accounts, sessions, signin
from facilitator.web.auth import complete_sign_in, failed, pending_user, throttled
from facilitator.web.guards import mark_authenticated, require, safe_next, step_up_needed

bp = Blueprint("account", __name__, url_prefix="/account")
# What a signed-in user who owes an enrolment may still reach
ENROLMENT_ENDPOINTS = {"account.enrol", "account.confirm", "auth.logout", "static"}


@bp.before_app_request
def enrol_first() -> Response | None:
    """A signed-in user whose role requires MFA and who has none reaches only enrolment."""
    if request.endpoint in ENROLMENT_ENDPOINTS or not current_user.is_authenticated:
        return None
    if signin.mfa_required(current_user) and not current_user.mfa_enabled:
        return redirect(url_for("account.enrol"))
    return None


@bp.get("")
@login_required
def index() -> str:
    require("account.own")
    return render_template(
        "auth/account.html", user=current_user, mfa_required=signin.mfa_required(current_user)
    )


def _enrolling() -> tuple[User | None, bool]:
    """The signed-in user, or the one between password and enrolment (pending=True)."""
    if current_user.is_authenticated:
        return current_user, False
    return pending_user("enrol"), True


def _qr_svg(uri: str) -> Markup:
    """The enrolment QR as inline SVG, made on the server (segno): no script, no CDN."""
    svg = segno.make(uri, error="m").svg_inline(scale=5, border=2, dark="#1b1b1b")
    return Markup(svg)  # segno's own markup; the URI is inside its path data, not as text


@bp.route("/mfa", methods=["GET", "POST"])
def enrol() -> Response | str:
    """Show the secret as a QR code and as text; a current code turns MFA on."""
    user, pending = _enrolling()
    if user is None:
        if request_actor().is_guest:
            abort(404)  # as every staff page answers a guest
        return redirect(url_for("auth.login"))
    if user.mfa_enabled:
        return redirect(url_for("account.index"))
    if not pending:  # changing how one signs in needs the password again (ASVS 7.5.1)
        step_up = step_up_needed(request.path)
        if step_up is not None:
            return step_up
    secret = signin.pending_secret(user)
    if request.method == "POST" and not (pending and throttled(user.email)):
        codes = signin.confirm_enrolment(user, request.form.get("code", ""))
        if codes is not None:
            if pending:
                complete_sign_in(user, "totp_enrolment")
            return _not_stored(render_template("auth/recovery_codes.html", codes=codes))
        if pending:
            failed(user.email, user, "enrol")
        flash(_("That code is not right. Enter the code your app shows now."), "error")
    grouped = " ".join(secret[i : i + 4] for i in range(0, len(secret), 4))
    page = render_template(
        "auth/enrol.html",
        qr=_qr_svg(signin.provisioning_uri(user, secret)),
        secret=grouped,
        required=signin.mfa_required(user),
        pending=pending,
    )
    return _not_stored(page)


def _not_stored(page: str) -> Response:
    """A page with a secret on it (the key, the recovery codes): no browser cache keeps it."""
    response = make_response(page)
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.post("/password")
@login_required
def change_password() -> Response | str:
    require("account.own")
    user = current_user._get_current_object()
    if throttled(user.email):
        return index()
    if not accounts.password_matches(user, request.form.get("current_password", "")):
        failed(user.email, user, "password_change")
        flash(_("Your current password is not right."), "error")
        return index()
    try:
        accounts.change_password(user, request.form.get("new_password", ""))
    except accounts.AccountError as refused:
        flash(_(refused.message, **refused.params), "error")
        return index()
    # the other browsers signed in as this person end, and their boards close (this one stays)
    sessions.end_sessions(user.id, "password_changed", except_key=session.get(SESSION_KEY))
    publisher.close_signed_out(user.id)
    mark_authenticated()
    flash(_("Your password is changed."), "info")
    return redirect(url_for("account.index"))


@bp.post("/mfa/disable")
@login_required
def disable_mfa() -> Response | str:
    require("account.own")
    user = current_user._get_current_object()
    password = request.form.get("password", "")
    if signin.mfa_required(user):
        flash(_("Your role must sign in with a code: two-step sign-in stays on."), "error")
    elif throttled(user.email):
        pass
    elif not accounts.password_matches(user, password):
        failed(user.email, user, "mfa_disable")
        flash(_("Your password is not right."), "error")
    elif len(password) < PASSWORD_MIN:
        flash(
            _("Without a code a password needs %(count)s characters: change it first.",
              count=PASSWORD_MIN),
            "error",
        )  # fmt: skip
    else:
        signin.turn_off_mfa(require("account.own"), user, "auth.mfa_disabled")
        flash(_("Two-step sign-in is off."), "info")
        return redirect(url_for("account.index"))
    return index()


@bp.route("/confirm", methods=["GET", "POST"])
@login_required
def confirm() -> Response | str:
    """Step-up: enter the password (or a code) again before an export."""
    actor = require("account.own")
    user = current_user._get_current_object()
    back_to = safe_next(request.values.get("next"))
    if request.method == "POST" and not throttled(user.email):
        if signin.confirm_identity(actor, user, request.form.get("secret", "")):
            mark_authenticated()
            return redirect(back_to)
        failed(user.email, user, "step_up")
        flash(_("That is not right. Try again."), "error")
    return render_template("auth/confirm.html", back_to=back_to, mfa=user.mfa_enabled)
