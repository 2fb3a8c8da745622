"""Authorization as one grid: every kind of actor against every action. Deny by default."""

from dataclasses import dataclass, replace
from typing import Any

import pytest
from builders import guest_in, make_case, make_guest, make_meeting, make_team, make_user, staff_in

from facilitator import access
from facilitator.domain.actor import display_actor, past_guest_actor
from facilitator.extensions import db
from facilitator.identity import ANONYMOUS, staff_actor
from facilitator.models import Item, Participant, User


def display_participant(meeting: Any) -> Participant:
    """A room display's participant, as a display link makes it."""
    display = Participant(meeting_id=meeting.id, display_name="Display", role="display")
    db.session.add(display)
    db.session.flush()
    return display


ACTORS = (
    "anonymous",
    "guest",
    "waiting_guest",  # joined with the waiting room on, not yet let in: may only wait
    "other_guest",
    "display",
    "display_link",  # a room display opened with the meeting's display link
    "past_guest",  # the guest's session read as after a close (the meeting here is live)
    "worker",
    "supervisor",
    "outsider",
    "outside_admin",
)

# action -> the actors allowed; everyone else is refused
GRID = {
    "case.list": {"display", "worker", "supervisor", "outsider", "outside_admin"},
    "case.create": {"display", "worker", "supervisor", "outside_admin"},
    "case.view": {"display", "worker", "supervisor", "outside_admin"},
    "case.manage": {"supervisor", "outside_admin"},  # close, hold, retention
    # mark a next step done or dropped from the case page: staff who see it, not a display
    "case.next_step": {"worker", "supervisor", "outside_admin"},
    "audit.view": {"supervisor", "outside_admin"},  # a supervisor: their teams' entries
    "meeting.create": {"display", "worker", "supervisor", "outside_admin"},
    "meeting.view": {"guest", "display", "worker", "supervisor", "outside_admin"},
    # the connection's own meeting, checked without the database; the rest with its row
    "board.send": {
        "guest",
        "display",
        "display_link",
        "worker",
        "supervisor",
        "outsider",
        "outside_admin",
    },
    "meeting.display": {"display", "display_link", "worker", "supervisor", "outside_admin"},
    "meeting.display_language": {"display", "worker", "supervisor", "outside_admin"},
    "meeting.display_link": {"worker", "supervisor", "outside_admin"},
    "meeting.present": {"supervisor"},  # the facilitator
    "meeting.invite": {"worker", "supervisor", "outside_admin"},
    # before the meeting: staff of the case make links and read what waits (live meeting)
    "meeting.pre_meeting": {"worker", "supervisor", "outside_admin"},
    "meeting.wait": {"waiting_guest"},
    "guest.admit(waiting guest)": {"worker", "supervisor", "outside_admin"},
    "guest.admit(admitted guest)": set(),
    "meeting.lead": {"supervisor"},  # the facilitator: the supervisor started the meeting
    "family_time.run": {"supervisor"},  # the facilitator starts and ends private family time
    "family_time.share(one of the family)": {"guest"},  # the family shares, nobody for it
    "family_time.share(a partner)": set(),  # a guest who joined as a professional
    "consent.record": {"worker", "supervisor", "outside_admin"},  # staff in the meeting
    "item.edit(the family's own, by its author)": {"guest"},  # staff never see it
    "meeting.take_over": {"supervisor", "outside_admin"},
    "meeting.reopen": set(),  # only a closed meeting can be reopened
    "meeting.ask": {"supervisor"},
    "export.meeting": {"worker", "supervisor", "outside_admin"},
    # the action plan: whoever sees the meeting; its guests after the close (tested below)
    "plan.read": {"guest", "display", "worker", "supervisor", "outside_admin"},
    "plan.ended": set(),  # only a past guest of a closed meeting is told it is gone
    "plan.withdraw": set(),  # only from a closed meeting
    "meeting.signal": {"guest", "worker", "supervisor", "outside_admin"},
    "scale.rate": {"guest", "worker", "supervisor", "outside_admin"},
    "item.add": {"guest", "worker", "supervisor", "outside_admin"},
    "item.edit(guest's own)": {"guest", "worker", "supervisor", "outside_admin"},
    "item.edit(staff's)": {"worker", "supervisor", "outside_admin"},
    "item.move(staff's)": {"worker", "supervisor", "outside_admin"},
    "item.delete(staff's)": {"worker", "supervisor", "outside_admin"},
    "item.restore(deleted by the supervisor)": {"supervisor"},  # an undo: one's own delete
    "room.scribe": {"supervisor"},  # the facilitator (and scribes) write for the room
    # the meeting is group supervision: the family's list is staff's to write there
    "person.add": {"worker", "supervisor", "outside_admin"},
    "person.change(staff's)": {"worker", "supervisor", "outside_admin"},
    "person.change(guest's own)": {"worker", "supervisor", "outside_admin"},
    "participant.remove(guest)": {"supervisor"},
    "admin.manage": {"outside_admin"},
    "admin.reset_mfa": {"outside_admin"},
    "framework.manage": {"outside_admin"},  # the agency's frameworks: admins only
    "account.own": {"display", "worker", "supervisor", "outsider", "outside_admin"},
    "no.such.action": set(),
}


