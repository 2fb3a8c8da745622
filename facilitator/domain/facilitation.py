"""The facilitator's commands: steps, roles, controls over the board, and closing.

Each command is a value checked here without a database; who may send it is decided
in access.py, and what it changes in services/facilitation.py.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from facilitator.domain.agenda import parse_agenda
from facilitator.domain.fields import fail, flag, optional_text, positive_int, section
from facilitator.domain.frameworks import Framework
from facilitator.domain.roles import ROLES, WRITE_POLICIES
from facilitator.domain.text import N_

QUESTION_MAX = 500
ADD_MINUTES_MAX = 30


@dataclass(frozen=True)
class SetAgenda:
    steps: tuple[dict[str, Any], ...]


@dataclass(frozen=True)
class GoToStep:
    index: int  # 0-based; the facilitator starts, advances and goes back with it


@dataclass(frozen=True)
class AddTime:
    minutes: int  # may be negative, to shorten the current step


@dataclass(frozen=True)
class SetRole:
    participant_id: int
    role: str


@dataclass(frozen=True)
class HandOver:
    participant_id: int  # the new facilitator


@dataclass(frozen=True)
class SetWritePolicy:
    policy: str


@dataclass(frozen=True)
class SetQuestion:
    text: str | None


@dataclass(frozen=True)
class LockSection:
    section: str  # a section key, or "*" for the whole board
    locked: bool


@dataclass(frozen=True)
class Spotlight:
    item_id: int | None  # None: spotlight off


@dataclass(frozen=True)
class CollectPrivately:
    section: str
    on: bool  # off reveals what was written


@dataclass(frozen=True)
class MergeItems:
    item_id: int  # the duplicate, folded into...
    into_id: int


@dataclass(frozen=True)
class UnmergeItem:
    item_id: int


@dataclass(frozen=True)
class SetSignal:
    signal: str  # "hand" or "ready"
    on: bool


@dataclass(frozen=True)
class ClearSignals:
    pass


@dataclass(frozen=True)
class SetShowInitials:
    on: bool


@dataclass(frozen=True)
class RemoveParticipant:
    participant_id: int


@dataclass(frozen=True)
class CloseMeeting:
    pass


SIGNALS = ("hand", "ready")


def _choice(payload: dict[str, Any], key: str, choices: Any) -> str:
    value = payload.get(key)
    if not isinstance(value, str) or value not in choices:
        raise fail(N_("'%(key)s' must be one of: %(choices)s"), key=key, choices=", ".join(choices))
    return value


def _index(payload: dict[str, Any]) -> int:
    value = payload.get("index")
    if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value < 100:
        raise fail(N_("'index' must be a step number from 0"))
    return value


def _minutes(payload: dict[str, Any]) -> int:
    value = payload.get("minutes")
    if isinstance(value, bool) or not isinstance(value, int) or value == 0:
        raise fail(N_("'minutes' must be a whole number other than 0"))
    if abs(value) > ADD_MINUTES_MAX:
        raise fail(N_("Add or take at most %(max)s minutes at a time."), max=ADD_MINUTES_MAX)
    return value


def _agenda(payload: dict[str, Any], framework: Framework) -> SetAgenda:
    columns = tuple(c.key for c in framework.columns)
    return SetAgenda(tuple(parse_agenda(payload.get("steps"), framework.section_keys, columns)))


def _id(payload: dict[str, Any], key: str) -> int:
    return positive_int(payload, key) or 0


Parser = Callable[[dict[str, Any], Framework], Any]
COMMANDS: dict[str, tuple[type, Parser]] = {
    "set_agenda": (SetAgenda, _agenda),
    "go_to_step": (GoToStep, lambda p, _: GoToStep(_index(p))),
    "add_time": (AddTime, lambda p, _: AddTime(_minutes(p))),
    "set_role": (
        SetRole,
        lambda p, _: SetRole(_id(p, "participant_id"), _choice(p, "role", ROLES)),
    ),
    "hand_over": (HandOver, lambda p, _: HandOver(_id(p, "participant_id"))),
    "set_write_policy": (
        SetWritePolicy,
        lambda p, _: SetWritePolicy(_choice(p, "policy", WRITE_POLICIES)),
    ),
    "set_question": (SetQuestion, lambda p, _: SetQuestion(optional_text(p, "text", QUESTION_MAX))),
    "lock_section": (
        LockSection,
        lambda p, f: LockSection(section(p, f, or_board=True), flag(p, "locked")),
    ),
    "spotlight": (Spotlight, lambda p, _: Spotlight(positive_int(p, "item_id", optional=True))),
    "collect_privately": (
        CollectPrivately,
        lambda p, f: CollectPrivately(section(p, f), flag(p, "on")),
    ),
    "merge_items": (MergeItems, lambda p, _: MergeItems(_id(p, "item_id"), _id(p, "into_id"))),
    "unmerge_item": (UnmergeItem, lambda p, _: UnmergeItem(_id(p, "item_id"))),
    "set_signal": (SetSignal, lambda p, _: SetSignal(_choice(p, "signal", SIGNALS), flag(p, "on"))),
    "clear_signals": (ClearSignals, lambda p, _: ClearSignals()),
    "set_show_initials": (SetShowInitials, lambda p, _: SetShowInitials(flag(p, "on"))),
    "remove_participant": (
        RemoveParticipant,
        lambda p, _: RemoveParticipant(_id(p, "participant_id")),
    ),
    "close_meeting": (CloseMeeting, lambda p, _: CloseMeeting()),
}
