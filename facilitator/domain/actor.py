"""Who is acting: a staff member, a guest, or nobody. Plain data; identity.py finds it."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Protocol


@dataclass(frozen=True)
class Actor:
    # "anonymous", "staff", "guest", "display" (a room display by display link) or
    # "past_guest" (a guest of a meeting that has closed: may read its action plan only)
    kind: str
    user_id: int | None = None
    role: str | None = None  # admin / supervisor / worker, for staff
    team_ids: frozenset[int] = field(default_factory=frozenset)
    participant_id: int | None = None  # the guest's, or the staff's in this connection's meeting
    meeting_id: int | None = None  # a guest's only meeting; a socket's meeting
    name: str = ""
    read_only: bool = False  # a display connection
    meeting_role: str | None = None  # facilitator, presenter, member ... in this meeting
    waiting: bool = False  # a guest in the waiting room: may only wait, never see the board

    @property
    def is_staff(self) -> bool:
        return self.kind == "staff"

    @property
    def is_guest(self) -> bool:
        return self.kind == "guest"

    @property
    def is_past_guest(self) -> bool:
        return self.kind == "past_guest"


ANONYMOUS = Actor("anonymous")


class StaffUser(Protocol):
    """What an actor is built from for a staff member (a models.User)."""

    @property
    def id(self) -> int: ...
    @property
    def role(self) -> str: ...
    @property
    def display_name(self) -> str: ...
    @property
    def team_ids(self) -> Iterable[int]: ...


class GuestParticipant(Protocol):
    """What an actor is built from for a guest (a models.Participant)."""

    @property
    def id(self) -> int: ...
    @property
    def meeting_id(self) -> int: ...
    @property
    def display_name(self) -> str: ...
    @property
    def role(self) -> str: ...
    @property
    def admission(self) -> str: ...


def staff_actor(user: StaffUser, **connection: object) -> Actor:
    """Build the actor for an active staff user."""
    return Actor(
        "staff",
        user_id=user.id,
        role=user.role,
        team_ids=frozenset(user.team_ids),
        name=user.display_name,
        **connection,  # type: ignore[arg-type]
    )


def guest_actor(participant: GuestParticipant, read_only: bool = False) -> Actor:
    """Build the actor for a guest who has not been removed."""
    return Actor(
        "guest",
        participant_id=participant.id,
        meeting_id=participant.meeting_id,
        name=participant.display_name,
        read_only=read_only,
        meeting_role=participant.role,
        waiting=participant.admission == "waiting",
    )


def past_guest_actor(participant: GuestParticipant) -> Actor:
    """Build the actor of a guest whose meeting has closed: access.py lets them read that
    meeting's action plan for a while, and nothing else."""
    return Actor(
        "past_guest",
        participant_id=participant.id,
        meeting_id=participant.meeting_id,
        name=participant.display_name,
        read_only=True,
        meeting_role=participant.role,
    )


def display_actor(participant: GuestParticipant) -> Actor:
    """Build the actor of a room display opened with a display link: it may only show."""
    return Actor(
        "display",
        participant_id=participant.id,
        meeting_id=participant.meeting_id,
        name=participant.display_name,
        read_only=True,
        meeting_role="display",
    )
