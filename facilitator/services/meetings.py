"""Meetings: start one for a case, join it as staff or guest, manage invites."""

from __future__ import annotations

import hashlib
import secrets
from datetime import timedelta
from typing import Any

from sqlalchemy import select, update

from facilitator.domain.actor import Actor, guest_actor
from facilitator.domain.agenda import default_agenda
from facilitator.domain.errors import UserError
from facilitator.domain.fields import UNSAFE_CHARACTERS
from facilitator.domain.framework_shape import Framework
from facilitator.domain.frameworks import MEETING_KINDS, in_words
from facilitator.domain.limits import DISPLAY_NAME_MAX, INVITE_HOURS
from facilitator.domain.text import N_
from facilitator.extensions import db
from facilitator.models import Case, GuestInvite, Meeting, Participant, User
from facilitator.models.types import utcnow
from facilitator.services import audit, carry_over, frameworks

# No 0/O, 1/I/L: codes are read aloud and typed on phones.
CODE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
CODE_LENGTH = 8


class MeetingError(UserError):
    """A refused meeting action, with a message for the user."""


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def start_meeting(
    actor: Actor,
    case: Case,
    kind: str,
    framework_key: str,
    translate: Any = str,
    *,
    review_steps: bool = False,
    bring_forward: bool = False,
) -> Meeting:
    """Open a live meeting for a case with its kind's agenda (in the creator's language,
    through translate); its creator facilitates. With an earlier meeting, it may start by
    reviewing that meeting's open next steps and may bring its whole map forward."""
    if kind not in MEETING_KINDS:
        raise MeetingError(N_("Choose a meeting kind."))
    framework = frameworks.latest(framework_key)
    if framework is None:
        raise MeetingError(N_("Choose a framework."))
    meeting = Meeting(
        case_id=case.id,
        kind=kind,
        framework_key=framework.key,
        framework_version=framework.version or None,
        created_by_id=actor.user_id,
        agenda=_agenda_on(framework, kind, translate),
    )
    db.session.add(meeting)
    db.session.flush()
    previous = carry_over.previous_meeting(case, before=meeting)
    facilitator = Participant(
        meeting_id=meeting.id, user_id=actor.user_id, display_name=actor.name, role="facilitator"
    )
    db.session.add(facilitator)
    db.session.flush()
    if previous is not None and (review_steps or bring_forward):
        carry_over.carry_over(
            meeting, previous, facilitator,
            review=review_steps, whole_map=bring_forward, translate=translate,
        )  # fmt: skip
    db.session.commit()
    return meeting


def _agenda_on(framework: Framework, kind: str, translate: Any) -> list[dict[str, Any]]:
    """The framework's agenda, else the kind's, naming only sections on this map."""
    known = set(framework.section_keys) | {column.key for column in framework.columns}
    shown = in_words(framework, translate)  # an agency's steps as written
    steps = [s.as_json() for s in shown.agenda] if shown.agenda else default_agenda(kind, translate)
    return [{**step, "sections": [s for s in step["sections"] if s in known]} for step in steps]


def staff_participant(meeting: Meeting, user: User, display: bool = False) -> Participant:
    """Return the user's participant row in a meeting, creating it if new. No commit.

    A projector opened by a staff member is a separate, read-only participant with the
    role "display", so it never shows up as a person in the meeting.
    """
    role_matches = Participant.role == "display" if display else Participant.role != "display"
    participant: Participant | None = db.session.scalar(
        select(Participant).where(
            Participant.meeting_id == meeting.id, Participant.user_id == user.id, role_matches
        )
    )
    if participant is None:
        participant = Participant(
            meeting_id=meeting.id,
            user_id=user.id,
            display_name=user.display_name,
            role="display" if display else "member",
        )
        db.session.add(participant)
        db.session.flush()
    return participant


def current_invite(meeting: Meeting) -> GuestInvite | None:
    """The newest invite of a meeting that still works."""
    return db.session.scalar(
        select(GuestInvite)
        .where(
            GuestInvite.meeting_id == meeting.id,
            GuestInvite.revoked_at.is_(None),
            GuestInvite.expires_at > utcnow(),
        )
        .order_by(GuestInvite.id.desc())
    )


