"""History pages: compare two meetings of a case, replay a board, find things (staff only)."""

from __future__ import annotations

from flask import Blueprint, abort, render_template, request
from flask_babel import gettext as _
from flask_login import login_required

from facilitator.domain.frameworks import MEETING_KINDS, in_words
from facilitator.domain.involved import NETWORK_ROLES
from facilitator.domain.section_kinds import QUESTIONS
from facilitator.domain.statements import NEXT_STEP_STATUSES
from facilitator.domain.text import N_
from facilitator.extensions import db
from facilitator.models import Case, Meeting
from facilitator.services import audit, frameworks, history, search, trend
from facilitator.web.guards import load, require

bp = Blueprint("history", __name__)

# What each logged event did, in words (other types are shown by name).
EVENT_WORDS = {
    "items_carried": N_("brought the previous map forward"),
    "board_imported": N_("brought the board in from an export file"),
    "item_added": N_("added an item"),
    "item_edited": N_("edited an item"),
    "item_moved": N_("moved an item"),
    "item_deleted": N_("deleted an item"),
    "items_merged": N_("merged two items"),
    "item_unmerged": N_("undid a merge"),
    "section_revealed": N_("revealed a section"),
    "section_collecting": N_("collected a section privately"),
    "next_step_set": N_("set who and by when"),
    "next_step_status_set": N_("changed a next step's status"),
    "items_linked": N_("linked two items"),
    "step_changed": N_("moved to a step"),
    "scale_round_opened": N_("opened a scaling round"),
    "rating_given": N_("gave a rating"),
    "scale_round_revealed": N_("revealed the ratings"),
    "meeting_closed": N_("closed the meeting"),
    "meeting_reopened": N_("reopened the meeting"),
    "person_added": N_("added someone to who is involved"),
    "person_edited": N_("changed someone on the list of who is involved"),
    "person_removed": N_("took someone off the list of who is involved"),
    "item_people_set": N_("named people on an item"),
}


def _case_meeting(case: Case, meeting_id: int | None) -> Meeting:
    meeting = db.session.get(Meeting, meeting_id) if meeting_id else None
    if meeting is None or meeting.case_id != case.id:
        abort(404)
    return meeting


@bp.get("/cases/<int:case_id>/compare")
@login_required
def compare(case_id: int) -> str:
    """What changed on the map between two meetings of a case (ids only in the address)."""
    case = load(Case, case_id)
    actor = require("case.view", case)
    a = _case_meeting(case, request.args.get("a", type=int))
    b = _case_meeting(case, request.args.get("b", type=int))
    found = history.compare(case, a, b)
    scales = trend.scale_changes(case, found.before, found.after)
    audit.log(actor, "case.compare", case_id=case.id, detail={"meetings": [a.id, b.id]})
    # each meeting on its own framework version: a section gone from the later one keeps
    # the title it had
    titles = {
        s.key: s.title
        for meeting in (found.before, found.after)
        for s in in_words(frameworks.of_meeting(meeting), _).sections
    }
    if found.by_meaning:  # two maps: question by question, then what only one map has
        titles = {**{key: _(question) for key, question in QUESTIONS.items()}, **titles}
    return render_template(
        "history/compare.html", case=case, found=found, titles=titles,
        kinds=MEETING_KINDS, statuses=NEXT_STEP_STATUSES, scales=scales,
    )  # fmt: skip


@bp.get("/meetings/<int:meeting_id>/history")
@login_required
def board_history(meeting_id: int) -> str:
    """A read-only replay of the board at one revision, with who did what when."""
    meeting = load(Meeting, meeting_id)
    actor = require("case.view", meeting)
    at = history.board_at(meeting, request.args.get("rev", default=meeting.rev, type=int))
    audit.log(actor, "meeting.history", case_id=meeting.case_id, meeting_id=meeting.id)
    framework = in_words(frameworks.of_meeting(meeting), _)
    return render_template(
        "history/board.html", meeting=meeting, at=at, framework=framework,
        kinds=MEETING_KINDS, words=EVENT_WORDS, snapshot=history.verify_snapshot(meeting),
        network_roles=NETWORK_ROLES, people={person["id"]: person for person in at.people},
    )  # fmt: skip


@bp.route("/search", methods=["GET", "POST"])
@login_required
def find() -> str:
    """Search cases and items; the words come by POST, so they never reach a URL or log."""
    actor = require("case.list")
    words = request.form.get("q", "") if request.method == "POST" else ""
    found = search.search(actor, words) if words.strip() else None
    if found is not None:
        detail = {"cases": len(found.cases), "items": len(found.items)}
        audit.log(actor, "case.search", detail=detail)
    return render_template("history/search.html", words=words, found=found)
