"""The scale per case over time: every revealed round of every meeting, overall and per
danger statement (followed through its carry-over chain), with each rating's reason."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import select

from facilitator.domain.scaling import spread
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
        if scale_round.danger_item_id:
            scale.danger = _text(scale_round.danger_item_id)
        point = _point(scale_round, held_on.strftime("%Y-%m-%d %H:%M"))
        scale.points.append({**point, "meeting_id": meeting_id})
    return [s for s in scales.values() if s.points]


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


def _text(item_id: int) -> str:
    return db.session.scalar(select(Item.text).where(Item.id == item_id)) or ""


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
