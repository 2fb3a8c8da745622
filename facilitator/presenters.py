"""Model -> JSON: the same shapes for page snapshots, socket events and exports."""

from __future__ import annotations

from typing import Any

from facilitator.domain.frameworks import Framework, in_words
from facilitator.domain.presentation import presentation
from facilitator.domain.scaling import spread
from facilitator.models import InvolvedPerson, Item, Meeting, Participant, Rating, ScaleRound
from facilitator.models.types import utcnow


def iso(value: Any) -> str | None:
    return value.isoformat(timespec="seconds") + "Z" if value else None


def iso_ms(value: Any) -> str:
    """A time to the millisecond, for clients to set their clock against the server's."""
    return str(value.isoformat(timespec="milliseconds")) + "Z"


def item_json(item: Item) -> dict[str, Any]:
    return item_fields_json(
        item.id, item.section, item.position, item.text, item.view, item.version,
        item.author_id, item.author.display_name, item.updated_at,
        via=item.scribe.display_name if item.scribe else None,
        **{key: getattr(item, key) for key in ITEM_EXTRAS},
    )  # fmt: skip


# What an item may carry beyond its text, and the value that means "none".
ITEM_EXTRAS: dict[str, Any] = {
    "anonymous": False,
    "hidden": False,
    "merged_into_id": None,
    "link_id": None,
    "parts": None,
    "family_view": None,
    "owner": None,
    "due_on": None,
    "status": None,
    "carried_from_id": None,
    "person_ids": None,
    "scribe_id": None,  # who typed it for its author ("via"), someone in the room
    "family_private": False,  # the family's own until it shares it (domain/family_time.py)
}


def item_fields_json(
    item_id: int,
    section: str,
    position: str,
    text: str,
    view: str,
    version: int,
    author_id: int,
    author_name: str,
    updated_at: Any,
    via: str | None = None,
    **extras: Any,
) -> dict[str, Any]:
    """The one JSON shape of an item, for snapshots, events and exports (as stored: what a
    viewer may see of it is decided by domain/visibility.py)."""
    due_on = extras.get("due_on")
    return {
        **ITEM_EXTRAS,
        **extras,
        "due_on": due_on.isoformat() if due_on else None,
        "id": item_id,
        "section": section,
        "position": position,
        "text": text,
        "view": view,
        "version": version,
        "author": author_json(author_id, author_name, via),
        "updated_at": iso(updated_at),
    }


def author_json(author_id: int | None, name: str, via: str | None = None) -> dict[str, Any]:
    """Whose an item or rating is; "via": who typed it for them, when someone did."""
    return {"id": author_id, "name": name, **({"via": via} if via else {})}


def involved_person_json(person: InvolvedPerson, shown_name: str) -> dict[str, Any]:
    """Someone around the child, named as the meeting may show them (shown_name)."""
    return {
        "id": person.id,
        "name": shown_name,
        "relationship": person.relationship,
        "age": person.age,
        "household": person.household,
        "role": person.role,
        "version": person.version,
        "added_by": person.added_by_id,
        "removed": person.removed,
    }


def participant_json(participant: Participant, online: bool = False) -> dict[str, Any]:
    return {
        "id": participant.id,
        "name": participant.display_name,
        "role": participant.role,
        "guest": participant.is_guest,
        "online": online,
        "hand_raised": participant.hand_raised,
        "ready": participant.ready,
        "view": participant.view,
    }


def meeting_state_json(meeting: Meeting) -> dict[str, Any]:
    """Where the meeting is: its steps and timer, the facilitator's settings, its status."""
    return {
        "kind": meeting.kind,
        "status": meeting.status,
        "closed_at": iso(meeting.closed_at),
        "agenda": meeting.agenda or [],
        "step_index": meeting.step_index,
        "step_started_at": iso(meeting.step_started_at),
        "step_ends_at": iso(meeting.step_ends_at),
        "write_policy": meeting.write_policy,
        "locked_sections": meeting.locked_sections or [],
        "private_sections": meeting.private_sections or [],
        "spotlight_item_id": meeting.spotlight_item_id,
        "question": meeting.question,
        "show_initials": meeting.show_initials,
        "presentation": presentation(meeting.presentation),
        # private family time: since when it runs (None: it does not)
        "family_time_started_at": iso(meeting.family_time_started_at),
        # the consent recorded for showing the child's words: who agreed, when, recorded by
        "child_consent": meeting.child_consent,
    }


def framework_json(framework: Framework, translate: Any = str) -> dict[str, Any]:
    """The framework for a browser or an export: a built-in one translated by its key, an
    agency's as written (frameworks.in_words)."""
    framework = in_words(framework, translate)
    return {
        "key": framework.key,
        "name": framework.name,
        "mode": framework.mode,
        "layout": framework.layout,
        "child_words": framework.child_words,
        "version": framework.version,
        "columns": [
            {"key": c.key, "question": c.question, "shape": c.shape} for c in framework.columns
        ],
        "sections": [
            {
                "key": s.key,
                "title": s.title,
                "help": s.help,
                "column": s.column,
                "family": s.family,
            }
            for s in framework.sections
        ],
    }


def snapshot_json(
    meeting: Meeting,
    items: list[Item],
    participants: list[Participant],
    online_ids: set[int],
) -> dict[str, Any]:
    return {
        "meeting_id": meeting.id,
        "framework": meeting.framework_key,
        "rev": meeting.rev,
        "status": meeting.status,
        "meeting": meeting_state_json(meeting),
        "server_now": iso_ms(utcnow()),
        "items": [item_json(i) for i in items],
        "participants": people_json(participants, online_ids),
    }


def people_json(participants: list[Participant], online_ids: set[int]) -> list[dict[str, Any]]:
    """The people in a meeting: not removed ones, not projectors, and not guests still in
    the waiting room (only the staff who let them in see those, by name: `waiting`)."""
    return [
        participant_json(p, p.id in online_ids)
        for p in participants
        if p.removed_at is None and p.role != "display" and p.admission != "waiting"
    ]


def scale_round_json(scale_round: ScaleRound, ratings: list[Rating]) -> dict[str, Any]:
    """A scaling round as everyone may see it: who has rated, and the ratings only once
    revealed (without names or participant ids in an anonymous round, ordered by value so
    the order of rating gives no one away)."""
    revealed = scale_round.status == "revealed"
    shown: list[dict[str, Any]] | None = None
    if revealed:
        if scale_round.anonymous:
            shown = [
                {"participant_id": None, "name": None, "value": r.value, "reason": r.reason}
                for r in sorted(ratings, key=lambda r: (r.value, r.reason))
            ]
        else:
            shown = [
                {
                    "participant_id": r.participant_id,
                    "name": r.participant.display_name,
                    **({"via": r.scribe.display_name} if r.scribe else {}),
                    "value": r.value,
                    "reason": r.reason,
                }
                for r in ratings
            ]
    return {
        "id": scale_round.id,
        "danger_item_id": scale_round.danger_item_id,
        "status": scale_round.status,
        "anonymous": scale_round.anonymous,
        "reveal_threshold": scale_round.reveal_threshold,
        "opened_at": iso(scale_round.opened_at),
        "revealed_at": iso(scale_round.revealed_at),
        "rated": sorted(r.participant_id for r in ratings),
        "ratings": shown,
        "spread": spread([r.value for r in ratings]) if revealed else None,
    }
