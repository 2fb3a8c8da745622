"""Authorize: the sender's own meeting, live, and still theirs to change (the rules are
access.py's; each op type's handler asks it again about its own target)."""

from __future__ import annotations

from facilitator import access
from facilitator.domain.actor import Actor
from facilitator.domain.errors import OperationError, forbidden
from facilitator.domain.operations import Envelope
from facilitator.domain.text import N_
from facilitator.services.ops import record
from facilitator.services.ops.rows import MeetingRef, claim_meeting


def meeting(actor: Actor, envelope: Envelope, digest: str) -> tuple[int, MeetingRef]:
    """The meeting the operation changes, with the revision claimed for it (the meeting's
    write lock taken); or OperationError (record.Retried for a retry of an op taken before
    the meeting closed), whose rollback gives the revision back."""
    claimed = None
    if envelope.meeting_id == actor.meeting_id:  # no statement for another meeting's op
        claimed = claim_meeting(envelope.meeting_id)
    if claimed is None:
        raise forbidden()
    rev, found = claimed
    if found.status != "live":
        stored = record.stored_event(found.id, envelope.op_id)
        if stored is not None:  # a retry of an op taken before (or as) the meeting closed
            raise record.Retried(record.replayed(stored, actor.participant_id, digest))
        raise OperationError(
            "meeting_closed", N_("This meeting has ended; the board is read-only.")
        )
    if actor.read_only or not access.can(actor, "meeting.view", found):
        raise forbidden()
    return rev, found
