"""The facilitator's commands applied: steps and the timer, roles, controls, closing.

Each function runs inside the operation pipeline's transaction (services/board.py) and
returns (event type, event data). Event data carries what changed in the shapes the
snapshot uses: "meeting" (a partial meeting state), "participant(s)", "item(s)".
"""

from __future__ import annotations

import hashlib
import json
from datetime import timedelta
from typing import Any

from sqlalchemy import select

from facilitator import access
from facilitator.domain import facilitation as commands
from facilitator.domain.actor import Actor
from facilitator.domain.errors import OperationError, forbidden
from facilitator.domain.roles import may_assign
from facilitator.domain.text import N_
from facilitator.extensions import db
from facilitator.models import GuestInvite, Item, Meeting, MeetingSnapshot, Participant
from facilitator.models.types import utcnow
from facilitator.presenters import iso, item_json, meeting_state_json, participant_json
from facilitator.services import access_epoch, audit
from facilitator.services.board_state import board_snapshot
from facilitator.services.ops.rows import MeetingRef

Result = tuple[str, dict[str, Any]]


def meeting_for(actor: Actor, ref: MeetingRef, action: str = "meeting.lead") -> Meeting:
    """The op's meeting row, once the actor may do `action` to it (forbidden otherwise)."""
    meeting = db.session.get(Meeting, ref.id)
    assert meeting is not None
    if not access.can(actor, action, meeting):
        raise forbidden()
    return meeting


def meeting_changes(meeting: Meeting, *keys: str) -> dict[str, Any]:
    """An event's data: these keys of the meeting's state."""
    state = meeting_state_json(meeting)
    return {"meeting": {key: state[key] for key in keys}}


def _participant(meeting: Meeting, participant_id: int) -> Participant:
    participant = db.session.get(Participant, participant_id)
    if participant is None or participant.meeting_id != meeting.id or participant.removed_at:
        raise OperationError("not_found", N_("That person is not in this meeting."))
    return participant


def _live_item(meeting: Meeting, item_id: int) -> Item:
    item = db.session.get(Item, item_id)
    if item is None or item.meeting_id != meeting.id or item.deleted:
        raise OperationError("not_found", N_("That item is no longer on the board."))
    return item


# --- steps and the timer ---------------------------------------------------------------


def set_agenda(actor: Actor, ref: MeetingRef, command: commands.SetAgenda) -> Result:
    meeting = meeting_for(actor, ref)
    meeting.agenda = list(command.steps)
    if meeting.step_index >= len(meeting.agenda):
        _start_step(meeting, len(meeting.agenda) - 1)
    return "agenda_set", meeting_changes(meeting, "agenda", "step_index", "step_ends_at")


def _start_step(meeting: Meeting, index: int) -> None:
    now = utcnow()
    meeting.step_index = index
    meeting.step_started_at = now
    meeting.step_ends_at = now + timedelta(minutes=meeting.agenda[index]["minutes"])


def go_to_step(actor: Actor, ref: MeetingRef, command: commands.GoToStep) -> Result:
    meeting = meeting_for(actor, ref)
    if command.index >= len(meeting.agenda):
        raise OperationError("invalid", N_("That step is not on the agenda."))
    _start_step(meeting, command.index)
    return "step_changed", meeting_changes(meeting, "step_index", "step_started_at", "step_ends_at")


def add_time(actor: Actor, ref: MeetingRef, command: commands.AddTime) -> Result:
    meeting = meeting_for(actor, ref)
    if meeting.step_ends_at is None:
        raise OperationError("invalid", N_("Start the meeting's first step first."))
    meeting.step_ends_at = max(utcnow(), meeting.step_ends_at + timedelta(minutes=command.minutes))
    return "step_changed", meeting_changes(meeting, "step_index", "step_started_at", "step_ends_at")


# --- roles -----------------------------------------------------------------------------


def set_role(actor: Actor, ref: MeetingRef, command: commands.SetRole) -> Result:
    meeting = meeting_for(actor, ref)
    participant = _participant(meeting, command.participant_id)
    if participant.role in ("facilitator", "display") or not may_assign(
        command.role, participant.is_guest
    ):
        raise OperationError("invalid", N_("That role can't be given to that person."))
    participant.role = command.role
    access_epoch.raise_access_epoch()  # what they may do changes with the role
    return "role_set", {"participant": participant_json(participant)}


