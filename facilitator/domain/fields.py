"""Checks for the fields of an operation's payload, shared by every kind of command."""

from __future__ import annotations

import re
from typing import Any

from facilitator.domain.errors import OperationError
from facilitator.domain.limits import ITEM_TEXT_MAX
from facilitator.domain.text import N_

# control characters, lone surrogates (unstorable) and bidi overrides (text that reads
# differently from what it is)
UNSAFE_CHARACTERS = re.compile(
    "[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\u202a-\u202e\u2066-\u2069\ud800-\udfff]"
)


def without_unsafe(value: str) -> str:
    """The text without control characters (tab and line breaks stay), bidi overrides and
    lone surrogates: what every field that is stored or searched holds, on either database
    (PostgreSQL refuses NUL). The edges clean every incoming value with it: HTTP forms and
    queries (web/edge.py), socket payloads (realtime/packets.py), imported files."""
    return UNSAFE_CHARACTERS.sub("", value)


def fail(message: str, **values: object) -> OperationError:
    return OperationError("invalid", message, values)


def positive_int(payload: dict[str, Any], key: str, *, optional: bool = False) -> int | None:
    value = payload.get(key)
    if value is None and optional:
        return None
    if isinstance(value, bool) or not isinstance(value, int) or not 0 < value < 2**53:
        raise fail(N_("'%(key)s' must be a positive whole number"), key=key)
    return value


def text(payload: dict[str, Any], key: str) -> str:
    value = payload.get(key)
    if not isinstance(value, str):
        raise fail(N_("'%(key)s' must be text"), key=key)
    return value


def clean_text(value: str) -> str:
    """Strip control characters and surrounding space; refuse empty or too long text."""
    cleaned = UNSAFE_CHARACTERS.sub("", value).strip()
    if not cleaned:
        raise OperationError("empty_text", N_("Write something before saving."))
    if len(cleaned) > ITEM_TEXT_MAX:
        raise OperationError(
            "text_too_long",
            N_("Items can be at most %(limit)s characters; this one has %(count)s."),
            {"count": len(cleaned)},
            limit=ITEM_TEXT_MAX,
        )
    return cleaned


def flag(payload: dict[str, Any], key: str) -> bool:
    value = payload.get(key, False)
    if not isinstance(value, bool):
        raise fail(N_("'%(key)s' must be true or false"), key=key)
    return value


def optional_text(payload: dict[str, Any], key: str, limit: int) -> str | None:
    """Text up to limit characters, cleaned; None when absent, null or blank."""
    value = payload.get(key)
    if value is None:
        return None
    if not isinstance(value, str):
        raise fail(N_("'%(key)s' must be text"), key=key)
    cleaned = UNSAFE_CHARACTERS.sub("", value).strip()
    if len(cleaned) > limit:
        raise OperationError(
            "text_too_long",
            N_("'%(key)s' can be at most %(limit)s characters."),
            {"key": key},
            limit=limit,
        )
    return cleaned or None


def section(payload: dict[str, Any], framework: Any, *, or_board: bool = False) -> str:
    """A section key on this framework's map ("*", the whole board, when or_board)."""
    key = text(payload, "section")
    if (or_board and key == "*") or framework.section(key) is not None:
        return key
    raise OperationError("unknown_section", N_("That section is not on this map."))
