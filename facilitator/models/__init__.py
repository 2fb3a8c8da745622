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
from facilitator.models.board import (
    Item,
    MeetingEvent,
    MeetingSnapshot,
    NextStepMark,
    Rating,
    ScaleRound,
)
from facilitator.models.cases import Case, InvolvedPerson
from facilitator.models.display_links import DisplayLink
from facilitator.models.frameworks import AgencyFramework, FrameworkVersion
from facilitator.models.meetings import GuestInvite, Meeting, Participant, Presence, ServerBeat
from facilitator.models.pre_meeting import PreMeetingInput, PreMeetingInvite
from facilitator.models.settings import AgencyText

__all__ = [
    "AccessEpoch",
    "AgencyFramework",
    "AgencyText",
    "AuditEntry",
    "AuthSession",
    "Case",
    "DisplayLink",
    "FrameworkVersion",
    "GuestInvite",
    "InvolvedPerson",
    "Item",
    "Meeting",
    "MeetingEvent",
    "MeetingSnapshot",
    "NextStepMark",
    "Participant",
    "PreMeetingInput",
    "PreMeetingInvite",
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
