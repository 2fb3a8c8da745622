"""The board as a client loads it: a snapshot at the current revision, or the events
since the revision it has (docs/protocol.md §9.3), as this viewer may see them."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select

from facilitator.domain.limits import SYNC_EVENTS_MAX
from facilitator.domain.visibility import event_for, item_for
from facilitator.extensions import db
from facilitator.models import Item, Meeting, MeetingEvent
from facilitator.presenters import snapshot_json
from facilitator.services import involved, presence, scaling


def board_snapshot(meeting: Meeting, viewer: int | None) -> dict[str, Any]:
    """The whole board of a meeting at its current revision, as this participant may see
    it (viewer None: what anyone in the room may see, as the display and the record)."""
    items = db.session.scalars(
        select(Item).where(Item.meeting_id == meeting.id, Item.deleted.is_(False))
    )
    # Sorted here, not in SQL: order keys compare by code point, whatever the collation.
    ordered = sorted(items, key=lambda item: (item.section, item.position, item.id))
    snapshot = snapshot_json(
        meeting, ordered, list(meeting.participants), presence.online_ids(meeting.id)
    )
    snapshot["items"] = [item_for(item, viewer) for item in snapshot["items"]]
    snapshot["scale_rounds"] = scaling.rounds_for(meeting.id, viewer)
    snapshot["involved"] = involved.people_for(meeting)
    return snapshot


def sync(meeting: Meeting, since_rev: int | None, viewer: int | None) -> dict[str, Any]:
    """The events after since_rev, in order, as this participant may see them; or a
    snapshot when the gap is too large."""
    db.session.refresh(meeting)
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
