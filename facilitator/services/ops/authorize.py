"""Authorize: the sender's own meeting, live, and still theirs to change (the rules are
access.py's; each op type's handler asks it again about its own target)."""

from __future__ import annotations

from facilitator import access
from facilitator.domain.actor import Actor
from facilitator.domain.errors import OperationError, forbidden
from facilitator.domain.operations import Envelope
from facilitator.domain.text import N_
from facilitator.services.ops import record
from facilitator.services.ops.rows import MeetingRef, meeting_ref


def meeting(actor: Actor, envelope: Envelope, digest: str) -> MeetingRef:
    """The meeting the operation changes, or OperationError (record.Retried for a retry
    of an op taken before the meeting closed)."""
    found = meeting_ref(envelope.meeting_id) if envelope.meeting_id == actor.meeting_id else None
    if found is None:
        raise forbidden()
    if found.status != "live":
        stored = record.stored_event(found.id, envelope.op_id)
        if stored is not None:  # a retry of an op taken before (or as) the meeting closed
            raise record.Retried(record.replayed(stored, actor.participant_id, digest))
        raise OperationError(
            "meeting_closed", N_("This meeting has ended; the board is read-only.")
        )
    if actor.read_only or not access.can(actor, "meeting.view", found):
        raise forbidden()
    return found
