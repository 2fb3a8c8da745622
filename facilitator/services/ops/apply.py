"""Apply one operation, inside its batch's transaction (services/board.py): parse,
authorize (claiming the revision), run its op type's handler, record the event."""

from __future__ import annotations

from typing import Any

from facilitator.domain.actor import Actor
from facilitator.domain.errors import OperationError
from facilitator.services import frameworks
from facilitator.services.ops import authorize, parse, record
from facilitator.services.ops.record import OpResult
from facilitator.services.ops.types import OP_TYPES


def apply_one(actor: Actor, raw: Any) -> OpResult:
    """The checks in docs/protocol.md §4.1's order; the first failing one raises."""
    envelope = parse.envelope(raw)
    digest = record.op_digest(envelope.type, envelope.payload)
    rev, meeting = authorize.meeting(actor, envelope, digest)  # the meeting's lock first
    framework = frameworks.resolve(meeting.framework_key, meeting.framework_version)
    assert framework is not None
    command = parse.command(envelope, framework)
    # A retry is found where it differs from a new operation, not by a look-up before every
    # one: a retry the board refuses now (its item already deleted, its version stale) is
    # answered here, and one it would accept again fails the event's UNIQUE(meeting_id,
    # op_id) when recorded (the batch answers that). Either way the batch's rollback
    # undoes the repeat and gives the revision back.
    try:
        event_type, data = OP_TYPES[envelope.type].apply(actor, meeting, command)
    except OperationError:
        stored = record.stored_event(meeting.id, envelope.op_id)
        if stored is not None:
            raise record.Retried(record.replayed(stored, actor.participant_id, digest)) from None
        raise
    sender = (actor.participant_id, actor.name)
    event = record.record_event(
        meeting.id, rev, envelope.op_id, sender, event_type, data, op_digest=digest
    )
    return OpResult(rev, event, case_id=meeting.case_id)


def replay_concurrent(actor: Actor, raw: Any, clash: Exception) -> OpResult | Exception:
    """The op_id is stored already (a retry, or a concurrent one through another worker):
    answer with the stored result."""
    answer = stored_answer(actor, raw)
    return clash if answer is None else answer


def stored_answer(actor: Actor, raw: Any) -> OpResult | OperationError | None:
    """The stored result of a well-formed op's op_id for its own sender and the same
    operation, or why not (record.replayed); None when nothing is stored under it."""
    stored = record.stored_event(raw["meeting_id"], raw["op_id"])
    if stored is None:
        return None
    try:
        return record.replayed(
            stored, actor.participant_id, record.op_digest(raw["type"], raw["payload"])
        )
    except OperationError as refused:
        return refused
