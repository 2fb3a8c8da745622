"""The audit trail: who viewed, exported, changed or reopened what. Append-only."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from facilitator.extensions import db
from facilitator.models.types import utcnow


class AuditEntry(db.Model):  # type: ignore[name-defined,misc]
    """One audited action. Rows are only ever added; each carries the hash of the one before
    it (prev_hash) and its own (entry_hash), so a removed or changed row breaks the chain."""

    __tablename__ = "audit_entries"

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = mapped_column(default=utcnow, index=True)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    participant_id: Mapped[int | None] = mapped_column(ForeignKey("participants.id"))
    action: Mapped[str] = mapped_column(String(40))  # e.g. "case.view", "export.pdf"
    case_id: Mapped[int | None] = mapped_column(ForeignKey("cases.id"), index=True)
    meeting_id: Mapped[int | None] = mapped_column(ForeignKey("meetings.id"))
    detail: Mapped[dict[str, Any]] = mapped_column(
        JSON, default=dict
    )  # ids and counts, no case text
    prev_hash: Mapped[str] = mapped_column(String(64), default="")
    entry_hash: Mapped[str] = mapped_column(String(64), default="")
