"""Display links: the facilitator opens the room's screen on the room's computer without a
sign-in there. A link shows one meeting's display and nothing else; it is unguessable (only
its hash is stored), expires, ends with the meeting, and a new link or "End display links"
revokes it (and closes the displays opened with it)."""

from __future__ import annotations

import hashlib
import secrets
from datetime import timedelta

from sqlalchemy import select, update

from facilitator.domain.actor import Actor, display_actor
from facilitator.domain.errors import UserError
from facilitator.domain.text import N_
from facilitator.extensions import db
from facilitator.models import DisplayLink, Meeting, Participant
from facilitator.models.types import utcnow
from facilitator.services import access_epoch, audit

DISPLAY_LINK_HOURS = 8  # a working day: the link is made for one meeting in one room


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def create(actor: Actor, meeting: Meeting) -> tuple[DisplayLink, str]:
    """A new link for the meeting (earlier ones stop working); returns it and its token."""
    if meeting.status != "live":
        raise UserError(N_("This meeting has ended."))
    _revoke_all(meeting)
    token = secrets.token_urlsafe(32)
    link = DisplayLink(
        meeting_id=meeting.id,
        token_hash=_hash(token),
        created_by_id=actor.user_id,
        expires_at=utcnow() + timedelta(hours=DISPLAY_LINK_HOURS),
    )
    db.session.add(link)
    db.session.flush()
    audit.record(actor, "display_link.created", case_id=meeting.case_id, meeting_id=meeting.id,
                 detail={"display_link_id": link.id})  # fmt: skip
    db.session.commit()
    return link, token


def _revoke_all(meeting: Meeting) -> list[int]:
    """Revoke the meeting's working links; return the display participants they opened."""
    links = list(db.session.scalars(select(DisplayLink.id).where(
        DisplayLink.meeting_id == meeting.id, DisplayLink.revoked_at.is_(None),
    )))  # fmt: skip
    if not links:
        return []
    db.session.execute(
        update(DisplayLink).where(DisplayLink.id.in_(links)).values(revoked_at=utcnow())
    )
    access_epoch.raise_access_epoch()  # open display sockets are re-checked at once
    return list(db.session.scalars(
        select(Participant.id).where(Participant.display_link_id.in_(links))
    ))  # fmt: skip


def revoke(actor: Actor, meeting: Meeting) -> list[int]:
    """End every display link of the meeting; return the participants whose sockets to close."""
    closed = _revoke_all(meeting)
    audit.record(actor, "display_link.revoked", case_id=meeting.case_id, meeting_id=meeting.id)
    db.session.commit()
    return closed


def holds(link: DisplayLink | None, meeting_status: str) -> bool:
    """Whether a link still opens its display."""
    return (
        link is not None
        and link.revoked_at is None
        and link.expires_at > utcnow()
        and meeting_status == "live"
    )


def exchange(token: str) -> Participant | None:
    """Trade a working link's token for a display participant of its meeting, or None."""
    link = db.session.scalar(select(DisplayLink).where(DisplayLink.token_hash == _hash(token)))
    meeting = db.session.get(Meeting, link.meeting_id) if link else None
    if link is None or meeting is None or not holds(link, meeting.status):
        return None
    display = Participant(
        meeting_id=meeting.id, display_name="Display", role="display", display_link_id=link.id
    )
    db.session.add(display)
    db.session.flush()
    audit.record(display_actor(display), "display_link.opened", case_id=meeting.case_id,
                 meeting_id=meeting.id, detail={"display_link_id": link.id})  # fmt: skip
    db.session.commit()
    return display


def meeting_of(token: str) -> int | None:
    """The meeting a working link opens, without using it (staff already signed in)."""
    link = db.session.scalar(select(DisplayLink).where(DisplayLink.token_hash == _hash(token)))
    meeting = db.session.get(Meeting, link.meeting_id) if link else None
    return meeting.id if link and meeting and holds(link, meeting.status) else None
