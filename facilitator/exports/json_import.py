"""Read an export document (json_export.py) back into checked plain values.

Pure: nothing here touches the database; services/case_import.py writes the rows. Every
field is checked as if a stranger wrote the file: known kinds, frameworks, sections and
roles, text within the board's limits, ratings 0-10, references inside the file.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import UTC, date, datetime
from typing import Any

from facilitator.domain import involved
from facilitator.domain.errors import OperationError, UserError
from facilitator.domain.fields import without_unsafe
from facilitator.domain.frameworks import FRAMEWORKS, MEETING_KINDS, VIEWS, Framework
from facilitator.domain.limits import DISPLAY_NAME_MAX, ITEM_TEXT_MAX, PEOPLE_PER_CASE_MAX
from facilitator.domain.privacy import PersonNameError, check_person_name
from facilitator.domain.roles import ROLES
from facilitator.domain.statements import NEXT_STEP_STATUSES, OWNER_MAX
from facilitator.domain.text import N_
from facilitator.exports.json_export import FORMAT, VERSION

MAX_BYTES = 5 * 1024 * 1024
MAX_ITEMS = 5000
MAX_EVENTS = 50_000
READABLE_VERSIONS = (1, 2, VERSION)  # 1: before the people travelled; 2: before the events
EVENT_TYPE_MAX = 40

FrameworkLookup = Callable[[str, int | None], Framework | None]


class UnreadableExport(UserError):
    """The file is not a Facilitator export this version can read."""


def _fail(message: str = N_("This file is not a Facilitator export.")) -> UnreadableExport:
    return UnreadableExport(message)


def _text(value: Any, limit: int, optional: bool = False) -> Any:
    if value is None and optional:
        return None
    if not isinstance(value, str):
        raise _fail()
    cleaned = without_unsafe(value)  # the file is an edge like a form
    if len(cleaned) > limit:
        raise _fail()
    return cleaned


def _ref(value: Any, known: set[int]) -> int | None:
    """A reference to another row of the file; one outside it is dropped."""
    return value if isinstance(value, int) and value in known else None


def _person_ids(value: Any, listed: set[int]) -> list[int]:
    """An item's people: ids of the file's list (each once); one outside the list is dropped."""
    if value is None:
        return []
    if not isinstance(value, list) or len(value) > involved.PEOPLE_PER_ITEM_MAX:
        raise _fail()
    return [i for i in dict.fromkeys(value) if _ref(i, listed) is not None]


def _person(raw: Any) -> dict[str, Any]:
    """Someone around the child, checked as a meeting checks them (no dates or long numbers
    in names, known roles, ages 0-120); the file's privacy rule was applied when exported."""
    if not isinstance(raw, dict) or not isinstance(raw.get("id"), int):
        raise _fail()
    try:
        fields = involved.person_fields(raw)
        fields["name"] = check_person_name(fields["name"], initials_only=False)
    except (OperationError, PersonNameError):
        raise _fail() from None
    return {"id": raw["id"], **fields, "removed": raw.get("removed") is True}


def _people(raw: Any) -> list[dict[str, Any]]:
    if not isinstance(raw, list) or len(raw) > MAX_ITEMS:
        raise _fail()
    people = [_person(p) for p in raw]
    if len({p["id"] for p in people}) != len(people):
        raise _fail()
    if sum(not p["removed"] for p in people) > PEOPLE_PER_CASE_MAX:
        raise _fail(N_("This file lists more people than one case may."))
    return people