@dataclass
class World:
    actors: dict[str, Any]
    targets: dict[str, Any]


@pytest.fixture
def world(ctx):
    team = make_team()
    supervisor = make_user("supervisor", team)
    worker = make_user("worker", team)
    case = make_case(team, supervisor)
    meeting = make_meeting(case, supervisor)
    other_meeting = make_meeting(case, supervisor, "consultation")
    waiting = make_guest(meeting, supervisor, "Gran", waiting_room=True)
    guest = make_guest(meeting, supervisor, "Mum")
    supervisor_actor = staff_in(meeting, supervisor)
    actors = {
        "anonymous": ANONYMOUS,
        "guest": guest_in(guest),
        "waiting_guest": guest_in(waiting),
        "other_guest": guest_in(make_guest(other_meeting, supervisor, "Dad")),
        "display": staff_in(meeting, worker, read_only=True),
        "display_link": display_actor(display_participant(meeting)),
        "past_guest": past_guest_actor(guest),
        "worker": staff_in(meeting, worker),
        "supervisor": supervisor_actor,
        "outsider": staff_actor(
            make_user("worker", make_team()), meeting_id=meeting.id, meeting_role="member"
        ),
        "outside_admin": staff_actor(
            make_user("admin"), meeting_id=meeting.id, meeting_role="member"
        ),
    }
    staff_item = Item(
        meeting_id=meeting.id,
        section="harm",
        position="a0",
        text="staff's",
        author_id=supervisor_actor.participant_id,
    )
    guest_item = Item(
        meeting_id=meeting.id, section="harm", position="a1", text="mum's", author_id=guest.id
    )
    deleted_item = Item(
        meeting_id=meeting.id, section="harm", position="a2", text="gone", deleted=True,
        author_id=guest.id, deleted_by_id=supervisor_actor.participant_id,
    )  # fmt: skip
    family_item = Item(
        meeting_id=meeting.id, section="harm", position="a3", text="ours", author_id=guest.id,
        family_private=True,
    )  # fmt: skip
    db.session.add_all([staff_item, guest_item, deleted_item, family_item])
    db.session.commit()
    targets = {
        "case.list": None,
        "case.create": team.id,
        "case.view": case,
        "case.manage": case,
        "case.next_step": case,
        "audit.view": None,
        "meeting.create": case,
        "meeting.view": meeting,
        "board.send": meeting.id,
        "meeting.display": meeting,
        "meeting.display_language": meeting,
        "meeting.display_link": meeting,
        "meeting.present": meeting,
        "meeting.invite": meeting,
        "meeting.pre_meeting": meeting,
        "meeting.wait": meeting,
        "guest.admit(waiting guest)": waiting,
        "guest.admit(admitted guest)": guest,
        "meeting.lead": meeting,
        "family_time.run": meeting,
        "family_time.share(one of the family)": access.AsFamily(meeting, True),
        "family_time.share(a partner)": access.AsFamily(meeting, False),
        "consent.record": meeting,
        "item.edit(the family's own, by its author)": family_item,
        "meeting.take_over": meeting,
        "meeting.reopen": meeting,
        "meeting.ask": meeting,
        "export.meeting": meeting,
        "plan.read": meeting,
        "plan.ended": meeting,
        "plan.withdraw": meeting,
        "meeting.signal": meeting,
        "scale.rate": meeting,
        "item.add": access.InSection(meeting, "harm"),
        "item.edit(guest's own)": guest_item,
        "item.edit(staff's)": staff_item,
        "item.move(staff's)": staff_item,
        "item.delete(staff's)": staff_item,
        "item.restore(deleted by the supervisor)": deleted_item,
        "room.scribe": meeting,
        "person.add": meeting,
        "person.change(staff's)": access.ListedPerson(meeting, supervisor_actor.participant_id),
        "person.change(guest's own)": access.ListedPerson(meeting, guest.id),
        "participant.remove(guest)": guest,
        "admin.manage": None,
        "admin.reset_mfa": None,
        "framework.manage": None,
        "account.own": None,
        "no.such.action": meeting,
    }
    return World(actors, targets)


