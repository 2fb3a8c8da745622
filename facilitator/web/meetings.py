"""Meeting pages: start one, the live board, the projector display, guest invites."""

from __future__ import annotations

import io
from typing import Any

import segno
from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import force_locale
from flask_babel import gettext as _
from werkzeug.wrappers import Response

from facilitator import access
from facilitator.domain import statements
from facilitator.domain.actor import Actor
from facilitator.domain.frameworks import MEETING_KINDS, VIEWS, in_words
from facilitator.domain.involved import NETWORK_ROLES
from facilitator.domain.limits import ITEM_TEXT_MAX
from facilitator.domain.presentation import presentation
from facilitator.identity import request_actor
from facilitator.models import Case, Meeting
from facilitator.presenters import framework_json
from facilitator.realtime import publisher
from facilitator.services import (
    agency,
    audit,
    carry_over,
    family_time,
    frameworks,
    in_room,
    involved,
    kept_plan,
    meetings,
)
from facilitator.services import board as board_service
from facilitator.web import pre_meeting
from facilitator.web.client_strings import (
    agenda_texts,
    assignable_roles,
    client_strings,
    display_strings,
    family_time_strings,
)
from facilitator.web.guards import load, require
from facilitator.web.language import current_language

bp = Blueprint("meetings", __name__, url_prefix="/meetings")


@bp.post("/for-case/<int:case_id>")
def start(case_id: int) -> Response:
    case = load(Case, case_id)
    actor = require("meeting.create", case)
    try:
        kind, framework = request.form.get("kind", ""), request.form.get("framework", "")
        meeting = meetings.start_meeting(
            actor, case, kind, framework, translate=_,
            review_steps=request.form.get("review_steps") == "yes",
            bring_forward=request.form.get("previous_map") == "forward",
        )  # fmt: skip
    except meetings.MeetingError as refused:
        flash(_(refused.message, **refused.params), "error")
        return redirect(url_for("cases.show", case_id=case.id))
    if request.form.get("previous_map") == "forward" and (left := carry_over.left_behind(meeting)):
        flash(
            _("%(num)s items of the last meeting are in sections this map does not have; they "
              "stay on that meeting.", num=left),
            "info",
        )  # fmt: skip
    return redirect(url_for("meetings.board", meeting_id=meeting.id))


def _page_config(actor: Actor, meeting: Meeting, display: bool) -> dict[str, Any]:
    """What the browser needs to start: ids, the framework, limits and UI strings."""
    framework = frameworks.of_meeting(meeting)
    carried = carry_over.carried_from(meeting)
    return {
        "meeting_id": meeting.id,
        "display": display,
        "participant_id": actor.participant_id,
        "is_staff": actor.is_staff,
        "framework": framework_json(framework, _),
        "views": {key: _(label) for key, label in VIEWS.items()},
        "default_view": "agency" if display else in_room.own_default_view(actor),
        "text_max": ITEM_TEXT_MAX,
        "strings": {**client_strings(), **family_time_strings(), **agency.anchors(_)},
        "agenda_texts": agenda_texts(),
        "roles": assignable_roles(),
        "builders": {
            section: [[key, _(label)] for key, label in parts]
            for section, parts in statements.BUILDERS.items()
            if framework.section(section) is not None
        },
        "next_step_sections": sorted(statements.NEXT_STEP_SECTIONS),
        "next_step_statuses": {  # a family meeting says them in plain words
            key: _(label) for key, label in statements.status_words(framework.mode).items()
        },
        "jargon": agency.jargon(_) if framework.mode == "family" else {},
        # where each carried item's chain started: the date, and (staff's words, so not on
        # a family map) the kind of meeting
        "carried_from_dates": {i: day for i, (_kind, day) in carried.items()},
        "carried_from_kinds": {}
        if framework.mode == "family"
        else {i: _(MEETING_KINDS[kind]) for i, (kind, _day) in carried.items()},
        "network_roles": {key: _(label) for key, label in NETWORK_ROLES.items()},
        # staff's role in the meeting is known on the socket; its policy and locks hold there
        "may_add_people": not display
        and (actor.is_staff or access.can(actor, "person.add", meeting)),
        "initials_only": involved.initials_only(meeting),
        # one of the family: sees what the family keeps to itself in private family time
        "family": not display and family_time.is_family_member(actor),
        # staff record the consent a child's words wait for (domain/consent.py)
        "consent_required": framework.mode == "family"
        and agency.child_consent_rule() == "required",
    }


