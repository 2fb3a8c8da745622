"""Before the meeting (domain/pre_meeting.py): staff invite a young person or a parent by a
link; with it they add their own words, seeing nothing of the case; the words wait, seen by
the case's staff only, until the facilitator brings each onto the board as theirs.

A link opens one invite's page and nothing else: it is unguessable (only its hash is
stored), expires, ends with the meeting, and can be ended by staff."""

from __future__ import annotations

import hashlib
import secrets
from datetime import timedelta
from typing import Any

from sqlalchemy import func, select

from facilitator import access
from facilitator.domain import pre_meeting as rules
from facilitator.domain.actor import Actor
from facilitator.domain.errors import OperationError, forbidden
from facilitator.domain.in_room import IN_ROOM_ROLE, room_person_name
from facilitator.domain.operations import AddItem
from facilitator.domain.text import N_
from facilitator.extensions import db
from facilitator.models import Meeting, Participant, PreMeetingInput, PreMeetingInvite
from facilitator.models.types import utcnow
from facilitator.presenters import participant_json
from facilitator.services import audit, items
from facilitator.services.ops.rows import MeetingRef


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def invitee(invite: PreMeetingInvite) -> Actor:
    """Who writes with an invite, for the audit trail (no access: every rule refuses it)."""
    return Actor("invitee", role=invite.who, meeting_id=invite.meeting_id, name=invite.name)


def create_invite(
    actor: Actor, meeting: Meeting, name: str, who: str, language: str | None
) -> tuple[PreMeetingInvite, str]:
    """A new link for one person to write before the meeting; returns it and its token."""
    if meeting.status != "live":
        raise rules.PreMeetingError(N_("This meeting has ended."))
    if who not in rules.WHO:
        raise rules.PreMeetingError(N_("Say who you are inviting."))
    try:
        name = room_person_name(name)
    except OperationError as refused:
        raise rules.PreMeetingError(refused.template, **refused.values) from None
    token = secrets.token_urlsafe(32)
    invite = PreMeetingInvite(
        meeting_id=meeting.id, token_hash=_hash(token), name=name, who=who, language=language,
        created_by_id=actor.user_id, expires_at=utcnow() + timedelta(days=rules.INVITE_DAYS),
    )  # fmt: skip
    db.session.add(invite)
    db.session.flush()
    audit.record(actor, "pre_meeting.invite_created", case_id=meeting.case_id,
                 meeting_id=meeting.id, detail={"invite_id": invite.id, "who": who})  # fmt: skip
    db.session.commit()
    return invite, token


def holds(invite: PreMeetingInvite | None) -> bool:
    """Whether an invite still lets its person write."""
    return (
        invite is not None
        and invite.revoked_at is None
        and invite.expires_at > utcnow()
        and invite.meeting.status == "live"
    )


def invite_for(token: str) -> PreMeetingInvite | None:
    """The working invite of a link's token, or None."""
    invite = db.session.scalar(
        select(PreMeetingInvite).where(PreMeetingInvite.token_hash == _hash(token))
    )
    return invite if holds(invite) else None


def invite_by_id(invite_id: int | None) -> PreMeetingInvite | None:
    """The working invite a session holds, or None (ended, expired, or the meeting closed)."""
    invite = db.session.get(PreMeetingInvite, invite_id) if invite_id else None
    return invite if holds(invite) else None


def add_input(invite: PreMeetingInvite, kind: str, text: str) -> PreMeetingInput:
    """Keep what they wrote for the meeting's staff; audited without its text."""
    kind = rules.input_kind(invite.who, kind)
    text = rules.input_text(text)
    if len(own_inputs(invite)) >= rules.INPUTS_PER_INVITE_MAX:
        raise rules.PreMeetingError(
            N_("You have added %(count)s things: that is all this page takes. Thank you!"),
            count=rules.INPUTS_PER_INVITE_MAX,
        )
    written = PreMeetingInput(invite_id=invite.id, meeting_id=invite.meeting_id, kind=kind,
                              text=text)  # fmt: skip
    db.session.add(written)
    db.session.flush()
    audit.record(invitee(invite), "pre_meeting.input_added", case_id=invite.meeting.case_id,
                 meeting_id=invite.meeting_id,
                 detail={"invite_id": invite.id, "input_id": written.id, "kind": kind})  # fmt: skip
    db.session.commit()
    return written


