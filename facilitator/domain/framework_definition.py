"""An agency's own framework, as an admin writes it: checked here, stored as JSON.

An admin edits a definition (sections with their help, family wording and group, their
order, a default agenda) and publishes it; every publication is a new, immutable version
(services/frameworks.py), so meetings held on an older version keep it. This module turns
the admin's form into a Framework or a list of every problem found, each tied to its field.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from dataclasses import field as dataclass_field
from typing import Any

from facilitator.domain.agenda import STEP_MINUTES_MAX, STEP_PURPOSE_MAX, STEP_TITLE_MAX, Step
from facilitator.domain.fields import UNSAFE_CHARACTERS
from facilitator.domain.framework_shape import LAYOUTS, Column, Framework, Section
from facilitator.domain.text import N_

KEY_PATTERN = re.compile(r"[a-z][a-z0-9_]{1,39}")  # fullmatch
MODES = ("professional", "family")
NAME_MAX = 80
TITLE_MAX = 80
HELP_MAX = 500
FAMILY_MAX = 200
GROUP_MAX = 80
SECTIONS_MAX = 20
GROUPS_MAX = 8
STEPS_MAX = 20


@dataclass(frozen=True)
class Problem:
    """One thing wrong with a definition: the field it is about, and what to do."""

    field: str  # "name", "sections.2.title", "agenda.0.minutes", ...
    message: str  # marked with N_, translated where shown
    params: dict[str, Any] = dataclass_field(default_factory=dict)


class DefinitionError(ValueError):
    """A definition that cannot be published; problems lists every reason."""

    def __init__(self, problems: list[Problem]) -> None:
        super().__init__("; ".join(p.message % p.params for p in problems))
        self.problems = problems


def _clean(value: Any) -> str:
    return " ".join(UNSAFE_CHARACTERS.sub("", value if isinstance(value, str) else "").split())


def _blank(row: dict[str, Any]) -> bool:
    return not any(_clean(value) for value in row.values() if not isinstance(value, bool))


class _Checker:
    def __init__(self) -> None:
        self.problems: list[Problem] = []

    def field(self, where: str, value: Any, limit: int, *, required: bool = True) -> str:
        cleaned = _clean(value)
        if required and not cleaned:
            self.problems.append(Problem(where, N_("Fill this in.")))
        elif len(cleaned) > limit:
            self.problems.append(
                Problem(where, N_("Use at most %(max)s characters."), {"max": limit})
            )
        return cleaned


def parse_definition(raw: dict[str, Any], taken_keys: frozenset[str] = frozenset()) -> Framework:
    """Check an admin's definition; return its Framework (version 0: the service numbers it)
    or raise DefinitionError listing every problem. Blank rows are left out."""
    check = _Checker()
    key = _clean(raw.get("key"))
    if not KEY_PATTERN.fullmatch(key):
        check.problems.append(
            Problem(
                "key", N_("A key is 2 to 40 small letters, digits or _, starting with a letter.")
            )
        )
    elif key in taken_keys:
        check.problems.append(Problem("key", N_("That key is taken; choose another.")))
    name = check.field("name", raw.get("name"), NAME_MAX)
    mode = str(raw["mode"]) if raw.get("mode") in MODES else "professional"
    layout = str(raw["layout"]) if raw.get("layout") in LAYOUTS else "columns"
    columns, sections = _sections(check, raw.get("sections") or [], layout)
    agenda = _agenda(check, raw.get("agenda") or [], {s.key for s in sections})
    if check.problems:
        raise DefinitionError(check.problems)
    return Framework(
        key, name, str(mode), columns, sections, str(layout), agenda, raw.get("child_words") is True
    )


def _sections(
    check: _Checker, rows: list[dict[str, Any]], layout: str
) -> tuple[tuple[Column, ...], tuple[Section, ...]]:
    filled = [(index, row) for index, row in enumerate(rows) if not _blank(row)]
    if not filled:
        check.problems.append(Problem("sections", N_("A framework needs at least one section.")))
    if len(filled) > SECTIONS_MAX:
        check.problems.append(
            Problem("sections", N_("Use at most %(max)s sections."), {"max": SECTIONS_MAX})
        )
    groups: dict[str, str] = {}  # heading -> column key, in order of first use
    sections: list[Section] = []
    for index, row in filled:
        where = f"sections.{index}"
        key = _clean(row.get("key"))
        if not KEY_PATTERN.fullmatch(key):
            check.problems.append(
                Problem(f"{where}.key", N_("A key is 2 to 40 small letters, digits or _."))
            )
        elif key in {s.key for s in sections}:
            check.problems.append(Problem(f"{where}.key", N_("Two sections have this key.")))
        title = check.field(f"{where}.title", row.get("title"), TITLE_MAX)
        help_text = check.field(f"{where}.help", row.get("help"), HELP_MAX, required=False)
        family = check.field(f"{where}.family", row.get("family"), FAMILY_MAX, required=False)
        group = check.field(f"{where}.group", row.get("group"), GROUP_MAX, required=False) or title
        column = groups.setdefault(group, f"g{len(groups) + 1}")
        sections.append(Section(key, title, help_text, column, family))
    if len(groups) > GROUPS_MAX:
        check.problems.append(
            Problem("sections", N_("Use at most %(max)s groups."), {"max": GROUPS_MAX})
        )
    columns = tuple(
        Column(column, heading, _shape(layout, sum(s.column == column for s in sections)))
        for heading, column in groups.items()
    )
    return columns, tuple(sections)


def _shape(layout: str, section_count: int) -> str:
    """How a group is drawn in a layout: under a roof, as rings, or plain."""
    if layout == "houses":
        return "house"
    if layout == "rings" and section_count > 1:
        return "rings"
    return ""


def _agenda(check: _Checker, rows: list[dict[str, Any]], keys: set[str]) -> tuple[Step, ...]:
    filled = [(index, row) for index, row in enumerate(rows) if not _blank(row)]
    if len(filled) > STEPS_MAX:
        check.problems.append(
            Problem("agenda", N_("Use at most %(max)s steps."), {"max": STEPS_MAX})
        )
    steps = []
    for index, row in filled:
        where = f"agenda.{index}"
        title = check.field(f"{where}.title", row.get("title"), STEP_TITLE_MAX)
        purpose = check.field(
            f"{where}.purpose", row.get("purpose"), STEP_PURPOSE_MAX, required=False
        )
        minutes = _minutes(row.get("minutes"))
        if minutes is None:
            check.problems.append(
                Problem(f"{where}.minutes", N_("A step lasts 1 to %(max)s minutes."),
                        {"max": STEP_MINUTES_MAX})
            )  # fmt: skip
        named = _keys(row.get("sections"))
        unknown = [key for key in named if key not in keys]
        if unknown:
            check.problems.append(
                Problem(f"{where}.sections", N_("No section has the key %(keys)s."),
                        {"keys": ", ".join(unknown)})
            )  # fmt: skip
        steps.append(Step(title, minutes or 1, purpose, named, row.get("scaling") is True))
    return tuple(steps)


def _minutes(raw: Any) -> int | None:
    text = str(raw).strip() if isinstance(raw, (str, int)) and not isinstance(raw, bool) else ""
    if not text.isdigit() or not 0 < int(text) <= STEP_MINUTES_MAX:
        return None
    return int(text)


def _keys(raw: Any) -> tuple[str, ...]:
    """Section keys named by a step: a list, or text with spaces or commas between them."""
    words = raw if isinstance(raw, list) else str(raw or "").replace(",", " ").split()
    return tuple(dict.fromkeys(_clean(word) for word in words if _clean(word)))


def as_json(framework: Framework) -> dict[str, Any]:
    """A framework as stored with its version (and read back by from_json)."""
    return {
        "key": framework.key,
        "name": framework.name,
        "mode": framework.mode,
        "layout": framework.layout,
        "child_words": framework.child_words,
        "columns": [{"key": c.key, "question": c.question, "shape": c.shape}
                    for c in framework.columns],
        "sections": [{"key": s.key, "title": s.title, "help": s.help, "column": s.column,
                      "family": s.family} for s in framework.sections],
        "agenda": [step.as_json() for step in framework.agenda],
    }  # fmt: skip


def from_json(stored: dict[str, Any], version: int) -> Framework:
    """The framework of one stored version."""
    return Framework(
        key=stored["key"],
        name=stored["name"],
        mode=stored["mode"],
        columns=tuple(Column(**c) for c in stored["columns"]),
        sections=tuple(Section(**s) for s in stored["sections"]),
        layout=stored.get("layout", "columns"),
        agenda=tuple(
            Step(s["title"], s["minutes"], s["purpose"], tuple(s["sections"]), s["scaling"])
            for s in stored.get("agenda", [])
        ),
        child_words=stored.get("child_words", False),
        version=version,
    )


def as_form(framework: Framework) -> dict[str, Any]:
    """A framework as the admin's form shows it: groups by heading, each step's sections
    by key (a step that names a group names all of its sections)."""
    heading = {c.key: c.question for c in framework.columns}
    return {
        "key": framework.key,
        "name": framework.name,
        "mode": framework.mode,
        "layout": framework.layout,
        "child_words": framework.child_words,
        "sections": [{"key": s.key, "title": s.title, "help": s.help, "family": s.family,
                      "group": heading.get(s.column, "")} for s in framework.sections],
        "agenda": [{"title": step.title, "minutes": str(step.minutes), "purpose": step.purpose,
                    "sections": " ".join(_expanded(step.sections, framework)),
                    "scaling": step.scaling} for step in framework.agenda],
    }  # fmt: skip


def _expanded(named: tuple[str, ...], framework: Framework) -> list[str]:
    keys: list[str] = []
    for key in named:
        keys += [key] if framework.section(key) else [s.key for s in framework.sections_in(key)]
    return list(dict.fromkeys(keys))
