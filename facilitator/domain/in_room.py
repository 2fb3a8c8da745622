"""Whose view, and the room's scribe (DOMAIN.md §3).

Every item carries whose view it is. A guest says who they are when joining, and that
sets the view their items start with; staff start with the agency's. People in the room
without a device (a grandmother, a young child) are named on the meeting by the
facilitator or a scribe, who then writes for them: the item, rating or next step is
theirs ("Rosa, via Sam"), with their view.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from facilitator.domain.errors import OperationError
from facilitator.domain.fields import UNSAFE_CHARACTERS, fail, text
from facilitator.domain.frameworks import VIEWS, Framework
from facilitator.domain.limits import DISPLAY_NAME_MAX
from facilitator.domain.text import N_

# What a guest says they are when joining, and the view that sets.
RELATIONS: dict[str, tuple[str, str]] = {
    "parent": (N_("A parent or caregiver"), "parent"),
    "child": (N_("The child or young person"), "child"),
    "relative": (N_("A relative"), "network"),
    "network": (N_("A friend or someone in the family's network"), "network"),
    "professional": (N_("A professional"), "agency"),
}
IN_ROOM_ROLE = "in_room"  # a participant without a device, written for by a scribe
SCRIBE_ROLES = frozenset({"facilitator", "scribe"})


def view_for_relation(relation: str | None) -> str | None:
    """The view a guest's answer sets (None: no answer, or one not on the list)."""
    found = RELATIONS.get(relation or "")
    return found[1] if found else None


def default_view(own_view: str | None, is_staff: bool) -> str:
    """The view someone's items start with: their own, else staff the agency's."""
    if own_view in VIEWS:
        return str(own_view)
    return "agency" if is_staff else "parent"


def may_scribe(meeting_role: str | None) -> bool:
    """The facilitator and scribes write for the people in the room without a device."""
    return meeting_role in SCRIBE_ROLES


def room_person_name(raw: str) -> str:
    """A name as the room calls the person; refuse an empty or too long one."""
    name = " ".join(UNSAFE_CHARACTERS.sub("", raw).split())
    if not name:
        raise fail(N_("Give the name the room uses for this person."))
    if len(name) > DISPLAY_NAME_MAX:
        raise fail(N_("Use at most %(count)s characters for a name."), count=DISPLAY_NAME_MAX)
    return name


@dataclass(frozen=True)
class AddRoomPerson:
    name: str
    view: str


def parse_add_room_person(payload: dict[str, Any], framework: Framework) -> AddRoomPerson:
    view = payload.get("view", "parent")
    if view not in VIEWS:
        raise OperationError("unknown_view", N_("Choose whose view this is: ") + ", ".join(VIEWS))
    return AddRoomPerson(room_person_name(text(payload, "name")), view)
