"""A meeting as JSON, in full: for another Facilitator instance (json_import.py).

Items keep every field (as anyone in the room sees them: anonymous authors hidden,
unrevealed private items, the family's unshared items and a child's words waiting for
consent out); only revealed scale rounds travel, with their ratings. The
case's people around the child travel with the case (named as the exported meeting shows
them: initials in supervision), the removed too, since items may still name them.

Version 2 added the people (`case.people`, items' `person_ids`); version 3 the meeting's
revision and event log (`rev`, `events`: the history, replayable after an import). Version 1
and 2 files still import.
"""

from __future__ import annotations

import json
from typing import Any

FORMAT = "facilitator.case"
VERSION = 3
ITEM_FIELDS = (
    "id", "section", "position", "text", "view", "version", "author", "anonymous",
    "merged_into_id", "link_id", "parts", "family_view", "owner", "due_on", "status",
    "carried_from_id", "updated_at", "person_ids",
)  # fmt: skip
PERSON_FIELDS = ("id", "name", "relationship", "age", "household", "role", "removed")


def _meeting(source: dict[str, Any]) -> dict[str, Any]:
    meeting = source["meeting"]
    return {
        "id": meeting["id"],
        "kind": meeting["kind"],
        "framework": meeting["framework"],
        "framework_version": meeting.get("framework_version"),  # None: built in
        "status": meeting["status"],
        "created_at": meeting["created_at"],
        "closed_at": meeting["closed_at"],
        "rev": meeting.get("rev", 0),
        "events": source.get("events", []),
        "agenda": meeting["agenda"],
        "question": meeting["question"],
        "participants": [
            {"id": p["id"], "name": p["name"], "role": p["role"]} for p in source["participants"]
        ],
        "items": [
            {key: item.get(key) for key in ITEM_FIELDS}
            for item in source["items"]
            if not item.get("hidden") and not item.get("awaiting_consent")
        ],
        "scale_rounds": [
            {
                key: r[key]
                for key in ("id", "danger_item_id", "anonymous", "opened_at", "revealed_at")
            }
            | {"ratings": r["ratings"]}
            for r in source["scale_rounds"]
            if r["status"] == "revealed"
        ],
    }


def document(sources: list[dict[str, Any]]) -> dict[str, Any]:
    """The export document of one case's meetings (all of the same case)."""
    return {
        "format": FORMAT,
        "version": VERSION,
        "case": {
            "label": sources[0]["case"]["label"],
            "people": [
                {key: person[key] for key in PERSON_FIELDS}
                for person in sources[0].get("involved", [])
            ],
        },
        "meetings": [_meeting(source) for source in sources],
    }


def render(sources: list[dict[str, Any]]) -> str:
    return json.dumps(document(sources), ensure_ascii=False, indent=2, sort_keys=True) + "\n"
