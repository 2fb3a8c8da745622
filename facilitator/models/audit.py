"""The audit trail: who viewed, exported, changed or reopened what. Append-only."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import DDL, JSON, ForeignKey, String, event
from sqlalchemy.orm import Mapped, mapped_column

from facilitator.extensions import db
from facilitator.models.types import utcnow


class AuditEntry(db.Model):  # type: ignore[name-defined,misc]
    """One audited action. Rows are only ever added; each carries the hash of the one before
    it (prev_hash) and its own (entry_hash), so a removed or changed row breaks the chain.

    case_id, meeting_id and participant_id are plain integers, not foreign keys: a purged
    case's entries stay (they hold ids, never case text) after its rows are gone."""

    __tablename__ = "audit_entries"

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = mapped_column(default=utcnow, index=True)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), index=True)
    participant_id: Mapped[int | None]
    actor_role: Mapped[str | None] = mapped_column(String(20))  # admin ... worker, guest
    action: Mapped[str] = mapped_column(String(40), index=True)  # e.g. "case.view"
    case_id: Mapped[int | None] = mapped_column(index=True)
    meeting_id: Mapped[int | None]
    detail: Mapped[dict[str, Any]] = mapped_column(
        JSON, default=dict
    )  # ids and counts, no case text
    address: Mapped[str | None] = mapped_column(String(45))  # the client's IP address
    request_id: Mapped[str | None] = mapped_column(String(32))  # also in X-Request-Id
    prev_hash: Mapped[str] = mapped_column(String(64), default="")
    entry_hash: Mapped[str] = mapped_column(String(64), default="")


# Append-only in the database itself: UPDATE and DELETE of an entry are refused by
# triggers (the migration creates the same ones; these serve create_all, as in tests).
SQLITE_TRIGGERS = [
    "CREATE TRIGGER audit_entries_no_update BEFORE UPDATE ON audit_entries "
    "BEGIN SELECT RAISE(ABORT, 'audit entries are append-only'); END",
    "CREATE TRIGGER audit_entries_no_delete BEFORE DELETE ON audit_entries "
    "BEGIN SELECT RAISE(ABORT, 'audit entries are append-only'); END",
]
POSTGRESQL_TRIGGERS = [
    "CREATE OR REPLACE FUNCTION audit_entries_append_only() RETURNS trigger "
    "LANGUAGE plpgsql AS $$ BEGIN "
    "RAISE EXCEPTION 'audit entries are append-only'; END $$",
    "CREATE TRIGGER audit_entries_append_only BEFORE UPDATE OR DELETE ON audit_entries "
    "FOR EACH ROW EXECUTE FUNCTION audit_entries_append_only()",
]
for _statement in SQLITE_TRIGGERS:
    event.listen(AuditEntry.__table__, "after_create", DDL(_statement).execute_if(dialect="sqlite"))
for _statement in POSTGRESQL_TRIGGERS:
    event.listen(
        AuditEntry.__table__, "after_create", DDL(_statement).execute_if(dialect="postgresql")
    )
