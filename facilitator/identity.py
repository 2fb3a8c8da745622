"""Who is asking: an HTTP request or a socket connection becomes an Actor."""

from __future__ import annotations

import secrets
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, NamedTuple

from flask import session
from flask_login import current_user
from sqlalchemy import bindparam, select

from facilitator.domain.actor import (
    ANONYMOUS,
    Actor,
    display_actor,
    guest_actor,
    past_guest_actor,
    staff_actor,
)
from facilitator.extensions import db
from facilitator.models import (
    AccessEpoch,
    AuthSession,
    DisplayLink,
    GuestInvite,
    Meeting,
    Participant,
    Presence,
    TeamMember,
    User,
)
from facilitator.models.types import utcnow
from facilitator.services import sessions
from facilitator.services.sessions import SESSION_TOUCH_EVERY, session_expires_at

GUEST_SESSION_KEY = "guest_participant_id"
DISPLAY_SESSION_KEY = "display_participant_id"  # a room display opened with a display link
SESSION_KEY = "connection_key"  # random per sign-in or join; ties sockets to one browser


def _display_link_holds(revoked_at: Any, expires_at: Any, meeting_status: str) -> bool:
    """A display link opens its display while not revoked, unexpired and the meeting live."""
    return (
        revoked_at is None
        and expires_at is not None
        and expires_at > utcnow()
        and meeting_status == "live"
    )


def _live_display(participant_id: object) -> Participant | None:
    if not isinstance(participant_id, int):
        return None
    participant = db.session.get(Participant, participant_id)
    if participant is None or participant.display_link_id is None or participant.removed_at:
        return None
    link = db.session.get(DisplayLink, participant.display_link_id)
    if link is None or not _display_link_holds(
        link.revoked_at, link.expires_at, participant.meeting.status
    ):
        return None
    return participant


def start_session() -> None:
    """Begin a fresh session (at sign-in or when a guest joins) with a new connection key."""
    session.clear()
    session[SESSION_KEY] = secrets.token_urlsafe(24)


def _guest_access_holds(
    removed_at: Any, meeting_status: str, invite_expires_at: Any, admission: str = "admitted"
) -> bool:
    """A guest is in (or waiting to be let in) while not removed or refused, the meeting is
    live and their invite has not expired. What a waiting guest may do is access.py's."""
    return (
        removed_at is None
        and admission != "refused"
        and meeting_status == "live"
        and invite_expires_at is not None
        and invite_expires_at > utcnow()
    )


def _live_guest(participant_id: object) -> Participant | None:
    if not isinstance(participant_id, int):
        return None
    participant = db.session.get(Participant, participant_id)
    if participant is None or participant.user_id is not None:
        return None
    invite = db.session.get(GuestInvite, participant.invite_id) if participant.invite_id else None
    expires_at = invite.expires_at if invite else None
    holds = _guest_access_holds(
        participant.removed_at, participant.meeting.status, expires_at, participant.admission
    )
    if not holds:
        return None
    return participant


def _past_guest(participant_id: object) -> Participant | None:
    """A guest who was in a meeting that has since closed (never removed, refused or left
    waiting). What they may still read, and for how long, is access.py's."""
    if not isinstance(participant_id, int):
        return None
    participant = db.session.get(Participant, participant_id)
    if participant is None or participant.user_id is not None or participant.display_link_id:
        return None
    if participant.removed_at is not None or participant.admission != "admitted":
        return None
    return participant if participant.meeting.status == "closed" else None


def request_actor() -> Actor:
    """Return the actor behind the current HTTP request (or socket connect)."""
    if current_user.is_authenticated and current_user.is_active:
        return staff_actor(current_user)
    guest = _live_guest(session.get(GUEST_SESSION_KEY))
    if guest:
        return guest_actor(guest)
    past = _past_guest(session.get(GUEST_SESSION_KEY))
    if past:
        return past_guest_actor(past)
    display = _live_display(session.get(DISPLAY_SESSION_KEY))
    return display_actor(display) if display else ANONYMOUS


