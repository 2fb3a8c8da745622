"""The family keeps its plan: until when a closed meeting's guests read its action plan,
and the facilitator's withdrawal of it (the rule itself is access.py's)."""

from __future__ import annotations

from datetime import datetime

from facilitator.domain.actor import Actor
from facilitator.domain.kept_plan import kept_until
from facilitator.extensions import db
from facilitator.models import Meeting
from facilitator.models.types import utcnow
from facilitator.services import agency, audit


def guests_read_until(meeting: Meeting) -> datetime | None:
    """When the guests' reading of this closed meeting's plan ends (None: not closed, or
    withdrawn)."""
    if meeting.status != "closed" or meeting.plan_withdrawn_at is not None:
        return None
    return kept_until(meeting.closed_at, agency.plan_kept_days())


def withdraw(actor: Actor, meeting: Meeting) -> bool:
    """Take the plan back from the meeting's guests (staff keep it); False if it already was."""
    if meeting.plan_withdrawn_at is not None:
        return False
    meeting.plan_withdrawn_at, meeting.plan_withdrawn_by_id = utcnow(), actor.user_id
    audit.record(actor, "meeting.plan_withdrawn", case_id=meeting.case_id, meeting_id=meeting.id)
    db.session.commit()
    return True
