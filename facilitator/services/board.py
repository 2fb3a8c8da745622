"""The operation pipeline: one command, one transaction, one revision, one event."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.exc import IntegrityError

from facilitator import access
from facilitator.domain.errors import OperationError
from facilitator.domain.frameworks import get_framework
from facilitator.domain.limits import SYNC_EVENTS_MAX
from facilitator.domain.operations import (
    AddItem,
    DeleteItem,
    EditItem,
    MoveItem,
    RemoveParticipant,
    parse_command,
    parse_envelope,
)
from facilitator.domain.ordering import key_between
from facilitator.extensions import db
from facilitator.identity import Actor
from facilitator.models import GuestInvite, Item, Meeting, MeetingEvent, Participant
from facilitator.models.types import utcnow
from facilitator.presenters import item_json, snapshot_json
from facilitator.services import presence


@dataclass(frozen=True)
class OpResult:
    rev: int
    event: dict[str, Any]
    duplicate: bool = False


def _forbidden() -> OperationError:
    return OperationError("forbidden", "You can't make that change in this meeting.")


def _not_found() -> OperationError:
    return OperationError("not_found", "That item is no longer on the board.")


def apply_operation(actor: Actor, raw: Any) -> OpResult:
    """Validate, authorize and apply one client operation; commit, then return its event."""
    envelope = parse_envelope(raw)
    meeting = db.session.get(Meeting, envelope.meeting_id)
    if meeting is None or actor.meeting_id != meeting.id:
        raise _forbidden()
    if meeting.status != "live":
        raise OperationError("meeting_closed", "This meeting has ended; the board is read-only.")
    if actor.read_only or not access.can(actor, "meeting.view", meeting):
        raise _forbidden()
    framework = get_framework(meeting.framework_key)
    assert framework is not None
    command = parse_command(envelope, framework)
    try:
        rev = _claim_next_rev(meeting.id)  # takes the meeting's write lock first
        stored = _stored_event(meeting.id, envelope.op_id)
        if stored is not None:
            db.session.rollback()
            return _replayed(stored, actor)
        event_type, data = _APPLY[type(command)](actor, meeting, command)
        event = {
            "type": event_type,
            "rev": rev,
            "meeting_id": meeting.id,
            "op_id": envelope.op_id,
            "actor": {"id": actor.participant_id, "name": actor.name},
            **data,
        }
        db.session.add(
            MeetingEvent(
                meeting_id=meeting.id,
                rev=rev,
                op_id=envelope.op_id,
                actor_id=actor.participant_id,
                type=event_type,
                data=event,
            )
        )
        db.session.commit()
    except IntegrityError:
        # the same op_id committed by a concurrent retry: answer with that result
        db.session.rollback()
        stored = _stored_event(meeting.id, envelope.op_id)
        if stored is None:
            raise
        return _replayed(stored, actor)
    except BaseException:
        db.session.rollback()
        raise
    return OpResult(rev, event)


def _claim_next_rev(meeting_id: int) -> int:
    statement = (
        update(Meeting)
        .where(Meeting.id == meeting_id)
        .values(rev=Meeting.rev + 1)
        .returning(Meeting.rev)
        .execution_options(synchronize_session=False)
    )
    return int(db.session.execute(statement).scalar_one())


def _replayed(stored: MeetingEvent, actor: Actor) -> OpResult:
    """The stored result of a retried operation; an op_id is only its own sender's to retry."""
    if stored.actor_id != actor.participant_id:
        raise OperationError("invalid", "That op_id was already used; make a new one.")
    return OpResult(stored.rev, stored.data, duplicate=True)


def _stored_event(meeting_id: int, op_id: str) -> MeetingEvent | None:
    return db.session.scalar(
        select(MeetingEvent).where(
            MeetingEvent.meeting_id == meeting_id, MeetingEvent.op_id == op_id
        )
    )


def _live_item(meeting: Meeting, item_id: int) -> Item:
    item = db.session.get(Item, item_id)
    if item is None or item.meeting_id != meeting.id or item.deleted:
        raise _not_found()
    return item


def _section_positions(meeting: Meeting, section: str, exclude: int | None) -> list[str]:
    query = select(Item.position).where(
        Item.meeting_id == meeting.id, Item.section == section, Item.deleted.is_(False)
    )
    if exclude is not None:
        query = query.where(Item.id != exclude)
    return sorted(db.session.scalars(query))


