"""Who is involved, through the operation pipeline: the privacy rule, revisions, retries,
conflicts, who may change the list, items naming people, and the next meeting."""

from __future__ import annotations

from typing import Any

import pytest
from builders import count, guest_in, make_guest, make_meeting, make_user, op, rev_of, staff_in
from sqlalchemy import select

from facilitator.domain.errors import OperationError
from facilitator.identity import staff_actor
from facilitator.models import AuditEntry, InvolvedPerson, Item
from facilitator.services import board as board_service
from facilitator.services import board_state, frameworks, meetings

MOTHER = {"name": "M.L.", "relationship": "mother", "age": 34, "household": "Home 1"}


def add_person(board, actor=None, **fields: Any) -> dict[str, Any]:
    payload = {**MOTHER, "role": "parent", **fields}
    return board.apply(op(board.id, "add_person", **payload), actor).event["person"]


def family_meeting(board):
    """A family team meeting of the same case, with a guest let in."""
    meeting = make_meeting(board.case, board.user, "family_team", "family")
    guest = make_guest(meeting, board.user, "Mum")
    return meeting, staff_in(meeting, board.user), guest_in(guest)


def test_adding_a_person_is_one_revision_with_its_event(board):
    before = rev_of(board.id)
    result = board.apply(op(board.id, "add_person", **MOTHER, role="parent"))
    assert result.rev == before + 1
    assert result.event["type"] == "person_added"
    person = result.event["person"]
    assert {k: person[k] for k in (*MOTHER, "role", "version", "removed")} == {
        **MOTHER, "role": "parent", "version": 1, "removed": False,
    }  # fmt: skip
    stored = select(InvolvedPerson).where(InvolvedPerson.case_id == board.case.id)
    assert [p.name for p in board_service.db.session.scalars(stored)] == ["M.L."]


def test_a_full_name_is_refused_in_supervision_and_nothing_is_written(board):
    before = rev_of(board.id)
    refused = board.refuse(op(board.id, "add_person", name="Maria Lopez", role="parent"))
    assert refused.code == "full_name" and "initials only" in refused.message
    assert rev_of(board.id) == before and count(InvolvedPerson) == 0


def test_a_family_meeting_keeps_a_name_and_supervision_shows_its_initials(board):
    meeting, lead, _ = family_meeting(board)
    raw = op(meeting.id, "add_person", name="Maria Lopez", role="parent")
    event = board_service.apply_operation(lead, raw).event
    assert event["person"]["name"] == "Maria Lopez"
    snapshot = board_state.board_snapshot(board.meeting, viewer=None)
    assert [p["name"] for p in snapshot["involved"]] == ["M.L."]


def test_an_edit_in_supervision_shows_the_family_name_as_initials_and_keeps_it(board):
    meeting, lead, _ = family_meeting(board)
    raw = op(meeting.id, "add_person", name="Maria Lopez", role="parent")
    person = board_service.apply_operation(lead, raw).event["person"]
    edited = board.apply(
        op(board.id, "edit_person", person_id=person["id"], base_version=1, age=35)
    )
    assert edited.event["person"]["name"] == "M.L." and edited.event["person"]["age"] == 35
    assert board_service.db.session.get(InvolvedPerson, person["id"]).name == "Maria Lopez"


def test_retrying_any_person_op_changes_nothing(board):
    person = add_person(board)
    item = board.add("Mother keeps the rule", "safety")
    raws = [
        op(board.id, "add_person", name="B.", role="child"),
        op(board.id, "edit_person", person_id=person["id"], base_version=1, age=40),
        op(board.id, "set_item_people", item_id=item, person_ids=[person["id"]]),
        op(board.id, "remove_person", person_id=person["id"]),
    ]
    for raw in raws:
        first = board.apply(raw)
        rev, people = rev_of(board.id), count(InvolvedPerson)
        again = board.apply(raw)
        assert again.duplicate and again.rev == first.rev and again.event == first.event
        assert rev_of(board.id) == rev and count(InvolvedPerson) == people


