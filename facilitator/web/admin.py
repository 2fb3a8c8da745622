"""Admin: staff accounts and teams."""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import login_required
from werkzeug.wrappers import Response

from facilitator.domain.jargon import jargon_lines
from facilitator.domain.text import N_
from facilitator.models import Team, User
from facilitator.services import accounts, agency, signin
from facilitator.web.guards import load, require

bp = Blueprint("admin", __name__, url_prefix="/admin")


@bp.get("")
@login_required
def index() -> str:
    require("admin.manage")
    return render_template(
        "admin/index.html",
        users=accounts.list_users(),
        teams=accounts.list_teams(),
        roles=accounts.ROLES,
        form=request.form,
        anchors=agency.anchors(_),
        anchor_labels=ANCHOR_LABELS,
        jargon=jargon_lines(agency.jargon(_)),
    )


ANCHOR_LABELS = {
    "scale_anchor_professional_10": N_("Professional scale: 10 means"),
    "scale_anchor_professional_0": N_("Professional scale: 0 means"),
    "scale_anchor_family_10": N_("Family scale: 10 means"),
    "scale_anchor_family_0": N_("Family scale: 0 means"),
}


@bp.post("/texts")
@login_required
def save_texts() -> Response | str:
    """The agency's own wording of the scale's anchors and its plain-language list."""
    actor = require("admin.manage")
    try:
        agency.save(actor, request.form)
    except agency.AgencyTextError as refused:
        flash(_(refused.message, **refused.params), "error")
        return index()
    flash(_("The agency's texts are saved."), "info")
    return redirect(url_for("admin.index"))


@bp.post("/users")
@login_required
def create_user() -> Response | str:
    require("admin.manage")
    form = request.form
    try:
        accounts.create_user(
            form.get("email", ""),
            form.get("display_name", ""),
            form.get("password", ""),
            form.get("role", "worker"),
        )
    except accounts.AccountError as refused:
        flash(_(refused.message, **refused.params), "error")
        return index()
    flash(_("Account created."), "info")
    return redirect(url_for("admin.index"))


@bp.post("/teams")
@login_required
def create_team() -> Response:
    require("admin.manage")
    try:
        accounts.create_team(request.form.get("name", ""))
    except accounts.AccountError as refused:
        flash(_(refused.message, **refused.params), "error")
    return redirect(url_for("admin.index"))


@bp.post("/teams/<int:team_id>/members")
@login_required
def add_member(team_id: int) -> Response:
    require("admin.manage")
    team = load(Team, team_id)
    user = load(User, request.form.get("user_id", 0, type=int))
    accounts.add_member(team, user)
    return redirect(url_for("admin.index"))


@bp.post("/teams/<int:team_id>/members/<int:user_id>/remove")
@login_required
def remove_member(team_id: int, user_id: int) -> Response:
    from facilitator.realtime.publisher import close_revoked

    require("admin.manage")
    accounts.remove_member(load(Team, team_id), load(User, user_id))
    close_revoked(user_id, "access_changed")
    return redirect(url_for("admin.index"))


@bp.post("/users/<int:user_id>/reset-mfa")
@login_required
def reset_mfa(user_id: int) -> Response:
    """Remove a user's second factor (a lost phone); they enrol again at their next sign-in."""
    actor = require("admin.reset_mfa")
    user = load(User, user_id)
    signin.turn_off_mfa(actor, user, "auth.mfa_reset")
    flash(_("Two-step sign-in of %(name)s is reset.", name=user.display_name), "info")
    return redirect(url_for("admin.index"))
