"""Scaling rounds: who may open, rate, reveal and reopen; what each viewer sees."""

import pytest
from builders import guest_in, make_guest, make_user, op, staff_in

from facilitator.models import Rating
from facilitator.services.board_state import board_snapshot, sync


def open_round(board, actor=None, **payload):
    result = board.apply(op(board.id, "open_scale_round", **payload), actor)
    return result.event["scale_round"]


def rate(board, actor, round_id, value, reason=""):
    return board.apply(op(board.id, "rate", round_id=round_id, value=value, reason=reason), actor)


@pytest.fixture
def people(board):
    guest = guest_in(make_guest(board.meeting, board.user, "Mum"))
    worker = staff_in(board.meeting, make_user("worker", board.team))
    return guest, worker


def test_the_facilitator_opens_an_overall_round(board):
    scale_round = open_round(board, anonymous=False)
    assert scale_round["status"] == "open"
    assert scale_round["danger_item_id"] is None
    assert (scale_round["rated"], scale_round["ratings"], scale_round["spread"]) == ([], None, None)


def test_only_the_facilitator_opens_reveals_and_reopens(board, people):
    _guest, worker = people
    for actor in people:
        assert board.refuse(op(board.id, "open_scale_round"), actor).code == "forbidden"
    round_id = open_round(board)["id"]
    for actor in people:
        assert board.refuse(op(board.id, "reveal_scale_round", round_id=round_id), actor).code == (
            "forbidden"
        )
    board.apply(op(board.id, "reveal_scale_round", round_id=round_id))
    assert board.refuse(op(board.id, "reopen_scale_round", round_id=round_id), worker).code == (
        "forbidden"
    )


def test_only_one_round_is_open_at_a_time(board):
    open_round(board)
    refused = board.refuse(op(board.id, "open_scale_round"))
    assert refused.code == "invalid"
    assert "already open" in refused.message


def test_a_danger_round_needs_a_live_danger_statement(board):
    harm = board.add("A harm", "harm")
    assert board.refuse(op(board.id, "open_scale_round", danger_item_id=harm)).code == "invalid"
    assert board.refuse(op(board.id, "open_scale_round", danger_item_id=9999)).code == "not_found"
    danger = board.add("Worried that...", "danger")
    assert open_round(board, danger_item_id=danger)["danger_item_id"] == danger


def test_everyone_but_observers_rates_an_open_round(board, people):
    guest, worker = people
    round_id = open_round(board)["id"]
    for actor, value in ((board.actor, 6), (guest, 3), (worker, 8)):
        rate(board, actor, round_id, value)
    observer = staff_in(board.meeting, make_user("worker", board.team), read_only=True)
    assert board.refuse(op(board.id, "rate", round_id=round_id, value=5), observer).code == (
        "forbidden"
    )


def test_a_second_rating_replaces_the_first(board, people):
    guest, _ = people
    round_id = open_round(board)["id"]
    rate(board, guest, round_id, 3, "first")
    event = rate(board, guest, round_id, 5, "second").event
    assert event["scale_round"] == {"id": round_id, "rated": [guest.participant_id]}
    assert event["rating"] == {
        "participant_id": guest.participant_id,
        "value": 5,
        "reason": "second",
    }
    (rating,) = Rating.query.filter_by(round_id=round_id).all()
    assert (rating.value, rating.reason) == (5, "second")


def test_rating_needs_an_open_round_of_this_meeting(board, people):
    guest, _ = people
    assert board.refuse(op(board.id, "rate", round_id=999, value=5), guest).code == "not_found"
    round_id = open_round(board)["id"]
    board.apply(op(board.id, "reveal_scale_round", round_id=round_id))
    assert board.refuse(op(board.id, "rate", round_id=round_id, value=5), guest).code == "invalid"


