"""Before the meeting: staff ask a young person or a parent for their own words by a link;
their phone page takes the words and shows nothing of the case (security.md, "Before the
meeting"). The facilitator brings the words onto the board with an op (protocol.md §13f)."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, flash, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from werkzeug.wrappers import Response

from facilitator import access, languages
from facilitator.domain import pre_meeting as rules
from facilitator.domain.actor import Actor
from facilitator.models import Meeting
from facilitator.services import frameworks, pre_meeting
from facilitator.web.guards import load, require
from facilitator.web.language import current_language, keep_choice

bp = Blueprint("pre_meeting", __name__)

SESSION_INVITE = "pre_meeting_invite"  # the invite this browser writes with


@bp.post("/meetings/<int:meeting_id>/before")
def create(meeting_id: int) -> Response | str:
    """Staff of the case make a link for one named young person or parent."""
    meeting = load(Meeting, meeting_id)
    actor = require("meeting.pre_meeting", meeting)
    form = request.form
    try:
        _invite, token = pre_meeting.create_invite(
            actor, meeting, form.get("name", ""), form.get("who", ""),
            languages.known(form.get("language")),
        )  # fmt: skip
    except rules.PreMeetingError as refused:
        flash(_(refused.message, **refused.params), "error")
        return redirect(url_for("meetings.board", meeting_id=meeting.id) + "#before-meeting")
    link = url_for("pre_meeting.open_link", token=token, _external=True)
    return render_template("meetings/pre_meeting_link.html", meeting=meeting, link=link,
                           name=_invite.name)  # fmt: skip


@bp.post("/meetings/<int:meeting_id>/before/<int:invite_id>/end")
def end(meeting_id: int, invite_id: int) -> Response:
    """Stop one link working; what its person wrote stays."""
    meeting = load(Meeting, meeting_id)
    actor = require("meeting.pre_meeting", meeting)
    if pre_meeting.end_invite(actor, meeting, invite_id):
        flash(_("That link no longer works. What was written with it stays."), "info")
    return redirect(url_for("meetings.board", meeting_id=meeting.id) + "#before-meeting")


@bp.get("/before/<token>")
def open_link(token: str) -> Response:
    """Trade the link's token for this browser's session, then drop it from the address."""
    invite = pre_meeting.invite_for(token)
    if invite is None:
        session.pop(SESSION_INVITE, None)
        return redirect(url_for("pre_meeting.page"))
    session[SESSION_INVITE] = invite.id
    if invite.language:
        keep_choice(invite.language)
    return redirect(url_for("pre_meeting.page"))


@bp.route("/before", methods=["GET", "POST"])
def page() -> Response | str:
    """The invited person's page: add their words, see what they added, nothing else."""
    invite = pre_meeting.invite_by_id(session.get(SESSION_INVITE))
    if invite is None:
        return render_template("pre_meeting/ended.html"), 404  # type: ignore[return-value]
    form = request.form
    kind, text = form.get("kind", ""), form.get("text", "")
    if "language" in form:  # the switch inside the form: same page, words kept
        keep_choice(form["language"])
    elif request.method == "POST":
        try:
            pre_meeting.add_input(invite, kind, text)
        except rules.PreMeetingError as refused:
            flash(_(refused.message, **refused.params), "error")
        else:
            flash(_("Thank you. The facilitator has it now."), "info")
            return redirect(url_for("pre_meeting.page"))
    kinds = rules.KINDS_FOR[invite.who]
    return render_template(
        "pre_meeting/page.html",
        name=invite.name,
        kinds=[(key, rules.KINDS[key][0]) for key in kinds],
        kind=kind if kind in kinds else kinds[0],
        text=text,
        written=pre_meeting.own_inputs(invite),
        kind_titles={key: title for key, (title, _sections) in rules.KINDS.items()},
        text_max=rules.INPUT_TEXT_MAX,
        language=current_language(),
    )


def board_panel(actor: Actor, meeting: Meeting) -> dict[str, Any] | None:
    """The board's "Before the meeting" panel for staff of the case (None for others)."""
    if not access.can(actor, "meeting.pre_meeting", meeting):
        return None
    waiting = pre_meeting.pending(actor, meeting)
    framework = frameworks.of_meeting(meeting)
    return {
        "pending": waiting,
        "invites": pre_meeting.invites_of(meeting),
        "who": rules.WHO,
        "kinds": rules.KINDS,
        "suggested": {e.id: rules.suggested_section(e.kind, framework) for e in waiting},
    }
