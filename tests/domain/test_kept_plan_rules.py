"""How long a closed meeting's guests keep reading its action plan (pure rules)."""

from datetime import datetime, timedelta

import pytest

from facilitator.domain.kept_plan import KEPT_DAYS_MAX, kept_until, parse_kept_days, plan_kept

CLOSED = datetime(2026, 12, 6, 18, 0)


def test_the_plan_is_kept_until_the_days_after_the_close_have_passed():
    assert kept_until(CLOSED, 30) == CLOSED + timedelta(days=30)
    assert plan_kept(CLOSED, 30, None, CLOSED + timedelta(days=29, hours=23))
    assert not plan_kept(CLOSED, 30, None, CLOSED + timedelta(days=30))


def test_a_withdrawn_plan_is_not_kept_however_recent():
    assert not plan_kept(CLOSED, 30, CLOSED + timedelta(minutes=5), CLOSED + timedelta(hours=1))


def test_no_days_means_not_after_the_meeting_and_no_close_means_nothing_kept():
    assert not plan_kept(CLOSED, 0, None, CLOSED)
    assert kept_until(None, 30) is None and not plan_kept(None, 30, None, CLOSED)


@pytest.mark.parametrize(
    ("typed", "days"),
    [("30", 30), (" 7 ", 7), ("0", 0), (str(KEPT_DAYS_MAX), KEPT_DAYS_MAX),
     (str(KEPT_DAYS_MAX + 1), None), ("-1", None), ("3.5", None), ("", None), ("٣", None)],
)  # fmt: skip
def test_the_agencys_days_are_a_whole_number_from_0_to_the_maximum(typed, days):
    assert parse_kept_days(typed) == days