def create_invite(
    actor: Actor, meeting: Meeting, *, waiting_room: bool = True
) -> tuple[GuestInvite, str]:
    """Create a join link token and short code; return the invite and the raw token.
    With the waiting room (the default) guests who join wait until staff let them in."""
    if meeting.status != "live":
        raise MeetingError(N_("This meeting has ended."))
    token = secrets.token_urlsafe(24)
    code = "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))
    invite = GuestInvite(
        meeting_id=meeting.id,
        token_hash=hash_token(token),
        code=code,
        created_by_id=actor.user_id,
        expires_at=utcnow() + timedelta(hours=INVITE_HOURS),
        waiting_room=waiting_room,
    )
    # one way in at a time: a new invite withdraws the earlier ones (joined guests stay)
    db.session.execute(
        update(GuestInvite)
        .where(GuestInvite.meeting_id == meeting.id, GuestInvite.revoked_at.is_(None))
        .values(revoked_at=utcnow())
    )
    db.session.add(invite)
    db.session.commit()
    return invite, token


def withdraw_invites(actor: Actor, meeting: Meeting) -> int:
    """Withdraw the meeting's working invites: their code and link let no one else in.
    Guests who already joined stay (remove them one by one). Returns how many."""
    withdrawn = db.session.execute(
        update(GuestInvite)
        .where(GuestInvite.meeting_id == meeting.id, GuestInvite.revoked_at.is_(None))
        .values(revoked_at=utcnow())
    ).rowcount  # type: ignore[attr-defined]
    if withdrawn:
        audit.record(
            actor, "invite.withdrawn", case_id=meeting.case_id, meeting_id=meeting.id,
            detail={"count": withdrawn},
        )  # fmt: skip
    db.session.commit()
    return int(withdrawn)


def normalise_code(code: str) -> str:
    return "".join(c for c in code.upper() if c.isalnum())


def find_invite(*, code: str | None = None, token: str | None = None) -> GuestInvite | None:
    """Return the working invite for a code or link token, or None."""
    if token:
        where = GuestInvite.token_hash == hash_token(token)
    elif code:
        where = GuestInvite.code == normalise_code(code)
    else:
        return None
    invite: GuestInvite | None = db.session.scalar(select(GuestInvite).where(where))
    if invite is None or invite.revoked_at is not None or invite.expires_at <= utcnow():
        return None
    if invite.meeting.status != "live":
        return None
    return invite


def join_as_guest(
    invite: GuestInvite, display_name: str, language: str | None = None, view: str | None = None
) -> Participant:
    """Add a guest with a display name (the language they see, and whose view what they
    write starts as: domain/in_room.py) to the invite's meeting."""
    name = " ".join(UNSAFE_CHARACTERS.sub("", display_name).split())
    if not name:
        raise MeetingError(N_("Tell the group your name, or how you'd like to be called."))
    if len(name) > DISPLAY_NAME_MAX:
        raise MeetingError(
            N_("Use at most %(count)s characters for your name."), count=DISPLAY_NAME_MAX
        )
    participant = Participant(
        meeting_id=invite.meeting_id,
        invite_id=invite.id,
        display_name=name,
        role="guest",
        admission="waiting" if invite.waiting_room else "admitted",
        language=language,
        view=view,
    )
    db.session.add(participant)
    db.session.flush()
    # the name stays out of the audit trail: names are case-adjacent data
    _audit_guest(guest_actor(participant), "guest.joined", participant)
    db.session.commit()
    return participant


def _audit_guest(actor: Actor, action: str, participant: Participant) -> None:
    audit.record(
        actor, action, case_id=participant.meeting.case_id, meeting_id=participant.meeting_id,
        detail={"participant_id": participant.id},
    )  # fmt: skip


def waiting_guests(meeting: Meeting) -> list[Participant]:
    """The guests waiting to be let in, in the order they came."""
    return list(
        db.session.scalars(
            select(Participant)
            .where(
                Participant.meeting_id == meeting.id,
                Participant.admission == "waiting",
                Participant.removed_at.is_(None),
            )
            .order_by(Participant.id)
        )
    )


def admit_guest(actor: Actor, participant: Participant, admit: bool) -> None:
    """Let a waiting guest in, or refuse them (which ends their access, as a removal does).
    The caller has checked access ("guest.admit")."""
    if admit:
        participant.admission = "admitted"
        _audit_guest(actor, "guest.admitted", participant)
    else:
        participant.admission = "refused"
        participant.removed_at = utcnow()
        _audit_guest(actor, "guest.refused", participant)
    db.session.commit()
