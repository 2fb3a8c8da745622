"""Authorization, in one place: can(actor, action, target). Deny by default."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from facilitator.identity import Actor
from facilitator.models import Case, Item, Meeting, Participant


def _staff_sees_case(actor: Actor, case: Case | Meeting) -> bool:
    """Staff see what belongs to their teams (a meeting's team is its case's); admins all."""
    return actor.is_staff and (actor.role == "admin" or case.team_id in actor.team_ids)


def _sees_meeting(actor: Actor, meeting: Meeting) -> bool:
    if actor.is_guest:
        return actor.meeting_id == meeting.id
    return _staff_sees_case(actor, meeting)


def _writes_meeting(actor: Actor, meeting: Meeting) -> bool:
    return meeting.status == "live" and not actor.read_only and _sees_meeting(actor, meeting)


def _changes_item(actor: Actor, item: Item) -> bool:
    if not _writes_meeting(actor, item.meeting):
        return False
    return actor.is_staff or item.author_id == actor.participant_id


def _facilitates(actor: Actor, meeting: Meeting) -> bool:
    return actor.is_staff and not actor.read_only and _staff_sees_case(actor, meeting)


def _removes_participant(actor: Actor, participant: Participant) -> bool:
    return (
        participant.is_guest
        and _facilitates(actor, participant.meeting)
        and participant.meeting.status == "live"
    )


RULES: dict[str, Callable[[Actor, Any], bool]] = {
    "case.list": lambda a, _: a.is_staff,
    "case.create": lambda a, team_id: a.is_staff and (a.role == "admin" or team_id in a.team_ids),
    "case.view": _staff_sees_case,
    "meeting.create": _staff_sees_case,
    "meeting.view": _sees_meeting,
    "meeting.display": lambda a, m: a.is_staff and _sees_meeting(a, m),
    "meeting.facilitate": _facilitates,
    "item.add": _writes_meeting,
    "item.edit": _changes_item,
    "item.move": _changes_item,
    "item.delete": _changes_item,
    "participant.remove": _removes_participant,
    "admin.manage": lambda a, _: a.is_staff and a.role == "admin",
}


def can(actor: Actor, action: str, target: object = None) -> bool:
    """Return True only if a rule for this action allows it."""
    rule = RULES.get(action)
    return bool(rule and rule(actor, target))
