"""Admin: staff accounts and teams, the audit trail, retention."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import Any

from flask import Blueprint, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import login_required
from werkzeug.wrappers import Response

from facilitator import access
from facilitator.domain.consent import CONSENT_RULES
from facilitator.domain.jargon import jargon_lines
from facilitator.domain.kept_plan import KEPT_DAYS_MAX
from facilitator.domain.roles import ACCOUNT_ROLES
from facilitator.domain.text import N_
from facilitator.extensions import db
from facilitator.models import Case, Team, User
from facilitator.realtime import publisher
from facilitator.services import accounts, agency, audit, retention, sessions, signin
from facilitator.web.guards import load, require

bp = Blueprint("admin", __name__, url_prefix="/admin")


@bp.get("")
@login_required
def index() -> str:
    actor = require("admin.manage")
    return render_template(
        "admin/index.html",
        me=actor.user_id,
        users=accounts.list_users(),
        live_sessions=sessions.live_counts(),
        settings=deployment_settings(),
        teams=accounts.list_teams(),
        roles=accounts.ROLES,
        role_labels=ACCOUNT_ROLES,
        form=request.form,
        anchors=agency.anchors(_),
        anchor_labels=ANCHOR_LABELS,
        jargon=jargon_lines(agency.jargon(_)),
        plan_days=agency.plan_kept_days(),
        plan_days_max=KEPT_DAYS_MAX,
        reveal_threshold=request.form.get(agency.THRESHOLD_KEY) or agency.reveal_threshold(),
        consent_rules=CONSENT_RULES,
        consent_rule=agency.child_consent_rule(),
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


@bp.post("/plan-days")
@login_required
def save_plan_days() -> Response | str:
    """How many days a closed meeting's guests keep reading its action plan."""
    actor = require("admin.manage")
    try:
        days = agency.save_plan_kept_days(actor, request.form.get("plan_days", ""))
    except agency.AgencyTextError as refused:
        flash(_(refused.message, **refused.params), "error")
        return index()
    flash(
        _("Guests can read a meeting's plan for %(days)s days after it closes.", days=days), "info"
    )
    return redirect(url_for("admin.index"))


@bp.post("/users")
@login_required
def create_user() -> Response | str:
    actor = require("admin.manage")
    form = request.form
    try:
        accounts.create_user(
            form.get("email", ""),
            form.get("display_name", ""),
            form.get("password", ""),
            form.get("role", "worker"),
            actor=actor,
        )
    except accounts.AccountError as refused:
        flash(_(refused.message, **refused.params), "error")
        return index()
    flash(_("Account created."), "info")
    return redirect(url_for("admin.index"))


@bp.post("/teams")
@login_required
def create_team() -> Response:
    actor = require("admin.manage")
    try:
        accounts.create_team(request.form.get("name", ""), actor=actor)
    except accounts.AccountError as refused:
        flash(_(refused.message, **refused.params), "error")
    return redirect(url_for("admin.index"))


@bp.post("/teams/<int:team_id>/members")
@login_required
def add_member(team_id: int) -> Response:
    actor = require("admin.manage")
    team = load(Team, team_id)
    user = load(User, request.form.get("user_id", 0, type=int))
    accounts.add_member(team, user, actor=actor)
    return redirect(url_for("admin.index"))


@bp.post("/teams/<int:team_id>/members/<int:user_id>/remove")
@login_required
def remove_member(team_id: int, user_id: int) -> Response:
    actor = require("admin.manage")
    accounts.remove_member(load(Team, team_id), load(User, user_id), actor=actor)
    publisher.close_revoked(user_id, "access_changed")  # the sockets in that team's meetings
    return redirect(url_for("admin.index"))


def _account_change(user_id: int, change: Any, done: str) -> Response:
    """Run an admin's change to an account; say what happened or why not."""
    actor = require("admin.manage")
    try:
        change(actor, load(User, user_id))
    except accounts.AccountError as refused:
        flash(_(refused.message, **refused.params), "error")
    else:
        publisher.close_signed_out(user_id)  # the sessions it ended, if any
        flash(_(done), "info")
    return redirect(url_for("admin.index"))


@bp.post("/users/<int:user_id>/disable")
@login_required
def disable_user(user_id: int) -> Response:
    """Disable an account: its sessions end and its sockets close at once."""
    return _account_change(
        user_id,
        lambda actor, user: accounts.set_active(actor, user, False),
        N_("The account is disabled and signed out everywhere."),
    )


@bp.post("/users/<int:user_id>/enable")
@login_required
def enable_user(user_id: int) -> Response:
    return _account_change(
        user_id,
        lambda actor, user: accounts.set_active(actor, user, True),
        N_("The account is enabled again."),
    )


