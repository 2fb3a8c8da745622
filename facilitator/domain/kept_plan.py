"""The family keeps its plan: how long a guest may read a closed meeting's action plan.

After the meeting closes, each guest keeps reading that meeting's action plan (and nothing
else of it) for the agency's number of days, unless the facilitator withdraws it first.
"""

from __future__ import annotations

from datetime import datetime, timedelta

KEPT_DAYS_DEFAULT = 30
KEPT_DAYS_MAX = 365  # a plan is for the months after a meeting; the case file keeps the rest


def kept_until(closed_at: datetime | None, days: int) -> datetime | None:
    """When the guests' reading of a closed meeting's plan ends (None: not closed)."""
    return None if closed_at is None else closed_at + timedelta(days=days)


def plan_kept(
    closed_at: datetime | None, days: int, withdrawn_at: datetime | None, now: datetime
) -> bool:
    """A closed meeting's plan is still the guests' to read: not withdrawn, within the days."""
    until = kept_until(closed_at, days)
    return withdrawn_at is None and until is not None and now < until


def parse_kept_days(text: str) -> int | None:
    """The days an admin typed (0 to KEPT_DAYS_MAX), or None when it is not such a number."""
    text = text.strip()
    if not (text.isascii() and text.isdigit()) or len(text) > 4:  # not "٣" nor "1e3"
        return None
    days = int(text)
    return days if days <= KEPT_DAYS_MAX else None
