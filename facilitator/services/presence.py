"""Who is connected: one row per open socket, owned by the server process holding it."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from sqlalchemy import delete, insert, literal, select, update

from facilitator import access
from facilitator.domain.actor import Actor, staff_actor
from facilitator.extensions import db
from facilitator.models import (
    AuthSession,
    Item,
    Meeting,
    Participant,
    Presence,
    ServerBeat,
    User,
)
from facilitator.models.types import utcnow
from facilitator.services import durability, sessions
from facilitator.services.meetings import staff_participant


def connect(
    sid: str, server_id: str, actor: Actor, meeting: Meeting, read_only: bool, session_key: str
) -> int | None:
    """Record an open socket; staff join the meeting on first connect. Returns the
    participant's id, or None if they were removed from the meeting."""
    # Presence is no record (a restarted server drops its own rows, a dead one's are swept),
    # so a connect does not wait for the disk: a thousand reconnecting sockets made a
    # thousand flushes. A staff member's first connect, which adds them to the meeting,
    # commits as usual: that flush begins the transaction before the level is set below
    # (durability.py).
    args = (sid, server_id, actor, meeting, read_only, session_key)
    participant_id = _add_staff(*args) if actor.is_staff else None
    with durability.not_waiting_for_the_disk():
        if not actor.is_staff:
            participant_id = _add_guest(*args)
        if participant_id is None:
            db.session.rollback()
            return None
        db.session.commit()
    return participant_id


def _add_staff(
    sid: str, server_id: str, actor: Actor, meeting: Meeting, read_only: bool, session_key: str
) -> int | None:
    user = db.session.get(User, actor.user_id)
    assert user is not None
    participant = staff_participant(meeting, user, display=read_only)
    if participant.removed_at is not None:
        return None
    db.session.add(  # a socket id is new with every connection
        Presence(
            sid=sid,
            meeting_id=meeting.id,
            participant_id=participant.id,
            server_id=server_id,
            read_only=read_only,
            session_key=session_key[:64],
            auth_session_id=sessions.id_of(session_key),
        )
    )
    return participant.id


def _add_guest(
    sid: str, server_id: str, actor: Actor, meeting: Meeting, read_only: bool, session_key: str
) -> int | None:
    """One statement, no participant loaded (each reconnecting phone loaded one): the row
    is added only while the participant is in this meeting and not removed."""
    participant = Participant.__table__.c
    row = select(
        literal(sid, Presence.sid.type),
        literal(meeting.id),
        participant.id,
        literal(server_id, Presence.server_id.type),
        literal(read_only),
        literal(session_key[:64], Presence.session_key.type),
    ).where(
        participant.id == actor.participant_id,
        participant.meeting_id == meeting.id,
        participant.removed_at.is_(None),
    )
    columns = ["sid", "meeting_id", "participant_id", "server_id", "read_only", "session_key"]
    added = db.session.execute(insert(Presence.__table__).from_select(columns, row))
    return actor.participant_id if added.rowcount == 1 else None  # type: ignore[attr-defined]


def disconnect(sid: str) -> int | None:
    """Forget a socket; return its meeting id, if it was known. (One statement.)"""
    with durability.not_waiting_for_the_disk():
        meeting_id = db.session.execute(
            delete(Presence.__table__)
            .where(Presence.__table__.c.sid == sid)
            .returning(Presence.__table__.c.meeting_id)
        ).scalar()
        db.session.commit()
    return meeting_id


def sids_of(participant_id: int) -> list[str]:
    query = select(Presence.sid).where(Presence.participant_id == participant_id)
    return list(db.session.scalars(query))


def sids_of_session(session_key: str) -> list[str]:
    """The sockets one browser opened since it signed in or joined."""
    if not session_key:
        return []
    query = select(Presence.sid).where(Presence.session_key == session_key)
    return list(db.session.scalars(query))


def sids_without_access(user_id: int) -> list[str]:
    """The user's sockets in meetings they may no longer see (after a team or account change)."""
    user = db.session.get(User, user_id)
    rows = list(
        db.session.scalars(select(Presence).join(Participant).where(Participant.user_id == user_id))
    )
    if user is None or not user.active:
        return [row.sid for row in rows]
    actor = staff_actor(user)
    return [
        row.sid
        for row in rows
        if not access.can(actor, "meeting.view", db.session.get(Meeting, row.meeting_id))
    ]


