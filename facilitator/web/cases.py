"""Case pages: the list, a new case, one case with its meetings."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import login_required
from werkzeug.wrappers import Response

from facilitator import access
from facilitator.domain.actor import Actor
from facilitator.domain.frameworks import DEFAULT_FRAMEWORK_FOR_KIND, MEETING_KINDS, in_words
from facilitator.domain.involved import NETWORK_ROLES
from facilitator.domain.privacy import LabelError
from facilitator.domain.roles import ROLES
from facilitator.domain.statements import NEXT_STEP_STATUSES
from facilitator.domain.text import N_
from facilitator.models import Case
from facilitator.realtime import publisher
from facilitator.services import (
    accounts,
    audit,
    cases,
    frameworks,
    history,
    involved,
    next_steps,
    retention,
    trend,
)
from facilitator.web.guards import load, require

bp = Blueprint("cases", __name__, url_prefix="/cases")


@bp.get("")
@login_required
def index() -> str:
    actor = require("case.list")
    teams = accounts.teams_of(actor.user_id or 0, access.files_under_any_team(actor))
    return render_template("cases/index.html", cases=cases.cases_for(actor), teams=teams)


@bp.route("/new", methods=["GET", "POST"])
@login_required
def new() -> Response | str:
    actor = require("case.list")
    teams = accounts.teams_of(actor.user_id or 0, access.files_under_any_team(actor))
    warnings: list[str] = []
    if request.method == "POST":
        team_id = request.form.get("team_id", type=int)
        team = next((t for t in teams if t.id == team_id), None)
        require("case.create", team_id)
        try:
            if team is None:
                raise LabelError(N_("Choose a team."))
            case = cases.create_case(
                actor, team, request.form.get("label", ""), request.form.get("confirm") == "yes"
            )
        except LabelError as refused:
            flash(_(refused.message, **refused.params), "error")
        except cases.CaseWarning as warned:
            warnings = [_(w) for w in warned.warnings]
        else:
            return redirect(url_for("cases.show", case_id=case.id))
    return render_template("cases/new.html", teams=teams, form=request.form, warnings=warnings)


@bp.get("/<int:case_id>")
@login_required
def show(case_id: int) -> str:
    """One case: its meetings over time, open next steps, the scale trend; start the next."""
    case = load(Case, case_id)
    actor = require("case.view", case)
    audit.log(actor, "case.view", case_id=case.id)
    timeline = history.timeline(case)
    return render_template(
        "cases/show.html",
        case=case,
        kinds=MEETING_KINDS,
        frameworks={framework.key: in_words(framework, _) for framework in frameworks.choices()},
        framework_names={
            entry.meeting.id: in_words(frameworks.of_meeting(entry.meeting), _).name
            for entry in timeline
        },
        default_frameworks=DEFAULT_FRAMEWORK_FOR_KIND,
        timeline=timeline,
        next_steps=next_steps.open_next_steps(case, date.today()),
        statuses=NEXT_STEP_STATUSES,
        scales=trend.scale_trend(case),
        involved=involved.listed_on_case(case.id),
        network_roles=NETWORK_ROLES,
        roles=ROLES,
        manages=access.can(actor, "case.manage", case),
        may_mark=access.can(actor, "case.next_step", case),
        purge_after=retention.purge_after(case),
        retention_years=retention.years_for(case),
    )


def _records_action(case_id: int, change: Callable[[Actor, Case], None], done: str) -> Response:
    """A supervisor's or admin's change to a case's record keeping (each one audited)."""
    case = load(Case, case_id)
    actor = require("case.manage", case)
    try:
        change(actor, case)
    except retention.RetentionError as refused:
        flash(_(refused.message, **refused.params), "error")
    else:
        flash(_(done), "info")
    return redirect(url_for("cases.show", case_id=case_id))


@bp.post("/<int:case_id>/close")
@login_required
def close(case_id: int) -> Response:
    """Close the case: its retention period starts (WIC 10851)."""
    return _records_action(case_id, retention.close_case, N_("The case is closed."))


@bp.post("/<int:case_id>/reopen")
@login_required
def reopen(case_id: int) -> Response:
    return _records_action(case_id, retention.reopen_case, N_("The case is open again."))


@bp.post("/<int:case_id>/hold")
@login_required
def hold(case_id: int) -> Response:
    """Place (on=yes, with a reason) or lift a legal hold, which blocks any purge."""
    on = request.form.get("on") == "yes"
    reason = request.form.get("reason", "")
    done = N_("A legal hold is placed on the case.") if on else N_("The legal hold is lifted.")
    return _records_action(case_id, lambda a, c: retention.set_hold(a, c, on, reason), done)


@bp.post("/<int:case_id>/retention")
@login_required
def keep_for(case_id: int) -> Response:
    """The case's own retention in years after closing (empty: the deployment's)."""
    years = request.form.get("years", type=int)
    return _records_action(
        case_id, lambda a, c: retention.set_retention(a, c, years), N_("The retention is saved.")
    )


@bp.post("/<int:case_id>/next-steps/<int:item_id>")
@login_required
def mark_next_step(case_id: int, item_id: int) -> Response:
    """Mark an open next step done or dropped from the case page (audited)."""
    case = load(Case, case_id)
    actor = require("case.next_step", case)
    status = request.form.get("status", "")
    try:
        marked = next_steps.mark_step(actor, case, item_id, status)
    except next_steps.StepError as refused:
        flash(_(refused.message, **refused.params), "error")
    else:  # the step's words stay out of the message: it is kept in the session cookie
        if marked.event is not None:  # the step is on a board under way: it changes there
            publisher.publish_committed(marked.event)
        done = (
            N_("The next step is marked done.")
            if status == "done"
            else N_("The next step is dropped.")
        )
        flash(_(done), "info")
    return redirect(url_for("cases.show", case_id=case_id) + "#steps-title")
