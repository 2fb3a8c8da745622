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
# events whose "items" are items as they now are
_MANY_ITEMS = frozenset(
    {"section_revealed", "items_carried", "family_items_shared", "child_consent_recorded"}
)


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
