"""What each viewer may see of the board: applied to every event, sync and snapshot.

Events and items are stored whole (the audit record keeps every author). Before anything
leaves the server it passes through here: an anonymous item's author is hidden from
everyone, an item collected privately shows only its place (not its text) to everyone
but its author until the section is revealed, and a rating's number and reason stay
with its rater until the round is revealed.
"""

from __future__ import annotations

from typing import Any

NOBODY = {"id": None, "name": ""}
_PRIVATE_ITEM_FIELDS = {"text": "", "parts": None, "family_view": None}


def item_for(item: dict[str, Any], viewer: int | None) -> dict[str, Any]:
    """An item as this participant (None: anyone, the display) may see it."""
    mine = viewer is not None and item["author"]["id"] == viewer
    shown = dict(item)
    if item.get("anonymous"):
        shown["author"] = NOBODY
        shown["mine"] = mine  # the author's only way to know their own anonymous item
    if item.get("hidden") and not mine:
        shown.update(_PRIVATE_ITEM_FIELDS)
    return shown


def event_for(event: dict[str, Any], viewer: int | None) -> dict[str, Any]:
    """An event as this participant may see it (its own actor is always theirs to know)."""
    shown = dict(event)
    if "item" in event:
        shown["item"] = item_for(event["item"], viewer)
        if event["item"].get("anonymous") and (event.get("actor") or {}).get("id") != viewer:
            shown["actor"] = NOBODY
    if "items" in event:
        shown["items"] = [item_for(item, viewer) for item in event["items"]]
    hide = EVENT_RULES.get(event.get("type", ""))
    return hide(shown, viewer) if hide else shown


def public_event(event: dict[str, Any]) -> dict[str, Any]:
    """An event as broadcast to a whole room."""
    return event_for(event, None)


def _rating(event: dict[str, Any], viewer: int | None) -> dict[str, Any]:
    """Before the reveal, others learn only that someone rated."""
    if event.get("actor", {}).get("id") == viewer:
        return event
    rating = event.get("rating") or {}
    return {**event, "rating": {"participant_id": rating.get("participant_id")}}


# Event types whose data a viewer may see only in part (besides items, handled above).
EVENT_RULES: dict[str, Any] = {
    "rating_given": _rating,
}
