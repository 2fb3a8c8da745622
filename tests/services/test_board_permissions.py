"""Who may change the board: guests their own items, staff of the team everything."""

import pytest
from builders import (
    add_op,
    guest_in,
    make_guest,
    make_meeting,
    make_team,
    make_user,
    op,
    rev_of,
    staff_in,
    texts_in,
)

from facilitator.extensions import db
from facilitator.identity import staff_actor
from facilitator.models import GuestInvite, Item, Participant
from facilitator.services import pre_meeting
from facilitator.services.ops.types import OP_TYPES as KERNEL_OP_TYPES


def guest_of(board, name="Mum"):
    return guest_in(make_guest(board.meeting, board.user, name))


def test_guest_may_add_an_item(board):
    guest = guest_of(board)
    result = board.apply(add_op(board.id, "Grandma helps", "safety"), guest)
    assert result.event["item"]["author"]["name"] == "Mum"


def test_guest_may_edit_own_item(board):
    guest = guest_of(board)
    item_id = board.add("mine", actor=guest)
    board.apply(
        op(board.id, "edit_item", item_id=item_id, text="still mine", base_version=1), guest
    )
    assert db.session.get(Item, item_id).text == "still mine"


def test_guest_may_delete_own_item(board):
    guest = guest_of(board)
    item_id = board.add("mine", actor=guest)
    board.apply(op(board.id, "delete_item", item_id=item_id), guest)
    assert texts_in(board.id, "harm") == []


def test_guest_cannot_edit_someone_elses_item(board):
    item_id = board.add("the worker's")
    raw = op(board.id, "edit_item", item_id=item_id, text="changed", base_version=1)
    assert board.refuse(raw, guest_of(board)).code == "forbidden"
    assert db.session.get(Item, item_id).text == "the worker's"


def test_guest_cannot_edit_another_guests_item(board):
    item_id = board.add("dad's", actor=guest_of(board, "Dad"))
    raw = op(board.id, "edit_item", item_id=item_id, text="changed", base_version=1)
    assert board.refuse(raw, guest_of(board, "Mum")).code == "forbidden"


def test_guest_cannot_move_someone_elses_item(board):
    item_id = board.add("the worker's")
    raw = op(board.id, "move_item", item_id=item_id, section="grey")
    assert board.refuse(raw, guest_of(board)).code == "forbidden"


def test_guest_cannot_delete_someone_elses_item(board):
    item_id = board.add("the worker's")
    raw = op(board.id, "delete_item", item_id=item_id)
    assert board.refuse(raw, guest_of(board)).code == "forbidden"
    assert texts_in(board.id, "harm") == ["the worker's"]


def test_staff_may_edit_a_guests_item(board):
    item_id = board.add("mum's words", actor=guest_of(board))
    board.apply(op(board.id, "edit_item", item_id=item_id, text="typo fixed", base_version=1))
    assert db.session.get(Item, item_id).text == "typo fixed"


def test_teammate_may_edit_another_workers_item(board):
    item_id = board.add("supervisor's")
    teammate = staff_in(board.meeting, make_user("worker", board.team))
    board.apply(
        op(board.id, "edit_item", item_id=item_id, text="reworded", base_version=1), teammate
    )
    assert db.session.get(Item, item_id).text == "reworded"


def test_read_only_staff_connection_cannot_change_the_board(board):
    display = staff_in(board.meeting, board.user, read_only=True)
    assert board.refuse(add_op(board.id), display).code == "forbidden"
    assert rev_of(board.id) == 0


def test_read_only_guest_cannot_change_the_board(board):
    guest = guest_in(make_guest(board.meeting, board.user), read_only=True)
    assert board.refuse(add_op(board.id), guest).code == "forbidden"


def test_staff_of_another_team_cannot_change_the_board(board):
    outsider = make_user("worker", make_team())
    actor = staff_actor(outsider, meeting_id=board.id)
    assert board.refuse(add_op(board.id), actor).code == "forbidden"
    assert rev_of(board.id) == 0


def test_op_naming_another_meeting_than_the_connection_is_refused(board):
    other = make_meeting(board.case, board.user, "consultation")
    assert board.refuse(add_op(other.id)).code == "forbidden"
    assert rev_of(other.id) == 0


