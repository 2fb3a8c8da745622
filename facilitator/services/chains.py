"""Carry-over chains: an item copied from meeting to meeting is one thing for the case
(a next step, a danger statement and its scale), known by the first item of its chain."""

from __future__ import annotations

from sqlalchemy import select

from facilitator.extensions import db
from facilitator.models import Case, Item, Meeting


def roots(case: Case) -> dict[int, int]:
    """Each item of the case -> the first item of its carry-over chain."""
    parent: dict[int, int | None] = dict(
        db.session.execute(
            select(Item.id, Item.carried_from_id)
            .join(Meeting, Meeting.id == Item.meeting_id)
            .where(Meeting.case_id == case.id)
        ).all()
    )
    found: dict[int, int] = {}
    for item_id in parent:
        current, steps = item_id, 0
        while (up := parent.get(current)) is not None and steps <= len(parent):
            current, steps = up, steps + 1
        found[item_id] = current
    return found
