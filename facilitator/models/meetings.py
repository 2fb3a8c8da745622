"""Meetings, the people in them, guest invites and live presence."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Any

from sqlalchemy import JSON, ForeignKey, Index, String, Text
from sqlalchemy import false as sa_false
from sqlalchemy.orm import Mapped, mapped_column, relationship

from facilitator.extensions import db
from facilitator.models.types import utcnow

if TYPE_CHECKING:
    from facilitator.models.accounts import User
    from facilitator.models.cases import Case


class Meeting(db.Model):  # type: ignore[name-defined,misc]
    __tablename__ = "meetings"

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id"), index=True)
    kind: Mapped[str] = mapped_column(String(30))
    framework_key: Mapped[str] = mapped_column(String(40))
    # the agency framework's version the meeting is held on (None: a built-in framework)
    framework_version: Mapped[int | None]
    status: Mapped[str] = mapped_column(String(10), default="live")
    rev: Mapped[int] = mapped_column(default=0)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    closed_at: Mapped[datetime | None]
    closed_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    # the facilitator took the action plan back from the guests after the meeting closed
    plan_withdrawn_at: Mapped[datetime | None]
    plan_withdrawn_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    # the facilitation state, changed only through board operations (each one a revision)
    agenda: Mapped[list[dict[str, Any]]] = mapped_column(JSON, default=list)
    step_index: Mapped[int] = mapped_column(default=-1)  # -1: not started
    step_started_at: Mapped[datetime | None]
    step_ends_at: Mapped[datetime | None]  # server time, so every client counts down alike
    write_policy: Mapped[str] = mapped_column(String(20), default="everyone")
    locked_sections: Mapped[list[str]] = mapped_column(JSON, default=list)  # "*": the board
    private_sections: Mapped[list[str]] = mapped_column(JSON, default=list)
    spotlight_item_id: Mapped[int | None]
    question: Mapped[str] = mapped_column(Text, default="")  # the presenter's question
    show_initials: Mapped[bool] = mapped_column(default=False)  # on the display
    previous_meeting_id: Mapped[int | None] = mapped_column(ForeignKey("meetings.id"))  # carry-over
    # the projector's language (None: that of whoever opens the display)
    display_language: Mapped[str | None] = mapped_column(String(16), default=None)
    # what the room's screen presents (domain/presentation.py); empty: follow the steps
    presentation: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict, server_default="{}")
    # private family time (domain/family_time.py): running since then; None: not running
    family_time_started_at: Mapped[datetime | None] = mapped_column(default=None)
    # the consent recorded for showing the child's words (domain/consent.py); None: none yet
    child_consent: Mapped[dict[str, Any] | None] = mapped_column(JSON, default=None)

    case: Mapped[Case] = relationship(back_populates="meetings")
    participants: Mapped[list[Participant]] = relationship(
        back_populates="meeting", order_by="Participant.id"
    )

    @property
    def team_id(self) -> int:
        """The team whose members may see this meeting: its case's."""
        return self.case.team_id


class Participant(db.Model):  # type: ignore[name-defined,misc]
    """A person in one meeting: a staff user, or a guest who joined by code."""

    __tablename__ = "participants"
    __table_args__ = (Index("ix_participant_meeting_user", "meeting_id", "user_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    meeting_id: Mapped[int] = mapped_column(ForeignKey("meetings.id"), index=True)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    invite_id: Mapped[int | None] = mapped_column(ForeignKey("guest_invites.id"))
    # a room display opened with a display link (role "display", no user, no invite)
    display_link_id: Mapped[int | None] = mapped_column(ForeignKey("display_links.id"))
    display_name: Mapped[str] = mapped_column(String(80))
    role: Mapped[str] = mapped_column(String(20), default="member")
    joined_at: Mapped[datetime] = mapped_column(default=utcnow)
    removed_at: Mapped[datetime | None]
    hand_raised: Mapped[bool] = mapped_column(default=False)
    ready: Mapped[bool] = mapped_column(default=False)
    # a guest's way in: "waiting" for the facilitator, "admitted", or "refused" (then
    # removed_at is set too); staff are always "admitted"
    admission: Mapped[str] = mapped_column(
        String(10), default="admitted", server_default="admitted"
    )

    # a guest's chosen language (None: the browser's); staff use their account's
    language: Mapped[str | None] = mapped_column(String(16), default=None)
    # whose view what they write is by default (domain/views.py); None: by their role
    view: Mapped[str | None] = mapped_column(String(20), default=None)

    meeting: Mapped[Meeting] = relationship(back_populates="participants")
    user: Mapped[User | None] = relationship()

    @property
    def is_guest(self) -> bool:
        return self.user_id is None

    @property
    def is_waiting(self) -> bool:
        return self.admission == "waiting" and self.removed_at is None


class GuestInvite(db.Model):  # type: ignore[name-defined,misc]
    """A join link and short code for one meeting; only the token's hash is stored."""

    __tablename__ = "guest_invites"

    id: Mapped[int] = mapped_column(primary_key=True)
    meeting_id: Mapped[int] = mapped_column(ForeignKey("meetings.id"), index=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    code: Mapped[str] = mapped_column(String(12), unique=True)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    expires_at: Mapped[datetime]
    revoked_at: Mapped[datetime | None]
    # guests who join with it wait until the facilitator admits them (invites made before
    # the waiting room existed let people in directly)
    waiting_room: Mapped[bool] = mapped_column(default=True, server_default=sa_false())

    meeting: Mapped[Meeting] = relationship()


class Presence(db.Model):  # type: ignore[name-defined,misc]
    """One open socket of a participant; rows belong to the server process holding it."""

    __tablename__ = "presence"

    sid: Mapped[str] = mapped_column(String(64), primary_key=True)
    meeting_id: Mapped[int] = mapped_column(ForeignKey("meetings.id"), index=True)
    participant_id: Mapped[int] = mapped_column(ForeignKey("participants.id"), index=True)
    server_id: Mapped[str] = mapped_column(String(64), index=True)
    read_only: Mapped[bool] = mapped_column(default=False)
    session_key: Mapped[str] = mapped_column(String(64), default="", index=True)
    # the staff member's signed-in session (none for guests): ended, it refuses the socket
    auth_session_id: Mapped[int | None] = mapped_column(
        ForeignKey("auth_sessions.id", ondelete="SET NULL"), default=None
    )
    connected_at: Mapped[datetime] = mapped_column(default=utcnow)


class ServerBeat(db.Model):  # type: ignore[name-defined,misc]
    """A worker's sign of life, renewed every few seconds: the presence rows of a worker
    silent for long (killed, its machine gone) are removed by the others."""

    __tablename__ = "server_beats"

    server_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    seen_at: Mapped[datetime] = mapped_column(default=utcnow)
