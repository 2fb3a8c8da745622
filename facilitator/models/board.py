"""The board: items on a meeting's map, and the log of every operation."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import JSON, ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy import false as sa_false
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
    anonymous: Mapped[bool] = mapped_column(default=False)  # author kept here, never shown
    hidden: Mapped[bool] = mapped_column(default=False)  # collected privately, not revealed yet
    # added in private family time: the family's own until it shares it (domain/family_time.py)
    family_private: Mapped[bool] = mapped_column(default=False, server_default=sa_false())
    merged_into_id: Mapped[int | None] = mapped_column(ForeignKey("items.id"))
    link_id: Mapped[int | None] = mapped_column(ForeignKey("items.id"))  # goal -> danger, ...
    parts: Mapped[dict[str, str] | None] = mapped_column(JSON)  # a guided statement's parts
    family_view: Mapped[str | None] = mapped_column(Text)  # "the family sees this differently"
    # next steps: who, by when, and proposed -> agreed -> done / dropped
    owner: Mapped[str | None] = mapped_column(String(80))
    due_on: Mapped[date | None]
    status: Mapped[str | None] = mapped_column(String(20))
    # brought forward from an earlier meeting of the case (shown "from <date>")
    carried_from_id: Mapped[int | None] = mapped_column(ForeignKey("items.id"))
    # the people from the case's list this item names ("who keeps this rule")
    person_ids: Mapped[list[int] | None] = mapped_column(JSON)
    # who typed it for its author, someone in the room without a device ("Rosa, via Sam")
    scribe_id: Mapped[int | None] = mapped_column(ForeignKey("participants.id"))
    deleted_by_id: Mapped[int | None] = mapped_column(ForeignKey("participants.id"))  # restores

    author: Mapped[Participant] = relationship(foreign_keys=[author_id])
    scribe: Mapped[Participant | None] = relationship(foreign_keys=[scribe_id])
    meeting: Mapped[Meeting] = relationship()


class ScaleRound(db.Model):  # type: ignore[name-defined,misc]
    """One round of 0-10 ratings: the overall safety scale, or one danger statement's."""

    __tablename__ = "scale_rounds"

    id: Mapped[int] = mapped_column(primary_key=True)
    meeting_id: Mapped[int] = mapped_column(ForeignKey("meetings.id"), index=True)
    danger_item_id: Mapped[int | None] = mapped_column(ForeignKey("items.id"))  # None: overall
    status: Mapped[str] = mapped_column(String(20), default="open")  # open / revealed
    anonymous: Mapped[bool] = mapped_column(default=False)  # reasons shown without names
    # how many must have rated before the reveal (the agency's setting when it opened)
    reveal_threshold: Mapped[int] = mapped_column(default=1, server_default="1")
    opened_at: Mapped[datetime] = mapped_column(default=utcnow)
    revealed_at: Mapped[datetime | None]

    ratings: Mapped[list[Rating]] = relationship(order_by="Rating.id")


class Rating(db.Model):  # type: ignore[name-defined,misc]
    """One participant's number and reason in a round; private until the round is revealed."""

    __tablename__ = "ratings"
    __table_args__ = (UniqueConstraint("round_id", "participant_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    round_id: Mapped[int] = mapped_column(ForeignKey("scale_rounds.id"))
    participant_id: Mapped[int] = mapped_column(ForeignKey("participants.id"))
    value: Mapped[int]
    reason: Mapped[str] = mapped_column(Text, default="")
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)
    scribe_id: Mapped[int | None] = mapped_column(ForeignKey("participants.id"))  # typed it

    participant: Mapped[Participant] = relationship(foreign_keys=[participant_id])
    scribe: Mapped[Participant | None] = relationship(foreign_keys=[scribe_id])


class MeetingSnapshot(db.Model):  # type: ignore[name-defined,misc]
    """The board frozen when a meeting closed, with the SHA-256 of its canonical JSON."""

    __tablename__ = "meeting_snapshots"

    id: Mapped[int] = mapped_column(primary_key=True)
    meeting_id: Mapped[int] = mapped_column(ForeignKey("meetings.id"), index=True)
    rev: Mapped[int]
    content: Mapped[dict[str, Any]] = mapped_column(JSON)
    content_hash: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("participants.id"))


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
    # SHA-256 of the op as sent (type and payload): a reused op_id with other content is
    # refused, never answered with this event. None for events the server made itself.
    op_digest: Mapped[str | None] = mapped_column(String(64))
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("participants.id"))
    type: Mapped[str] = mapped_column(String(40))
    data: Mapped[dict[str, Any]] = mapped_column(JSON)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class NextStepMark(db.Model):  # type: ignore[name-defined,misc]
    """A next step marked done, dropped or still open from the case page, outside any
    meeting: it speaks for the step (the whole carry-over chain of item_id) until a
    meeting changes the step later."""

    __tablename__ = "next_step_marks"

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id"), index=True)
    item_id: Mapped[int] = mapped_column(ForeignKey("items.id"))  # the copy it was marked on
    status: Mapped[str] = mapped_column(String(20))
    marked_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    marked_at: Mapped[datetime] = mapped_column(default=utcnow)
