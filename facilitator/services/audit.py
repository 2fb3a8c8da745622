"""The audit trail: append one entry per audited action, chained by hashes.

Entries hold ids, counts and action names, never case text. Each entry's hash covers its
own fields and the previous entry's hash, so `verify()` finds a removed, changed or
reordered row. The caller's transaction commits the entry with the action it records.

Who, in what role, from which address and in which request (the X-Request-Id of the HTTP
answer, or one per socket event) are recorded with the UTC time.

The chain is safe with several writers: before reading the last hash, a writer takes the
chain's lock, held until its transaction ends. On SQLite that is the database's write lock
(BEGIN IMMEDIATE, as the board's writer already does), so no other process can insert
between our read and our insert. On PostgreSQL it is a transaction-level advisory lock
(pg_advisory_xact_lock on one fixed key): cheaper than a row lock on a chain-head table,
needs no table, and is released by COMMIT or ROLLBACK whatever happens. Take it last in a
transaction (record just before commit) so it is held for as short a time as possible.
"""

from __future__ import annotations

import hashlib
import json
import uuid
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from flask import g, has_app_context, has_request_context, request
from sqlalchemy import Select, and_, func, insert, or_, select

from facilitator.domain.actor import Actor
from facilitator.extensions import db
from facilitator.models import AuditEntry, Case, TeamMember
from facilitator.models.types import utcnow
from facilitator.services.search import like_pattern

CHAIN_LOCK_KEY = 0x617564697400  # "audit", for pg_advisory_xact_lock
_LAST_HASH = select(AuditEntry.entry_hash).order_by(AuditEntry.id.desc()).limit(1)
_PG_LOCKED_HEAD = (
    "SELECT pg_advisory_xact_lock(%(key)s); "
    f"SELECT entry_hash FROM {AuditEntry.__tablename__} ORDER BY id DESC LIMIT 1"
)
_INSERT = insert(AuditEntry.__table__)
_OPTIONAL = ("actor_role", "address", "request_id")  # hashed when set (older rows lack them)


@dataclass(frozen=True)
class Origin:
    """Where a request came from: its id and the client's address."""

    request_id: str | None = None
    address: str | None = None


def request_id() -> str | None:
    """This HTTP request's (or socket event's, or command's) id, made on first use."""
    if not has_app_context():
        return None
    found = g.get("request_id")
    if found is None:
        found = g.request_id = uuid.uuid4().hex
    return str(found)


def current_origin() -> Origin:
    address = request.remote_addr if has_request_context() else None
    return Origin(request_id(), address)


def role_of(actor: Actor) -> str | None:
    return "guest" if actor.is_guest or actor.is_past_guest else actor.role


