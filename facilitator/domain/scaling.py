"""Scaling rounds (DOMAIN.md §1 "Scaling"): 0-10 ratings, private until revealed.

Commands are checked here without a database; who may send them is decided in access.py
("meeting.lead" opens, reveals and reopens; "scale.rate" rates), and what they change in
services/scaling.py.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from facilitator.domain.fields import fail, flag, optional_text, positive_int
from facilitator.domain.frameworks import Framework
from facilitator.domain.text import N_

SCALE_MIN = 0
SCALE_MAX = 10
REASON_MAX = 200


@dataclass(frozen=True)
class OpenScaleRound:
    danger_item_id: int | None  # None: the overall safety scale
    anonymous: bool  # revealed ratings shown without names


@dataclass(frozen=True)
class Rate:
    round_id: int
    value: int
    reason: str  # "" when none was given
    on_behalf_of: int | None = None  # someone in the room without a device (in_room.py)


@dataclass(frozen=True)
class RevealScaleRound:
    round_id: int


@dataclass(frozen=True)
class ReopenScaleRound:
    round_id: int


# The anchors, 10 first, per framework mode; stated every time the scale is shown.
ANCHORS: dict[str, tuple[tuple[int, str], ...]] = {
    "professional": (
        (
            10,
            N_("Everyone is confident the child is safe enough for the agency to close the case."),
        ),
        (0, N_("Things are so bad the child cannot live at home.")),
    ),
    "family": (
        (10, N_("The child is safe.")),
        (0, N_("The child is in danger.")),
    ),
}


def anchors(mode: str) -> tuple[tuple[int, str], ...]:
    """The anchors for a framework mode (professional wording when the mode is unknown)."""
    return ANCHORS.get(mode, ANCHORS["professional"])


def spread(values: Sequence[int]) -> dict[str, Any]:
    """Lowest, median and highest rating, and how many: the spread, never only a mean."""
    ordered = sorted(values)
    count = len(ordered)
    if not count:
        return {"min": None, "median": None, "max": None, "count": 0}
    middle = count // 2
    median: float = ordered[middle] if count % 2 else (ordered[middle - 1] + ordered[middle]) / 2
    if isinstance(median, float) and median.is_integer():
        median = int(median)
    return {"min": ordered[0], "median": median, "max": ordered[-1], "count": count}


def _value(payload: dict[str, Any]) -> int:
    value = payload.get("value")
    if (
        isinstance(value, bool)
        or not isinstance(value, int)
        or not (SCALE_MIN <= value <= SCALE_MAX)
    ):
        raise fail(
            N_("'value' must be a whole number from %(min)s to %(max)s"),
            min=SCALE_MIN,
            max=SCALE_MAX,
        )
    return value


def _round_id(payload: dict[str, Any]) -> int:
    return positive_int(payload, "round_id") or 0


# The parsers of the scale op types (services/ops/types.py names each with its handler).


def parse_open_scale_round(payload: dict[str, Any], framework: Framework) -> OpenScaleRound:
    return OpenScaleRound(
        positive_int(payload, "danger_item_id", optional=True), flag(payload, "anonymous")
    )


def parse_rate(payload: dict[str, Any], framework: Framework) -> Rate:
    reason = optional_text(payload, "reason", REASON_MAX) or ""
    return Rate(
        positive_int(payload, "round_id") or 0,
        _value(payload),
        " ".join(reason.split()),
        positive_int(payload, "on_behalf_of", optional=True),
    )


def parse_reveal_scale_round(payload: dict[str, Any], framework: Framework) -> RevealScaleRound:
    return RevealScaleRound(_round_id(payload))


def parse_reopen_scale_round(payload: dict[str, Any], framework: Framework) -> ReopenScaleRound:
    return ReopenScaleRound(_round_id(payload))