@bp.post("/users/<int:user_id>/role")
@login_required
def change_role(user_id: int) -> Response:
    """Change someone's role: they are signed out everywhere and sign in with the new one."""
    role = request.form.get("role", "")
    return _account_change(
        user_id,
        lambda actor, user: accounts.set_role(actor, user, role),
        N_("The role is changed; that person was signed out everywhere."),
    )


@bp.post("/users/<int:user_id>/sessions/end")
@login_required
def end_sessions(user_id: int) -> Response:
    """Sign someone out everywhere (a lost laptop, say)."""
    return _account_change(
        user_id, accounts.sign_out_everywhere, N_("That person is signed out everywhere.")
    )


def deployment_settings() -> list[tuple[str, str]]:
    """The security settings this deployment runs with, to read (set in the environment)."""
    config = current_app.config
    origins = ", ".join(config.get("ALLOWED_ORIGINS") or []) or _("this site only")
    return [
        (
            _("Secure cookies (HTTPS only)"),
            _("on") if config["SESSION_COOKIE_SECURE"] else _("off"),
        ),
        (
            _("Session cookie"),
            f"{config['SESSION_COOKIE_NAME']}; HttpOnly; "
            f"SameSite={config['SESSION_COOKIE_SAMESITE']}",
        ),
        (
            _("Sign-out after inactivity"),
            _("%(count)s minutes", count=config["SESSION_IDLE_MINUTES"]),
        ),
        (_("Longest session"), _("%(count)s hours", count=config["SESSION_MAX_HOURS"])),
        (_("Socket origins allowed"), origins),
        (_("Database"), db.engine.dialect.name),
        (_("Shared message queue"), _("on") if config.get("MESSAGE_QUEUE") else _("off")),
    ]


@bp.post("/users/<int:user_id>/reset-mfa")
@login_required
def reset_mfa(user_id: int) -> Response:
    """Remove a user's second factor (a lost phone); they enrol again at their next sign-in."""
    actor = require("admin.reset_mfa")
    user = load(User, user_id)
    signin.turn_off_mfa(actor, user, "auth.mfa_reset")
    flash(_("Two-step sign-in of %(name)s is reset.", name=user.display_name), "info")
    return redirect(url_for("admin.index"))


def _day(name: str) -> datetime | None:
    """A yyyy-mm-dd query parameter as the start of that day (UTC), or None."""
    try:
        return datetime.combine(date.fromisoformat(request.args.get(name, "")), datetime.min.time())
    except ValueError:
        return None


@bp.get("/audit")
@login_required
def audit_trail() -> str:
    """Browse the audit trail, newest first: admins all of it, supervisors their teams'."""
    actor = require("audit.view")
    until = _day("until")
    filters = audit.Filters(
        action=request.args.get("action", "").strip()[:40],
        user_id=request.args.get("user_id", type=int),
        case_id=request.args.get("case_id", type=int),
        since=_day("since"),
        until=until + timedelta(days=1) if until else None,  # the whole last day
    )
    teams = access.audit_teams(actor)
    page = audit.browse(teams, filters, request.args.get("page", 1, type=int))
    broken, count = audit.check()
    shown = {
        key: value for key, value in request.args.items() if key != "page" and value
    }  # the filters, kept by the pager's links
    audit.log(actor, "audit.view", detail={"page": page.number, "results": page.total})
    users = {
        user.id: user
        for user in accounts.list_users()
        if teams is None or user.team_ids & teams or user.id == actor.user_id
    }  # a supervisor's list names their teams' people only
    return render_template(
        "admin/audit.html", page=page, broken=broken, count=count, users=users,
        args=request.args, shown=shown, everything=teams is None,
    )  # fmt: skip


@bp.get("/retention")
@login_required
def retention_page() -> str:
    """Closed cases past their retention: purge one now, or see which a legal hold keeps."""
    require("admin.manage")
    return render_template(
        "admin/retention.html",
        due=retention.due_for_purge(),
        held=retention.held_or_open(),
        years=retention.years_for,
        default_years=retention.default_years(),
    )


@bp.post("/retention/<int:case_id>/purge")
@login_required
def purge(case_id: int) -> Response:
    """Purge one case now, after typing its label to confirm (the purge is audited)."""
    actor = require("admin.manage")
    case = load(Case, case_id)
    if request.form.get("confirm_label", "").strip() != case.label:
        flash(_("Type the case's label exactly to confirm the purge."), "error")
        return redirect(url_for("admin.retention_page"))
    try:
        retention.purge_case(actor, case)
    except retention.RetentionError as refused:
        flash(_(refused.message, **refused.params), "error")
        return redirect(url_for("admin.retention_page"))
    flash(
        _("The case was purged. The audit trail keeps a record of it, without case text."), "info"
    )
    return redirect(url_for("admin.retention_page"))
