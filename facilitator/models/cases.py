"""Cases: a child's situation, known on the board only by a pseudonymous label, and the
people around the child (kept with the case, carried from meeting to meeting)."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

from sqlalchemy import ForeignKey, String, false
from sqlalchemy.orm import Mapped, mapped_column, relationship

from facilitator.extensions import db
from facilitator.models.types import utcnow

if TYPE_CHECKING:
    from facilitator.models.accounts import Team
    from facilitator.models.meetings import Meeting


class Case(db.Model):  # type: ignore[name-defined,misc]
    __tablename__ = "cases"

    id: Mapped[int] = mapped_column(primary_key=True)
    team_id: Mapped[int] = mapped_column(ForeignKey("teams.id"), index=True)
    label: Mapped[str] = mapped_column(String(60))
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    # retention (WIC 10851): kept for a number of years after the case closes, unless held
    closed_at: Mapped[datetime | None]
    closed_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    retention_years: Mapped[int | None]  # None: the deployment's RETENTION_YEARS
    legal_hold: Mapped[bool] = mapped_column(default=False, server_default=false())
    legal_hold_reason: Mapped[str] = mapped_column(String(200), default="", server_default="")

    team: Mapped[Team] = relationship()
    meetings: Mapped[list[Meeting]] = relationship(
        back_populates="case", order_by="Meeting.created_at.desc()"
    )


class InvolvedPerson(db.Model):  # type: ignore[name-defined,misc]
    """Someone around the child: named as the meeting that wrote it allowed (initials in
    group supervision), changed only through board operations (each one a revision)."""

    __tablename__ = "involved_people"

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id"), index=True)
    name: Mapped[str] = mapped_column(String(60))
    relationship: Mapped[str] = mapped_column(String(60), default="")  # to the child
    age: Mapped[int | None]
    household: Mapped[str] = mapped_column(String(60), default="")  # the home they live in
    role: Mapped[str] = mapped_column(String(20))  # domain.involved.NETWORK_ROLES
    version: Mapped[int] = mapped_column(default=1)
    # the participant who added them (a guest may change only the people they added)
    added_by_id: Mapped[int | None] = mapped_column(ForeignKey("participants.id"))
    removed: Mapped[bool] = mapped_column(default=False)  # items naming them keep the id
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)
