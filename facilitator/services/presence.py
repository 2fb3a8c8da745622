"""Who is connected: one row per open socket, owned by the server process holding it."""

from __future__ import annotations

from sqlalchemy import delete, select

from facilitator.extensions import db
from facilitator.identity import Actor
from facilitator.models import Meeting, Participant, Presence, User
from facilitator.services.meetings import staff_participant


def connect(
    sid: str, server_id: str, actor: Actor, meeting: Meeting, read_only: bool
) -> Participant:
    """Record an open socket; staff become participants of the meeting on first connect."""
    if actor.is_staff:
        user = db.session.get(User, actor.user_id)
        assert user is not None
        participant = staff_participant(meeting, user)
    else:
        found = db.session.get(Participant, actor.participant_id)
        assert found is not None
        participant = found
    db.session.merge(
        Presence(
            sid=sid,
            meeting_id=meeting.id,
            participant_id=participant.id,
            server_id=server_id,
            read_only=read_only,
        )
    )
    db.session.commit()
    return participant


def disconnect(sid: str) -> int | None:
    """Forget a socket; return its meeting id, if it was known."""
    row = db.session.get(Presence, sid)
    if row is None:
        return None
    meeting_id = row.meeting_id
    db.session.delete(row)
    db.session.commit()
    return meeting_id


def sids_of(participant_id: int) -> list[str]:
    return list(
        db.session.scalars(select(Presence.sid).where(Presence.participant_id == participant_id))
    )


def sids_of_user(user_id: int) -> list[str]:
    query = select(Presence.sid).join(Participant).where(Participant.user_id == user_id)
    return list(db.session.scalars(query))


def online_ids(meeting_id: int) -> set[int]:
    query = select(Presence.participant_id).where(
        Presence.meeting_id == meeting_id, Presence.read_only.is_(False)
    )
    return set(db.session.scalars(query))


def clear_server(server_id: str) -> None:
    """Drop the rows a previous run of this server left behind."""
    db.session.execute(delete(Presence).where(Presence.server_id == server_id))
    db.session.commit()
