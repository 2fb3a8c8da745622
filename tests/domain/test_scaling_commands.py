"""Scaling commands: parsing, anchors and the spread, without a database."""

import pytest

from facilitator.domain import scaling
from facilitator.domain.errors import OperationError
from facilitator.domain.frameworks import get_framework
from facilitator.services.ops.parse import command, envelope

FRAMEWORK = get_framework("cisf")


def parse(kind, **payload):
    raw = {"op_id": "op-12345678", "meeting_id": 1, "type": kind, "payload": payload}
    return command(envelope(raw), FRAMEWORK)


def test_every_scaling_command_is_registered():
    for name in ("open_scale_round", "rate", "reveal_scale_round", "reopen_scale_round"):
        assert type(parse(name, round_id=1, value=5)).__module__ == scaling.__name__


def test_open_overall_or_for_a_danger_statement():
    assert parse("open_scale_round") == scaling.OpenScaleRound(None, False)
    assert parse("open_scale_round", danger_item_id=4, anonymous=True) == (
        scaling.OpenScaleRound(4, True)
    )


@pytest.mark.parametrize("payload", [{"danger_item_id": 0}, {"anonymous": "yes"}])
def test_open_refuses_bad_fields(payload):
    with pytest.raises(OperationError) as refused:
        parse("open_scale_round", **payload)
    assert refused.value.code == "invalid"


@pytest.mark.parametrize("value", [0, 5, 10])
def test_rate_takes_whole_numbers_from_0_to_10(value):
    assert parse("rate", round_id=1, value=value, reason=" because ") == scaling.Rate(
        1, value, "because"
    )


@pytest.mark.parametrize("value", [-1, 11, 5.5, "5", True, None])
def test_rate_refuses_anything_else(value):
    with pytest.raises(OperationError) as refused:
        parse("rate", round_id=1, value=value)
    assert refused.value.code == "invalid"


def test_reason_is_optional_one_line_and_short():
    assert parse("rate", round_id=1, value=3).reason == ""
    assert parse("rate", round_id=1, value=3, reason="two\nlines").reason == "two lines"
    with pytest.raises(OperationError) as refused:
        parse("rate", round_id=1, value=3, reason="x" * (scaling.REASON_MAX + 1))
    assert refused.value.code == "text_too_long"


def test_reveal_and_reopen_need_a_round():
    assert parse("reveal_scale_round", round_id=2) == scaling.RevealScaleRound(2)
    assert parse("reopen_scale_round", round_id=2) == scaling.ReopenScaleRound(2)
    with pytest.raises(OperationError):
        parse("reveal_scale_round")


def test_anchors_come_10_first_in_both_wordings():
    for mode in ("professional", "family"):
        assert [value for value, _ in scaling.anchors(mode)] == [10, 0]
    assert "close the case" in scaling.anchors("professional")[0][1]
    assert scaling.anchors("family") == ((10, "The child is safe."), (0, "The child is in danger."))


def test_spread_shows_min_median_max_and_count():
    assert scaling.spread([7, 2, 9]) == {"min": 2, "median": 7, "max": 9, "count": 3}
    assert scaling.spread([2, 3, 6, 9]) == {"min": 2, "median": 4.5, "max": 9, "count": 4}
    assert scaling.spread([4, 6]) == {"min": 4, "median": 5, "max": 6, "count": 2}
    assert scaling.spread([]) == {"min": None, "median": None, "max": None, "count": 0}