def test_grid_covers_every_rule_of_the_access_module():
    assert {label.split("(")[0] for label in GRID} - {"no.such.action"} == set(access.RULES)


@pytest.mark.parametrize("label", list(GRID))
def test_only_the_listed_actors_may(world, label):
    action = label.split("(")[0]
    target = world.targets[label]
    allowed = {name for name in ACTORS if access.can(world.actors[name], action, target)}
    assert allowed == GRID[label]


def test_in_a_family_meeting_guests_add_people_and_change_only_their_own(world):
    supervisor = world.actors["supervisor"]
    case = world.targets["case.view"]
    lead = db.session.get(User, supervisor.user_id)
    family = make_meeting(case, lead, "family_team", "family")
    guest = guest_in(make_guest(family, lead, "Gran"))
    assert access.can(guest, "person.add", family)
    assert access.can(guest, "person.change", access.ListedPerson(family, guest.participant_id))
    assert not access.can(guest, "person.change", access.ListedPerson(family, 10**6))
    display = staff_in(family, db.session.get(User, world.actors["worker"].user_id), read_only=True)
    assert not access.can(display, "person.add", family)


def test_nobody_may_change_a_closed_meetings_board(world):
    meeting = world.targets["meeting.view"]
    meeting.status = "closed"
    db.session.commit()
    for name in ACTORS:
        assert not access.can(world.actors[name], "item.add", access.InSection(meeting, "harm"))
        assert not access.can(world.actors[name], "item.edit", world.targets["item.edit(staff's)"])


def test_staff_still_see_a_closed_meeting(world):
    meeting = world.targets["meeting.view"]
    meeting.status = "closed"
    db.session.commit()
    assert access.can(world.actors["worker"], "meeting.view", meeting)


def test_only_a_supervisor_or_admin_may_reopen_a_closed_meeting(world):
    meeting = world.targets["meeting.reopen"]
    meeting.status = "closed"
    db.session.commit()
    allowed = {name for name in ACTORS if access.can(world.actors[name], "meeting.reopen", meeting)}
    assert allowed == {"supervisor", "outside_admin"}


def _as(actor, role):
    return replace(actor, meeting_role=role)


def test_observers_watch_and_may_not_write_or_rate(world):
    observer = _as(world.actors["worker"], "observer")
    meeting = world.targets["meeting.view"]
    assert access.can(observer, "meeting.view", meeting)
    assert not access.can(observer, "item.add", access.InSection(meeting, "harm"))
    assert not access.can(observer, "scale.rate", meeting)


