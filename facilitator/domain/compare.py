"""What changed on a case's map between two meetings (pure: item dicts in, a diff out).

Items match across meetings first by their carry-over chain (the same root item brought
forward), then by the same text in a section of the same meaning (section_kinds.py). Two
meetings on different maps (a group supervision's CISF map, a family meeting's three
questions) are compared question by question: by_meaning groups and compares sections by
what they mean, not by their keys.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from facilitator.domain.section_kinds import meaning
from facilitator.domain.statements import NEXT_STEP_SECTIONS

Item = dict[str, Any]
_COMPARED = ("text", "owner", "due_on", "status")


@dataclass
class SectionDiff:
    new: list[Item] = field(default_factory=list)
    removed: list[Item] = field(default_factory=list)
    changed: list[tuple[Item, Item]] = field(default_factory=list)

    def __bool__(self) -> bool:
        return bool(self.new or self.removed or self.changed)


def _key(item: Item) -> tuple[str, str]:
    return meaning(item["section"]), " ".join(item["text"].casefold().split())


def _where(item: Item, by_meaning: bool) -> str:
    """The section an item is grouped under: its key, or across maps its meaning."""
    return meaning(item["section"]) if by_meaning else item["section"]


def match(before: list[Item], after: list[Item], root: dict[int, int]) -> dict[int, Item]:
    """For each item after (by id), its counterpart before, if any."""
    by_root = {root.get(i["id"], i["id"]): i for i in before}
    by_text = {_key(i): i for i in before}
    matched: dict[int, Item] = {}
    used: set[int] = set()
    for item in after:
        found = by_root.get(root.get(item["id"], item["id"]))
        if found is None or found["id"] in used:
            found = by_text.get(_key(item))
        if found is not None and found["id"] not in used:
            matched[item["id"]] = found
            used.add(found["id"])
    return matched


def diff(
    before: list[Item], after: list[Item], root: dict[int, int], by_meaning: bool = False
) -> dict[str, SectionDiff]:
    """Per section (or, by_meaning, per question): items new in after, removed since
    before, and changed (before, after)."""
    matched = match(before, after, root)
    sections: dict[str, SectionDiff] = {}
    for item in after:
        old = matched.get(item["id"])
        where = _where(item, by_meaning)
        if old is None:
            sections.setdefault(where, SectionDiff()).new.append(item)
        elif _where(old, by_meaning) != where or any(old.get(k) != item.get(k) for k in _COMPARED):
            sections.setdefault(where, SectionDiff()).changed.append((old, item))
    kept = {old["id"] for old in matched.values()}
    for old in before:
        if old["id"] not in kept and not _finished(old):
            sections.setdefault(_where(old, by_meaning), SectionDiff()).removed.append(old)
    return sections


def _finished(item: Item) -> bool:
    """A next step done or dropped: not carried forward, so not missed when it is not."""
    return item["section"] in NEXT_STEP_SECTIONS and item.get("status") in ("done", "dropped")


def completed_steps(before: list[Item], after: list[Item], root: dict[int, int]) -> list[Item]:
    """Next steps done by the later meeting that were not done at the earlier one."""
    matched = match(before, after, root)
    return [
        item
        for item in after
        if item["section"] in NEXT_STEP_SECTIONS
        and item.get("status") == "done"
        and (matched.get(item["id"]) or {}).get("status") != "done"
    ]
