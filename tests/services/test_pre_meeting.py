"""Before the meeting (issue 18): invites, what they let their person write, and bringing
the words onto the board as that person's item."""

import pytest
from builders import op

from facilitator.domain.pre_meeting import INPUTS_PER_INVITE_MAX, PreMeetingError
from facilitator.extensions import db
from facilitator.models import Item, Participant
from facilitator.services import pre_meeting


def invite(board, who="young_person", name="Jay"):
    made, token = pre_meeting.create_invite(board.actor, board.meeting, name, who, "es")
    return made, token


def test_an_invite_is_found_by_its_token_only_while_it_holds(board):
    made, token = invite(board)
    assert made.token_hash != token and len(token) >= 40
    assert pre_meeting.invite_for(token) is made
    assert pre_meeting.invite_for(token + "x") is None
    pre_meeting.end_invite(board.actor, board.meeting, made.id)
    assert pre_meeting.invite_for(token) is None


def test_an_invite_needs_a_name_and_who_they_are(board):
    with pytest.raises(PreMeetingError):
        invite(board, name="  ")
    with pytest.raises(PreMeetingError):
        invite(board, who="grandparent")


def test_a_closed_meeting_takes_no_invite(board):
    board.meeting.status = "closed"
    with pytest.raises(PreMeetingError):
        invite(board)


def test_one_invite_takes_a_bounded_number_of_entries(board):
    made, _ = invite(board, who="parent")
    for number in range(INPUTS_PER_INVITE_MAX):
        pre_meeting.add_input(made, "know", f"Entry {number}")
    with pytest.raises(PreMeetingError):
        pre_meeting.add_input(made, "know", "One too many")


def test_pending_is_for_staff_of_the_case_only(board):
    made, _ = invite(board)
    pre_meeting.add_input(made, "know", "Waiting words")
    assert [e.text for e in pre_meeting.pending(board.actor, board.meeting)] == ["Waiting words"]
    assert pre_meeting.pending(pre_meeting.invitee(made), board.meeting) == []


def test_brought_words_become_the_writers_item_in_the_chosen_section(board):
    made, _ = invite(board)
    entry = pre_meeting.add_input(made, "dreams", "To live with my gran")
    event = board.apply(
        op(board.id, "bring_pre_meeting_input", input_id=entry.id, section="goals")
    ).event
    item = db.session.get(Item, event["item"]["id"])
    writer = db.session.get(Participant, item.author_id)
    assert (item.text, item.section, item.view) == ("To live with my gran", "goals", "child")
    assert (writer.display_name, writer.role) == ("Jay", "in_room")
    assert pre_meeting.pending(board.actor, board.meeting) == []
