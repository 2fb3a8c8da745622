"""One revision per accepted operation, a log of every event, and harmless retries."""

import pytest
from builders import (
    add_op,
    count,
    make_meeting,
    new_op_id,
    op,
    rev_of,
    staff_in,
    texts_in,
)
from sqlalchemy import select

from facilitator.domain.limits import ITEM_TEXT_MAX
from facilitator.extensions import db
from facilitator.models import Item, MeetingEvent
from facilitator.services import board as board_service


def test_rev_increases_by_exactly_one_per_accepted_op(board):
    item_id = board.add("one")
    revs = [rev_of(board.id)]
    for raw in (
        add_op(board.id, "two"),
        op(board.id, "edit_item", item_id=item_id, text="uno", base_version=1),
        op(board.id, "move_item", item_id=item_id, section="danger"),
        op(board.id, "delete_item", item_id=item_id),
    ):
        assert board.apply(raw).rev == revs[-1] + 1
        revs.append(rev_of(board.id))
    assert revs == [1, 2, 3, 4, 5]


def test_every_accepted_op_is_logged_with_its_rev_op_id_and_actor(board):
    raw = add_op(board.id)
    result = board.apply(raw)
    logged = db.session.scalar(select(MeetingEvent).where(MeetingEvent.meeting_id == board.id))
    assert (logged.rev, logged.op_id, logged.actor_id, logged.type) == (
        1,
        raw["op_id"],
        board.actor.participant_id,
        "item_added",
    )
    assert logged.data == result.event


def test_event_names_its_meeting_rev_op_and_actor(board):
    raw = add_op(board.id)
    event = board.apply(raw).event
    assert (event["meeting_id"], event["rev"], event["op_id"]) == (board.id, 1, raw["op_id"])
    assert event["actor"] == {"id": board.actor.participant_id, "name": board.user.display_name}


REFUSED_OPS = {
    "empty_text": lambda b, i: add_op(b.id, "   "),
    "text_too_long": lambda b, i: add_op(b.id, "x" * (ITEM_TEXT_MAX + 1)),
    "unknown_section": lambda b, i: add_op(b.id, "x", "worries"),
    "unknown_view": lambda b, i: add_op(b.id, "x", view="judge"),
    "not_found": lambda b, i: op(b.id, "delete_item", item_id=i + 1000),
    "conflict": lambda b, i: op(b.id, "edit_item", item_id=i, text="x", base_version=7),
    "invalid": lambda b, i: op(b.id, "edit_item", item_id=True, text="x", base_version=1),
    "unknown_type": lambda b, i: op(b.id, "drop_table"),
}


@pytest.mark.parametrize("code", list(REFUSED_OPS))
def test_refused_op_writes_nothing_and_leaves_rev_unchanged(board, code):
    item_id = board.add("kept")
    before = (rev_of(board.id), count(MeetingEvent), count(Item))
    assert board.refuse(REFUSED_OPS[code](board, item_id)).code == code
    db.session.expire_all()
    assert (rev_of(board.id), count(MeetingEvent), count(Item)) == before
    assert db.session.get(Item, item_id).text == "kept"


def test_refused_op_id_can_be_used_again_once_fixed(board):
    op_id = new_op_id()
    board.refuse(add_op(board.id, "", op_id=op_id))
    assert board.apply(add_op(board.id, "now with text", op_id=op_id)).rev == 1


# --- retries --------------------------------------------------------------------------


def test_retried_op_id_creates_nothing_new(board):
    raw = add_op(board.id, "once")
    board.apply(raw)
    board.apply(raw)
    assert count(Item) == 1
    assert count(MeetingEvent) == 1
    assert rev_of(board.id) == 1


def test_retried_op_id_returns_the_same_rev_and_event_marked_duplicate(board):
    raw = add_op(board.id, "once")
    first = board.apply(raw)
    again = board.apply(raw)
    assert (again.rev, again.event, again.duplicate) == (first.rev, first.event, True)


def test_retried_edit_is_not_a_conflict(board):
    item_id = board.add("before")
    raw = op(board.id, "edit_item", item_id=item_id, text="after", base_version=1)
    first = board.apply(raw)
    again = board.apply(raw)
    assert again.duplicate and again.rev == first.rev
    assert db.session.get(Item, item_id).version == 2


def test_retried_delete_is_answered_from_the_log(board):
    item_id = board.add("goes")
    raw = op(board.id, "delete_item", item_id=item_id)
    first = board.apply(raw)
    assert board.apply(raw).event == first.event


def test_a_reused_op_id_with_another_payload_is_refused_not_answered_from_the_log(board):
    """Issue 17, 14: an ok duplicate here made a client believe its other change was saved."""
    raw = add_op(board.id, "first text")
    board.apply(raw)
    assert board.refuse({**raw, "payload": {**raw["payload"], "text": "second text"}}).code == (
        "op_id_reused"
    )
    assert texts_in(board.id, "harm") == ["first text"]
    assert rev_of(board.id) == 1


def test_a_reused_op_id_with_another_type_is_refused(board):
    raw = add_op(board.id, "kept")
    item_id = board.apply(raw).event["item"]["id"]
    reused = {**op(board.id, "delete_item", item_id=item_id), "op_id": raw["op_id"]}
    assert board.refuse(reused).code == "op_id_reused"
    assert texts_in(board.id, "harm") == ["kept"]


def test_retries_after_later_ops_still_return_the_original_result(board):
    raw = add_op(board.id, "first")
    first = board.apply(raw)
    board.add("second")
    assert board.apply(raw).rev == first.rev == 1
    assert rev_of(board.id) == 2


def test_same_op_id_in_another_meeting_is_another_operation(board):
    other = make_meeting(board.case, board.user, "consultation")
    op_id = new_op_id()
    board.apply(add_op(board.id, op_id=op_id))
    result = board_service.apply_operation(
        staff_in(other, board.user), add_op(other.id, op_id=op_id)
    )
    assert not result.duplicate
    assert count(Item) == 2
