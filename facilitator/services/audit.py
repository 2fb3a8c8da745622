"""The audit trail: append one entry per audited action, chained by hashes.

Entries hold ids, counts and action names, never case text. Each entry's hash covers its
own fields and the previous entry's hash, so `verify()` finds a removed, changed or
reordered row. The caller's transaction commits the entry with the action it records.
"""

from __future__ import annotations

import hashlib
import json
from typing import Any

from sqlalchemy import select

from facilitator.extensions import db
from facilitator.identity import Actor
from facilitator.models import AuditEntry
from facilitator.models.types import utcnow


def _digest(entry: AuditEntry) -> str:
    fields = {
        "at": entry.at.isoformat(),
        "user_id": entry.user_id,
        "participant_id": entry.participant_id,
        "action": entry.action,
        "case_id": entry.case_id,
        "meeting_id": entry.meeting_id,
        "detail": entry.detail,
        "prev_hash": entry.prev_hash,
    }
    canonical = json.dumps(fields, sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(canonical.encode()).hexdigest()


def record(
    actor: Actor,
    action: str,
    *,
    case_id: int | None = None,
    meeting_id: int | None = None,
    detail: dict[str, Any] | None = None,
) -> AuditEntry:
    """Add an entry to the current transaction (the caller commits it with its action)."""
    last = db.session.scalar(select(AuditEntry.entry_hash).order_by(AuditEntry.id.desc()).limit(1))
    entry = AuditEntry(
        at=utcnow(),
        user_id=actor.user_id,
        participant_id=actor.participant_id,
        action=action,
        case_id=case_id,
        meeting_id=meeting_id,
        detail=detail or {},
        prev_hash=last or "",
    )
    entry.entry_hash = _digest(entry)
    db.session.add(entry)
    db.session.flush()
    return entry


def log_view(actor: Actor, action: str, **where: Any) -> None:
    """Record something looked at (a page with no change of its own) and commit it."""
    record(actor, action, **where)
    db.session.commit()


def verify() -> int | None:
    """The id of the first entry whose chain is broken, or None when the trail is intact."""
    previous = ""
    for entry in db.session.scalars(select(AuditEntry).order_by(AuditEntry.id)):
        if entry.prev_hash != previous or entry.entry_hash != _digest(entry):
            return entry.id
        previous = entry.entry_hash
    return None
