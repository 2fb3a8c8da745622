"""Staff users and teams."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Index, String, UniqueConstraint, false
from sqlalchemy.orm import Mapped, mapped_column, relationship

from facilitator.extensions import db
from facilitator.models.types import utcnow


class User(db.Model):  # type: ignore[name-defined,misc]
    __tablename__ = "users"

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(254), unique=True)
    display_name: Mapped[str] = mapped_column(String(80))
    password_hash: Mapped[str] = mapped_column(String(255))
    role: Mapped[str] = mapped_column(String(20), default="worker")
    active: Mapped[bool] = mapped_column(default=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    # TOTP: the secret is set at enrolment and counts once confirmed (mfa_enabled); stored
    # sealed, never in clear (services/signin.keep_totp_secret, sealed.py)
    totp_secret: Mapped[str | None] = mapped_column(String(128), default=None)
    mfa_enabled: Mapped[bool] = mapped_column(default=False, server_default=false())
    totp_last_step: Mapped[int | None] = mapped_column(default=None)  # no code used twice
    language: Mapped[str | None] = mapped_column(String(16), default=None)  # None: the browser's

    memberships: Mapped[list[TeamMember]] = relationship(
        back_populates="user", cascade="all, delete-orphan"
    )

    # Flask-Login protocol
    @property
    def is_active(self) -> bool:
        return self.active

    @property
    def is_authenticated(self) -> bool:
        return True

    @property
    def is_anonymous(self) -> bool:
        return False

    def get_id(self) -> str:
        return str(self.id)

    @property
    def team_ids(self) -> set[int]:
        return {m.team_id for m in self.memberships}


class Team(db.Model):  # type: ignore[name-defined,misc]
    __tablename__ = "teams"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(80), unique=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    members: Mapped[list[TeamMember]] = relationship(
        back_populates="team", cascade="all, delete-orphan"
    )


class TeamMember(db.Model):  # type: ignore[name-defined,misc]
    __tablename__ = "team_members"
    __table_args__ = (UniqueConstraint("team_id", "user_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    team_id: Mapped[int] = mapped_column(ForeignKey("teams.id", ondelete="CASCADE"))
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))

    team: Mapped[Team] = relationship(back_populates="members")
    user: Mapped[User] = relationship(back_populates="memberships")


class AccessEpoch(db.Model):  # type: ignore[name-defined,misc]
    """One counter, raised whenever anyone's access is taken away (sign-out, removal, a
    team or account change): socket identities cached under an older value are re-read."""

    __tablename__ = "access_epoch"

    id: Mapped[int] = mapped_column(primary_key=True)
    value: Mapped[int] = mapped_column(default=0)


class AuthSession(db.Model):  # type: ignore[name-defined,misc]
    """A staff member's signed-in browser, on the server: sign-out, a disabled account, a
    role or password change end it, and every request and socket event checks it is alive
    (not ended, not idle too long, not older than the absolute limit)."""

    __tablename__ = "auth_sessions"

    id: Mapped[int] = mapped_column(primary_key=True)
    key_hash: Mapped[str] = mapped_column(String(64), unique=True)  # sha256 of the cookie's key
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    last_seen_at: Mapped[datetime] = mapped_column(default=utcnow)
    ended_at: Mapped[datetime | None] = mapped_column(default=None)
    ended_reason: Mapped[str | None] = mapped_column(String(40), default=None)
    user_agent: Mapped[str] = mapped_column(String(200), default="")
    address: Mapped[str] = mapped_column(String(64), default="")


class RecoveryCode(db.Model):  # type: ignore[name-defined,misc]
    """A one-time code for signing in without the authenticator app, stored hashed."""

    __tablename__ = "recovery_codes"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE", name="fk_recovery_codes_user_id_users"),
        index=True,
    )
    code_hash: Mapped[str] = mapped_column(String(255))  # Argon2id
    used_at: Mapped[datetime | None] = mapped_column(default=None)


class SignInFailure(db.Model):  # type: ignore[name-defined,misc]
    """A failed sign-in step, kept a short while for throttling across processes.

    account_key is a keyed hash of the typed email, so unknown accounts are throttled like
    known ones and no typed address is stored."""

    __tablename__ = "sign_in_failures"
    __table_args__ = (
        Index("ix_sign_in_failures_account_key_at", "account_key", "at"),
        Index("ix_sign_in_failures_address_at", "address", "at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = mapped_column(default=utcnow)
    account_key: Mapped[str] = mapped_column(String(64))
    address: Mapped[str] = mapped_column(String(64))