def _add(actor: Actor, meeting: Meeting, command: AddItem) -> tuple[str, dict[str, Any]]:
    if not access.can(actor, "item.add", meeting):
        raise _forbidden()
    positions = _section_positions(meeting, command.section, None)
    item = Item(
        meeting_id=meeting.id,
        section=command.section,
        position=key_between(positions[-1] if positions else None, None),
        text=command.text,
        view=command.view,
        author_id=actor.participant_id,
    )
    db.session.add(item)
    db.session.flush()
    return "item_added", {"item": item_json(item)}


def _edit(actor: Actor, meeting: Meeting, command: EditItem) -> tuple[str, dict[str, Any]]:
    item = _live_item(meeting, command.item_id)
    if not access.can(actor, "item.edit", item):
        raise _forbidden()
    if command.base_version != item.version:
        raise OperationError(
            "conflict",
            "Someone changed this item while you were editing it.",
            item=item_json(item),
        )
    item.text = command.text
    if command.view is not None:
        item.view = command.view
    item.version += 1
    item.updated_at = utcnow()
    db.session.flush()
    return "item_edited", {"item": item_json(item)}


def _move(actor: Actor, meeting: Meeting, command: MoveItem) -> tuple[str, dict[str, Any]]:
    item = _live_item(meeting, command.item_id)
    if not access.can(actor, "item.move", item):
        raise _forbidden()
    positions = _section_positions(meeting, command.section, item.id)
    if command.after_id is None:
        low = None
    else:
        after = _live_item(meeting, command.after_id)
        if after.section != command.section or after.id == item.id:
            raise OperationError("invalid", "'after_id' must be another item in that section.")
        low = after.position
    high = next((p for p in positions if low is None or p > low), None)
    item.section = command.section
    item.position = key_between(low, high)
    item.updated_at = utcnow()
    db.session.flush()
    return "item_moved", {"item": item_json(item)}


def _delete(actor: Actor, meeting: Meeting, command: DeleteItem) -> tuple[str, dict[str, Any]]:
    item = _live_item(meeting, command.item_id)
    if not access.can(actor, "item.delete", item):
        raise _forbidden()
    item.deleted = True
    item.updated_at = utcnow()
    return "item_deleted", {"item_id": item.id, "section": item.section}


def _remove_participant(
    actor: Actor, meeting: Meeting, command: RemoveParticipant
) -> tuple[str, dict[str, Any]]:
    participant = db.session.get(Participant, command.participant_id)
    if participant is None or participant.meeting_id != meeting.id:
        raise OperationError("not_found", "That person is not in this meeting.")
    if participant.removed_at is not None or not access.can(
        actor, "participant.remove", participant
    ):
        raise _forbidden()
    participant.removed_at = utcnow()
    invite = db.session.get(GuestInvite, participant.invite_id) if participant.invite_id else None
    withdrawn = None
    if invite is not None and invite.revoked_at is None:
        invite.revoked_at = participant.removed_at  # else its code would let them straight back in
        withdrawn = invite.code
    return "participant_removed", {"participant_id": participant.id, "withdrawn_code": withdrawn}


_APPLY: dict[type, Callable[[Actor, Meeting, Any], tuple[str, dict[str, Any]]]] = {
    AddItem: _add,
    EditItem: _edit,
    MoveItem: _move,
    DeleteItem: _delete,
    RemoveParticipant: _remove_participant,
}


def board_snapshot(meeting: Meeting) -> dict[str, Any]:
    """The whole live board of a meeting, at its current revision."""
    items = db.session.scalars(
        select(Item).where(Item.meeting_id == meeting.id, Item.deleted.is_(False))
    )
    # Sorted here, not in SQL: order keys compare by code point, whatever the collation.
    ordered = sorted(items, key=lambda item: (item.section, item.position, item.id))
    return snapshot_json(
        meeting, ordered, list(meeting.participants), presence.online_ids(meeting.id)
    )


def sync(meeting: Meeting, since_rev: int | None) -> dict[str, Any]:
    """The events after since_rev, in order; or a snapshot when the gap is too large."""
    db.session.refresh(meeting)
    if since_rev is None or since_rev < 0 or since_rev > meeting.rev:
        return {"mode": "snapshot", "snapshot": board_snapshot(meeting)}
    if meeting.rev - since_rev > SYNC_EVENTS_MAX:
        return {"mode": "snapshot", "snapshot": board_snapshot(meeting)}
    events = list(
        db.session.scalars(
            select(MeetingEvent.data)
            .where(MeetingEvent.meeting_id == meeting.id, MeetingEvent.rev > since_rev)
            .order_by(MeetingEvent.rev)
        )
    )
    # events committed after the refresh above are included: report the newest one read
    rev = max([meeting.rev, *(event["rev"] for event in events)])
    return {"mode": "events", "rev": rev, "events": events}