def test_a_stale_edit_is_a_conflict_carrying_the_current_person(board):
    person = add_person(board)
    board.apply(op(board.id, "edit_person", person_id=person["id"], base_version=1, age=35))
    refused = board.refuse(
        op(board.id, "edit_person", person_id=person["id"], base_version=1, household="Gran's")
    )
    assert refused.code == "conflict"
    assert refused.details["person"]["age"] == 35 and refused.details["person"]["version"] == 2
    assert board_service.db.session.get(InvolvedPerson, person["id"]).household == "Home 1"


def test_a_removed_person_cannot_be_edited_or_named_again(board):
    person = add_person(board)
    board.apply(op(board.id, "remove_person", person_id=person["id"]))
    edit = op(board.id, "edit_person", person_id=person["id"], base_version=2, age=3)
    assert board.refuse(edit).code == "not_found"
    item = board.add()
    naming = op(board.id, "set_item_people", item_id=item, person_ids=[person["id"]])
    assert board.refuse(naming).code == "not_found"


def test_an_item_naming_a_removed_person_keeps_the_item_and_the_name(board):
    person = add_person(board)
    item = board.add("Mother will call if she is worried", "safety")
    board.apply(op(board.id, "set_item_people", item_id=item, person_ids=[person["id"]]))
    removed = board.apply(op(board.id, "remove_person", person_id=person["id"])).event["person"]
    assert removed["removed"] is True
    snapshot = board_state.board_snapshot(board.meeting, viewer=None)
    (shown,) = [i for i in snapshot["items"] if i["id"] == item]
    assert shown["person_ids"] == [person["id"]]
    assert [p["removed"] for p in snapshot["involved"]] == [True]
    # saving the item's people again with the removed one still on it is allowed
    again = op(board.id, "set_item_people", item_id=item, person_ids=[person["id"]])
    assert board.apply(again).event["item"]["person_ids"] == [person["id"]]


def test_naming_people_on_an_item_is_a_revision_of_the_item(board):
    mother, child = add_person(board), add_person(board, name="B.", role="child", age=6)
    item = board.add("Who keeps this rule", "safety")
    event = board.apply(
        op(board.id, "set_item_people", item_id=item, person_ids=[child["id"], mother["id"]])
    ).event
    assert event["type"] == "item_people_set"
    assert event["item"]["person_ids"] == [child["id"], mother["id"]]
    assert event["item"]["version"] == 2
    cleared = board.apply(op(board.id, "set_item_people", item_id=item, person_ids=[])).event
    assert cleared["item"]["person_ids"] is None


def test_people_of_another_case_cannot_be_named_or_edited(board):
    from builders import make_case

    other_case = make_case(board.team, board.user, "Q.R. (3)")
    other = make_meeting(other_case, board.user)
    other_lead = staff_in(other, board.user)
    raw = op(other.id, "add_person", name="Z.", role="child")
    theirs = board_service.apply_operation(other_lead, raw).event["person"]
    item = board.add()
    naming = op(board.id, "set_item_people", item_id=item, person_ids=[theirs["id"]])
    assert board.refuse(naming).code == "not_found"
    edit = op(board.id, "edit_person", person_id=theirs["id"], base_version=1, age=4)
    assert board.refuse(edit).code == "not_found"


def test_guests_add_people_in_a_family_meeting_and_change_only_their_own(board):
    meeting, lead, guest = family_meeting(board)
    raw = op(meeting.id, "add_person", name="Nana Rosa", relationship="grandmother", role="family")
    mine = board_service.apply_operation(guest, raw).event["person"]
    theirs = board_service.apply_operation(
        lead, op(meeting.id, "add_person", name="T.", role="professional")
    ).event["person"]
    edit = op(meeting.id, "edit_person", person_id=mine["id"], base_version=1, age=70)
    assert board_service.apply_operation(guest, edit).event["person"]["age"] == 70
    for kind, extra in (("edit_person", {"base_version": 1, "age": 3}), ("remove_person", {})):
        with pytest.raises(OperationError) as refused:
            board_service.apply_operation(
                guest, op(meeting.id, kind, person_id=theirs["id"], **extra)
            )
        assert refused.value.code == "forbidden"


def test_guests_cannot_add_people_in_supervision(board):
    guest = guest_in(make_guest(board.meeting, board.user))
    refused = board.refuse(op(board.id, "add_person", name="M.", role="parent"), guest)
    assert refused.code == "forbidden" and count(InvolvedPerson) == 0


