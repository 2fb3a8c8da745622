"""The board as a client loads it: a snapshot at the current revision, or the events
since the revision it has (docs/protocol.md §9.3), as this viewer may see them."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select

from facilitator.domain.consent import consent_pending
from facilitator.domain.family_time import is_family
from facilitator.domain.limits import SYNC_EVENTS_MAX
from facilitator.domain.visibility import Viewer, event_for, item_for, needs_each_viewer, sees
from facilitator.extensions import db
from facilitator.models import Item, Meeting, MeetingEvent, Participant, Presence
from facilitator.presenters import snapshot_json
from facilitator.services import agency, frameworks, involved, presence, scaling


def childs_words_wait(meeting: Meeting) -> bool:
    """Whether this meeting's child's words wait for consent (domain/consent.py)."""
    if meeting.child_consent:
        return False
    framework = frameworks.resolve(meeting.framework_key, meeting.framework_version)
    family_mode = framework is not None and framework.mode == "family"
    return consent_pending(family_mode, agency.child_consent_rule(), meeting.child_consent)


def viewer_for(meeting: Meeting, participant_id: int | None, read_only: bool = False) -> Viewer:
    """Who a participant is to the board's rules (a read-only display leads nothing and is
    no family member, whoever opened it)."""
    pending = childs_words_wait(meeting)
    participant = db.session.get(Participant, participant_id) if participant_id else None
    if participant is None or participant.meeting_id != meeting.id:
        return Viewer(None, consent_pending=pending)
    return Viewer(
        participant.id,
        family=not read_only and is_family(participant.role, participant.view),
        leads=not read_only and participant.role == "facilitator",
        consent_pending=pending,
    )


def viewers_in(meeting: Meeting) -> list[tuple[str, Viewer]]:
    """Every open socket of the meeting (on any server), with who it shows the board to."""
    pending = childs_words_wait(meeting)
    rows = db.session.execute(
        select(Presence.sid, Presence.read_only, Participant.id, Participant.view, Participant.role)
        .join(Participant, Participant.id == Presence.participant_id)
        .where(Presence.meeting_id == meeting.id)
    )
    return [
        (
            sid,
            Viewer(
                participant_id,
                family=not read_only and is_family(role, view),
                leads=not read_only and role == "facilitator",
                consent_pending=pending,
            ),
        )
        for sid, read_only, participant_id, view, role in rows
    ]


def board_snapshot(meeting: Meeting, viewer: Viewer | int | None) -> dict[str, Any]:
    """The whole board of a meeting at its current revision, as this participant may see
    it (viewer None: what anyone in the room may see, as the display and the record)."""
    if not isinstance(viewer, Viewer):
        viewer = Viewer(viewer, consent_pending=childs_words_wait(meeting))
    items = db.session.scalars(
        select(Item).where(Item.meeting_id == meeting.id, Item.deleted.is_(False))
    )
    # Sorted here, not in SQL: order keys compare by code point, whatever the collation.
    ordered = sorted(items, key=lambda item: (item.section, item.position, item.id))
    snapshot = snapshot_json(
        meeting, ordered, list(meeting.participants), presence.online_ids(meeting.id)
    )
    snapshot["items"] = [item_for(item, viewer) for item in snapshot["items"] if sees(item, viewer)]
    snapshot["scale_rounds"] = scaling.rounds_for(meeting.id, viewer.participant_id)
    snapshot["involved"] = involved.people_for(meeting)
    return snapshot


def sync(meeting: Meeting, since_rev: int | None, participant_id: int | None) -> dict[str, Any]:
    """The events after since_rev, in order, as this participant may see them; or a
    snapshot when the gap is too large."""
    db.session.refresh(meeting)
    viewer = viewer_for(meeting, participant_id)
    if since_rev is None or since_rev < 0 or since_rev > meeting.rev:
        return {"mode": "snapshot", "snapshot": board_snapshot(meeting, viewer)}
    if meeting.rev - since_rev > SYNC_EVENTS_MAX:
        return {"mode": "snapshot", "snapshot": board_snapshot(meeting, viewer)}
    events = list(
        db.session.scalars(
            select(MeetingEvent.data)
            .where(MeetingEvent.meeting_id == meeting.id, MeetingEvent.rev > since_rev)
            .order_by(MeetingEvent.rev)
        )
    )
    # events committed after the refresh above are included: report the newest one read
    rev = max([meeting.rev, *(event["rev"] for event in events)])
    return {"mode": "events", "rev": rev, "events": [event_for(e, viewer) for e in events]}


def event_seen_by(event: dict[str, Any], participant_id: int | None) -> dict[str, Any]:
    """A committed event as one participant may see it (the sender's ack)."""
    if not needs_each_viewer(event):
        return event_for(event, participant_id)  # no need to read who they are
    meeting = db.session.get(Meeting, event["meeting_id"])
    assert meeting is not None
    return event_for(event, viewer_for(meeting, participant_id))


def event_for_each(event: dict[str, Any]) -> list[tuple[str, dict[str, Any]]] | None:
    """A committed event as each open socket of its meeting may see it; None when all see
    it alike (then it is broadcast to the meeting's room)."""
    if not needs_each_viewer(event):
        return None
    meeting = db.session.get(Meeting, event["meeting_id"])
    if meeting is None:
        return []
    return [(sid, event_for(event, viewer)) for sid, viewer in viewers_in(meeting)]


def item_seen_by(
    item: dict[str, Any], meeting_id: int, participant_id: int | None
) -> dict[str, Any]:
    """One item as a participant may see it (an error that carries the item: a conflict)."""
    if not needs_each_viewer({"item": item}):
        return item_for(item, participant_id)
    meeting = db.session.get(Meeting, meeting_id)
    assert meeting is not None
    return item_for(item, viewer_for(meeting, participant_id))
