"""Exports for the case file: gather one meeting's board as a plain dict, and audit it.

What is gathered is what anyone in the room may see (board_snapshot with no viewer):
anonymous authors stay hidden, privately collected items that were never revealed stay
out, the family's own items from private family time are left out until the family shared
them, and a child's words waiting for consent are marked, without their text. The
renderers in facilitator/exports/ take this dict and never touch the database.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import select

from facilitator.domain.actor import Actor
from facilitator.domain.frameworks import MEETING_KINDS, VIEWS
from facilitator.domain.involved import NETWORK_ROLES
from facilitator.domain.roles import ROLES
from facilitator.domain.statements import status_words
from facilitator.domain.text import N_
from facilitator.domain.visibility import event_for
from facilitator.extensions import db
from facilitator.models import Meeting, MeetingEvent
from facilitator.presenters import framework_json, iso
from facilitator.services import agency, audit, frameworks
from facilitator.services.board_state import board_snapshot

FORMATS = ("pdf", "docx", "md", "csv", "json")

# The words of the exported files themselves (the board's labels come from the framework).
EXPORT_TEXTS = {
    "meeting_number": N_("Meeting %(num)s"),
    "draft": N_("Draft: the meeting was still open"),
    "question": N_("Question"),
    "participants": N_("Participants"),
    "involved": N_("People around the child"),  # the framework has a "Who is involved" section
    "anonymous": N_("Anonymous"),
    "via": N_("%(name)s, via %(scribe)s"),  # written by a scribe for someone in the room
    "child": N_("the child, %(name)s"),  # the child's own words, marked as the child's
    "who_unknown": N_("who?"),
    "when_unknown": N_("when?"),
    "by_date": N_("by %(date)s"),
    "family_sees": N_("The family sees it differently:"),
    "none_recorded": N_("None recorded."),
    "scaling": N_("Scaling"),
    "overall": N_("Overall safety"),
    "spread": N_("%(count)s ratings, %(min)s to %(max)s, median %(median)s"),
    "no_scale": N_("No scale was revealed in this meeting."),
    "pairs": N_("Danger statements and safety goals"),
    "danger": N_("Danger statement"),
    "goal": N_("Safety goal"),
    "not_yet_written": N_("not yet written"),
    "next_steps": N_("Next steps"),
    "footer": N_("Confidential child welfare record (WIC 827, 10850). Exported %(date)s."),
    "page_of": N_("Page %(num)s of %(count)s"),
    # the one-page summary when even small type does not hold the board
    "continued": N_("Continued on page 2"),
    "consent_given": N_(
        "The child's words are shown with the consent of %(name)s, recorded %(date)s."
    ),
    "awaiting_consent": N_("The child's words: not shown, no consent was recorded."),
}


def meeting_source(
    meeting: Meeting, translate: Any = str, with_events: bool = False
) -> dict[str, Any]:
    """One meeting's board and its context, as plain values (labels and the export's own
    words translated by `translate`; items as written); with_events: its event log too,
    as anyone in the room saw it (for the JSON file, so that an import keeps the history)."""
    framework = frameworks.of_meeting(meeting)
    snapshot = board_snapshot(meeting, viewer=None)
    return {
        "case": {"id": meeting.case_id, "label": meeting.case.label},
        "meeting": {
            "id": meeting.id,
            "kind": meeting.kind,
            "kind_label": translate(MEETING_KINDS[meeting.kind]),
            "framework": meeting.framework_key,
            "framework_version": meeting.framework_version,
            "status": meeting.status,
            "created_at": iso(meeting.created_at),
            "closed_at": iso(meeting.closed_at),
            "rev": meeting.rev,
            "agenda": meeting.agenda or [],
            "question": meeting.question or "",
            # who agreed to show the child's words, and when (None: nobody yet)
            "child_consent": meeting.child_consent,
        },
        "framework": framework_json(framework, translate),
        "items": snapshot["items"],
        "participants": snapshot["participants"],
        "people": _people(meeting),
        "scale_rounds": snapshot["scale_rounds"],
        "involved": snapshot["involved"],
        "labels": {
            "roles": {key: translate(label) for key, label in ROLES.items()},
            "views": {key: translate(label) for key, label in VIEWS.items()},
            "statuses": {  # a family meeting's in its own words
                key: translate(label) for key, label in status_words(framework.mode).items()
            },
            "anchors": agency.anchors(translate),
            "network_roles": {key: translate(label) for key, label in NETWORK_ROLES.items()},
        },
        "texts": {key: translate(text) for key, text in EXPORT_TEXTS.items()},
    } | ({"events": _events(meeting)} if with_events else {})


def _events(meeting: Meeting) -> list[dict[str, Any]]:
    """The meeting's event log as the room saw it (private items' text and unrevealed
    ratings left out: domain/visibility.event_for), with the time of each."""
    rows = db.session.execute(
        select(MeetingEvent.data, MeetingEvent.created_at)
        .where(MeetingEvent.meeting_id == meeting.id)
        .order_by(MeetingEvent.rev)
    ).all()
    return [{"at": iso(at), "data": event_for(data, None)} for data, at in rows]


def _people(meeting: Meeting) -> list[dict[str, Any]]:
    """Everyone the meeting named, the removed too (their items and ratings stay): the
    export names each of them once (domain/person_labels.py)."""
    return [
        {"id": p.id, "name": p.display_name, "role": p.role, "view": p.view}
        for p in sorted(meeting.participants, key=lambda p: p.id)
        if p.role != "display"
    ]


def record_export(actor: Actor, meeting: Meeting, fmt: str, source: dict[str, Any]) -> None:
    """Add the export to the audit trail and commit it (ids and counts only)."""
    ratings = sum(len(r["ratings"] or []) for r in source["scale_rounds"])
    detail = {"format": fmt, "items": len(source["items"]), "ratings": ratings}
    audit.record(actor, f"export.{fmt}", case_id=meeting.case_id, meeting_id=meeting.id,
                 detail=detail)  # fmt: skip
    db.session.commit()
