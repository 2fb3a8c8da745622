"""The action plan: read on a phone during the meeting and, by its guests, after it closes
(the family keeps its plan); printed, saved as a one-page PDF, or withdrawn by staff."""

from __future__ import annotations

from datetime import date
from typing import Any

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from werkzeug.wrappers import Response

from facilitator import access, languages, offload
from facilitator.domain import statements
from facilitator.domain.actor import Actor
from facilitator.domain.frameworks import MEETING_KINDS, in_words
from facilitator.exports import pdf
from facilitator.identity import request_actor
from facilitator.models import Meeting
from facilitator.services import audit, frameworks, kept_plan
from facilitator.services import statements as statement_service
from facilitator.web.guards import load, require
from facilitator.web.language import current_language, dated, speaking

bp = Blueprint("plan", __name__, url_prefix="/meetings")


def _reader(meeting: Meeting) -> Actor:
    """Who may read this plan; a guest whose reading has ended is told it is gone (410)."""
    if access.can(request_actor(), "plan.ended", meeting):
        abort(410)
    return require("plan.read", meeting)


def _languages() -> tuple[str, ...]:
    codes = languages.parse_export_choice(request.args.get("lang") or current_language())
    if codes is None:
        abort(400, _("That language is not available."))
    return codes


def _context(actor: Actor, meeting: Meeting, codes: tuple[str, ...]) -> dict[str, Any]:
    """What the page and its PDF show: that meeting's plan only (no case label for guests)."""
    say = speaking(codes)  # the plan printed in one language, or two side by side
    return {
        "_": say,
        "page_language": codes[0],
        "lang_choice": "+".join(codes),
        "meeting": meeting,
        "actor": actor,
        "kind": say(MEETING_KINDS[meeting.kind]),
        "meeting_date": dated(codes, meeting.created_at.date()),
        "plan": statement_service.action_plan(meeting),
        "plan_sections": statement_service.plan_sections(
            meeting, in_words(frameworks.of_meeting(meeting), say)
        ),
        "statuses": statements.status_words(frameworks.of_meeting(meeting).mode),
        "today": date.today(),
        "is_overdue": statements.is_overdue,
        "read_until": kept_plan.guests_read_until(meeting),
    }


@bp.get("/<int:meeting_id>/plan")
def page(meeting_id: int) -> str:
    """The action plan: next steps by person, readable on a phone (guests included)."""
    meeting = load(Meeting, meeting_id)
    actor = _reader(meeting)
    codes = _languages()
    audit.log(actor, "meeting.plan", case_id=meeting.case_id, meeting_id=meeting.id)
    return render_template(
        "meetings/plan.html", print_choices=languages.export_choices(),
        **_context(actor, meeting, codes),
    )  # fmt: skip


@bp.get("/<int:meeting_id>/plan.pdf")
def as_pdf(meeting_id: int) -> Response:
    """The same plan as a one-page PDF in the reader's language, to save or print."""
    meeting = load(Meeting, meeting_id)
    actor = _reader(meeting)
    codes = _languages()
    context = _context(actor, meeting, codes)
    pages = [render_template("exports/plan.html", scale=size, **context) for size in pdf.FIT_SIZES]
    body = offload.render(pdf.one_page, pages)  # in a worker process: meetings stay live
    audit.log(
        actor, "meeting.plan_pdf", case_id=meeting.case_id, meeting_id=meeting.id,
        detail={"language": "+".join(codes)},
    )  # fmt: skip
    headers = {
        "Content-Disposition": 'attachment; filename="action-plan.pdf"',
        "Cache-Control": "no-store",
    }
    return Response(body, mimetype="application/pdf", headers=headers)


@bp.post("/<int:meeting_id>/plan/withdraw")
def withdraw(meeting_id: int) -> Response:
    """Who ran a closed meeting takes its plan back from the guests (staff keep reading it)."""
    meeting = load(Meeting, meeting_id)
    actor = require("plan.withdraw", meeting)
    if kept_plan.withdraw(actor, meeting):
        flash(_("The plan is withdrawn: the meeting's guests can no longer read it."), "info")
    return redirect(url_for("meetings.board", meeting_id=meeting.id))