def own_inputs(invite: PreMeetingInvite) -> list[PreMeetingInput]:
    """What this person has written so far (their own words only)."""
    return list(db.session.scalars(
        select(PreMeetingInput).where(PreMeetingInput.invite_id == invite.id)
        .order_by(PreMeetingInput.id)
    ))  # fmt: skip


def pending(actor: Actor, meeting: Meeting) -> list[PreMeetingInput]:
    """What waits to be brought onto the board: staff of the case only, audited."""
    if not access.can(actor, "meeting.pre_meeting", meeting):
        return []
    waiting = list(db.session.scalars(
        select(PreMeetingInput).where(
            PreMeetingInput.meeting_id == meeting.id, PreMeetingInput.item_id.is_(None)
        ).order_by(PreMeetingInput.id)
    ))  # fmt: skip
    if waiting:
        audit.log(actor, "pre_meeting.viewed", case_id=meeting.case_id, meeting_id=meeting.id)
    return waiting


def invites_of(meeting: Meeting) -> list[tuple[PreMeetingInvite, int]]:
    """The meeting's working invites, each with how many things its person has written."""
    counts = (
        select(func.count(PreMeetingInput.id))
        .where(PreMeetingInput.invite_id == PreMeetingInvite.id)
        .scalar_subquery()
    )
    rows = db.session.execute(
        select(PreMeetingInvite, counts).where(
            PreMeetingInvite.meeting_id == meeting.id, PreMeetingInvite.revoked_at.is_(None),
            PreMeetingInvite.expires_at > utcnow(),
        ).order_by(PreMeetingInvite.id)
    )  # fmt: skip
    return [(invite, count) for invite, count in rows]


def end_invite(actor: Actor, meeting: Meeting, invite_id: int) -> bool:
    """Stop a link working (what was written stays); False when there was none to end."""
    invite = db.session.get(PreMeetingInvite, invite_id)
    if invite is None or invite.meeting_id != meeting.id or invite.revoked_at is not None:
        return False
    invite.revoked_at = utcnow()
    audit.record(actor, "pre_meeting.invite_ended", case_id=meeting.case_id,
                 meeting_id=meeting.id, detail={"invite_id": invite.id})  # fmt: skip
    db.session.commit()
    return True


def _author(invite: PreMeetingInvite) -> tuple[Participant, bool]:
    """Who their words are on the board: someone the facilitator writes for (in_room), made
    with the first of their words brought on; True when just made."""
    person = db.session.get(Participant, invite.participant_id) if invite.participant_id else None
    if person is not None and person.removed_at is None:
        return person, False
    person = Participant(meeting_id=invite.meeting_id, display_name=invite.name,
                         role=IN_ROOM_ROLE, admission="admitted",
                         view=rules.WHO[invite.who][1])  # fmt: skip
    db.session.add(person)
    db.session.flush()
    invite.participant_id = person.id
    return person, True


def bring_pre_meeting_input(
    actor: Actor, ref: MeetingRef, command: rules.BringPreMeetingInput
) -> tuple[str, dict[str, Any]]:
    """The facilitator puts one waiting input on the board, as its writer's item."""
    meeting = db.session.get(Meeting, ref.id)
    assert meeting is not None
    if not access.can(actor, "meeting.lead", meeting):
        raise forbidden()
    written = db.session.get(PreMeetingInput, command.input_id)
    if written is None or written.meeting_id != meeting.id:
        raise OperationError("not_found", N_("That is not waiting for this meeting."))
    if written.item_id is not None:
        raise OperationError("invalid", N_("That is already on the board."))
    person, new = _author(written.invite)
    view = rules.WHO[written.invite.who][1]
    add = AddItem(command.section, written.text, view, on_behalf_of=person.id)
    _type, data = items.add_item(actor, ref, add)
    written.item_id, written.brought_at = data["item"]["id"], utcnow()
    return "pre_meeting_input_brought", {
        **data,
        "pre_meeting_input_id": written.id,
        **({"participant": participant_json(person)} if new else {}),
    }
