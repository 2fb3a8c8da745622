"""The board's one writer transaction: a batch of operations, one savepoint each, one
commit (services/ops/ applies each one); and the reopening of a closed meeting."""

from __future__ import annotations

from typing import Any

from sqlalchemy.exc import IntegrityError

from facilitator import access
from facilitator.domain.actor import Actor
from facilitator.domain.errors import forbidden
from facilitator.extensions import db
from facilitator.models import Meeting
from facilitator.models.types import utcnow
from facilitator.services import audit
from facilitator.services.ops import record
from facilitator.services.ops.apply import apply_one, replay_concurrent
from facilitator.services.ops.record import OpResult


def apply_operation(actor: Actor, raw: Any) -> OpResult:
    """Validate, authorize and apply one client operation; commit, then return its event."""
    (outcome,) = apply_operations([(actor, raw)])
    if isinstance(outcome, BaseException):
        raise outcome
    return outcome


def apply_operations(
    batch: list[tuple[Actor, Any]], origins: list[audit.Origin] | None = None
) -> list[OpResult | Exception]:
    """Apply several operations in one transaction and one commit (one fsync for them all).

    Each runs inside its own savepoint, so a refused or failed one changes nothing and the
    others still apply; its slot in the result holds the exception instead of the result.
    Each accepted operation (not a retry) adds one audit entry to the same transaction
    (origins: each operation's socket event, when the caller knows them).
    """
    outcomes: dict[int, OpResult | Exception] = {}  # by the operation's place in the batch
    entries: list[dict[str, Any]] = []
    at = utcnow()
    try:
        record.begin_writing()
        for index in sorted(range(len(batch)), key=lambda index: _meeting_order(batch[index][1])):
            actor, raw = batch[index]
            try:
                with db.session.begin_nested():
                    result = apply_one(actor, raw)
                outcomes[index] = result
                origin = origins[index] if origins else audit.current_origin()
                entries.append(_audit_values(actor, raw, result, origin, at))
            except record.Retried as retried:
                outcomes[index] = retried.result
            except IntegrityError as clash:
                outcomes[index] = replay_concurrent(actor, raw, clash)
            except Exception as refused:
                outcomes[index] = refused
        audit.record_many(entries)  # the chain's lock last, held only until the commit
        db.session.commit()
    except BaseException:
        db.session.rollback()
        raise
    return [outcomes[index] for index in range(len(batch))]


def _meeting_order(raw: Any) -> int:
    """A batch applies its operations meeting by meeting, in id order (each meeting's in the
    order they came). Every operation locks its meeting's row until the commit, so two
    workers whose batches name the same meetings in opposite orders would otherwise wait
    for each other until PostgreSQL broke the deadlock (a second, and failed operations)."""
    meeting_id = raw.get("meeting_id") if isinstance(raw, dict) else None
    return meeting_id if type(meeting_id) is int else 0


def _audit_values(
    actor: Actor, raw: Any, result: OpResult, origin: audit.Origin, at: Any
) -> dict[str, Any]:
    """The audit entry of an accepted operation: ids and the revision, never its text."""
    event = result.event
    item = event.get("item")
    item_id = item.get("id") if isinstance(item, dict) else event.get("item_id")
    detail = {"rev": result.rev, "item_id": item_id}
    if isinstance(event.get("person"), dict):
        detail["person_id"] = event["person"]["id"]
    if event.get("on_behalf_of"):  # written by a scribe for someone in the room
        detail["on_behalf_of"] = event["on_behalf_of"]
    values = audit.values_for(
        actor, f"board.{raw['type']}"[:40], case_id=result.case_id,
        meeting_id=event["meeting_id"], detail=detail, origin=origin, at=at,
    )  # fmt: skip
    if isinstance(item, dict) and item.get("anonymous"):
        return audit.without_author(values)
    return values


def reopen_meeting(actor: Actor, meeting: Meeting) -> dict[str, Any]:
    """Reopen a closed meeting (a supervisor's action, recorded as a revision); return the
    event to publish. The snapshot taken at closing stays as it was."""
    if not access.can(actor, "meeting.reopen", meeting):
        raise forbidden()
    try:
        record.begin_writing()
        rev = record.claim_rev(meeting.id)
        db.session.refresh(meeting)
        meeting.status, meeting.closed_at, meeting.closed_by_id = "live", None, None
        event = record.record_event(
            meeting.id, rev, record.server_op_id(), (actor.participant_id, actor.name),
            "meeting_reopened", {"meeting": {"status": "live", "closed_at": None}},
        )  # fmt: skip
        audit.record(actor, "meeting.reopen", case_id=meeting.case_id, meeting_id=meeting.id,
                     detail={"rev": rev})  # fmt: skip
        db.session.commit()
    except BaseException:
        db.session.rollback()
        raise
    return event
