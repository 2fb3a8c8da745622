"""Whose view and the room's scribe: who an item or rating counts as, and the people in
the room without a device (domain/in_room.py)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import select

from facilitator import access
from facilitator.domain.actor import Actor
from facilitator.domain.errors import OperationError
from facilitator.domain.in_room import IN_ROOM_ROLE, AddRoomPerson, default_view
from facilitator.domain.text import N_
from facilitator.extensions import db
from facilitator.models import Participant
from facilitator.presenters import participant_json


@dataclass(frozen=True)
class Speaker:
    """Whose an item or rating is, and who typed it for them (None: they did)."""

    participant_id: int
    name: str
    own_view: str | None
    is_staff: bool
    scribe_id: int | None = None
    scribe_name: str | None = None

    def view(self) -> str:
        """The view their items start with when the sender names none (read only then:
        browsers always name one)."""
        own = self.own_view
        if own is None and self.scribe_id is None and self.participant_id:
            own = db.session.scalar(
                select(Participant.view).where(Participant.id == self.participant_id)
            )
        return default_view(own, self.is_staff)

    def on_behalf_of(self) -> dict[str, Any]:
        """The event's note of the person written for (ids only: the audit reads it)."""
        return {"on_behalf_of": self.participant_id} if self.scribe_id else {}


def speaker_for(actor: Actor, meeting: Any, on_behalf_of: int | None) -> Speaker:
    """The sender, or the person in the room they write for (a facilitator or scribe only)."""
    if on_behalf_of is None:
        return Speaker(actor.participant_id or 0, actor.name, None, actor.is_staff)
    if not access.can(actor, "room.scribe", meeting):
        raise OperationError("forbidden", N_("Only the facilitator or a scribe writes for others."))
    person = db.session.get(Participant, on_behalf_of)
    if (
        person is None
        or person.meeting_id != meeting.id
        or person.role != IN_ROOM_ROLE
        or person.removed_at is not None
    ):
        raise OperationError("not_found", N_("That person is not listed as in the room."))
    return Speaker(
        person.id, person.display_name, person.view, False, actor.participant_id, actor.name
    )


def own_default_view(actor: Actor) -> str:
    """The view someone's items start with on the board's composer."""
    return Speaker(actor.participant_id or 0, actor.name, None, actor.is_staff).view()


def add_room_person(
    actor: Actor, meeting: Any, command: AddRoomPerson
) -> tuple[str, dict[str, Any]]:
    """Name someone in the room without a device, so a scribe can write for them."""
    if not access.can(actor, "room.scribe", meeting):
        raise OperationError("forbidden", N_("Only the facilitator or a scribe writes for others."))
    person = Participant(
        meeting_id=meeting.id,
        display_name=command.name,
        role=IN_ROOM_ROLE,
        admission="admitted",
        view=command.view,
    )
    db.session.add(person)
    db.session.flush()
    return "room_person_added", {"participant": participant_json(person)}
