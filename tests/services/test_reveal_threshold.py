"""The reveal threshold (issue 18): a scale round is revealed only once at least k people
have rated (the agency's setting, 3 by default), so no rating traces to one person."""

import pytest
from builders import guest_in, make_guest, make_user, op, reveal_threshold_row, staff_in

from facilitator.extensions import db
from facilitator.services import agency


def threshold(value):
    with db.engine.begin() as connection:
        reveal_threshold_row(connection, value)


def open_round(board):
    return board.apply(op(board.id, "open_scale_round")).event["scale_round"]


def rate(board, actor, round_id, value=5):
    board.apply(op(board.id, "rate", round_id=round_id, value=value), actor)


@pytest.fixture
def raters(board):
    guest = guest_in(make_guest(board.meeting, board.user, "Mum"))
    worker = staff_in(board.meeting, make_user("worker", board.team))
    return [board.actor, guest, worker]


def test_the_agency_default_is_three(board):
    threshold(None)
    assert agency.reveal_threshold() == 3
    assert open_round(board)["reveal_threshold"] == 3


def test_a_reveal_below_the_threshold_is_refused_with_its_own_code(board, raters):
    threshold(None)
    round_id = open_round(board)["id"]
    for actor in raters[:2]:
        rate(board, actor, round_id)
    refused = board.refuse(op(board.id, "reveal_scale_round", round_id=round_id))
    assert refused.code == "too_few_ratings"
    assert refused.details == {"rated": 2, "needed": 3}
    assert "2 of the 3" in refused.message


def test_the_third_rating_lets_the_round_be_revealed(board, raters):
    threshold(None)
    round_id = open_round(board)["id"]
    for actor in raters:
        rate(board, actor, round_id)
    revealed = board.apply(op(board.id, "reveal_scale_round", round_id=round_id))
    assert revealed.event["scale_round"]["spread"]["count"] == 3


def test_a_round_keeps_the_threshold_it_was_opened_with(board, raters):
    threshold(2)
    round_id = open_round(board)["id"]
    threshold(5)  # the admin changes the setting mid-round
    for actor in raters[:2]:
        rate(board, actor, round_id)
    assert board.apply(op(board.id, "reveal_scale_round", round_id=round_id)).event


def test_an_admin_sets_the_threshold_within_its_range(board):
    agency.save(board.actor, {"scale_reveal_threshold": "4"})
    assert agency.reveal_threshold() == 4
    for typed in ("0", "21", "two", "-1", "3.5"):
        with pytest.raises(agency.AgencyTextError):
            agency.save(board.actor, {"scale_reveal_threshold": typed})
    agency.save(board.actor, {"scale_reveal_threshold": ""})
    assert agency.reveal_threshold() == 3