def _digest(values: dict[str, Any]) -> str:
    fields = {
        "at": values["at"].isoformat(),
        "user_id": values["user_id"],
        "participant_id": values["participant_id"],
        "action": values["action"],
        "case_id": values["case_id"],
        "meeting_id": values["meeting_id"],
        "detail": values["detail"],
        "prev_hash": values["prev_hash"],
    }
    fields.update({name: values[name] for name in _OPTIONAL if values.get(name) is not None})
    canonical = json.dumps(fields, sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(canonical.encode()).hexdigest()


def _chain_head() -> str:
    """Take the chain's lock (see the module's doc) and return the last entry's hash."""
    connection = db.session.connection()
    dialect = connection.dialect.name
    if dialect == "sqlite" and not connection.connection.in_transaction:
        connection.exec_driver_sql("BEGIN IMMEDIATE")
    elif dialect == "postgresql":  # one round trip, two statements (each its own snapshot:
        # the read sees every entry committed before the lock was ours)
        return connection.exec_driver_sql(_PG_LOCKED_HEAD, {"key": CHAIN_LOCK_KEY}).scalar() or ""
    return connection.execute(_LAST_HASH).scalar() or ""


def values_for(
    actor: Actor,
    action: str,
    *,
    case_id: int | None = None,
    meeting_id: int | None = None,
    detail: dict[str, Any] | None = None,
    origin: Origin | None = None,
    at: datetime | None = None,
) -> dict[str, Any]:
    """An entry's columns, before it is chained."""
    origin = origin or current_origin()
    return {
        "at": at or utcnow(),
        "user_id": actor.user_id,
        "participant_id": actor.participant_id,
        "actor_role": role_of(actor),
        "action": action,
        "case_id": case_id,
        "meeting_id": meeting_id,
        "detail": detail or {},
        "address": origin.address,
        "request_id": origin.request_id,
    }


def without_author(values: dict[str, Any]) -> dict[str, Any]:
    """An entry about an anonymous item: what was done, to which item, by which kind of
    participant, but not who nor from where (docs/security.md, "Anonymous items")."""
    detail = {k: v for k, v in values["detail"].items() if k != "on_behalf_of"}
    detail["anonymous"] = True
    return {**values, "user_id": None, "participant_id": None, "address": None, "detail": detail}


def record(
    actor: Actor,
    action: str,
    *,
    case_id: int | None = None,
    meeting_id: int | None = None,
    detail: dict[str, Any] | None = None,
) -> AuditEntry:
    """Add an entry to the current transaction (the caller commits it with its action)."""
    values = values_for(actor, action, case_id=case_id, meeting_id=meeting_id, detail=detail)
    db.session.flush()  # the caller's changes first, inside the lock taken next
    values["prev_hash"] = _chain_head()
    values["entry_hash"] = _digest(values)
    entry = AuditEntry(**values)
    db.session.add(entry)
    db.session.flush()
    return entry


def record_many(entries: list[dict[str, Any]]) -> None:
    """Chain and insert several entries (from values_for) with one statement: the board's
    batches read the last hash once, whatever the number of operations."""
    if not entries:
        return
    previous = _chain_head()
    for values in entries:
        values["prev_hash"] = previous
        values["entry_hash"] = previous = _digest(values)
    db.session.connection().execute(_INSERT, entries)


def log(actor: Actor, action: str, **where: Any) -> None:
    """Record an action with no change of its own to commit with (a page looked at, a
    socket cut off for flooding) and commit it."""
    record(actor, action, **where)
    db.session.commit()


def _columns(entry: AuditEntry) -> dict[str, Any]:
    return {column.key: getattr(entry, column.key) for column in AuditEntry.__table__.columns}


def check() -> tuple[int | None, int]:
    """(the id of the first entry whose chain is broken or None when intact, entries read)."""
    previous, count = "", 0
    query = select(AuditEntry).order_by(AuditEntry.id).execution_options(yield_per=1000)
    for entry in db.session.scalars(query):
        count += 1
        if entry.prev_hash != previous or entry.entry_hash != _digest(_columns(entry)):
            return entry.id, count
        previous = entry.entry_hash
    return None, count


def verify() -> int | None:
    """The id of the first entry whose chain is broken, or None when the trail is intact."""
    return check()[0]


PAGE_SIZE = 50


@dataclass(frozen=True)
class Filters:
    action: str = ""  # a part: "board." finds every board operation
    user_id: int | None = None
    case_id: int | None = None
    since: datetime | None = None
    until: datetime | None = None  # exclusive


@dataclass(frozen=True)
class Page:
    entries: list[AuditEntry]
    number: int
    pages: int
    total: int


def _query(teams: frozenset[int] | None, filters: Filters) -> Select[Any]:
    query = select(AuditEntry)
    if teams is not None:
        # a supervisor: entries about their teams' cases, whoever acted (an admin in their
        # team acting on another team's case stays out), and their members' entries about
        # no case (sign-ins, account changes)
        team_cases = select(Case.id).where(Case.team_id.in_(teams))
        team_members = select(TeamMember.user_id).where(TeamMember.team_id.in_(teams))
        query = query.where(
            or_(
                AuditEntry.case_id.in_(team_cases),
                and_(AuditEntry.case_id.is_(None), AuditEntry.user_id.in_(team_members)),
            )
        )
    if filters.action:
        pattern = like_pattern(filters.action)
        query = query.where(AuditEntry.action.like(pattern, escape="\\"))
    if filters.user_id is not None:
        query = query.where(AuditEntry.user_id == filters.user_id)
    if filters.case_id is not None:
        query = query.where(AuditEntry.case_id == filters.case_id)
    if filters.since is not None:
        query = query.where(AuditEntry.at >= filters.since)
    if filters.until is not None:
        query = query.where(AuditEntry.at < filters.until)
    return query


def browse(teams: frozenset[int] | None, filters: Filters, number: int = 1) -> Page:
    """One page of entries, newest first, that a reader of these teams (None: all) sees."""
    query = _query(teams, filters)
    total = db.session.scalar(select(func.count()).select_from(query.subquery())) or 0
    pages = max(1, -(-total // PAGE_SIZE))
    number = min(max(1, number), pages)
    entries = db.session.scalars(
        query.order_by(AuditEntry.id.desc()).offset((number - 1) * PAGE_SIZE).limit(PAGE_SIZE)
    )
    return Page(list(entries), number, pages, total)