def test_scribes_only_policy_leaves_writing_to_scribes_and_the_facilitator(world):
    meeting = world.targets["meeting.view"]
    meeting.write_policy = "scribes"
    place = access.InSection(meeting, "harm")
    assert access.can(_as(world.actors["worker"], "scribe"), "item.add", place)
    assert access.can(world.actors["supervisor"], "item.add", place)  # the facilitator
    assert not access.can(world.actors["worker"], "item.add", place)
    assert not access.can(world.actors["guest"], "item.add", place)
    assert not access.can(world.actors["worker"], "item.edit", world.targets["item.edit(staff's)"])


@pytest.mark.parametrize("locked", [["harm"], ["*"]])
def test_a_locked_section_or_board_binds_everyone_but_the_facilitator(world, locked):
    meeting = world.targets["meeting.view"]
    meeting.locked_sections = locked
    assert not access.can(world.actors["worker"], "item.add", access.InSection(meeting, "harm"))
    assert not access.can(
        world.actors["guest"], "item.edit", world.targets["item.edit(guest's own)"]
    )
    assert access.can(world.actors["supervisor"], "item.add", access.InSection(meeting, "harm"))
    still_open = access.can(world.actors["worker"], "item.add", access.InSection(meeting, "grey"))
    assert still_open == (locked == ["harm"])


def test_a_supervisor_reads_the_audit_of_their_teams_and_an_admin_all(world):
    assert access.audit_teams(world.actors["supervisor"]) == world.actors["supervisor"].team_ids
    assert access.audit_teams(world.actors["outside_admin"]) is None


def test_only_an_admin_files_under_any_team(ctx):
    team = make_team()
    for role, expected in (("admin", True), ("supervisor", False), ("worker", False)):
        assert access.files_under_any_team(staff_actor(make_user(role, team))) is expected
    meeting = make_meeting(make_case(team), make_user("supervisor", team))
    guest = make_guest(meeting, make_user("worker", team))
    assert access.files_under_any_team(guest_in(guest)) is False
    assert access.files_under_any_team(ANONYMOUS) is False


def _closed(world, days_ago: int = 0):
    from datetime import timedelta

    from facilitator.models.types import utcnow

    meeting = world.targets["meeting.view"]
    meeting.status, meeting.closed_at = "closed", utcnow() - timedelta(days=days_ago)
    db.session.commit()
    return meeting


def test_after_close_its_guests_read_the_plan_and_nothing_else(world):
    meeting = _closed(world)
    past = world.actors["past_guest"]
    assert access.can(past, "plan.read", meeting)
    assert not access.can(past, "plan.ended", meeting)
    other = next(m for m in world.targets["case.view"].meetings if m.id != meeting.id)
    other.status, other.closed_at = "closed", meeting.closed_at
    assert not access.can(past, "plan.read", other) and not access.can(past, "plan.ended", other)
    for label in set(GRID) - {"plan.read"}:
        assert not access.can(past, label.split("(")[0], world.targets[label]), label


def test_the_plan_ends_for_guests_after_the_agencys_days_or_a_withdrawal(world):
    past = world.actors["past_guest"]
    meeting = _closed(world, days_ago=30)  # the default: 30 days, counted from the close
    assert not access.can(past, "plan.read", meeting) and access.can(past, "plan.ended", meeting)
    meeting = _closed(world, days_ago=29)
    assert access.can(past, "plan.read", meeting)
    meeting.plan_withdrawn_at = meeting.closed_at
    assert not access.can(past, "plan.read", meeting) and access.can(past, "plan.ended", meeting)
    assert access.can(world.actors["worker"], "plan.read", meeting)  # staff keep it


def test_who_ran_the_closed_meeting_withdraws_its_plan(world):
    meeting = _closed(world)
    allowed = {
        name for name, actor in world.actors.items() if access.can(actor, "plan.withdraw", meeting)
    }
    assert allowed == {"supervisor", "outside_admin"}  # the facilitator; an admin
