"""What each viewer may see of the board: applied to every event, sync and snapshot.

Events and items are stored whole (the audit record keeps every author). Before anything
leaves the server it passes through here: an anonymous item's author is hidden from
everyone, an item collected privately shows only its place (not its text) to everyone
but its author until the section is revealed, and a rating's number and reason stay
with its rater until the round is revealed.

Two rules need to know more of the viewer than their participant id (a Viewer):
- an item the family added in private family time (domain/family_time.py) is the
  family's: anyone else gets neither the item nor the event that changed it (only its
  revision, so their board stays in order);
- a child's words waiting for consent (domain/consent.py) show their place to everyone,
  their text only to who wrote them and to the facilitator.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from facilitator.domain.consent import is_childs_words

NOBODY = {"id": None, "name": ""}
_PRIVATE_ITEM_FIELDS = {"text": "", "parts": None, "family_view": None}
# What someone outside the family learns of an event about the family's private items.
FAMILY_PRIVATE_EVENT = "family_private_change"


@dataclass(frozen=True)
class Viewer:
    """Who is looking (participant_id None: anyone in the room, the display, the record)."""

    participant_id: int | None = None
    family: bool = False  # one of the family: sees what the family keeps to itself
    leads: bool = False  # the facilitator: sees a child's words before the consent
    consent_pending: bool = False  # the meeting's child's words wait for consent


def as_viewer(viewer: Viewer | int | None) -> Viewer:
    return viewer if isinstance(viewer, Viewer) else Viewer(viewer)


def sees(item: dict[str, Any], viewer: Viewer | int | None) -> bool:
    """Whether this viewer may know of the item at all (the family's own items: family only)."""
    return not item.get("family_private") or as_viewer(viewer).family


def item_for(item: dict[str, Any], viewer: Viewer | int | None) -> dict[str, Any]:
    """An item as this participant (None: anyone, the display) may see it."""
    who = as_viewer(viewer)
    me = who.participant_id
    mine = me is not None and item["author"]["id"] == me
    shown = dict(item)
    if item.get("anonymous"):
        shown["author"] = NOBODY
        shown["mine"] = mine  # the author's only way to know their own anonymous item
    if item.get("hidden") and not mine:
        shown.update(_PRIVATE_ITEM_FIELDS)
    if who.consent_pending and is_childs_words(item):
        shown["awaiting_consent"] = True
        typed_it = me is not None and item.get("scribe_id") == me
        if not (mine or typed_it or who.leads):
            shown.update(_PRIVATE_ITEM_FIELDS)
    return shown


def _about_family_items(event: dict[str, Any]) -> bool:
    items = [event["item"]] if "item" in event else []
    return any(item.get("family_private") for item in [*items, *event.get("items", ())])


def event_for(event: dict[str, Any], viewer: Viewer | int | None) -> dict[str, Any]:
    """An event as this participant may see it (its own actor is always theirs to know)."""
    who = as_viewer(viewer)
    if not who.family and (event.get("family_private") or _about_family_items(event)):
        return {
            "type": FAMILY_PRIVATE_EVENT,
            "rev": event["rev"],
            "meeting_id": event["meeting_id"],
        }
    shown = dict(event)
    if "item" in event:
        shown["item"] = item_for(event["item"], who)
        if (
            event["item"].get("anonymous")
            and (event.get("actor") or {}).get("id") != who.participant_id
        ):
            shown["actor"] = NOBODY
    if "items" in event:
        shown["items"] = [item_for(item, who) for item in event["items"]]
    hide = EVENT_RULES.get(event.get("type", ""))
    return hide(shown, who.participant_id) if hide else shown


def public_event(event: dict[str, Any]) -> dict[str, Any]:
    """An event as broadcast to a whole room."""
    return event_for(event, None)


def needs_each_viewer(event: dict[str, Any]) -> bool:
    """Whether viewers may see this event differently beyond their participant id (then it
    is sent to each socket as its viewer may see it, not broadcast alike)."""
    items = [event["item"]] if "item" in event else []
    return bool(event.get("family_private")) or any(
        item.get("family_private") or is_childs_words(item)
        for item in [*items, *event.get("items", ())]
    )


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
