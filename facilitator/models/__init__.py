"""SQLAlchemy tables. Models hold data only: no commits, no URLs, no JSON shaping."""

from facilitator.models.accounts import (
    AccessEpoch,
    AuthSession,
    RecoveryCode,
    SignInFailure,
    Team,
    TeamMember,
    User,
)
from facilitator.models.audit import AuditEntry
from facilitator.models.board import Item, MeetingEvent, MeetingSnapshot, Rating, ScaleRound
from facilitator.models.cases import Case
from facilitator.models.meetings import GuestInvite, Meeting, Participant, Presence, ServerBeat
from facilitator.models.settings import AgencyText

__all__ = [
    "AccessEpoch",
    "AgencyText",
    "AuditEntry",
    "AuthSession",
    "Case",
    "GuestInvite",
    "Item",
    "Meeting",
    "MeetingEvent",
    "MeetingSnapshot",
    "Participant",
    "Presence",
    "Rating",
    "RecoveryCode",
    "ScaleRound",
    "ServerBeat",
    "SignInFailure",
    "Team",
    "TeamMember",
    "User",
]
