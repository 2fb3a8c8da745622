"""Signed-in staff sessions, kept on the server so they can be ended from anywhere.

The browser's cookie holds a random connection key (identity.SESSION_KEY); the table holds
only its SHA-256. A session is alive while it has not been ended and neither its idle
limit (since it was last seen) nor its absolute limit (since sign-in) has passed. Every
HTTP request checks it (web/signed_in.load_user) and every socket event too (identity's
_CONNECTIONS joins this table), so ending a session ends its sockets' rights at once;
publisher.close_signed_out closes those sockets.
"""

from __future__ import annotations

import hashlib
from datetime import datetime, timedelta
from typing import Any

from flask import current_app
from sqlalchemy import bindparam, select, update

from facilitator.extensions import db
from facilitator.models import AuthSession
from facilitator.models.types import utcnow
from facilitator.services.access_epoch import raise_access_epoch

SESSION_TOUCH_EVERY = timedelta(minutes=1)  # a session's last_seen_at is written at most this often


def session_limits() -> tuple[timedelta, timedelta]:
    """This deployment's (idle, absolute) limits of a signed-in session."""
    config = current_app.config
    return (
        timedelta(minutes=config["SESSION_IDLE_MINUTES"]),
        timedelta(hours=config["SESSION_MAX_HOURS"]),
    )


def session_expires_at(created_at: datetime, last_seen_at: datetime) -> datetime:
    """The moment a signed-in session that is not seen again stops working."""
    idle, absolute = session_limits()
    return min(last_seen_at + idle, created_at + absolute)


def key_hash(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


def begin(user_id: int, key: str, user_agent: str = "", address: str = "") -> AuthSession:
    """Record a new signed-in session for this key (committed)."""
    record = AuthSession(
        key_hash=key_hash(key),
        user_id=user_id,
        user_agent=user_agent[:200],
        address=(address or "")[:64],
    )
    db.session.add(record)
    db.session.commit()
    return record


def alive(key: Any, user_id: int) -> AuthSession | None:
    """The user's live session for this key; None when ended, timed out or unknown. A timed
    out one is marked ended (reason "idle" or "expired")."""
    if not isinstance(key, str) or not key:
        return None
    record: AuthSession | None = db.session.scalar(
        select(AuthSession).where(AuthSession.key_hash == key_hash(key))
    )
    if record is None or record.user_id != user_id or record.ended_at is not None:
        return None
    now = utcnow()
    if session_expires_at(record.created_at, record.last_seen_at) <= now:
        idle, _absolute = session_limits()
        reason = "idle" if record.last_seen_at + idle <= now else "expired"
        record.ended_at, record.ended_reason = now, reason
        db.session.commit()
        return None
    return record


def touch(record: AuthSession) -> None:
    """Note activity, at most once a minute (keeps writes low)."""
    now = utcnow()
    if now - record.last_seen_at >= SESSION_TOUCH_EVERY:
        record.last_seen_at = now
        db.session.commit()


_TOUCH = (
    AuthSession.__table__.update()
    .where(
        AuthSession.id.in_(bindparam("ids", expanding=True)),
        AuthSession.ended_at.is_(None),
    )
    .values(last_seen_at=bindparam("now"))
)


def touch_ids(session_ids: set[int], now: datetime) -> None:
    """Note socket activity on these sessions (the caller keeps it to once a minute each)."""
    db.session.connection().execute(_TOUCH, {"ids": list(session_ids), "now": now})
    db.session.commit()


def id_of(key: Any) -> int | None:
    """The record id of a live-or-not session key (to link a socket to it)."""
    if not isinstance(key, str) or not key:
        return None
    return db.session.scalar(select(AuthSession.id).where(AuthSession.key_hash == key_hash(key)))


def end(key: Any, reason: str) -> None:
    """End one browser's session (its sign-out)."""
    if isinstance(key, str) and key:
        _end(AuthSession.key_hash == key_hash(key), reason=reason)


def end_sessions(user_id: int, reason: str, except_key: str | None = None) -> int:
    """End a person's sessions (all, or all but the browser with except_key, say after they
    changed their own password). Returns how many sessions ended; the caller closes their
    sockets at once (publisher.close_signed_out)."""
    where = [AuthSession.user_id == user_id]
    if except_key:
        where.append(AuthSession.key_hash != key_hash(except_key))
    return _end(*where, reason=reason)


def end_by_id(session_id: int, reason: str) -> int:
    return _end(AuthSession.id == session_id, reason=reason)


def _end(*where: Any, reason: str) -> int:
    """End the live sessions matching where; the epoch rises with them, so every cached
    socket identity is re-read (the caller closes their sockets: publisher.close_signed_out)."""
    ids = list(
        db.session.scalars(select(AuthSession.id).where(*where, AuthSession.ended_at.is_(None)))
    )
    if ids:
        db.session.execute(
            update(AuthSession)
            .where(AuthSession.id.in_(ids))
            .values(ended_at=utcnow(), ended_reason=reason[:40])
        )
        raise_access_epoch()
        db.session.commit()
    return len(ids)


def live_counts() -> dict[int, int]:
    """How many live sessions each user has (for the admin page)."""
    rows = db.session.execute(
        select(AuthSession.user_id, AuthSession.created_at, AuthSession.last_seen_at).where(
            AuthSession.ended_at.is_(None)
        )
    )
    now = utcnow()
    counts: dict[int, int] = {}
    for user_id, created_at, last_seen_at in rows:
        if session_expires_at(created_at, last_seen_at) > now:
            counts[user_id] = counts.get(user_id, 0) + 1
    return counts
