"""The operation pipeline: one command, one transaction, one revision, one event."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from sqlalchemy import bindparam, insert, select, update
from sqlalchemy.exc import IntegrityError

from facilitator import access
from facilitator.domain.errors import OperationError
from facilitator.domain.limits import SYNC_EVENTS_MAX
from facilitator.domain.operations import parse_command, parse_envelope
from facilitator.domain.text import N_
from facilitator.domain.visibility import event_for, item_for
from facilitator.extensions import db
from facilitator.identity import Actor
from facilitator.models import Case, Item, Meeting, MeetingEvent
from facilitator.models.types import utcnow
from facilitator.presenters import snapshot_json
from facilitator.services import (
    audit,
    facilitation,
    frameworks,
    in_room,
    involved,
    items,
    presence,
    restore,
    scaling,
    statements,
)
from facilitator.services.items import MeetingRef, execute


@dataclass(frozen=True)
class OpResult:
    rev: int
    event: dict[str, Any]
    duplicate: bool = False
    case_id: int | None = None  # for the audit entry of an accepted operation


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
        _begin_writing()
        for index in sorted(range(len(batch)), key=lambda index: _meeting_order(batch[index][1])):
            actor, raw = batch[index]
            try:
                with db.session.begin_nested():
                    result = _apply(actor, raw)
                outcomes[index] = result
                origin = origins[index] if origins else audit.current_origin()
                entries.append(_audit_values(actor, raw, result, origin, at))
            except _Retried as retried:
                outcomes[index] = retried.result
            except IntegrityError as clash:
                outcomes[index] = _replay_concurrent(actor, raw, clash)
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
    return audit.values_for(
        actor, f"board.{raw['type']}"[:40], case_id=result.case_id,
        meeting_id=event["meeting_id"], detail=detail, origin=origin, at=at,
    )  # fmt: skip


def _begin_writing() -> None:
    """Start the transaction holding SQLite's write lock, so savepoints nest inside it and
    no other writer slips in between our reads and writes (PostgreSQL locks by row)."""
    connection = db.session.connection()
    if connection.dialect.name == "sqlite" and not connection.connection.in_transaction:
        connection.exec_driver_sql("BEGIN IMMEDIATE")


def _apply(actor: Actor, raw: Any) -> OpResult:
    envelope = parse_envelope(raw)
    meeting = _meeting_ref(envelope.meeting_id) if envelope.meeting_id == actor.meeting_id else None
    if meeting is None:
        raise items.forbidden()
    if meeting.status != "live":
        stored = _stored_event(meeting.id, envelope.op_id)
        if stored is not None:  # a retry of an op taken before (or as) the meeting closed
            raise _Retried(_replayed(stored, actor))
        raise OperationError(
            "meeting_closed", N_("This meeting has ended; the board is read-only.")
        )
    if actor.read_only or not access.can(actor, "meeting.view", meeting):
        raise items.forbidden()
    framework = frameworks.resolve(meeting.framework_key, meeting.framework_version)
    assert framework is not None
    command = parse_command(envelope, framework)
    rev = _claim_next_rev(meeting.id)  # takes the meeting's write lock first
    # A retry is found where it differs from a new operation, not by a look-up before every
    # one: a retry the board refuses now (its item already deleted, its version stale) is
    # answered here, and one it would accept again fails the event's UNIQUE(meeting_id,
    # op_id) below (apply_operations answers that). Either way the savepoint's rollback
    # undoes the repeat and gives the revision back.
    try:
        event_type, data = _APPLY[type(command)](actor, meeting, command)
    except OperationError:
        stored = _stored_event(meeting.id, envelope.op_id)
        if stored is not None:
            raise _Retried(_replayed(stored, actor)) from None
        raise
    event = {
        "type": event_type,
        "rev": rev,
        "meeting_id": meeting.id,
        "op_id": envelope.op_id,
        "actor": {"id": actor.participant_id, "name": actor.name},
        **data,
    }
    execute(
        _INSERT_EVENT,
        {
            "meeting_id": meeting.id,
            "rev": rev,
            "op_id": envelope.op_id,
            "actor_id": actor.participant_id,
            "type": event_type,
            "data": event,
            "created_at": utcnow(),
        },
    )
    return OpResult(rev, event, case_id=meeting.case_id)


def _replay_concurrent(actor: Actor, raw: Any, clash: IntegrityError) -> OpResult | Exception:
    """The op_id is stored already (a retry, or a concurrent one through another worker):
    answer with the stored result."""
    stored = _stored_event(raw["meeting_id"], raw["op_id"])
    if stored is None:
        return clash
    try:
        return _replayed(stored, actor)
    except OperationError as refused:
        return refused


# Statements built once: on SQLite, building one costs more than running it.
_meetings, _events = Meeting.__table__, MeetingEvent.__table__
_MEETING_REF = (
    select(
        _meetings.c.id,
        _meetings.c.status,
        Case.__table__.c.team_id,
        _meetings.c.case_id,
        _meetings.c.framework_key,
        _meetings.c.framework_version,
        _meetings.c.write_policy,
        _meetings.c.locked_sections,
        _meetings.c.private_sections,
    )
    .join(Case.__table__, Case.__table__.c.id == _meetings.c.case_id)
    .where(_meetings.c.id == bindparam("meeting_id"))
)
_CLAIM_REV = (
    update(_meetings)
    .where(_meetings.c.id == bindparam("meeting_id"))
    .values(rev=_meetings.c.rev + 1)
    .returning(_meetings.c.rev)
)
_STORED = select(_events.c.rev, _events.c.data, _events.c.actor_id).where(
    _events.c.meeting_id == bindparam("meeting_id"), _events.c.op_id == bindparam("op_id")
)
_INSERT_EVENT = insert(_events)


def _meeting_ref(meeting_id: int) -> MeetingRef | None:
    row = execute(_MEETING_REF, {"meeting_id": meeting_id}).first()
    if row is None:
        return None
    meeting_id, status, team_id, case_id, key, version, write_policy, locked, private = row
    return MeetingRef(
        meeting_id, status, team_id, key, write_policy,
        tuple(locked or ()), tuple(private or ()), case_id=case_id, framework_version=version,
    )  # fmt: skip


def _claim_next_rev(meeting_id: int) -> int:
    return int(execute(_CLAIM_REV, {"meeting_id": meeting_id}).scalar_one())


@dataclass(frozen=True)
class _Stored:
    rev: int
    data: dict[str, Any]
    actor_id: int | None


def _stored_event(meeting_id: int, op_id: str) -> _Stored | None:
    row = execute(_STORED, {"meeting_id": meeting_id, "op_id": op_id}).first()
    return _Stored(*row) if row else None


class _Retried(Exception):
    """Raised inside the savepoint to undo its revision claim, carrying the stored result."""

    def __init__(self, result: OpResult) -> None:
        super().__init__("retried")
        self.result = result


def _replayed(stored: _Stored, actor: Actor) -> OpResult:
    """The stored result of a retried operation; an op_id is only its own sender's to retry."""
    if stored.actor_id != actor.participant_id:
        raise OperationError("invalid", N_("That op_id was already used; make a new one."))
    return OpResult(stored.rev, stored.data, duplicate=True)


