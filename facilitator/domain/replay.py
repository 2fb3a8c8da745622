"""A board's items at any revision, rebuilt from its event log (pure: events in, items out);
and the case's list of people around the child as of then.

Every item event carries the item whole, as stored after the change, so replaying is
mostly "the newest copy of each item wins"; deletions remove, merges also move what was
folded into the duplicate (the database does that without its own event). Person events
carry the person whole in the same way.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

# events whose "item" is the item as it now is
_ONE_ITEM = frozenset(
    {
        "item_added",
        "item_edited",
        "item_moved",
        "items_merged",
        "item_unmerged",
        "next_step_set",
        "next_step_status_set",
        "items_linked",
        "family_view_set",
        "item_people_set",
    }
)
# an imported meeting exported without its event log: one event holds its board whole
BOARD_IMPORTED = "board_imported"
# events whose "items" are items as they now are
_MANY_ITEMS = frozenset(
    {"section_revealed", "items_carried", BOARD_IMPORTED, "family_items_shared",
     "child_consent_recorded"}
)  # fmt: skip


def replay(events: Iterable[dict[str, Any]], rev: int) -> list[dict[str, Any]]:
    """The live items after applying every event up to and including rev, in board order."""
    items: dict[int, dict[str, Any]] = {}
    for event in sorted(events, key=lambda e: e["rev"]):
        if event["rev"] > rev:
            break
        apply_event(items, event)
    return sorted(items.values(), key=lambda i: (i["section"], i["position"], i["id"]))


def apply_event(items: dict[int, dict[str, Any]], event: dict[str, Any]) -> None:
    """Change the items (by id) as this one event did."""
    kind = event.get("type")
    if kind in _ONE_ITEM:
        item = event["item"]
        if kind == "items_merged":
            _follow_merge(items, item["id"], item["merged_into_id"])
        items[item["id"]] = dict(item)
    elif kind in _MANY_ITEMS:
        for item in event["items"]:
            items[item["id"]] = dict(item)
    elif kind == "item_deleted":
        items.pop(event["item_id"], None)


def _follow_merge(items: dict[int, dict[str, Any]], duplicate: int, kept: int) -> None:
    for other in items.values():
        if other.get("merged_into_id") == duplicate:
            other["merged_into_id"] = kept


PERSON_EVENTS = frozenset({"person_added", "person_edited", "person_removed"})


def replay_people(
    events: Iterable[dict[str, Any]], listed_before: Iterable[dict[str, Any]] = ()
) -> list[dict[str, Any]]:
    """The list after these person events (already in the order they happened), starting
    from the people listed before them; the removed stay, marked, since items may name them."""
    people = {person["id"]: dict(person) for person in listed_before}
    for event in events:
        if event.get("type") in PERSON_EVENTS:
            person = event["person"]
            people[person["id"]] = dict(person)
    return sorted(people.values(), key=lambda person: person["id"])


def revisions(events: Iterable[dict[str, Any]]) -> list[dict[str, Any]]:
    """Who did what when: one line per event (type, revision, actor name, time), in order."""
    return [
        {
            "rev": e["rev"],
            "type": e.get("type", ""),
            "actor": (e.get("actor") or {}).get("name") or "",
            "item_id": (e.get("item") or {}).get("id") or e.get("item_id"),
        }
        for e in sorted(events, key=lambda e: e["rev"])
    ]


# --- an imported meeting's events, renumbered -------------------------------------------

_REFS = {
    "item": ("item_id", "merged_into_id", "link_id", "carried_from_id", "danger_item_id",
             "spotlight_item_id", "into_id", "done_item_id", "after_id"),
    "participant": ("participant_id", "author_id", "scribe_id", "deleted_by_id", "actor_id"),
    "person": ("person_id",),
    "round": ("round_id",),
    "meeting": ("meeting_id",),
}  # fmt: skip
_BY_KEY = {key: kind for kind, keys in _REFS.items() for key in keys}
# whose "id" a dict under this key holds
_ID_OF = {"item": "item", "items": "item", "author": "participant", "actor": "participant",
          "participant": "participant", "participants": "participant", "person": "person",
          "people": "person", "scale_round": "round"}  # fmt: skip


def renumbered(value: Any, ids: dict[str, dict[int, int]], parent: str = "") -> Any:
    """An event of an exported meeting with the ids of this instance's rows: ids maps each
    kind ("item", "participant", "person", "round", "meeting") from the file's id to the
    new row's. An item the file does not hold (deleted before the export) gets its old id
    negated, so it never meets a real row; an unknown participant becomes nobody (None)."""
    if isinstance(value, list):
        if parent == "person_ids":
            return [ids["person"][i] for i in value if i in ids["person"]]
        return [renumbered(v, ids, parent) for v in value]
    if not isinstance(value, dict):
        return value
    found = {}
    for key, inner in value.items():
        kind = _ID_OF.get(parent) if key == "id" else _BY_KEY.get(key)
        found[key] = _new_id(inner, kind, ids) if kind else renumbered(inner, ids, key)
    return found


def _new_id(old: Any, kind: str, ids: dict[str, dict[int, int]]) -> Any:
    if not isinstance(old, int) or isinstance(old, bool):
        return old
    if old in ids.get(kind, {}):
        return ids[kind][old]
    return None if kind == "participant" else -abs(old) or None
