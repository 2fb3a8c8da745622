"""Guests join a meeting by code or link, give a name, and land on its board."""

from __future__ import annotations

import logging

from flask import (
    Blueprint,
    current_app,
    flash,
    jsonify,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_babel import ngettext
from werkzeug.wrappers import Response

from facilitator.domain.actor import ANONYMOUS
from facilitator.domain.in_room import RELATIONS, view_for_relation
from facilitator.extensions import db
from facilitator.identity import GUEST_SESSION_KEY, request_actor
from facilitator.models import GuestInvite, Participant
from facilitator.realtime import publisher
from facilitator.services import audit, meetings
from facilitator.web.guards import fresh_session
from facilitator.web.join_guard import WINDOW_SECONDS, JoinGuard
from facilitator.web.language import current_language, keep_choice

bp = Blueprint("join", __name__, url_prefix="/join")
PENDING_KEY = "pending_invite_id"
log = logging.getLogger(__name__)


def _guard() -> JoinGuard:
    """This app's count of wrong codes (each app, as each test's, has its own)."""
    app = current_app._get_current_object()  # type: ignore[attr-defined]
    found = app.extensions.get("facilitator_join_guard")
    if found is None:
        guard = JoinGuard(
            app.config["JOIN_FAILURES_PER_ADDRESS"], app.config["JOIN_FAILURES_OVERALL"]
        )
        found = app.extensions.setdefault("facilitator_join_guard", guard)
    return found  # type: ignore[no-any-return]


def _slowed_down() -> tuple[str, int, dict[str, str]] | None:
    """The 429 page while this address (or everyone) got too many codes wrong; else None."""
    seconds = _guard().wait_seconds(request.remote_addr or "")
    if not seconds:
        return None
    minutes = -(-seconds // 60)
    wait = ngettext(
        "Too many wrong codes. Wait %(num)s minute and try again, or open the link the "
        "facilitator sent.",
        "Too many wrong codes. Wait %(num)s minutes and try again, or open the link the "
        "facilitator sent.",
        minutes,
    )
    flash(wait, "error")
    page = render_template("join/code.html", code="")
    return page, 429, {"Retry-After": str(seconds)}


def _wrong_code() -> None:
    """Count a wrong code or link; audit the failure that reaches a limit (once a burst)."""
    reached = _guard().failed(request.remote_addr or "")
    if reached is not None:
        log.warning("join attempts slowed: %s limit reached", reached)
        limit = _guard().per_address if reached == "address" else _guard().overall
        window = int(WINDOW_SECONDS // 60)
        audit.log(ANONYMOUS, "join.throttled",
                  detail={"limit": reached, "failures": limit, "minutes": window})  # fmt: skip


def _pending_invite() -> GuestInvite | None:
    invite_id = session.get(PENDING_KEY)
    invite = db.session.get(GuestInvite, invite_id) if isinstance(invite_id, int) else None
    if invite is None:
        return None
    return meetings.find_invite(code=invite.code)


@bp.route("", methods=["GET", "POST"])
def by_code() -> ResponseReturnValue:
    if "language" in request.form:  # the switch inside the form: same page, code kept
        keep_choice(request.form["language"])
    elif request.method == "POST":
        refused = _slowed_down()
        if refused is not None:
            return refused
        invite = meetings.find_invite(code=request.form.get("code", ""))
        if invite is not None:
            session[PENDING_KEY] = invite.id
            return redirect(url_for("join.name"))
        _wrong_code()
        flash(_("That code doesn't open a meeting. Check it with the facilitator."), "error")
    # the display's QR code carries the code, so a phone lands with it filled in
    code = request.form.get("code") or request.args.get("code", "")
    return render_template("join/code.html", code=code[:20])


@bp.get("/link/<token>")
def by_link(token: str) -> ResponseReturnValue:
    """Exchange the link's token for the session, then drop it from the address bar."""
    refused = _slowed_down()
    if refused is not None:
        return refused
    invite = meetings.find_invite(token=token)
    if invite is None:
        _wrong_code()
        flash(_("This link has expired or was withdrawn. Ask the facilitator for a code."), "error")
        return redirect(url_for("join.by_code"))
    session[PENDING_KEY] = invite.id
    return redirect(url_for("join.name"))


@bp.route("/name", methods=["GET", "POST"])
def name() -> Response | str:
    invite = _pending_invite()
    if invite is None:
        return redirect(url_for("join.by_code"))
    if "language" in request.form:  # the switch inside the form: same page, name kept
        keep_choice(request.form["language"])
    elif request.method == "POST":
        try:
            participant = meetings.join_as_guest(
                invite,
                request.form.get("display_name", ""),
                language=current_language(),
                view=view_for_relation(request.form.get("relation")),
            )
        except meetings.MeetingError as refused:
            flash(_(refused.message, **refused.params), "error")
        else:
            fresh_session()  # drops the pending invite, and any earlier sign-in here
            session[GUEST_SESSION_KEY] = participant.id
            session.permanent = True  # kept past the browser session: the family keeps its plan
            if participant.admission == "waiting":
                publisher.waiting_changed(participant.meeting_id)
                return redirect(url_for("join.waiting"))
            return redirect(url_for("meetings.board", meeting_id=participant.meeting_id))
    return render_template(
        "join/name.html",
        display_name=request.form.get("display_name", ""),
        relations=RELATIONS,
        relation=request.form.get("relation", ""),
    )


def _admission() -> tuple[str, Participant | None]:
    """Where this browser's guest stands: waiting, admitted, refused, or ended (removed,
    meeting over, invite expired, or no guest in this session)."""
    actor = request_actor()
    if actor.is_guest:
        guest = db.session.get(Participant, actor.participant_id)
        return ("waiting" if actor.waiting else "admitted"), guest
    participant_id = session.get(GUEST_SESSION_KEY)
    found = db.session.get(Participant, participant_id) if isinstance(participant_id, int) else None
    if found is not None and found.admission == "refused":
        return "refused", None
    return "ended", None


@bp.get("/wait")
def waiting() -> Response | str:
    """The waiting room: a phone-sized page that moves on to the board by itself once the
    facilitator lets the guest in. It shows nothing of the meeting but its kind."""
    state, guest = _admission()
    if state == "admitted" and guest is not None:
        return redirect(url_for("meetings.board", meeting_id=guest.meeting_id))
    if state == "ended":
        flash(_("You are no longer in that meeting. Ask the facilitator for a new code."), "info")
        return redirect(url_for("join.by_code"))
    return render_template("join/wait.html", state=state, guest=guest)


@bp.get("/wait/status")
def wait_status() -> Response:
    """The waiting page's light poll: only where this guest stands, and where to go next."""
    state, guest = _admission()
    answer: dict[str, str] = {"state": state}
    if state == "admitted" and guest is not None:
        answer["next"] = url_for("meetings.board", meeting_id=guest.meeting_id)
    elif state == "ended":
        answer["next"] = url_for("join.by_code")
    return jsonify(answer)
