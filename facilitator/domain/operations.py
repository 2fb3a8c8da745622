"""Board operations: parse and validate a client's command before anything is written."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from facilitator.domain.errors import OperationError
from facilitator.domain.frameworks import VIEWS, Framework
from facilitator.domain.limits import ITEM_TEXT_MAX, OP_ID_MAX

OP_ID_PATTERN = re.compile(rf"[A-Za-z0-9_-]{{8,{OP_ID_MAX}}}")  # used with fullmatch
# control characters, lone surrogates (unstorable) and bidi overrides (text that reads
# differently from what it is)
UNSAFE_CHARACTERS = re.compile(
    "[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\u202a-\u202e\u2066-\u2069\ud800-\udfff]"
)


@dataclass(frozen=True)
class AddItem:
    section: str
    text: str
    view: str


@dataclass(frozen=True)
class EditItem:
    item_id: int
    text: str
    base_version: int
    view: str | None


@dataclass(frozen=True)
class MoveItem:
    item_id: int
    section: str
    after_id: int | None  # None: first in the section


@dataclass(frozen=True)
class DeleteItem:
    item_id: int


@dataclass(frozen=True)
class RemoveParticipant:
    participant_id: int


Command = AddItem | EditItem | MoveItem | DeleteItem | RemoveParticipant


def _fail(message: str) -> OperationError:
    return OperationError("invalid", message)


def _int(payload: dict[str, Any], key: str, *, optional: bool = False) -> int | None:
    value = payload.get(key)
    if value is None and optional:
        return None
    if isinstance(value, bool) or not isinstance(value, int) or not 0 < value < 2**53:
        raise _fail(f"'{key}' must be a positive whole number")
    return value


def _str(payload: dict[str, Any], key: str) -> str:
    value = payload.get(key)
    if not isinstance(value, str):
        raise _fail(f"'{key}' must be text")
    return value


def clean_text(value: str) -> str:
    """Strip control characters and surrounding space; refuse empty or too long text."""
    text = UNSAFE_CHARACTERS.sub("", value).strip()
    if not text:
        raise OperationError("empty_text", "Write something before saving.")
    if len(text) > ITEM_TEXT_MAX:
        raise OperationError(
            "text_too_long",
            f"Items can be at most {ITEM_TEXT_MAX} characters; this one has {len(text)}.",
            limit=ITEM_TEXT_MAX,
        )
    return text


def _section(payload: dict[str, Any], framework: Framework) -> str:
    section = _str(payload, "section")
    if framework.section(section) is None:
        raise OperationError("unknown_section", "That section is not on this map.")
    return section


def _view(payload: dict[str, Any], *, optional: bool = False) -> str | None:
    if optional and payload.get("view") is None:
        return None
    view = _str(payload, "view")
    if view not in VIEWS:
        raise OperationError("unknown_view", "Choose whose view this is: " + ", ".join(VIEWS))
    return view


def _parse_command(kind: str, payload: dict[str, Any], framework: Framework) -> Command:
    if kind == "add_item":
        return AddItem(
            _section(payload, framework),
            clean_text(_str(payload, "text")),
            _view(payload, optional=True) or "agency",
        )
    if kind == "edit_item":
        return EditItem(
            _int(payload, "item_id") or 0,
            clean_text(_str(payload, "text")),
            _int(payload, "base_version") or 0,
            _view(payload, optional=True),
        )
    if kind == "move_item":
        return MoveItem(
            _int(payload, "item_id") or 0,
            _section(payload, framework),
            _int(payload, "after_id", optional=True),
        )
    if kind == "delete_item":
        return DeleteItem(_int(payload, "item_id") or 0)
    if kind == "remove_participant":
        return RemoveParticipant(_int(payload, "participant_id") or 0)
    raise OperationError("unknown_type", "Unknown operation type.")


@dataclass(frozen=True)
class Envelope:
    op_id: str
    meeting_id: int
    type: str
    payload: dict[str, Any]


def parse_envelope(raw: Any) -> Envelope:
    """Check the outer shape of a client's `op` message, or raise OperationError."""
    if not isinstance(raw, dict):
        raise _fail("An operation must be an object.")
    op_id = raw.get("op_id")
    if not isinstance(op_id, str) or not OP_ID_PATTERN.fullmatch(op_id):
        raise _fail("'op_id' must be 8 to 64 letters, digits, '-' or '_'.")
    meeting_id = _int(raw, "meeting_id") or 0
    kind = raw.get("type")
    payload = raw.get("payload")
    if not isinstance(kind, str) or kind not in COMMAND_TYPES.values():
        raise OperationError("unknown_type", "Unknown operation type.")
    if not isinstance(payload, dict):
        raise _fail("An operation needs a 'payload' object.")
    return Envelope(op_id, meeting_id, kind, payload)


def parse_command(envelope: Envelope, framework: Framework) -> Command:
    """Validate the envelope's payload against the meeting's framework."""
    return _parse_command(envelope.type, envelope.payload, framework)


COMMAND_TYPES: dict[type, str] = {
    AddItem: "add_item",
    EditItem: "edit_item",
    MoveItem: "move_item",
    DeleteItem: "delete_item",
    RemoveParticipant: "remove_participant",
}
