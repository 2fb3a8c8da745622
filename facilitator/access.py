"""Authorization, in one place: can(actor, action, target). Deny by default."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, NamedTuple

from facilitator.domain.actor import Actor
from facilitator.domain.in_room import may_scribe
from facilitator.domain.kept_plan import plan_kept
from facilitator.domain.roles import may_rate, may_write
from facilitator.models import Case, Item, Meeting, Participant
from facilitator.models.types import utcnow
from facilitator.services import agency, frameworks


class InSection(NamedTuple):
    """A place on a meeting's board: writing there depends on roles, policy and locks."""

    meeting: Any  # a Meeting or services.items.MeetingRef
    section: str


class ListedPerson(NamedTuple):
    """Someone on a case's list of people around the child, changed from a meeting."""

    meeting: Any  # a Meeting or services.items.MeetingRef
    added_by_id: int | None  # the participant who added them


class AsFamily(NamedTuple):
    """A meeting, and whether the sender is one of the family (domain/family_time.py)."""

    meeting: Any
    family: bool


def _staff_sees_case(actor: Actor, case: Case | Meeting) -> bool:
    """Staff see what belongs to their teams (a meeting's team is its case's); admins all."""
    return actor.is_staff and (actor.role == "admin" or case.team_id in actor.team_ids)


def _sees_meeting(actor: Actor, meeting: Meeting) -> bool:
    if actor.is_guest:  # a guest in the waiting room sees nothing of the meeting yet
        return actor.meeting_id == meeting.id and not actor.waiting
    return _staff_sees_case(actor, meeting)


def _shows_meeting(actor: Actor, meeting: Meeting) -> bool:
    """A room display opened with this meeting's display link: it shows this meeting only,
    while it is live (identity drops the link once it is revoked or expired)."""
    return actor.kind == "display" and actor.meeting_id == meeting.id and meeting.status == "live"


def _writes_meeting(actor: Actor, meeting: Meeting) -> bool:
    return meeting.status == "live" and not actor.read_only and _sees_meeting(actor, meeting)


def _leads(actor: Actor, meeting: Meeting) -> bool:
    """The facilitator of this meeting, on this connection."""
    return actor.meeting_role == "facilitator" and _writes_meeting(actor, meeting)


def _writes_section(actor: Actor, place: InSection) -> bool:
    """Write policy and locks bind everyone but the facilitator."""
    if not _writes_meeting(actor, place.meeting):
        return False
    if actor.meeting_role == "facilitator":
        return True
    locked = place.meeting.locked_sections
    if "*" in locked or place.section in locked:
        return False
    return may_write(actor.meeting_role, place.meeting.write_policy)


def _changes_item(actor: Actor, item: Item) -> bool:
    """Staff change any item; others their own, and what they wrote for someone in the room."""
    if not _writes_section(actor, InSection(item.meeting, item.section)):
        return False
    mine = actor.participant_id is not None and actor.participant_id in (
        item.author_id,
        item.scribe_id,
    )
    if getattr(item, "family_private", False):  # the family's own: staff do not see it
        return mine
    return actor.is_staff or mine


def _restores_item(actor: Actor, item: Item) -> bool:
    """Only who deleted an item brings it back (an undo), where they may still write."""
    if not _writes_section(actor, InSection(item.meeting, item.section)):
        return False
    return actor.participant_id is not None and item.deleted_by_id == actor.participant_id


def _family_meeting(meeting: Meeting) -> bool:
    """A family meeting by its framework at the version it is held on (agency ones too)."""
    framework = frameworks.resolve(meeting.framework_key, meeting.framework_version)
    return framework is not None and framework.mode == "family"


def _writes_people(actor: Actor, meeting: Meeting) -> bool:
    """The list of who is involved follows the "Who is involved" section's policy and lock;
    guests add to it in a family meeting (it is their family), not in supervision."""
    if not _writes_section(actor, InSection(meeting, "involved")):
        return False
    return actor.is_staff or _family_meeting(meeting)


def _changes_person(actor: Actor, person: ListedPerson) -> bool:
    """Staff change anyone on the list; a guest only the people they added."""
    if not _writes_people(actor, person.meeting):
        return False
    return actor.is_staff or person.added_by_id == actor.participant_id