def sids_of_ended_sessions(user_id: int) -> list[str]:
    """The user's open sockets whose signed-in session has ended (signed out elsewhere)."""
    ended = select(AuthSession.id).where(
        AuthSession.user_id == user_id, AuthSession.ended_at.is_not(None)
    )
    return list(db.session.scalars(select(Presence.sid).where(Presence.auth_session_id.in_(ended))))


def participants_of(meeting_id: int) -> list[Participant]:
    """Everyone who ever joined the meeting, in the order they joined."""
    query = select(Participant).where(Participant.meeting_id == meeting_id)
    return list(db.session.scalars(query.order_by(Participant.id)))


def online_ids(meeting_id: int) -> set[int]:
    query = select(Presence.participant_id).where(
        Presence.meeting_id == meeting_id, Presence.read_only.is_(False)
    )
    return set(db.session.scalars(query))


def clear_server(server_id: str) -> list[int]:
    """Drop this server's rows (a previous run's, or its own at shutdown); return the
    meetings that had someone here, in id order."""
    query = select(Presence.meeting_id).where(Presence.server_id == server_id).distinct()
    meeting_ids = sorted(db.session.scalars(query))
    db.session.execute(delete(Presence).where(Presence.server_id == server_id))
    db.session.commit()
    return meeting_ids


def beat(server_id: str) -> bool:
    """Renew this worker's sign of life. False when its row was not there: at its first
    beat, or when the others took it for dead (stalled too long) and removed its presence
    rows, in which case its sockets must reconnect to be recorded again."""
    now = utcnow()
    renewed = db.session.execute(
        update(ServerBeat).where(ServerBeat.server_id == server_id).values(seen_at=now)
    )
    found = bool(renewed.rowcount)  # type: ignore[attr-defined]
    if not found:
        db.session.execute(insert(ServerBeat).values(server_id=server_id, seen_at=now))
    db.session.commit()
    return found


def sweep_silent_servers(silent_for: timedelta) -> list[int]:
    """Remove the beats of workers not seen for `silent_for`, then the presence rows of
    exactly those workers (one that beats meanwhile keeps its rows, or learns it lost
    them); return the meetings whose people changed."""
    gone = db.session.execute(
        delete(ServerBeat)
        .where(ServerBeat.seen_at < utcnow() - silent_for)
        .returning(ServerBeat.server_id)
    )
    silent = list(gone.scalars())
    if not silent:
        db.session.rollback()
        return []
    removed = db.session.execute(
        delete(Presence).where(Presence.server_id.in_(silent)).returning(Presence.meeting_id)
    )
    meeting_ids = sorted(set(removed.scalars()))
    db.session.commit()
    return meeting_ids


def guest_sids(meeting_id: int) -> list[str]:
    """The open sockets of a meeting's guests."""
    return list(
        db.session.scalars(
            select(Presence.sid)
            .join(Participant, Participant.id == Presence.participant_id)
            .where(Presence.meeting_id == meeting_id, Participant.user_id.is_(None))
        )
    )


def editing_hint(
    actor: Actor, item_id: int | None, done_item_id: int | None
) -> dict[str, Any] | None:
    """What the room is told when someone opens an item's editor (item_id) or closes it
    (done_item_id); None when they may not edit it. An anonymous item's editor is not
    named: that would name its author."""
    if actor.read_only or actor.meeting_id is None or actor.participant_id is None:
        return None
    item = db.session.get(Item, item_id or done_item_id or 0)
    if item is None or item.meeting_id != actor.meeting_id:
        return None
    if item_id is not None and (item.deleted or not access.can(actor, "item.edit", item)):
        return None
    named = not item.anonymous
    return {
        "meeting_id": actor.meeting_id,
        "participant_id": actor.participant_id if named else None,
        "name": actor.name if named else "",
        "item_id": item_id,
        "done_item_id": done_item_id if item_id is None else None,
    }
