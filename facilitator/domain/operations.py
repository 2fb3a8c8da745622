"""Parse an `op`: its envelope, and the payloads of the item op types (add, edit, move,
delete an item). Each other op type's parser sits beside its command in its own domain
module; services/ops/types.py names every op type with its parser and its handler."""

from __future__ import annotations

import re
from collections.abc import Container
from dataclasses import dataclass
from typing import Any

from facilitator.domain import statements
from facilitator.domain.errors import OperationError
from facilitator.domain.fields import (
    clean_text,
    fail,
    flag,
    optional_text,
    positive_int,
    section,
    text,
)
from facilitator.domain.frameworks import VIEWS, Framework
from facilitator.domain.limits import OP_ID_MAX
from facilitator.domain.text import N_

OP_ID_PATTERN = re.compile(rf"[A-Za-z0-9_-]{{8,{OP_ID_MAX}}}")  # used with fullmatch


@dataclass(frozen=True)
class AddItem:
    section: str
    text: str
    view: str
    anonymous: bool = False
    parts: dict[str, str] | None = None  # a guided statement's parts
    on_behalf_of: int | None = None  # someone in the room without a device (in_room.py)


@dataclass(frozen=True)
class EditItem:
    item_id: int
    text: str
    base_version: int
    view: str | None
    parts: dict[str, str] | None = None
    sets_parts: bool = False  # whether the edit replaces the parts (else they stay)


@dataclass(frozen=True)
class MoveItem:
    item_id: int
    section: str
    after_id: int | None  # None: first in the section


@dataclass(frozen=True)
class DeleteItem:
    item_id: int
    base_version: int | None = None  # an undo's delete: refused if changed since


@dataclass(frozen=True)
class RestoreItem:
    """Bring back an item one deleted oneself (the undo of a delete)."""

    item_id: int


def _view(payload: dict[str, Any], *, optional: bool = False) -> str | None:
    if optional and payload.get("view") is None:
        return None
    view = text(payload, "view")
    if view not in VIEWS:
        raise OperationError("unknown_view", N_("Choose whose view this is: ") + ", ".join(VIEWS))
    return view


def _text_or_parts(payload: dict[str, Any], parts: dict[str, str] | None, section: str) -> str:
    """The item's text; a builder's parts stand in for it when the text is left empty."""
    written = text(payload, "text") if "text" in payload or not parts else ""
    if not written.strip() and parts:
        written = statements.compose(section, parts)
    return clean_text(written)


def parse_add_item(payload: dict[str, Any], framework: Framework) -> AddItem:
    key = section(payload, framework)
    parts = statements.parse_parts(payload.get("parts"), key)
    return AddItem(
        key,
        _text_or_parts(payload, parts, key),
        _view(payload, optional=True) or "",  # "": the speaker's own (services/in_room.py)
        flag(payload, "anonymous"),
        parts,
        positive_int(payload, "on_behalf_of", optional=True),
    )


def parse_edit_item(payload: dict[str, Any], framework: Framework) -> EditItem:
    raw_parts = payload.get("parts")
    parts = None
    if raw_parts is not None:  # checked against the item's section by the service
        if not isinstance(raw_parts, dict):
            raise fail(N_("'parts' must be an object."))
        parts = _merged_parts(raw_parts)
    return EditItem(
        positive_int(payload, "item_id") or 0,
        clean_text(text(payload, "text")),
        positive_int(payload, "base_version") or 0,
        _view(payload, optional=True),
        parts,
        "parts" in payload,
    )


def _merged_parts(raw: dict[str, Any]) -> dict[str, str] | None:
    """Parts of an edit, checked as text; which keys fit is checked once the section is known."""
    cleaned: dict[str, str] = {}
    for key, value in raw.items():
        if not isinstance(key, str) or len(key) > 40:
            raise fail(N_("Unknown part."))
        part = optional_text({key: value}, key, statements.PART_MAX)
        if part:
            cleaned[key] = part
    return cleaned or None


def parse_move_item(payload: dict[str, Any], framework: Framework) -> MoveItem:
    return MoveItem(
        positive_int(payload, "item_id") or 0,
        section(payload, framework),
        positive_int(payload, "after_id", optional=True),
    )


def parse_delete_item(payload: dict[str, Any], framework: Framework) -> DeleteItem:
    return DeleteItem(
        positive_int(payload, "item_id") or 0, positive_int(payload, "base_version", optional=True)
    )


def parse_restore_item(payload: dict[str, Any], framework: Framework) -> RestoreItem:
    return RestoreItem(positive_int(payload, "item_id") or 0)


@dataclass(frozen=True)
class Envelope:
    op_id: str
    meeting_id: int
    type: str
    payload: dict[str, Any]


def parse_envelope(raw: Any, op_types: Container[str]) -> Envelope:
    """Check the outer shape of a client's `op` message (its type one of op_types), or
    raise OperationError."""
    if not isinstance(raw, dict):
        raise fail(N_("An operation must be an object."))
    op_id = raw.get("op_id")
    if not isinstance(op_id, str) or not OP_ID_PATTERN.fullmatch(op_id):
        raise fail(N_("'op_id' must be 8 to 64 letters, digits, '-' or '_'."))
    meeting_id = positive_int(raw, "meeting_id") or 0
    kind = raw.get("type")
    payload = raw.get("payload")
    if not isinstance(kind, str) or kind not in op_types:
        raise OperationError("unknown_type", N_("Unknown operation type."))
    if not isinstance(payload, dict):
        raise fail(N_("An operation needs a 'payload' object."))
    return Envelope(op_id, meeting_id, kind, payload)
