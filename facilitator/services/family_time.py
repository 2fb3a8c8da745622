"""Private family time and the child's consent, applied (domain/family_time.py,
domain/consent.py). Each function runs inside the operation pipeline's transaction
(services/board.py) and returns (event type, event data)."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select

from facilitator import access
from facilitator.domain.actor import Actor
from facilitator.domain.consent import CHILD_VIEW, RecordConsent
from facilitator.domain.errors import OperationError, forbidden
from facilitator.domain.family_time import SetFamilyTime, ShareFamilyItems, is_family
from facilitator.domain.text import N_
from facilitator.extensions import db
from facilitator.models import Item, Meeting, Participant
from facilitator.models.types import utcnow
from facilitator.presenters import iso, item_json
from facilitator.services.facilitation import meeting_changes, meeting_for
from facilitator.services.ops.rows import MeetingRef

Result = tuple[str, dict[str, Any]]


def set_family_time(actor: Actor, ref: MeetingRef, command: SetFamilyTime) -> Result:
    """The facilitator starts or ends private family time (ending it shares nothing)."""
    meeting = meeting_for(actor, ref, "family_time.run")
    if command.on == (meeting.family_time_started_at is not None):
        running = N_("Private family time is already running.")
        raise OperationError(
            "invalid", running if command.on else N_("Private family time is not running.")
        )
    meeting.family_time_started_at = utcnow() if command.on else None
    kind = "family_time_started" if command.on else "family_time_ended"
    return kind, meeting_changes(meeting, "family_time_started_at")


def is_family_member(actor: Actor) -> bool:
    """Whether the sender is one of the family (their own view, as they joined)."""
    if not actor.is_guest or actor.participant_id is None:
        return False
    own_view = db.session.scalar(
        select(Participant.view).where(Participant.id == actor.participant_id)
    )
    return is_family(actor.meeting_role, own_view)


def share_family_items(actor: Actor, ref: MeetingRef, command: ShareFamilyItems) -> Result:
    """A family member shares everything the family kept to itself, all at once."""
    meeting = db.session.get(Meeting, ref.id)
    assert meeting is not None
    if not access.can(
        actor, "family_time.share", access.AsFamily(meeting, is_family_member(actor))
    ):
        raise forbidden()
    shared = list(
        db.session.scalars(
            select(Item).where(
                Item.meeting_id == meeting.id,
                Item.family_private.is_(True),
                Item.deleted.is_(False),
            )
        )
    )
    if not shared:
        raise OperationError("invalid", N_("There is nothing private to share."))
    for item in shared:
        item.family_private = False
    db.session.flush()
    return "family_items_shared", {"items": [item_json(item) for item in shared]}


def record_consent(actor: Actor, ref: MeetingRef, command: RecordConsent) -> Result:
    """Staff record who agreed to show the child's words, and when: they are shown then."""
    meeting = meeting_for(actor, ref, "consent.record")
    if meeting.child_consent:
        raise OperationError("invalid", N_("Consent is already recorded for this meeting."))
    meeting.child_consent = {
        "by": command.by,
        "at": iso(utcnow()),
        "recorded_by": {"id": actor.participant_id, "name": actor.name},
    }
    shown = db.session.scalars(
        select(Item).where(
            Item.meeting_id == meeting.id,
            Item.view == CHILD_VIEW,
            Item.deleted.is_(False),
            Item.family_private.is_(False),
        )
    )
    return "child_consent_recorded", {
        **meeting_changes(meeting, "child_consent"),
        "items": [item_json(item) for item in shown],
    }
