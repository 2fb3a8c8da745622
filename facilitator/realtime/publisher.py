"""The one place that emits: events go out only after their transaction committed."""

from __future__ import annotations

from typing import Any

from facilitator.extensions import db, socketio
from facilitator.models import Meeting
from facilitator.presenters import participant_json
from facilitator.realtime.rooms import meeting_room
from facilitator.services import presence


def publish(event: dict[str, Any]) -> None:
    """Send a committed board event to everyone in its meeting."""
    socketio.emit("event", event, to=meeting_room(event["meeting_id"]))
    if event["type"] == "participant_removed":
        close_participant(event["participant_id"], "removed")


def presence_changed(meeting_id: int) -> None:
    """Tell the meeting who is here now (not part of the board's revisions)."""
    meeting = db.session.get(Meeting, meeting_id)
    if meeting is None:
        return
    online = presence.online_ids(meeting_id)
    people = [
        participant_json(p, p.id in online) for p in meeting.participants if p.removed_at is None
    ]
    socketio.emit(
        "presence", {"meeting_id": meeting_id, "participants": people}, to=meeting_room(meeting_id)
    )


def close_sockets(sids: list[str], reason: str) -> None:
    """Tell these sockets why, then close them at once."""
    for sid in sids:
        socketio.emit("closed", {"reason": reason}, to=sid)
        socketio.server.disconnect(sid, namespace="/")


def close_participant(participant_id: int, reason: str) -> None:
    close_sockets(presence.sids_of(participant_id), reason)


def close_user(user_id: int, reason: str) -> None:
    close_sockets(presence.sids_of_user(user_id), reason)
