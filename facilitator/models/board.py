"""The board: items on a meeting's map, and the log of every operation."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from facilitator.extensions import db
from facilitator.models.meetings import Meeting, Participant
from facilitator.models.types import utcnow


class Item(db.Model):  # type: ignore[name-defined,misc]
    __tablename__ = "items"
    __table_args__ = (Index("ix_item_meeting_section", "meeting_id", "section", "position"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    meeting_id: Mapped[int] = mapped_column(ForeignKey("meetings.id"))
    section: Mapped[str] = mapped_column(String(40))
    position: Mapped[str] = mapped_column(Text)  # order keys grow slowly; never cut them
    text: Mapped[str] = mapped_column(Text)
    view: Mapped[str] = mapped_column(String(20), default="agency")
    author_id: Mapped[int] = mapped_column(ForeignKey("participants.id"))
    version: Mapped[int] = mapped_column(default=1)
    deleted: Mapped[bool] = mapped_column(default=False)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)

    author: Mapped[Participant] = relationship()
    meeting: Mapped[Meeting] = relationship()


class MeetingEvent(db.Model):  # type: ignore[name-defined,misc]
    """One accepted operation, in the meeting's total order (rev)."""

    __tablename__ = "meeting_events"
    __table_args__ = (
        UniqueConstraint("meeting_id", "rev"),
        UniqueConstraint("meeting_id", "op_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    meeting_id: Mapped[int] = mapped_column(ForeignKey("meetings.id"))
    rev: Mapped[int]
    op_id: Mapped[str] = mapped_column(String(64))
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("participants.id"))
    type: Mapped[str] = mapped_column(String(40))
    data: Mapped[dict[str, Any]] = mapped_column(JSON)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