def test_a_locked_who_is_involved_section_locks_the_list_for_all_but_the_facilitator(board):
    from builders import make_user

    board.apply(op(board.id, "lock_section", section="involved", locked=True))
    worker = staff_in(board.meeting, make_user("worker", board.team))
    refused = board.refuse(op(board.id, "add_person", name="M.", role="parent"), worker)
    assert refused.code == "forbidden"
    assert add_person(board)["name"] == "M.L."


def test_each_accepted_person_op_has_an_audit_entry_without_the_name(board):
    person = add_person(board)
    entries = list(
        board_service.db.session.scalars(
            select(AuditEntry).where(AuditEntry.action == "board.add_person")
        )
    )
    assert len(entries) == 1 and entries[0].detail["person_id"] == person["id"]
    assert "M.L." not in str(entries[0].detail)


def test_the_list_carries_to_the_next_meeting_with_items_still_naming_people(board):
    person = add_person(board)
    item = board.add("Mother keeps the rule", "safety")
    board.apply(op(board.id, "set_item_people", item_id=item, person_ids=[person["id"]]))
    board.apply(op(board.id, "close_meeting"))
    following = meetings.start_meeting(
        board.actor, board.case, "group_supervision", "cisf", bring_forward=True
    )
    lead = staff_in(following, board.user)
    snapshot = board_state.board_snapshot(following, viewer=None)
    assert [p["id"] for p in snapshot["involved"]] == [person["id"]]
    (copy,) = board_service.db.session.scalars(
        select(Item).where(Item.meeting_id == following.id, Item.section == "safety")
    )
    assert copy.person_ids == [person["id"]]
    # and the next meeting changes the same list
    edit = op(following.id, "edit_person", person_id=person["id"], base_version=1, age=36)
    assert board_service.apply_operation(lead, edit).event["person"]["age"] == 36


def _agency_meeting(board, mode: str):
    """A meeting of the board's case on an agency framework of this mode (published by an
    admin), with its facilitator and a guest let in."""
    definition = {
        "key": f"our_{mode}", "name": f"Our {mode} map", "mode": mode,
        "sections": [{"key": "worries", "title": "Worries", "group": "Worries"}],
        "agenda": [{"title": "Worries", "minutes": "10", "sections": "worries"}],
    }  # fmt: skip
    frameworks.publish(staff_actor(make_user("admin")), definition)
    kind = "family_team" if mode == "family" else "group_supervision"
    meeting = make_meeting(board.case, board.user, kind, f"our_{mode}")
    guest = make_guest(meeting, board.user, "Mum")
    return meeting, staff_in(meeting, board.user), guest_in(guest)


def test_an_agency_family_framework_takes_and_shows_names(board):
    meeting, lead, guest = _agency_meeting(board, "family")
    assert meeting.framework_version == 1
    raw = op(meeting.id, "add_person", name="Maria Lopez", role="parent")
    assert board_service.apply_operation(lead, raw).event["person"]["name"] == "Maria Lopez"
    by_guest = op(meeting.id, "add_person", name="Rosa Diaz", role="family")
    assert board_service.apply_operation(guest, by_guest).event["person"]["name"] == "Rosa Diaz"
    shown = board_state.board_snapshot(meeting, viewer=None)["involved"]
    assert [p["name"] for p in shown] == ["Maria Lopez", "Rosa Diaz"]


def test_an_agency_professional_framework_takes_initials_only(board):
    meeting, lead, guest = _agency_meeting(board, "professional")
    refused = op(meeting.id, "add_person", name="Maria Lopez", role="parent")
    with pytest.raises(OperationError) as error:
        board_service.apply_operation(lead, refused)
    assert error.value.code == "full_name" and count(InvolvedPerson) == 0
    with pytest.raises(OperationError) as error:  # guests add people in family meetings only
        board_service.apply_operation(guest, op(meeting.id, "add_person", name="R.", role="family"))
    assert error.value.code == "forbidden"
    family, family_lead, _ = family_meeting(board)
    named = op(family.id, "add_person", name="Maria Lopez", role="parent")
    board_service.apply_operation(family_lead, named)
    shown = board_state.board_snapshot(meeting, viewer=None)["involved"]
    assert [p["name"] for p in shown] == ["M.L."]