# Built once: every socket event runs these, and building a statement costs more than
# running it on SQLite (measured with bench/opcost.py).
_CONNECTIONS = (
    select(
        Presence.sid,
        Presence.read_only,
        Presence.meeting_id,
        Participant.id,
        Participant.user_id,
        Participant.display_name,
        Participant.removed_at,
        Participant.role,
        Meeting.status,
        User.role,
        User.active,
        User.display_name,
        GuestInvite.expires_at,
        Participant.admission,
        AuthSession.id.label("session_id"),
        AuthSession.ended_at,
        AuthSession.created_at,
        AuthSession.last_seen_at,
        Participant.display_link_id,
        DisplayLink.expires_at.label("display_expires_at"),
        DisplayLink.revoked_at.label("display_revoked_at"),
    )
    .join(Participant, Participant.id == Presence.participant_id)
    .join(Meeting, Meeting.id == Presence.meeting_id)
    .outerjoin(User, User.id == Participant.user_id)
    .outerjoin(GuestInvite, GuestInvite.id == Participant.invite_id)
    .outerjoin(AuthSession, AuthSession.id == Presence.auth_session_id)
    .outerjoin(DisplayLink, DisplayLink.id == Participant.display_link_id)
    .where(Presence.sid.in_(bindparam("sids", expanding=True)))
)
# ... and the access epoch in the same statement, so both come from one snapshot
_CONNECTIONS_AT_EPOCH = _CONNECTIONS.add_columns(
    select(AccessEpoch.value).where(AccessEpoch.id == 1).scalar_subquery().label("epoch")
)
_TEAMS = select(TeamMember.user_id, TeamMember.team_id).where(
    TeamMember.user_id.in_(bindparam("user_ids", expanding=True))
)


def connection_actor(sid: str) -> Actor:
    """Re-check a socket connection's identity from the database, for every event."""
    return connection_actors([sid])[sid]


_EPOCH = select(AccessEpoch.value).where(AccessEpoch.id == 1)


class _Entry(NamedTuple):
    """A socket's actor, until when it holds, and its staff session (id, last seen)."""

    actor: Actor
    expires_at: Any  # a guest's invite expiry or a staff session's; None: no limit
    session_id: int | None = None
    created_at: Any = None
    last_seen_at: Any = None


_GONE = _Entry(ANONYMOUS, None)


@dataclass
class ConnectionCache:
    """Actors of open sockets, valid while the access epoch is unchanged (a guest's until
    their invite expires, a staff member's until their session's idle or absolute limit).
    One small query per batch instead of a joined one per event."""

    epoch: int | None = None
    actors: dict[str, _Entry] = field(default_factory=dict)

    def forget(self, sid: str) -> None:
        self.actors.pop(sid, None)

    def held(self, sid: str) -> Actor | None:
        """The socket's cached actor while it holds (the epoch is checked per batch), else None."""
        entry = self.actors.get(sid)
        if entry is None or (entry.expires_at is not None and entry.expires_at <= utcnow()):
            return None
        return entry.actor


def cached_connection_actors(sids: list[str], cache: ConnectionCache) -> dict[str, Actor]:
    """connection_actors, re-reading only sockets not seen since the last access change."""
    epoch = db.session.connection().execute(_EPOCH).scalar() or 0
    if epoch != cache.epoch:
        cache.epoch, cache.actors = epoch, {}
    now = utcnow()
    found: dict[str, _Entry] = {}
    for sid in sids:
        entry = cache.actors.get(sid)
        if entry is not None and (entry.expires_at is None or entry.expires_at > now):
            found[sid] = entry
    missing = [sid for sid in sids if sid not in found]
    if missing:
        for sid, entry in _read_connections(missing).items():
            found[sid] = entry
            if entry.actor.kind != "anonymous":
                cache.actors[sid] = entry
    touched = _touch_sessions(found, now)
    for sid, entry in touched.items():
        if sid in cache.actors:
            cache.actors[sid] = entry
    return {sid: entry.actor for sid, entry in found.items()}


def remember_connection(sid: str, cache: ConnectionCache) -> None:
    """Read a socket's identity as it opens, so its first operation finds it cached: the
    handler and the writer's batch would otherwise each read it then, 300 times a second
    in a county's first ten seconds. The epoch is read with the identity, in the same
    statement (one snapshot), and the entry kept only under the epoch the cache holds, so
    an access change committed since still makes the next batch re-read it."""
    rows = db.session.connection().execute(_CONNECTIONS_AT_EPOCH, {"sids": [sid]}).all()
    if not rows:
        return
    epoch = rows[0].epoch or 0
    entry = _entries([sid], rows)[sid]
    if cache.epoch is None:
        cache.epoch = epoch
    if epoch == cache.epoch and entry.actor.kind != "anonymous":
        cache.actors[sid] = entry


