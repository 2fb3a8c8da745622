"""Model -> JSON: the same shapes for page snapshots, socket events and exports."""

from __future__ import annotations

from typing import Any

from facilitator.domain.frameworks import Framework
from facilitator.models import Item, Meeting, Participant


def iso(value: Any) -> str | None:
    return value.isoformat(timespec="seconds") + "Z" if value else None


def item_json(item: Item) -> dict[str, Any]:
    return item_fields_json(
        item.id, item.section, item.position, item.text, item.view, item.version,
        item.author_id, item.author.display_name, item.updated_at,
    )  # fmt: skip


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
) -> dict[str, Any]:
    """The one JSON shape of an item, for snapshots, events and exports."""
    return {
        "id": item_id,
        "section": section,
        "position": position,
        "text": text,
        "view": view,
        "version": version,
        "author": {"id": author_id, "name": author_name},
        "updated_at": iso(updated_at),
    }


def participant_json(participant: Participant, online: bool = False) -> dict[str, Any]:
    return {
        "id": participant.id,
        "name": participant.display_name,
        "role": participant.role,
        "guest": participant.is_guest,
        "online": online,
    }


def framework_json(framework: Framework, translate: Any = str) -> dict[str, Any]:
    return {
        "key": framework.key,
        "name": translate(framework.name),
        "mode": framework.mode,
        "columns": [{"key": c.key, "question": translate(c.question)} for c in framework.columns],
        "sections": [
            {
                "key": s.key,
                "title": translate(s.title),
                "help": translate(s.help),
                "column": s.column,
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
        "items": [item_json(i) for i in items],
        "participants": people_json(participants, online_ids),
    }


def people_json(participants: list[Participant], online_ids: set[int]) -> list[dict[str, Any]]:
    """The people in a meeting: not removed ones, and not projectors."""
    return [
        participant_json(p, p.id in online_ids)
        for p in participants
        if p.removed_at is None and p.role != "display"
    ]