@bp.get("/<int:meeting_id>")
def board(meeting_id: int) -> Response | str:
    meeting = load(Meeting, meeting_id)
    if access.can(request_actor(), "meeting.wait", meeting):
        return redirect(url_for("join.waiting"))  # nothing of the board before admission
    actor = require("meeting.view", meeting)
    audit.log(actor, "meeting.view", case_id=meeting.case_id, meeting_id=meeting.id)
    facilitates = access.can(actor, "meeting.invite", meeting)
    invite = meetings.current_invite(meeting) if facilitates else None
    return render_template(
        "meetings/board.html",
        meeting=meeting,
        actor=actor,
        kind=_(MEETING_KINDS[meeting.kind]),
        invite=invite,
        can_reopen=access.can(actor, "meeting.reopen", meeting),
        can_withdraw_plan=access.can(actor, "plan.withdraw", meeting),
        guests_read_plan_until=kept_plan.guests_read_until(meeting),
        pre_meeting=pre_meeting.board_panel(actor, meeting),
        config=_page_config(actor, meeting, display=False),
        config_framework=in_words(frameworks.of_meeting(meeting), _),
        views=VIEWS,
    )


@bp.get("/<int:meeting_id>/display")
def display(meeting_id: int) -> str:
    meeting = load(Meeting, meeting_id)
    actor = require("meeting.display", meeting)
    audit.log(actor, "meeting.display", case_id=meeting.case_id, meeting_id=meeting.id)
    with force_locale(meeting.display_language or current_language()):  # the room's language
        return render_template(
            "meetings/display.html",
            meeting=meeting,
            theme=presentation(meeting.presentation)["theme"],
            display_strings=display_strings(),
            kind=_(MEETING_KINDS[meeting.kind]),
            invite=meetings.current_invite(meeting) if meeting.status == "live" else None,
            config=_page_config(actor, meeting, display=True),
            config_framework=in_words(frameworks.of_meeting(meeting), _),
            views=VIEWS,
        )


@bp.post("/<int:meeting_id>/invites")
def invite(meeting_id: int) -> Response | str:
    meeting = load(Meeting, meeting_id)
    actor = require("meeting.invite", meeting)
    waiting_room = request.form.get("direct") != "yes"  # "let guests in directly"
    try:
        created, token = meetings.create_invite(actor, meeting, waiting_room=waiting_room)
    except meetings.MeetingError as refused:
        flash(_(refused.message, **refused.params), "error")
        return redirect(url_for("meetings.board", meeting_id=meeting.id))
    link = url_for("join.by_link", token=token, _external=True)
    return render_template("meetings/invite.html", meeting=meeting, invite=created, link=link)


@bp.post("/<int:meeting_id>/invites/withdraw")
def withdraw_invite(meeting_id: int) -> Response:
    """Withdraw the meeting's code and link: nobody else can join with them."""
    meeting = load(Meeting, meeting_id)
    actor = require("meeting.invite", meeting)
    if meetings.withdraw_invites(actor, meeting):
        flash(_("The invite is withdrawn: its code and link no longer let anyone in."), "info")
    return redirect(url_for("meetings.board", meeting_id=meeting.id))


@bp.post("/<int:meeting_id>/reopen")
def reopen(meeting_id: int) -> Response:
    """A supervisor reopens a closed meeting; the reopening is recorded as a revision."""
    meeting = load(Meeting, meeting_id)
    actor = require("meeting.reopen", meeting)
    publisher.publish_committed(board_service.reopen_meeting(actor, meeting))
    flash(_("The meeting is open again."), "info")
    return redirect(url_for("meetings.board", meeting_id=meeting.id))


@bp.get("/<int:meeting_id>/join-qr.svg")
def join_qr(meeting_id: int) -> Response:
    """The join page's address with the current code, as a QR code for the display."""
    meeting = load(Meeting, meeting_id)
    require("meeting.display", meeting)
    invite = meetings.current_invite(meeting)
    if invite is None:
        abort(404)
    link = url_for("join.by_code", code=invite.code, _external=True)
    svg = io.BytesIO()
    segno.make(link, error="m").save(svg, kind="svg", scale=8, border=2, dark="#000", light="#fff")
    return Response(svg.getvalue(), mimetype="image/svg+xml")