def connection_actors(sids: list[str]) -> dict[str, Actor]:
    """Re-check several connections at once (a batch of events): two queries in all."""
    found = _read_connections(sids)
    _touch_sessions(found, utcnow())
    return {sid: entry.actor for sid, entry in found.items()}


def _touch_sessions(found: dict[str, _Entry], now: datetime) -> dict[str, _Entry]:
    """Socket events are activity: move the staff sessions' last_seen_at (and so their idle
    limit) on, at most once a minute each. Updates `found`; returns the entries changed."""
    due = {
        sid: entry
        for sid, entry in found.items()
        if entry.session_id is not None and entry.last_seen_at + SESSION_TOUCH_EVERY <= now
    }
    if not due:
        return {}
    sessions.touch_ids({entry.session_id for entry in due.values()}, now)
    for sid, entry in due.items():
        expires_at = session_expires_at(entry.created_at, now)
        found[sid] = entry._replace(last_seen_at=now, expires_at=expires_at)
    return {sid: found[sid] for sid in due}


def _read_connections(sids: list[str]) -> dict[str, _Entry]:
    rows = db.session.connection().execute(_CONNECTIONS, {"sids": list(set(sids))}).all()
    return _entries(sids, rows)


def _entries(sids: list[str], rows: list[Any]) -> dict[str, _Entry]:
    """The sockets' entries from their rows of _CONNECTIONS (and their staff's teams, read
    now: a team lost since the rows were read only narrows what the entry allows)."""
    user_ids = {row.user_id for row in rows if row.user_id is not None}
    teams: dict[int, set[int]] = {user_id: set() for user_id in user_ids}
    if user_ids:
        found = db.session.connection().execute(_TEAMS, {"user_ids": list(user_ids)})
        for user_id, team_id in found:
            teams[user_id].add(team_id)
    entries: dict[str, _Entry] = dict.fromkeys(sids, _GONE)
    now = utcnow()
    for row in rows:
        entries[row.sid] = _connection_entry(row, teams, now)
    return entries


def _display_entry(row: Any, status: str) -> _Entry:
    """A room display's socket, opened with a display link: read-only, while the link holds."""
    expires_at = row.display_expires_at
    if not _display_link_holds(row.display_revoked_at, expires_at, status):
        return _GONE
    display = Actor(
        "display", participant_id=row[3], meeting_id=row[2], name=row[5],
        read_only=True, meeting_role="display",
    )  # fmt: skip
    return _Entry(display, expires_at)


def _connection_entry(row: Any, teams: dict[int, set[int]], now: datetime) -> _Entry:
    read_only, meeting_id, participant_id, user_id, name, removed_at, meeting_role = row[1:8]
    status, role, active, user_name, invite_expires_at, admission = row[8:14]
    # by name: the staff session's columns come last in _CONNECTIONS
    session_id, ended_at = row.session_id, row.ended_at
    created_at, last_seen_at = row.created_at, row.last_seen_at
    if removed_at is not None:
        return _GONE
    if row.display_link_id is not None:
        return _display_entry(row, status)
    if user_id is None:
        if not _guest_access_holds(removed_at, status, invite_expires_at, admission):
            return _GONE
        guest = Actor(
            "guest", participant_id=participant_id, meeting_id=meeting_id, name=name,
            read_only=read_only, meeting_role=meeting_role, waiting=admission == "waiting",
        )  # fmt: skip
        return _Entry(guest, invite_expires_at)
    if not active or session_id is None or ended_at is not None:
        return _GONE  # a disabled account, or a session signed out or ended by an admin
    expires_at = session_expires_at(created_at, last_seen_at)
    if expires_at <= now:
        return _GONE  # idle too long, or past the absolute limit
    staff = Actor(
        "staff",
        user_id=user_id,
        role=role,
        team_ids=frozenset(teams[user_id]),
        participant_id=participant_id,
        meeting_id=meeting_id,
        name=user_name,
        read_only=read_only,
        meeting_role=meeting_role,
    )
    return _Entry(staff, expires_at, session_id, created_at, last_seen_at)