def _item(raw: Any, sections: tuple[str, ...], people: set[int]) -> dict[str, Any]:
    if not isinstance(raw, dict) or raw.get("section") not in sections:
        raise _fail()
    author = raw.get("author") or {}
    status = raw.get("status")
    if status is not None and status not in NEXT_STEP_STATUSES:
        raise _fail()
    due_on = raw.get("due_on")
    parts = raw.get("parts")
    if parts is not None and not (
        isinstance(parts, dict) and all(isinstance(v, str) for v in parts.values())
    ):
        raise _fail()
    return {
        "id": raw.get("id"),
        "section": raw["section"],
        "position": _text(raw.get("position"), 200),
        "text": _text(raw.get("text"), ITEM_TEXT_MAX),
        "view": raw.get("view") if raw.get("view") in VIEWS else "agency",
        "version": raw.get("version") if isinstance(raw.get("version"), int) else 1,
        "author_id": _ref(author.get("id"), people),
        "anonymous": bool(raw.get("anonymous")),
        "merged_into_id": raw.get("merged_into_id"),
        "link_id": raw.get("link_id"),
        "carried_from_id": raw.get("carried_from_id"),
        "parts": parts,
        "family_view": _text(raw.get("family_view"), ITEM_TEXT_MAX, optional=True),
        "owner": _text(raw.get("owner"), OWNER_MAX, optional=True),
        "due_on": date.fromisoformat(due_on) if isinstance(due_on, str) else None,
        "status": status,
        "updated_at": _time(raw.get("updated_at")),
    }


def _rating(raw: Any, people: set[int]) -> dict[str, Any]:
    value = raw.get("value") if isinstance(raw, dict) else None
    if not isinstance(value, int) or not 0 <= value <= 10:
        raise _fail()
    return {
        "participant_id": _ref(raw.get("participant_id"), people),
        "value": value,
        "reason": _text(raw.get("reason") or "", ITEM_TEXT_MAX),
    }


def _time(value: Any) -> datetime | None:
    """A time of the file ('2026-12-03T10:04:05Z') as a naive UTC datetime, as stored."""
    if value is None:
        return None
    if not isinstance(value, str) or len(value) > 40:
        raise _fail()
    try:
        found = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        raise _fail() from None
    return found.astimezone(UTC).replace(tzinfo=None) if found.tzinfo else found


def _event_item(raw: Any, sections: tuple[str, ...]) -> None:
    """An item inside an event: what replaying it needs (an id, a known section, a
    position, text within the limit)."""
    if not isinstance(raw, dict) or isinstance(raw.get("id"), bool):
        raise _fail()
    if not isinstance(raw.get("id"), int) or raw.get("section") not in sections:
        raise _fail()
    _text(raw.get("position"), 200)
    _text(raw.get("text"), ITEM_TEXT_MAX)


def _clean(value: Any) -> Any:
    """Every string of an event's data through the one cleaning of text at the edge."""
    if isinstance(value, str):
        return without_unsafe(value)
    if isinstance(value, list):
        return [_clean(v) for v in value]
    if isinstance(value, dict):
        return {without_unsafe(str(k)): _clean(v) for k, v in value.items()}
    return value


def _events(raw: Any, sections: tuple[str, ...]) -> list[dict[str, Any]]:
    """The meeting's event log: revisions 1, 2, 3 ... in order, each with its time and
    whatever replaying it reads checked (items whole, a deleted item's id, a person's id)."""
    if raw is None:
        return []
    if not isinstance(raw, list) or len(raw) > MAX_EVENTS:
        raise _fail()
    events = []
    for number, entry in enumerate(raw, start=1):
        data = entry.get("data") if isinstance(entry, dict) else None
        if not isinstance(data, dict) or data.get("rev") != number:
            raise _fail()
        if not isinstance(data.get("type"), str) or len(data["type"]) > EVENT_TYPE_MAX:
            raise _fail()
        if "item" in data:
            _event_item(data["item"], sections)
        if "items" in data:
            if not isinstance(data["items"], list):
                raise _fail()
            for item in data["items"]:
                _event_item(item, sections)
        if "item_id" in data and not isinstance(data["item_id"], int | None):
            raise _fail()
        if not isinstance(data.get("actor", {}), dict | None):
            raise _fail()
        person = data.get("person", {"id": 0, "name": ""})
        if not (
            isinstance(person, dict)
            and isinstance(person.get("id"), int)
            and isinstance(person.get("name"), str)
        ):
            raise _fail()
        at = _time(entry.get("at"))
        if at is None:
            raise _fail()
        events.append({"at": at, "data": _clean(data)})
    return events


