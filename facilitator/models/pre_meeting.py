"""Before the meeting: invites to add one's own words, and the words waiting for the board."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from facilitator.extensions import db
from facilitator.models.meetings import Meeting
from facilitator.models.types import utcnow


class PreMeetingInvite(db.Model):  # type: ignore[name-defined,misc]
    """A link for one named young person or parent to write before one meeting; only the
    token's hash is stored."""

    __tablename__ = "pre_meeting_invites"

    id: Mapped[int] = mapped_column(primary_key=True)
    meeting_id: Mapped[int] = mapped_column(ForeignKey("meetings.id"), index=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    name: Mapped[str] = mapped_column(String(40))  # as the meeting will name them
    who: Mapped[str] = mapped_column(String(20))  # young_person / parent (domain/pre_meeting.py)
    language: Mapped[str | None] = mapped_column(String(16))  # the page's, for them
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    expires_at: Mapped[datetime]
    revoked_at: Mapped[datetime | None]
    # who their words are on the board (made when the first is brought on)
    participant_id: Mapped[int | None] = mapped_column(ForeignKey("participants.id"))

    meeting: Mapped[Meeting] = relationship()


class PreMeetingInput(db.Model):  # type: ignore[name-defined,misc]
    """One thing they wrote: pending until the facilitator brings it onto the board."""

    __tablename__ = "pre_meeting_inputs"

    id: Mapped[int] = mapped_column(primary_key=True)
    invite_id: Mapped[int] = mapped_column(ForeignKey("pre_meeting_invites.id"), index=True)
    meeting_id: Mapped[int] = mapped_column(ForeignKey("meetings.id"), index=True)
    kind: Mapped[str] = mapped_column(String(20))  # know / worries / good_things / dreams
    text: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    item_id: Mapped[int | None] = mapped_column(ForeignKey("items.id"))  # once on the board
    brought_at: Mapped[datetime | None]

    invite: Mapped[PreMeetingInvite] = relationship()
