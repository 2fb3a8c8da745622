"""The board's one writer transaction: a batch of operations, one commit (services/ops/
applies each one); and the reopening of a closed meeting."""

from __future__ import annotations

from contextlib import nullcontext
from typing import Any

from sqlalchemy.exc import IntegrityError

from facilitator import access
from facilitator.domain.actor import Actor
from facilitator.domain.errors import OperationError, forbidden
from facilitator.extensions import db
from facilitator.models import Meeting
from facilitator.models.types import utcnow
from facilitator.services import audit, durability
from facilitator.services.ops import authorize, parse, record
from facilitator.services.ops.apply import apply_one, replay_concurrent, stored_answer
from facilitator.services.ops.record import OpResult


def apply_operation(actor: Actor, raw: Any) -> OpResult:
    """Validate, authorize and apply one client operation; commit, then return its event."""
    (outcome,) = apply_operations([(actor, raw)])
    if isinstance(outcome, BaseException):
        raise outcome
    return outcome


def answer_retry(actor: Actor, raw: Any) -> OpResult | Exception | None:
    """The stored result of an operation sent again (its first answer was late or lost),
    read without applying it again; None when the log has no event of that op_id (it is
    then applied as any operation is). Only its own sender gets it, for the same operation
    (record.replayed), on a connection that may still change that meeting
    (authorize.resent_meeting). Reads only, no transaction to undo: a retry found by its
    UNIQUE clash costs its batch a rollback and a second run, so a burst of retries (clients
    resending after a restart) could slow the writer into more of them."""
    try:
        envelope = parse.envelope(raw)
    except OperationError:
        return None
    if authorize.resent_meeting(actor, envelope) is None:
        return None  # not theirs to change (removed from the team, a display): every check
    return stored_answer(actor, raw)


def apply_operations(
    batch: list[tuple[Actor, Any]], origins: list[audit.Origin] | None = None, *, flush: bool = True
) -> list[OpResult | Exception]:
    """Apply several operations in one transaction and one commit (one fsync for them all).

    A refused or failed operation changes nothing and the others still apply; its slot in
    the result holds the exception instead of the result. No savepoint per operation: a
    refusal is rare, so the batch runs as one plain transaction, and when an operation
    fails the transaction is rolled back and run again without it (at most once per
    failing operation). A retried op_id (refused as a repeat, or clashing with the stored
    one) is answered from the stored event once the batch has committed. Each accepted
    operation adds one audit entry to the same transaction (origins: each operation's
    socket event, when the caller knows them). flush=False: the commit does not wait for
    the disk (SQLite; the caller makes it durable before anyone is told, durability.py).
    """
    outcomes: dict[int, OpResult | Exception] = {}  # by the operation's place in the batch
    replays: dict[int, Exception] = {}  # retries, answered from the log after the commit
    order = sorted(range(len(batch)), key=lambda index: _meeting_order(batch[index][1]))
    at = utcnow()
    while True:
        failed = _apply_in_one_transaction(batch, order, outcomes, replays, origins, at, flush)
        if failed is None:
            break
        index, failure = failed
        if isinstance(failure, record.Retried | IntegrityError):
            replays[index] = failure
        else:
            outcomes[index] = failure
    if replays:
        for index, failure in replays.items():
            actor, raw = batch[index]
            outcomes[index] = replay_concurrent(actor, raw, failure)
        db.session.rollback()  # the replays' reads
    return [outcomes[index] for index in range(len(batch))]


def _apply_in_one_transaction(
    batch: list[tuple[Actor, Any]],
    order: list[int],
    outcomes: dict[int, OpResult | Exception],
    replays: dict[int, Exception],
    origins: list[audit.Origin] | None,
    at: Any,
    flush: bool,
) -> tuple[int, Exception] | None:
    """Apply the operations not yet answered and commit them (their results go into
    outcomes), or roll back at the first that fails and return it with its failure."""
    applied: dict[int, OpResult] = {}
    try:
        with durability.not_waiting_for_the_disk() if not flush else nullcontext():
            record.begin_writing()
            for index in order:
                if index in outcomes or index in replays:
                    continue
                actor, raw = batch[index]
                try:
                    applied[index] = apply_one(actor, raw)
                except Exception as failure:
                    db.session.rollback()
                    return index, failure
            entries = [
                _audit_values(*batch[index], result, origins[index] if origins else None, at)
                for index, result in applied.items()
            ]
            audit.record_many(entries)  # the chain's lock last, held only until the commit
            db.session.commit()
    except BaseException:
        db.session.rollback()
        raise
    outcomes.update(applied)
    return None


def _meeting_order(raw: Any) -> int:
    """A batch applies its operations meeting by meeting, in id order (each meeting's in the
    order they came). Every operation locks its meeting's row until the commit, so two
    workers whose batches name the same meetings in opposite orders would otherwise wait
    for each other until PostgreSQL broke the deadlock (a second, and failed operations)."""
    meeting_id = raw.get("meeting_id") if isinstance(raw, dict) else None
    return meeting_id if type(meeting_id) is int else 0


def _audit_values(
    actor: Actor, raw: Any, result: OpResult, origin: audit.Origin | None, at: Any
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
