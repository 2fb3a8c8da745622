"""Record: an accepted operation's revision, its event and the event's row, in the
operation's transaction; and the stored answer to a retry of one."""

from __future__ import annotations

import hashlib
import json
import uuid
from dataclasses import dataclass
from typing import Any

from sqlalchemy import bindparam, insert, select, update

from facilitator.domain.errors import OperationError
from facilitator.domain.text import N_
from facilitator.extensions import db
from facilitator.models import Meeting, MeetingEvent
from facilitator.models.types import utcnow
from facilitator.services.ops.rows import execute


@dataclass(frozen=True)
class OpResult:
    rev: int
    event: dict[str, Any]
    duplicate: bool = False
    case_id: int | None = None  # for the audit entry of an accepted operation


# Built once: on SQLite, building a statement costs more than running it.
_meetings, _events = Meeting.__table__, MeetingEvent.__table__
_CLAIM_REV = (
    update(_meetings)
    .where(_meetings.c.id == bindparam("meeting_id"))
    .values(rev=_meetings.c.rev + 1)
    .returning(_meetings.c.rev)
)
_STORED = select(_events.c.rev, _events.c.data, _events.c.actor_id, _events.c.op_digest).where(
    _events.c.meeting_id == bindparam("meeting_id"), _events.c.op_id == bindparam("op_id")
)
_INSERT_EVENT = insert(_events)


def begin_writing() -> None:
    """Start the transaction holding SQLite's write lock, so no other writer slips in
    between our reads and writes (PostgreSQL locks by row)."""
    connection = db.session.connection()
    if connection.dialect.name == "sqlite" and not connection.connection.in_transaction:
        connection.exec_driver_sql("BEGIN IMMEDIATE")


def claim_rev(meeting_id: int) -> int:
    """The meeting's next revision; takes the meeting's write lock until the commit."""
    return int(execute(_CLAIM_REV, {"meeting_id": meeting_id}).scalar_one())


def server_op_id() -> str:
    """The op_id of a revision the server makes itself (a reopening, carried items)."""
    return f"server-{uuid.uuid4().hex}"


def record_event(
    meeting_id: int,
    rev: int,
    op_id: str,
    actor: tuple[int | None, str],
    event_type: str,
    data: dict[str, Any],
    op_digest: str | None = None,
) -> dict[str, Any]:
    """Build the event of revision rev and write its row; return the event (as published).
    actor: the participant's id and name."""
    actor_id, actor_name = actor
    event = {
        "type": event_type,
        "rev": rev,
        "meeting_id": meeting_id,
        "op_id": op_id,
        "actor": {"id": actor_id, "name": actor_name},
        **data,
    }
    execute(
        _INSERT_EVENT,
        {"meeting_id": meeting_id, "rev": rev, "op_id": op_id, "actor_id": actor_id,
         "type": event_type, "data": event, "created_at": utcnow(), "op_digest": op_digest},
    )  # fmt: skip
    return event


def op_digest(op_type: str, payload: dict[str, Any]) -> str:
    """SHA-256 of an op as sent (its type and payload): a retry sends the same one."""
    canonical = json.dumps([op_type, payload], sort_keys=True, ensure_ascii=False, default=str)
    return hashlib.sha256(canonical.encode("utf-8", "surrogatepass")).hexdigest()


@dataclass(frozen=True)
class Stored:
    rev: int
    data: dict[str, Any]
    actor_id: int | None
    op_digest: str | None


def stored_event(meeting_id: int, op_id: str) -> Stored | None:
    """The event an op_id already made in this meeting, if any."""
    row = execute(_STORED, {"meeting_id": meeting_id, "op_id": op_id}).first()
    return Stored(*row) if row else None


class Retried(Exception):
    """Raised inside the batch's transaction to undo its revision claim (the batch rolls
    back and runs again without it), carrying the stored result."""

    def __init__(self, result: OpResult) -> None:
        super().__init__("retried")
        self.result = result


def replayed(stored: Stored, participant_id: int | None, digest: str) -> OpResult:
    """The stored result of a retried operation. An op_id is only its own sender's to
    retry, and only with the same operation (type and payload)."""
    if stored.actor_id != participant_id:
        raise OperationError("invalid", N_("That op_id was already used; make a new one."))
    if stored.op_digest is not None and stored.op_digest != digest:
        raise OperationError(
            "op_id_reused",
            N_("That op_id was used for another change; send this one with a new op_id."),
        )
    return OpResult(stored.rev, stored.data, duplicate=True)
