"""The facilitator's commands: steps, roles, controls over the board, and closing.

Each command is a value checked here without a database; who may send it is decided
in access.py, and what it changes in services/facilitation.py.
"""

from __future__ import annotations

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


# The parsers of the facilitation op types (services/ops/types.py names each with its handler).


def parse_set_agenda(payload: dict[str, Any], framework: Framework) -> SetAgenda:
    return _agenda(payload, framework)


def parse_go_to_step(payload: dict[str, Any], framework: Framework) -> GoToStep:
    return GoToStep(_index(payload))


def parse_add_time(payload: dict[str, Any], framework: Framework) -> AddTime:
    return AddTime(_minutes(payload))


def parse_set_role(payload: dict[str, Any], framework: Framework) -> SetRole:
    return SetRole(_id(payload, "participant_id"), _choice(payload, "role", ROLES))


def parse_hand_over(payload: dict[str, Any], framework: Framework) -> HandOver:
    return HandOver(_id(payload, "participant_id"))


def parse_set_write_policy(payload: dict[str, Any], framework: Framework) -> SetWritePolicy:
    return SetWritePolicy(_choice(payload, "policy", WRITE_POLICIES))


def parse_set_question(payload: dict[str, Any], framework: Framework) -> SetQuestion:
    return SetQuestion(optional_text(payload, "text", QUESTION_MAX))


def parse_lock_section(payload: dict[str, Any], framework: Framework) -> LockSection:
    return LockSection(section(payload, framework, or_board=True), flag(payload, "locked"))


def parse_spotlight(payload: dict[str, Any], framework: Framework) -> Spotlight:
    return Spotlight(positive_int(payload, "item_id", optional=True))


def parse_collect_privately(payload: dict[str, Any], framework: Framework) -> CollectPrivately:
    return CollectPrivately(section(payload, framework), flag(payload, "on"))


def parse_merge_items(payload: dict[str, Any], framework: Framework) -> MergeItems:
    return MergeItems(_id(payload, "item_id"), _id(payload, "into_id"))


def parse_unmerge_item(payload: dict[str, Any], framework: Framework) -> UnmergeItem:
    return UnmergeItem(_id(payload, "item_id"))


def parse_set_signal(payload: dict[str, Any], framework: Framework) -> SetSignal:
    return SetSignal(_choice(payload, "signal", SIGNALS), flag(payload, "on"))


def parse_clear_signals(payload: dict[str, Any], framework: Framework) -> ClearSignals:
    return ClearSignals()


def parse_set_show_initials(payload: dict[str, Any], framework: Framework) -> SetShowInitials:
    return SetShowInitials(flag(payload, "on"))


def parse_remove_participant(payload: dict[str, Any], framework: Framework) -> RemoveParticipant:
    return RemoveParticipant(_id(payload, "participant_id"))


def parse_close_meeting(payload: dict[str, Any], framework: Framework) -> CloseMeeting:
    return CloseMeeting()