_APPLY: dict[type, Callable[[Actor, MeetingRef, Any], tuple[str, dict[str, Any]]]] = {
    **items.APPLY,
    **facilitation.APPLY,
    **statements.APPLY,
    **scaling.APPLY,
    **involved.APPLY,
    **in_room.APPLY,
    **restore.APPLY,
}


def board_snapshot(meeting: Meeting, viewer: int | None) -> dict[str, Any]:
    """The whole board of a meeting at its current revision, as this participant may see
    it (viewer None: what anyone in the room may see, as the display and the record)."""
    items = db.session.scalars(
        select(Item).where(Item.meeting_id == meeting.id, Item.deleted.is_(False))
    )
    # Sorted here, not in SQL: order keys compare by code point, whatever the collation.
    ordered = sorted(items, key=lambda item: (item.section, item.position, item.id))
    snapshot = snapshot_json(
        meeting, ordered, list(meeting.participants), presence.online_ids(meeting.id)
    )
    snapshot["items"] = [item_for(item, viewer) for item in snapshot["items"]]
    snapshot["scale_rounds"] = scaling.rounds_for(meeting.id, viewer)
    snapshot["involved"] = involved.people_for(meeting)
    return snapshot


def sync(meeting: Meeting, since_rev: int | None, viewer: int | None) -> dict[str, Any]:
    """The events after since_rev, in order, as this participant may see them; or a
    snapshot when the gap is too large."""
    db.session.refresh(meeting)
    if since_rev is None or since_rev < 0 or since_rev > meeting.rev:
        return {"mode": "snapshot", "snapshot": board_snapshot(meeting, viewer)}
    if meeting.rev - since_rev > SYNC_EVENTS_MAX:
        return {"mode": "snapshot", "snapshot": board_snapshot(meeting, viewer)}
    events = list(
        db.session.scalars(
            select(MeetingEvent.data)
            .where(MeetingEvent.meeting_id == meeting.id, MeetingEvent.rev > since_rev)
            .order_by(MeetingEvent.rev)
        )
    )
    # events committed after the refresh above are included: report the newest one read
    rev = max([meeting.rev, *(event["rev"] for event in events)])
    return {"mode": "events", "rev": rev, "events": [event_for(e, viewer) for e in events]}


def reopen_meeting(actor: Actor, meeting: Meeting) -> dict[str, Any]:
    """Reopen a closed meeting (a supervisor's action, recorded as a revision); return the
    event to publish. The snapshot taken at closing stays as it was."""
    if not access.can(actor, "meeting.reopen", meeting):
        raise items.forbidden()
    try:
        _begin_writing()
        rev = _claim_next_rev(meeting.id)
        db.session.refresh(meeting)
        meeting.status, meeting.closed_at, meeting.closed_by_id = "live", None, None
        event = {
            "type": "meeting_reopened",
            "rev": rev,
            "meeting_id": meeting.id,
            "op_id": f"server-{uuid.uuid4().hex}",
            "actor": {"id": actor.participant_id, "name": actor.name},
            "meeting": {"status": "live", "closed_at": None},
        }
        db.session.add(
            MeetingEvent(
                meeting_id=meeting.id, rev=rev, op_id=event["op_id"], actor_id=actor.participant_id,
                type=event["type"], data=event,
            )
        )  # fmt: skip
        audit.record(actor, "meeting.reopen", case_id=meeting.case_id, meeting_id=meeting.id,
                     detail={"rev": rev})  # fmt: skip
        db.session.commit()
    except BaseException:
        db.session.rollback()
        raise
    return event