def test_guest_naming_another_meeting_is_refused(board):
    other = make_meeting(board.case, board.user, "consultation")
    assert board.refuse(add_op(other.id), guest_of(board)).code == "forbidden"


def test_op_for_a_meeting_that_does_not_exist_is_refused(board):
    assert board.refuse(add_op(board.id + 100)).code == "forbidden"


def test_closed_meeting_refuses_ops(board):
    item_id = board.add("kept")
    board.meeting.status = "closed"
    db.session.commit()
    raw = op(board.id, "edit_item", item_id=item_id, text="late", base_version=1)
    assert board.refuse(raw).code == "meeting_closed"
    assert rev_of(board.id) == 1


# --- removing a participant ---------------------------------------------------------


def test_staff_may_remove_a_guest(board):
    guest = make_guest(board.meeting, board.user)
    result = board.apply(op(board.id, "remove_participant", participant_id=guest.id))
    assert result.event["type"] == "participant_removed"
    assert result.event["participant_id"] == guest.id
    assert db.session.get(Participant, guest.id).removed_at is not None


def test_removing_a_guest_withdraws_the_invite_they_joined_with(board):
    guest = make_guest(board.meeting, board.user)
    board.apply(op(board.id, "remove_participant", participant_id=guest.id))
    assert db.session.get(GuestInvite, guest.invite_id).revoked_at is not None


def test_guest_cannot_remove_anyone(board):
    mum = make_guest(board.meeting, board.user, "Mum")
    raw = op(board.id, "remove_participant", participant_id=board.actor.participant_id)
    assert board.refuse(raw, guest_of(board, "Dad")).code == "forbidden"
    raw = op(board.id, "remove_participant", participant_id=mum.id)
    assert board.refuse(raw, guest_of(board, "Dad")).code == "forbidden"


def test_staff_cannot_remove_themselves(board):
    raw = op(board.id, "remove_participant", participant_id=board.actor.participant_id)
    assert board.refuse(raw).code == "forbidden"


def test_removed_participant_cannot_be_removed_again(board):
    guest = make_guest(board.meeting, board.user)
    board.apply(op(board.id, "remove_participant", participant_id=guest.id))
    raw = op(board.id, "remove_participant", participant_id=guest.id)
    assert board.refuse(raw).code == "forbidden"


def test_participant_of_another_meeting_is_not_found(board):
    other = make_meeting(board.case, board.user, "consultation")
    stranger = make_guest(other, board.user)
    raw = op(board.id, "remove_participant", participant_id=stranger.id)
    assert board.refuse(raw).code == "not_found"


# --- every operation type --------------------------------------------------------------

OP_TYPES = sorted(KERNEL_OP_TYPES)


