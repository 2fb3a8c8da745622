"""The scale per case over time: every revealed round of every meeting, overall and per
danger statement (followed through its carry-over chain, whatever map carried it: a
family meeting holds it as a worry), with each rating's reason."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import select

from facilitator.domain.scaling import spread
from facilitator.domain.section_kinds import question_of
from facilitator.domain.trend import chart
from facilitator.extensions import db
from facilitator.models import Case, Item, Meeting, Rating, ScaleRound
from facilitator.services.chains import roots


@dataclass
class Scale:
    """One scale's history: the overall scale (danger None) or one danger statement's."""

    danger: str | None  # the statement's newest wording
    points: list[dict[str, Any]] = field(default_factory=list)

    @property
    def chart(self) -> dict[str, Any]:
        return chart(self.points)


def scale_trend(case: Case) -> list[Scale]:
    """Each scale of the case with one point per revealed round, oldest first."""
    rounds = db.session.execute(
        select(ScaleRound, Meeting.created_at, Meeting.id)
        .join(Meeting, Meeting.id == ScaleRound.meeting_id)
        .where(Meeting.case_id == case.id, ScaleRound.status == "revealed")
        .order_by(Meeting.id, ScaleRound.id)
    ).all()
    root = roots(case)
    scales: dict[int | None, Scale] = {None: Scale(None)}
    for scale_round, held_on, meeting_id in rounds:
        key = root.get(scale_round.danger_item_id or 0) if scale_round.danger_item_id else None
        scale = scales.setdefault(key, Scale(""))
        point = _point(scale_round, held_on.strftime("%Y-%m-%d %H:%M"))
        scale.points.append({**point, "meeting_id": meeting_id})
    wording = _newest_worries(case, root)
    for key, scale in scales.items():
        if key is not None:
            scale.danger = wording.get(key, "")
    return [s for s in scales.values() if s.points]


def _newest_worries(case: Case, root: dict[int, int]) -> dict[int, str]:
    """Each chain's newest wording as a worry (a danger statement on the professional map,
    a worry on the family's): a statement carried through a family meeting keeps its scale."""
    rows = db.session.execute(
        select(Item.id, Item.section, Item.text)
        .join(Meeting, Meeting.id == Item.meeting_id)
        .where(Meeting.case_id == case.id, Item.deleted.is_(False))
        .order_by(Item.meeting_id, Item.id)
    )
    return {
        root.get(item_id, item_id): text
        for item_id, section, text in rows
        if question_of(section) == "worries"
    }


def scale_changes(
    case: Case, before: Meeting, after: Meeting
) -> list[tuple[Scale, dict[str, Any] | None, dict[str, Any] | None]]:
    """Each scale rated in either meeting, with its last spread in each (None: not rated)."""
    changes = []
    for scale in scale_trend(case):
        spreads = [_last_spread(scale, meeting.id) for meeting in (before, after)]
        if any(spreads):
            changes.append((scale, spreads[0], spreads[1]))
    return changes


def _last_spread(scale: Scale, meeting_id: int) -> dict[str, Any] | None:
    points = [p for p in scale.points if p["meeting_id"] == meeting_id]
    return spread(points[-1]["values"]) if points else None


def _point(scale_round: ScaleRound, label: str) -> dict[str, Any]:
    ratings: list[Rating] = list(scale_round.ratings)
    reasons = [
        {
            "name": None if scale_round.anonymous else r.participant.display_name,
            "value": r.value,
            "reason": r.reason,
        }
        for r in sorted(ratings, key=lambda r: (r.value, r.reason))
    ]
    return {"label": label, "values": [r.value for r in ratings], "reasons": reasons}