def _manages_guests(actor: Actor, meeting: Meeting) -> bool:
    return actor.is_staff and not actor.read_only and _staff_sees_case(actor, meeting)


def _exports(actor: Actor, meeting: Meeting) -> bool:
    """Staff who see the case take its board for the case file; never a display or guest."""
    return actor.is_staff and not actor.read_only and _staff_sees_case(actor, meeting)


def _supervises(actor: Actor, meeting: Meeting) -> bool:
    """A supervisor or admin of the case's team: may take over facilitation and reopen."""
    return actor.role in ("supervisor", "admin") and _manages_guests(actor, meeting)


def _keeps_plan(actor: Actor, meeting: Meeting) -> bool:
    """A guest of this meeting after it closed: reads its action plan, nothing else, for
    the agency's days (default 30) unless the facilitator withdrew it."""
    return (
        actor.is_past_guest
        and actor.meeting_id == meeting.id
        and meeting.status == "closed"
        and plan_kept(
            meeting.closed_at, agency.plan_kept_days(), meeting.plan_withdrawn_at, utcnow()
        )
    )


def _ran_meeting(actor: Actor, meeting: Meeting) -> bool:
    """Staff who started or facilitated this meeting, or a supervisor of its case's team."""
    if not _manages_guests(actor, meeting):
        return False
    facilitated = any(
        person.user_id == actor.user_id and person.role == "facilitator"
        for person in meeting.participants
    )
    return facilitated or meeting.created_by_id == actor.user_id or _supervises(actor, meeting)


def _withdraws_plan(actor: Actor, meeting: Meeting) -> bool:
    """Who ran a closed meeting takes its action plan back from the guests."""
    return meeting.status == "closed" and _ran_meeting(actor, meeting)


def _plan_ended(actor: Actor, meeting: Meeting) -> bool:
    """This closed meeting's guest, after the agency's days or the withdrawal: told it is gone."""
    return (
        actor.is_past_guest
        and actor.meeting_id == meeting.id
        and meeting.status == "closed"
        and not _keeps_plan(actor, meeting)
    )


def _waits(actor: Actor, meeting: Meeting) -> bool:
    """A guest in this live meeting's waiting room: may see the waiting page, nothing else."""
    return (
        actor.is_guest
        and actor.waiting
        and actor.meeting_id == meeting.id
        and (meeting.status == "live")
    )


def _admits_guest(actor: Actor, participant: Participant) -> bool:
    """Staff who manage a live meeting's guests let a waiting guest in, or refuse them."""
    meeting = participant.meeting
    return (
        participant.is_guest
        and participant.is_waiting
        and meeting.status == "live"
        and _manages_guests(actor, meeting)
    )


def _shares_family_items(actor: Actor, place: AsFamily) -> bool:
    """One of the family shares what the family kept to itself (the family decides)."""
    return actor.is_guest and place.family and _writes_meeting(actor, place.meeting)


def _records_consent(actor: Actor, meeting: Meeting) -> bool:
    """Staff in a live meeting record the consent for showing the child's words."""
    return actor.is_staff and _writes_meeting(actor, meeting)


def _manages_case_records(actor: Actor, case: Case) -> bool:
    """Close or reopen a case, set its retention, place or lift a legal hold: a supervisor
    of the case's team, or an admin."""
    return (
        actor.role in ("supervisor", "admin")
        and not actor.read_only
        and _staff_sees_case(actor, case)
    )


def _reads_audit(actor: Actor, _: Any) -> bool:
    """Admins read the whole audit trail, supervisors their teams' part (audit_teams)."""
    return actor.is_staff and actor.role in ("supervisor", "admin")


def files_under_any_team(actor: Actor) -> bool:
    """An admin may file a case under (and export to) any team; others only their own."""
    return actor.is_staff and actor.role == "admin"


def audit_teams(actor: Actor) -> frozenset[int] | None:
    """Whose audit entries this reader sees: None for all (an admin); else the teams whose
    cases' entries, and whose members' entries, a supervisor sees."""
    return None if actor.role == "admin" else actor.team_ids


