"""Authorize: the sender's own meeting, live, and still theirs to change (the rules are
access.py's; each op type's handler asks it again about its own target)."""

from __future__ import annotations

from facilitator import access
from facilitator.domain.actor import Actor
from facilitator.domain.errors import OperationError, forbidden
from facilitator.domain.operations import Envelope
from facilitator.domain.text import N_
from facilitator.services.ops import record
from facilitator.services.ops.rows import MeetingRef, claim_meeting, read_meeting


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
    if not _may_change(actor, found):
        raise forbidden()
    return rev, found


def resent_meeting(actor: Actor, envelope: Envelope) -> MeetingRef | None:
    """The meeting an operation sent again names, read without claiming its revision, when
    its sender may change it as meeting() asks (its status aside: a retry of an op taken
    before the meeting closed is answered there too); else None, and the op goes through
    every check as any other."""
    if envelope.meeting_id != actor.meeting_id:
        return None
    found = read_meeting(envelope.meeting_id)
    return found if found is not None and _may_change(actor, found) else None


def _may_change(actor: Actor, found: MeetingRef) -> bool:
    """Not a display, and still sees the meeting (access.py's rule)."""
    return not actor.read_only and access.can(actor, "meeting.view", found)
