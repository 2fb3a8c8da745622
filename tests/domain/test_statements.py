"""Statement builders and next step statuses: pure rules."""

from datetime import date

import pytest

from facilitator.domain.errors import OperationError
from facilitator.domain.statements import (
    compose,
    is_overdue,
    may_move_next_step,
    parse_due_on,
    parse_parts,
)


def test_a_danger_statement_filled_in_as_labelled_reads_as_a_sentence():
    parts = {"who_worried": "Mr. T.", "behaviour": "Dad drinks", "context": "at weekends",
             "impact": "hurt"}  # fmt: skip
    assert compose("danger", parts) == (
        "Mr. T. is worried that if Dad drinks when at weekends, the child could be hurt."
    )


def test_a_part_not_filled_in_yet_shows_as_a_gap_in_the_sentence():
    parts = {"impact": "hurt again", "who_worried": "The school", "behaviour": "Dad drinks"}
    assert compose("danger", parts) == (
        "The school is worried that if Dad drinks when …, the child could be hurt again."
    )
    assert compose("danger", {}) == ""


def test_parts_outside_the_sections_builder_are_refused():
    with pytest.raises(OperationError):
        parse_parts({"nonsense": "x"}, "danger")
    with pytest.raises(OperationError):
        parse_parts({"doing": "x"}, "strengths")  # no builder there


def test_blank_parts_are_dropped_and_none_left_means_none():
    assert parse_parts({"doing": "  ", "how_long": "three months"}, "goals") == {
        "how_long": "three months"
    }
    assert parse_parts({"doing": " "}, "goals") is None


@pytest.mark.parametrize(
    ("current", "new", "may_agree", "allowed"),
    [
        ("proposed", "agreed", True, True),
        ("proposed", "agreed", False, False),  # only the facilitator or a supervisor agrees
        ("proposed", "dropped", False, True),
        ("agreed", "done", False, True),
        ("proposed", "done", True, False),  # agree first
        ("done", "agreed", True, True),  # reopened
        ("dropped", "proposed", False, True),
        ("dropped", "done", True, False),
    ],
)
def test_next_step_status_moves(current, new, may_agree, allowed):
    assert may_move_next_step(current, new, may_agree) is allowed


def test_only_open_next_steps_past_their_date_are_overdue():
    today = date(2026, 11, 26)
    assert is_overdue("agreed", date(2026, 11, 25), today)
    assert not is_overdue("done", date(2026, 11, 25), today)
    assert not is_overdue("agreed", date(2026, 11, 26), today)
    assert not is_overdue("agreed", None, today)


def test_a_due_date_must_be_a_real_date():
    assert parse_due_on("2026-12-01") == date(2026, 12, 1)
    assert parse_due_on("") is None
    for bad in ("tomorrow", "2026-02-30", 20261201):
        with pytest.raises(OperationError):
            parse_due_on(bad)