def _removes_participant(actor: Actor, participant: Participant) -> bool:
    return (
        participant.is_guest
        and _leads(actor, participant.meeting)
        and participant.meeting.status == "live"
    )


def _sends_to(actor: Actor, meeting_id: int) -> bool:
    """An operation names the connection's own meeting (a socket's first check, without the
    database; whether it is live and still theirs to change is asked with its row, in the
    writer's transaction: services/ops/authorize.py)."""
    return (
        actor.kind in ("staff", "guest", "display")  # a past guest has no socket to send on
        and actor.meeting_id is not None
        and actor.meeting_id == meeting_id
        and not actor.waiting
    )


RULES: dict[str, Callable[[Actor, Any], bool]] = {
    "case.list": lambda a, _: a.is_staff,
    "case.create": lambda a, team_id: a.is_staff and (a.role == "admin" or team_id in a.team_ids),
    "case.view": _staff_sees_case,
    "case.manage": _manages_case_records,
    # mark a next step done or dropped from the case page: staff who work on the case
    "case.next_step": lambda a, c: a.is_staff and not a.read_only and _staff_sees_case(a, c),
    "audit.view": _reads_audit,
    "meeting.create": _staff_sees_case,
    "meeting.view": _sees_meeting,
    "board.send": _sends_to,
    # the action plan: whoever sees the meeting; its guests also after it closed (a while)
    "plan.read": lambda a, m: _sees_meeting(a, m) or _keeps_plan(a, m),
    # its guest, after the days or the withdrawal: told the plan is gone (not "not found")
    "plan.ended": _plan_ended,
    "plan.withdraw": _withdraws_plan,
    "meeting.display": lambda a, m: (a.is_staff and _sees_meeting(a, m)) or _shows_meeting(a, m),
    # the room display's language: staff who may open it (a display by link only shows)
    "meeting.display_language": lambda a, m: a.is_staff and _sees_meeting(a, m),
    # make or end the links that open the display on the room's computer without a sign-in
    "meeting.display_link": lambda a, m: _manages_guests(a, m) and m.status == "live",
    "meeting.invite": _manages_guests,
    # before the meeting: ask a young person or a parent for their words, and read them
    # (staff of the case only; never a guest or a display); the facilitator brings them on
    "meeting.pre_meeting": lambda a, m: _manages_guests(a, m) and m.status == "live",
    "meeting.wait": _waits,
    "guest.admit": _admits_guest,
    "meeting.lead": _leads,
    "meeting.present": _leads,
    "family_time.run": _leads,
    "family_time.share": _shares_family_items,
    "consent.record": _records_consent,
    "meeting.take_over": lambda a, m: _supervises(a, m) and _writes_meeting(a, m),
    "meeting.reopen": lambda a, m: _supervises(a, m) and m.status == "closed",
    "export.meeting": _exports,
    "meeting.ask": lambda a, m: (
        a.meeting_role in ("facilitator", "presenter") and _writes_meeting(a, m)
    ),
    "meeting.signal": lambda a, m: _writes_meeting(a, m) and a.meeting_role != "display",
    "scale.rate": lambda a, m: _writes_meeting(a, m) and may_rate(a.meeting_role),
    "room.scribe": lambda a, m: _writes_meeting(a, m) and may_scribe(a.meeting_role),
    "item.add": _writes_section,
    "item.edit": _changes_item,
    "item.move": _changes_item,
    "item.delete": _changes_item,
    "item.restore": _restores_item,
    "person.add": _writes_people,
    "person.change": _changes_person,
    "participant.remove": _removes_participant,
    "admin.manage": lambda a, _: a.is_staff and a.role == "admin",
    "framework.manage": lambda a, _: a.is_staff and a.role == "admin",
    "admin.reset_mfa": lambda a, _: a.is_staff and a.role == "admin",
    "account.own": lambda a, _: a.is_staff,
}


def can(actor: Actor, action: str, target: object = None) -> bool:
    """Return True only if a rule for this action allows it."""
    rule = RULES.get(action)
    return bool(rule and rule(actor, target))
