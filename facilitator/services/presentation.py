"""The facilitator's `present` command applied: what every display of the meeting shows.

Runs inside the operation kernel's transaction (services/ops) like every board operation,
so the choice is a revision of the meeting: every display (and a display that
reconnects) gets it in order.
"""

from __future__ import annotations

from typing import Any

from facilitator import access
from facilitator.domain import presentation as rules
from facilitator.domain.actor import Actor
from facilitator.domain.errors import forbidden
from facilitator.extensions import db
from facilitator.models import Meeting
from facilitator.services.ops.rows import MeetingRef

Result = tuple[str, dict[str, Any]]


def present(actor: Actor, ref: MeetingRef, command: rules.Present) -> Result:
    """Change what the room's screen presents (the facilitator only)."""
    meeting = db.session.get(Meeting, ref.id)
    assert meeting is not None
    if not access.can(actor, "meeting.present", meeting):
        raise forbidden()
    meeting.presentation = rules.applied(meeting.presentation, command)
    return "presentation_changed", {"meeting": {"presentation": meeting.presentation}}
