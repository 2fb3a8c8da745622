"""Catching up after a reconnect: the missed events in order, or a snapshot."""

from builders import add_op, make_guest, op

from facilitator.domain.limits import SYNC_EVENTS_MAX
from facilitator.extensions import db
from facilitator.models import Meeting
from facilitator.services import board_state


def sync(board, since_rev):
    meeting = db.session.get(Meeting, board.id)
    return board_state.sync(meeting, since_rev, board.actor.participant_id)


def test_sync_returns_exactly_the_missed_events_in_order(board):
    events = [board.apply(add_op(board.id, f"item {n}")).event for n in range(5)]
    answer = sync(board, 2)
    assert answer["mode"] == "events"
    assert answer["events"] == events[2:]
    assert [event["rev"] for event in answer["events"]] == [3, 4, 5]
    assert answer["rev"] == 5


def test_sync_from_the_current_rev_returns_no_events(board):
    board.apply(add_op(board.id))
    assert sync(board, 1) == {"mode": "events", "rev": 1, "events": []}


def test_sync_from_zero_returns_the_whole_history(board):
    item_id = board.add("one")
    board.apply(op(board.id, "delete_item", item_id=item_id))
    answer = sync(board, 0)
    assert [event["type"] for event in answer["events"]] == ["item_added", "item_deleted"]


def test_sync_without_a_rev_returns_a_snapshot(board):
    board.add("kept")
    answer = sync(board, None)
    assert answer["mode"] == "snapshot"
    assert answer["snapshot"]["rev"] == 1
    assert [item["text"] for item in answer["snapshot"]["items"]] == ["kept"]


def test_sync_from_a_rev_the_server_never_had_returns_a_snapshot(board):
    board.add()
    assert sync(board, 7)["mode"] == "snapshot"


def test_sync_answers_with_a_snapshot_only_beyond_the_limit(board):
    for number in range(SYNC_EVENTS_MAX + 1):
        board.apply(add_op(board.id, f"item {number}"))
    exactly_the_limit_behind = sync(board, 1)
    one_more_behind = sync(board, 0)
    assert exactly_the_limit_behind["mode"] == "events"
    assert len(exactly_the_limit_behind["events"]) == SYNC_EVENTS_MAX
    assert one_more_behind["mode"] == "snapshot"
    assert one_more_behind["snapshot"]["rev"] == SYNC_EVENTS_MAX + 1
    assert len(one_more_behind["snapshot"]["items"]) == SYNC_EVENTS_MAX + 1


def test_snapshot_leaves_out_deleted_items(board):
    board.add("kept")
    gone = board.add("gone")
    board.apply(op(board.id, "delete_item", item_id=gone))
    items = sync(board, None)["snapshot"]["items"]
    assert [item["text"] for item in items] == ["kept"]


def test_snapshot_lists_items_in_board_order(board):
    ids = {text: board.add(text, "strengths") for text in ("a", "b", "c")}
    board.apply(op(board.id, "move_item", item_id=ids["c"], section="strengths"))
    items = sync(board, None)["snapshot"]["items"]
    assert [item["text"] for item in items] == ["c", "a", "b"]


def test_snapshot_leaves_out_removed_participants(board):
    stays = make_guest(board.meeting, board.user, "Stays")
    goes = make_guest(board.meeting, board.user, "Goes")
    board.apply(op(board.id, "remove_participant", participant_id=goes.id))
    people = sync(board, None)["snapshot"]["participants"]
    assert {p["id"] for p in people} == {board.actor.participant_id, stays.id}
