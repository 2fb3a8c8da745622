"""Cases: a child's situation, known on the board only by a pseudonymous label."""

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