def hand_over(actor: Actor, ref: MeetingRef, command: commands.HandOver) -> Result:
    meeting = db.session.get(Meeting, ref.id)
    assert meeting is not None
    taking_over = command.participant_id == actor.participant_id
    action = "meeting.take_over" if taking_over else "meeting.lead"
    if not access.can(actor, action, meeting) and not access.can(actor, "meeting.lead", meeting):
        raise forbidden()
    successor = _participant(meeting, command.participant_id)
    if successor.is_guest or successor.role == "display":
        raise OperationError("invalid", N_("Only a staff member in the meeting can facilitate."))
    changed = [p for p in meeting.participants if p.role == "facilitator" and p is not successor]
    for former in changed:
        former.role = "member"
    successor.role = "facilitator"
    access_epoch.raise_access_epoch()
    return "facilitation_handed_over", {
        "participants": [participant_json(p) for p in [*changed, successor]]
    }


# --- controls --------------------------------------------------------------------------


def set_write_policy(actor: Actor, ref: MeetingRef, command: commands.SetWritePolicy) -> Result:
    meeting = meeting_for(actor, ref)
    meeting.write_policy = command.policy
    return "write_policy_set", meeting_changes(meeting, "write_policy")


def set_question(actor: Actor, ref: MeetingRef, command: commands.SetQuestion) -> Result:
    meeting = meeting_for(actor, ref, "meeting.ask")
    meeting.question = command.text or ""
    return "question_set", meeting_changes(meeting, "question")


def lock_section(actor: Actor, ref: MeetingRef, command: commands.LockSection) -> Result:
    meeting = meeting_for(actor, ref)
    locked = [key for key in meeting.locked_sections if key != command.section]
    meeting.locked_sections = [*locked, command.section] if command.locked else locked
    return "section_locked", meeting_changes(meeting, "locked_sections")


def spotlight(actor: Actor, ref: MeetingRef, command: commands.Spotlight) -> Result:
    meeting = meeting_for(actor, ref)
    if command.item_id is not None:
        item = _live_item(meeting, command.item_id)
        if item.hidden or item.family_private or item.merged_into_id:
            raise OperationError("invalid", N_("Only an item everyone can see can be spotlighted."))
    meeting.spotlight_item_id = command.item_id
    return "item_spotlighted", meeting_changes(meeting, "spotlight_item_id")


def collect_privately(actor: Actor, ref: MeetingRef, command: commands.CollectPrivately) -> Result:
    meeting = meeting_for(actor, ref)
    others = [key for key in meeting.private_sections if key != command.section]
    meeting.private_sections = [*others, command.section] if command.on else others
    if command.on:
        return "section_collecting", meeting_changes(meeting, "private_sections")
    # the section's hidden items, and any its author moved out of a private section into
    # one that is not (else it stayed hidden for good: no reveal would ever take it)
    still_private = Item.section.in_(meeting.private_sections)
    revealed = list(
        db.session.scalars(
            select(Item).where(
                Item.meeting_id == meeting.id,
                (Item.section == command.section) | ~still_private,
                Item.hidden.is_(True),
                Item.deleted.is_(False),
            )
        )
    )
    for item in revealed:
        item.hidden = False
    db.session.flush()
    return "section_revealed", {
        **meeting_changes(meeting, "private_sections"),
        "section": command.section,
        "items": [item_json(item) for item in revealed],
    }


def merge_items(actor: Actor, ref: MeetingRef, command: commands.MergeItems) -> Result:
    meeting = meeting_for(actor, ref)
    duplicate, kept = _live_item(meeting, command.item_id), _live_item(meeting, command.into_id)
    if duplicate.id == kept.id or kept.merged_into_id or duplicate.merged_into_id:
        raise OperationError("invalid", N_("Merge an item into another item on the board."))
    if duplicate.family_private or kept.family_private:
        raise forbidden()  # the family's own items are not the facilitator's to see
    if duplicate.hidden or kept.hidden:
        raise OperationError("invalid", N_("Reveal the section before merging its items."))
    db.session.execute(  # what was folded into the duplicate follows it
        Item.__table__.update()
        .where(Item.merged_into_id == duplicate.id)
        .values(merged_into_id=kept.id)
    )
    duplicate.merged_into_id = kept.id
    if meeting.spotlight_item_id == duplicate.id:
        meeting.spotlight_item_id = kept.id
    db.session.flush()
    return "items_merged", {
        "item": item_json(duplicate),
        **meeting_changes(meeting, "spotlight_item_id"),
    }


