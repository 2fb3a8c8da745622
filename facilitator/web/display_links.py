"""Display links: the facilitator makes one on the board; the room's computer opens it and
shows the meeting's display, with no sign-in and nothing else (security.md, "Display links")."""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, session, url_for
from flask_babel import gettext as _
from werkzeug.wrappers import Response

from facilitator.identity import DISPLAY_SESSION_KEY, request_actor
from facilitator.models import Meeting
from facilitator.realtime.publisher import close_participant
from facilitator.services import display_links
from facilitator.web.guards import fresh_session, load, require

bp = Blueprint("display_links", __name__)


@bp.post("/meetings/<int:meeting_id>/display-link")
def create(meeting_id: int) -> Response | str:
    """Staff running the meeting make a new link (earlier ones stop working)."""
    meeting = load(Meeting, meeting_id)
    actor = require("meeting.display_link", meeting)
    _link, token = display_links.create(actor, meeting)
    link = url_for("display_links.open_link", token=token, _external=True)
    return render_template("meetings/display_link.html", meeting=meeting, link=link)


@bp.post("/meetings/<int:meeting_id>/display-link/end")
def end(meeting_id: int) -> Response:
    """End every display link of the meeting and close the displays opened with them."""
    meeting = load(Meeting, meeting_id)
    actor = require("meeting.display_link", meeting)
    for participant_id in display_links.revoke(actor, meeting):
        close_participant(participant_id, "access_changed")
    flash(_("Display links ended: the screens opened with them are closed."), "info")
    return redirect(url_for("meetings.board", meeting_id=meeting.id))


@bp.get("/display/<token>")
def open_link(token: str) -> Response:
    """Exchange the link's token for a display-only session, then drop it from the address."""
    actor = request_actor()
    if actor.is_staff:  # signed in here already: the staff display, the link kept unused
        found = display_links.meeting_of(token)
        if found is not None:
            return redirect(url_for("meetings.display", meeting_id=found))
    display = display_links.exchange(token)
    if display is None:
        flash(_("This display link has expired or was ended. Make a new one on the board."),
              "error")  # fmt: skip
        return redirect(url_for("auth.login"))
    fresh_session()  # a display-only session: any earlier guest or display session ends
    session[DISPLAY_SESSION_KEY] = display.id
    return redirect(url_for("meetings.display", meeting_id=display.meeting_id))
