"""Find things: cases by label and items by text, within the cases an actor may see."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select

from facilitator.domain.actor import Actor
from facilitator.extensions import db
from facilitator.models import Case, Item, Meeting

QUERY_MAX = 100
RESULTS_MAX = 50


@dataclass(frozen=True)
class Found:
    cases: list[Case]
    items: list[tuple[Item, Meeting, Case]]


def like_pattern(words: str) -> str:
    """A LIKE pattern that matches the words literally (%, _ and \\ escaped)."""
    escaped = words.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


def search(actor: Actor, words: str) -> Found:
    """Cases whose label, and visible items whose text, contain the words (any case)."""
    words = " ".join(words.split())[:QUERY_MAX]
    if not words or not actor.is_staff:
        return Found([], [])
    pattern = like_pattern(words)
    cases = select(Case).where(Case.label.ilike(pattern, escape="\\"))
    items = (
        select(Item, Meeting, Case)
        .join(Meeting, Meeting.id == Item.meeting_id)
        .join(Case, Case.id == Meeting.case_id)
        .where(
            Item.text.ilike(pattern, escape="\\"),
            Item.deleted.is_(False),
            Item.hidden.is_(False),
            Item.family_private.is_(False),
        )
    )
    if actor.role != "admin":
        cases = cases.where(Case.team_id.in_(actor.team_ids))
        items = items.where(Case.team_id.in_(actor.team_ids))
    found_items = db.session.execute(items.order_by(Item.id.desc()).limit(RESULTS_MAX))
    return Found(
        list(db.session.scalars(cases.order_by(Case.id.desc()).limit(RESULTS_MAX))),
        [(item, meeting, case) for item, meeting, case in found_items],
    )