def unmerge_item(actor: Actor, ref: MeetingRef, command: commands.UnmergeItem) -> Result:
    meeting = meeting_for(actor, ref)
    item = _live_item(meeting, command.item_id)
    if item.merged_into_id is None:
        raise OperationError("invalid", N_("That item is not merged."))
    item.merged_into_id = None
    db.session.flush()
    return "item_unmerged", {"item": item_json(item)}


def set_signal(actor: Actor, ref: MeetingRef, command: commands.SetSignal) -> Result:
    meeting = meeting_for(actor, ref, "meeting.signal")
    participant = _participant(meeting, actor.participant_id or 0)
    if command.signal == "hand":
        participant.hand_raised = command.on
    else:
        participant.ready = command.on
    return "signal_set", {"participant": participant_json(participant)}


def clear_signals(actor: Actor, ref: MeetingRef, command: commands.ClearSignals) -> Result:
    meeting = meeting_for(actor, ref)
    changed = [p for p in meeting.participants if p.hand_raised or p.ready]
    for participant in changed:
        participant.hand_raised = participant.ready = False
    return "signals_cleared", {"participants": [participant_json(p) for p in changed]}


def set_show_initials(actor: Actor, ref: MeetingRef, command: commands.SetShowInitials) -> Result:
    meeting = meeting_for(actor, ref)
    meeting.show_initials = command.on
    return "show_initials_set", meeting_changes(meeting, "show_initials")


def remove_participant(
    actor: Actor, ref: MeetingRef, command: commands.RemoveParticipant
) -> Result:
    participant = db.session.get(Participant, command.participant_id)
    if participant is None or participant.meeting_id != ref.id:
        raise OperationError("not_found", N_("That person is not in this meeting."))
    if participant.removed_at is not None or not access.can(
        actor, "participant.remove", participant
    ):
        raise forbidden()
    participant.removed_at = utcnow()
    # in this transaction: a worker that cached the guest's socket re-reads it at its next
    # batch, even before the socket is closed (it may be on another worker)
    access_epoch.raise_access_epoch()
    invite = db.session.get(GuestInvite, participant.invite_id) if participant.invite_id else None
    withdrawn = None
    if invite is not None and invite.revoked_at is None:
        invite.revoked_at = participant.removed_at  # else its code would let them straight back in
        withdrawn = invite.id
    audit.record(
        actor, "guest.removed", case_id=participant.meeting.case_id, meeting_id=ref.id,
        detail={"participant_id": participant.id},
    )  # fmt: skip
    db.session.flush()
    return "participant_removed", {
        "participant_id": participant.id,
        "withdrawn_invite_id": withdrawn,
    }


# --- closing ---------------------------------------------------------------------------


def close_meeting(actor: Actor, ref: MeetingRef, command: commands.CloseMeeting) -> Result:
    meeting = db.session.get(Meeting, ref.id)
    assert meeting is not None
    if not (
        access.can(actor, "meeting.lead", meeting)
        or access.can(actor, "meeting.take_over", meeting)
    ):
        raise forbidden()
    meeting.status = "closed"
    meeting.closed_at = utcnow()
    meeting.closed_by_id = actor.user_id
    meeting.spotlight_item_id = None
    content = board_snapshot(meeting, viewer=None)
    content["rev"] = meeting.rev  # the closing event's own revision
    digest = content_hash(content)
    db.session.add(
        MeetingSnapshot(
            meeting_id=meeting.id, rev=meeting.rev, content=content, content_hash=digest,
            created_by_id=actor.participant_id,
        )
    )  # fmt: skip
    access_epoch.raise_access_epoch()  # guests' access ends with the meeting
    return "meeting_closed", {
        **meeting_changes(meeting, "status", "closed_at", "spotlight_item_id"),
        "content_hash": digest,
        "closed_at": iso(meeting.closed_at),
    }


def content_hash(content: dict[str, Any]) -> str:
    """SHA-256 of the canonical JSON of a frozen board."""
    canonical = json.dumps(content, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()