def _built_in(key: str, version: int | None) -> Framework | None:
    return FRAMEWORKS.get(key) if not version else None


def _meeting(raw: Any, lookup: FrameworkLookup, listed: set[int]) -> dict[str, Any]:
    if not isinstance(raw, dict) or raw.get("kind") not in MEETING_KINDS:
        raise _fail()
    version = raw.get("framework_version")
    if version is not None and (isinstance(version, bool) or not isinstance(version, int)):
        raise _fail()
    key = raw.get("framework", "")
    framework = lookup(key, version) if isinstance(key, str) else None
    if framework is None:
        raise _fail(N_("This file uses a framework (or version of it) this agency does not have."))
    people = [
        {"id": p.get("id"), "name": _text(p.get("name"), DISPLAY_NAME_MAX * 2),
         "role": p.get("role") if p.get("role") in ROLES else "member"}
        for p in raw.get("participants") or []
    ]  # fmt: skip
    ids = {p["id"] for p in people if isinstance(p["id"], int)}
    items = [_item(i, framework.section_keys, ids) for i in raw.get("items") or []]
    if len(items) > MAX_ITEMS:
        raise _fail(N_("This file holds more items than one board may."))
    item_ids = {i["id"] for i in items if isinstance(i["id"], int)}
    for item, raw_item in zip(items, raw.get("items") or [], strict=True):
        for key in ("merged_into_id", "link_id", "carried_from_id"):
            item[key] = _ref(item[key], item_ids)
        item["person_ids"] = _person_ids(raw_item.get("person_ids"), listed)
    rounds = [
        {
            "id": r.get("id") if isinstance(r.get("id"), int) else None,
            "opened_at": _time(r.get("opened_at")),
            "revealed_at": _time(r.get("revealed_at")),
            "danger_item_id": _ref(r.get("danger_item_id"), item_ids),
            "anonymous": bool(r.get("anonymous")),
            "ratings": [_rating(x, ids) for x in r.get("ratings") or []],
        }
        for r in raw.get("scale_rounds") or []
    ]
    agenda = raw.get("agenda") if isinstance(raw.get("agenda"), list) else []
    events = _events(raw.get("events"), framework.section_keys)
    return {
        "id": raw.get("id") if isinstance(raw.get("id"), int) else None,
        "created_at": _time(raw.get("created_at")),
        "closed_at": _time(raw.get("closed_at")),
        "events": events,
        "kind": raw["kind"],
        "framework": framework.key,
        "framework_version": version or None,
        "agenda": agenda,
        "question": _text(raw.get("question") or "", ITEM_TEXT_MAX),
        "participants": people,
        "items": items,
        "scale_rounds": rounds,
    }


def parse(data: bytes, lookup: FrameworkLookup = _built_in) -> dict[str, Any]:
    """The checked contents of an export file; raise UnreadableExport for anything else.
    lookup finds a meeting's framework by key and version (built-in ones by default; the
    app passes the agency's too)."""
    if len(data) > MAX_BYTES:
        raise _fail(N_("This file is too large to import."))
    try:
        raw = json.loads(data)
    except (ValueError, UnicodeDecodeError, RecursionError):  # deep nesting: not our file
        raise _fail() from None
    if not isinstance(raw, dict) or raw.get("format") != FORMAT:
        raise _fail()
    if raw.get("version") not in READABLE_VERSIONS or isinstance(raw.get("version"), bool):
        raise _fail()
    try:
        case = raw.get("case") or {}
        people = _people(case.get("people") or [])
        listed = {p["id"] for p in people}
        meetings = [_meeting(m, lookup, listed) for m in raw.get("meetings") or []]
        label = _text(case.get("label"), 200)
    except (AttributeError, TypeError, ValueError) as error:
        if isinstance(error, UnreadableExport):
            raise
        raise _fail() from None
    return {"label": label, "people": people, "meetings": meetings}
