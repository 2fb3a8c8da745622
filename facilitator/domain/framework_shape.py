"""The shape of a board framework: columns (the questions or groups of a map), sections
(where items go) and how the board draws them.

The built-in frameworks are in frameworks.py and sop_tools.py; an agency's own ones are
checked by framework_definition.py and stored as immutable versions.
"""

from __future__ import annotations

from dataclasses import dataclass

from facilitator.domain.agenda import Step

# How the board, the display and the exports draw a framework's columns:
# "columns" side by side (the CISF map); "houses" side by side, each under a roof;
# "rings" nested inside each other; "worksheet" as rows pairing a danger statement with
# its safety goal and scale; "list" one after another, a plan to take home.
LAYOUTS = ("columns", "houses", "rings", "worksheet", "list")
# How one column is drawn: plain, under a roof (a house), as rings, or as a path.
SHAPES = ("", "house", "rings", "path")


@dataclass(frozen=True)
class Section:
    key: str
    title: str
    help: str
    column: str
    family: str = ""  # the same section in plain words for families and children


@dataclass(frozen=True)
class Column:
    key: str
    question: str
    shape: str = ""


@dataclass(frozen=True)
class Framework:
    key: str
    name: str
    mode: str  # "professional" or "family"
    columns: tuple[Column, ...]
    sections: tuple[Section, ...]
    layout: str = "columns"
    agenda: tuple[Step, ...] = ()  # empty: the meeting kind's agenda
    child_words: bool = False  # items are the child's own words, quoted as said
    version: int = 0  # 0: built in; an agency's framework counts its versions from 1

    def section(self, key: str) -> Section | None:
        return next((s for s in self.sections if s.key == key), None)

    @property
    def section_keys(self) -> tuple[str, ...]:
        return tuple(s.key for s in self.sections)

    def sections_in(self, column: str) -> tuple[Section, ...]:
        return tuple(s for s in self.sections if s.column == column)

    @property
    def built_in(self) -> bool:
        return self.version == 0