def test_reveal_shows_every_rating_with_its_reason_and_the_spread(board, people):
    guest, worker = people
    round_id = open_round(board)["id"]
    rate(board, board.actor, round_id, 6, "plan holds")
    rate(board, guest, round_id, 9, "we are fine")
    rate(board, worker, round_id, 2, "no safety yet")
    revealed = board.apply(op(board.id, "reveal_scale_round", round_id=round_id)).event
    scale_round = revealed["scale_round"]
    assert scale_round["status"] == "revealed"
    assert {(r["name"], r["value"], r["reason"]) for r in scale_round["ratings"]} == {
        (board.actor.name, 6, "plan holds"),
        ("Mum", 9, "we are fine"),
        (worker.name, 2, "no safety yet"),
    }
    assert scale_round["spread"] == {"min": 2, "median": 6, "max": 9, "count": 3}
    assert board.refuse(op(board.id, "reveal_scale_round", round_id=round_id)).code == "invalid"


def test_an_anonymous_round_reveals_no_names_or_ids(board, people):
    guest, worker = people
    round_id = open_round(board, anonymous=True)["id"]
    rate(board, guest, round_id, 9, "we are fine")
    rate(board, worker, round_id, 2, "no safety yet")
    scale_round = board.apply(op(board.id, "reveal_scale_round", round_id=round_id)).event[
        "scale_round"
    ]
    assert scale_round["ratings"] == [
        {"participant_id": None, "name": None, "value": 2, "reason": "no safety yet"},
        {"participant_id": None, "name": None, "value": 9, "reason": "we are fine"},
    ]
    snapshot_round = board_snapshot(board.meeting, None)["scale_rounds"][0]
    assert snapshot_round["ratings"] == scale_round["ratings"]


def test_reopen_hides_the_values_again_and_allows_revising(board, people):
    guest, worker = people
    round_id = open_round(board)["id"]
    rate(board, guest, round_id, 4, "unsure")
    board.apply(op(board.id, "reveal_scale_round", round_id=round_id))
    reopened = board.apply(op(board.id, "reopen_scale_round", round_id=round_id)).event
    assert reopened["scale_round"]["status"] == "open"
    assert reopened["scale_round"]["ratings"] is None
    assert reopened["scale_round"]["spread"] is None
    assert reopened["scale_round"]["rated"] == [guest.participant_id]
    assert board.refuse(op(board.id, "reopen_scale_round", round_id=round_id)).code == "invalid"
    rate(board, guest, round_id, 7, "better now")
    (others_view,) = board_snapshot(board.meeting, worker.participant_id)["scale_rounds"]
    assert (others_view["ratings"], others_view["mine"]) == (None, None)
    (own_view,) = board_snapshot(board.meeting, guest.participant_id)["scale_rounds"]
    assert own_view["mine"] == {"value": 7, "reason": "better now"}
    revealed = board.apply(op(board.id, "reveal_scale_round", round_id=round_id)).event
    assert [r["value"] for r in revealed["scale_round"]["ratings"]] == [7]


def test_reopen_is_refused_while_another_round_is_open(board):
    first = open_round(board)["id"]
    board.apply(op(board.id, "reveal_scale_round", round_id=first))
    open_round(board)
    assert board.refuse(op(board.id, "reopen_scale_round", round_id=first)).code == "invalid"


def test_before_the_reveal_the_snapshot_and_sync_show_only_who_rated(board, people):
    guest, worker = people
    round_id = open_round(board)["id"]
    rate(board, guest, round_id, 3, "secret reason")
    for viewer in (None, worker.participant_id, board.actor.participant_id):
        (scale_round,) = board_snapshot(board.meeting, viewer)["scale_rounds"]
        assert scale_round["rated"] == [guest.participant_id]
        assert (scale_round["ratings"], scale_round["mine"]) == (None, None)
        answer = sync(board.meeting, 0, viewer)
        assert "secret reason" not in str(answer)
        assert [e["rating"] for e in answer["events"] if e["type"] == "rating_given"] == [
            {"participant_id": guest.participant_id}
        ]
    own = sync(board.meeting, 0, guest.participant_id)["events"][-1]
    assert own["rating"] == {
        "participant_id": guest.participant_id,
        "value": 3,
        "reason": "secret reason",
    }