def valid_example(board, kind):
    """A payload of this type that the facilitator may apply to a fresh board."""
    item_id = board.add("an item")
    guest_id = make_guest(board.meeting, board.user).id
    colleague = staff_in(board.meeting, make_user("worker", board.team)).participant_id
    if kind == "add_time":
        board.apply(op(board.id, "go_to_step", index=0))
    if kind in ("set_next_step", "set_next_step_status"):
        item_id = board.add("Call the nurse", "next_steps")
    if kind == "link_items":
        item_id = board.add("A goal", "goals")
    if kind == "unmerge_item":
        board.apply(op(board.id, "merge_items", item_id=item_id, into_id=board.add("same")))
    if kind == "restore_item":
        board.apply(op(board.id, "delete_item", item_id=item_id))
    round_id = None
    if kind in ("rate", "reveal_scale_round", "reopen_scale_round"):
        opened = board.apply(op(board.id, "open_scale_round"))
        round_id = opened.event["scale_round"]["id"]
    if kind == "reopen_scale_round":
        board.apply(op(board.id, "reveal_scale_round", round_id=round_id))
    input_id = None
    if kind == "bring_pre_meeting_input":
        invite, _ = pre_meeting.create_invite(board.actor, board.meeting, "Jay", "parent", None)
        input_id = pre_meeting.add_input(invite, "know", "Written before").id
    if kind == "share_family_items":
        _family_item(item_id)
    person_id = None
    if kind in ("edit_person", "remove_person", "set_item_people"):
        added = board.apply(op(board.id, "add_person", name="M.L.", role="parent"))
        person_id = added.event["person"]["id"]
    return op(
        board.id,
        kind,
        **{
            "add_item": {"section": "harm", "text": "x"},
            "edit_item": {"item_id": item_id, "text": "x", "base_version": 1},
            "move_item": {"item_id": item_id, "section": "grey"},
            "delete_item": {"item_id": item_id},
            "restore_item": {"item_id": item_id},
            "add_room_person": {"name": "Rosa", "view": "child"},
            "remove_participant": {"participant_id": guest_id},
            "set_agenda": {"steps": [{"title": "Only step", "minutes": 5}]},
            "go_to_step": {"index": 1},
            "add_time": {"minutes": 2},
            "set_role": {"participant_id": colleague, "role": "scribe"},
            "hand_over": {"participant_id": colleague},
            "set_write_policy": {"policy": "scribes"},
            "set_question": {"text": "What would help?"},
            "lock_section": {"section": "harm", "locked": True},
            "spotlight": {"item_id": item_id},
            "collect_privately": {"section": "grey", "on": True},
            "merge_items": {"item_id": item_id, "into_id": board.add("the same")},
            "unmerge_item": {"item_id": item_id},
            "set_signal": {"signal": "hand", "on": True},
            "clear_signals": {},
            "set_show_initials": {"on": True},
            "present": {"show": "overview"},
            "close_meeting": {},
            "set_next_step": {"item_id": item_id, "owner": "Sam", "due_on": "2026-12-01"},
            "set_next_step_status": {"item_id": item_id, "status": "agreed"},
            "link_items": {"item_id": item_id, "link_id": board.add("A danger", "danger")},
            "set_family_view": {"item_id": item_id, "text": "We see it differently."},
            "open_scale_round": {"anonymous": True},
            "rate": {"round_id": round_id, "value": 6, "reason": "a plan"},
            "reveal_scale_round": {"round_id": round_id},
            "reopen_scale_round": {"round_id": round_id},
            "add_person": {"name": "B.", "relationship": "son", "age": 6, "role": "child"},
            "edit_person": {"person_id": person_id, "base_version": 1, "household": "Gran's"},
            "remove_person": {"person_id": person_id},
            "set_item_people": {"item_id": item_id, "person_ids": [person_id]},
            "bring_pre_meeting_input": {"input_id": input_id, "section": "grey"},
            "set_family_time": {"on": True},
            "share_family_items": {},
            "record_consent": {"by": "M.L., mother"},
        }[kind],
    )


def _family_item(item_id):
    """Make the item as if a family member had added it in private family time."""
    db.session.get(Item, item_id).family_private = True
    db.session.commit()


SENT_BY_FAMILY = {"share_family_items"}  # by one of the family, never the facilitator


def test_every_operation_type_has_an_example_here():
    assert set(OP_TYPES) == set(KERNEL_OP_TYPES)


@pytest.mark.parametrize("kind", OP_TYPES)
def test_facilitator_may_apply_every_operation_type(board, kind):
    raw = valid_example(board, kind)
    before = rev_of(board.id)
    sender = guest_of(board) if kind in SENT_BY_FAMILY else None
    assert board.apply(raw, sender).rev == before + 1


@pytest.mark.parametrize("kind", OP_TYPES)
def test_read_only_connection_is_refused_every_operation_type(board, kind):
    raw = valid_example(board, kind)
    before = rev_of(board.id)
    display = staff_in(board.meeting, board.user, read_only=True)
    assert board.refuse(raw, display).code == "forbidden"
    assert rev_of(board.id) == before


@pytest.mark.parametrize("kind", OP_TYPES)
def test_staff_of_another_team_is_refused_every_operation_type(board, kind):
    raw = valid_example(board, kind)
    outsider = staff_actor(make_user("worker", make_team()), meeting_id=board.id)
    assert board.refuse(raw, outsider).code == "forbidden"


@pytest.mark.parametrize("kind", OP_TYPES)
def test_closed_meeting_refuses_every_operation_type(board, kind):
    raw = valid_example(board, kind)
    board.meeting.status = "closed"
    db.session.commit()
    assert board.refuse(raw).code == "meeting_closed"
