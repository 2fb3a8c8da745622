"""What the room's screen presents: the facilitator's choice, checked without a database.

The display follows the meeting's step by default; the facilitator may instead present one
section, one column, the overview of the whole map or the join screen, turn pages, let the
pages advance slowly by themselves, and pick a dark or a light theme for the room.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from facilitator.domain.fields import fail, flag
from facilitator.domain.frameworks import Framework
from facilitator.domain.text import N_

SHOWS = ("step", "section", "column", "overview", "join")
THEMES = ("dark", "light")
PAGE_LIMIT = 1000  # pages are counted on each display; the page number wraps there
DEFAULT = {"show": "step", "target": None, "page": 0, "auto": False, "theme": "dark"}


@dataclass(frozen=True)
class Present:
    """The fields the facilitator changes; None leaves that field as it is."""

    show: str | None = None
    target: str | None = None  # a section key (show "section") or a column key ("column")
    page: int | None = None
    auto: bool | None = None
    theme: str | None = None


def presentation(stored: dict[str, Any] | None) -> dict[str, Any]:
    """The presentation with every field, from what a meeting holds (maybe nothing yet)."""
    return {**DEFAULT, **(stored or {})}


def applied(stored: dict[str, Any] | None, command: Present) -> dict[str, Any]:
    """The presentation after the command: a new view starts on its first page."""
    now = presentation(stored)
    if command.show is not None:
        now.update(show=command.show, target=command.target, page=0)
    for key in ("page", "auto", "theme"):
        value = getattr(command, key)
        if value is not None:
            now[key] = value
    return now


def _target(payload: dict[str, Any], show: str, framework: Framework) -> str | None:
    target = payload.get("target")
    if show not in ("section", "column"):
        if target is not None:
            raise fail(N_("Only a section or a column takes a 'target'."))
        return None
    known = framework.section_keys if show == "section" else tuple(c.key for c in framework.columns)
    if not isinstance(target, str) or target not in known:
        raise fail(N_("'target' must be a %(show)s of this map."), show=show)
    return target


def _page(payload: dict[str, Any]) -> int | None:
    value = payload.get("page")
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int) or abs(value) >= PAGE_LIMIT:
        raise fail(N_("'page' must be a whole number below %(max)s."), max=PAGE_LIMIT)
    return value


def _choice(payload: dict[str, Any], key: str, choices: tuple[str, ...]) -> str | None:
    value = payload.get(key)
    if value is None:
        return None
    if not isinstance(value, str) or value not in choices:
        raise fail(N_("'%(key)s' must be one of: %(choices)s"), key=key, choices=", ".join(choices))
    return value


def parse_present(payload: dict[str, Any], framework: Framework) -> Present:
    """A `present` command: at least one field, each checked against the meeting's map."""
    show = _choice(payload, "show", SHOWS)
    command = Present(
        show=show,
        target=_target(payload, show, framework) if show else None,
        page=_page(payload),
        auto=flag(payload, "auto") if "auto" in payload else None,
        theme=_choice(payload, "theme", THEMES),
    )
    if show is None and "target" in payload:
        raise fail(N_("A 'target' goes with 'show'."))
    if command == Present():
        raise fail(N_("Say what to present: show, page, auto or theme."))
    return command
