"""Rebuild an exported case in this instance: a new case in one of the importer's teams,
its meetings closed (read-only), with their people, items, scales and next steps, and the
case's list of people around the child (items keep whom they name). Each meeting keeps its
times, revisions and event log (renumbered to the new rows), so its history replays; a
file without events gets one event holding the board whole. A second case with a label
the team already has is created only when the importer confirms it."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import func, select

from facilitator.domain.actor import Actor
from facilitator.domain.errors import UserError
from facilitator.domain.privacy import check_case_label
from facilitator.domain.replay import BOARD_IMPORTED, renumbered
from facilitator.domain.text import N_
from facilitator.extensions import db
from facilitator.models import (
    Case,
    InvolvedPerson,
    Item,
    Meeting,
    MeetingEvent,
    Participant,
    Rating,
    ScaleRound,
    Team,
)
from facilitator.models.types import utcnow
from facilitator.presenters import item_json
from facilitator.services import audit


class SameLabel(UserError):
    """The team already has a case with this label: import a second one only when asked."""


def label_taken(team: Team, label: str) -> bool:
    """Whether a case of this team already has this label (case and spacing aside)."""
    cleaned, _warnings = check_case_label(label)
    found = db.session.scalar(
        select(func.count())
        .select_from(Case)
        .where(Case.team_id == team.id, func.lower(Case.label) == cleaned.lower())
    )
    return bool(found)


def _people(meeting: Meeting, raw: dict[str, Any]) -> tuple[dict[Any, int], Participant]:
    """The file's people as records (no accounts, no access), and a removed stand-in for
    anonymous authors and raters, so the file's anonymity survives the import."""
    ids: dict[Any, int] = {}
    for person in raw["participants"]:
        row = Participant(meeting_id=meeting.id, display_name=person["name"], role=person["role"])
        db.session.add(row)
        db.session.flush()
        ids[person["id"]] = row.id
    stand_in = Participant(
        meeting_id=meeting.id, display_name="", role="observer", removed_at=utcnow()
    )
    db.session.add(stand_in)
    db.session.flush()
    return ids, stand_in


def _involved(case: Case, people: list[dict[str, Any]], since: datetime) -> dict[int, int]:
    """The case's list of people around the child: the file's id -> the new row's id
    (listed since the first meeting, so that its history shows them)."""
    rows = {}
    for person in people:
        fields = {key: value for key, value in person.items() if key != "id"}
        rows[person["id"]] = InvolvedPerson(
            case_id=case.id, version=1, created_at=since, updated_at=since, **fields
        )
    db.session.add_all(rows.values())
    db.session.flush()
    return {old: row.id for old, row in rows.items()}


def _anonymous(meeting: Meeting) -> int:
    row = Participant(meeting_id=meeting.id, display_name="", role="observer", removed_at=utcnow())
    db.session.add(row)
    db.session.flush()
    return row.id


def _items(
    meeting: Meeting,
    raw: dict[str, Any],
    people: dict[Any, int],
    anon: int,
    listed: dict[int, int],
) -> dict[Any, int]:
    ids: dict[Any, Item] = {}
    for data in raw["items"]:
        fields = {k: v for k, v in data.items() if k not in ("id", "author_id")}
        fields.update(merged_into_id=None, link_id=None, carried_from_id=None)
        if fields.get("updated_at") is None:
            fields.pop("updated_at", None)
        else:
            fields["created_at"] = fields["updated_at"]
        fields["person_ids"] = [listed[i] for i in data["person_ids"]] or None
        item = Item(meeting_id=meeting.id, author_id=people.get(data["author_id"], anon), **fields)
        db.session.add(item)
        ids[data["id"]] = item
    db.session.flush()
    for data in raw["items"]:  # links point inside the file; carried_from stays behind
        for key in ("merged_into_id", "link_id"):
            if data[key] is not None:
                setattr(ids[data["id"]], key, ids[data[key]].id)
    return {old: item.id for old, item in ids.items()}


def _rounds(
    meeting: Meeting, raw: dict[str, Any], people: dict[Any, int], items: dict[Any, int]
) -> dict[int, int]:
    ids = {}
    for data in raw["scale_rounds"]:
        scale_round = ScaleRound(
            meeting_id=meeting.id, danger_item_id=items.get(data["danger_item_id"]),
            status="revealed", anonymous=data["anonymous"],
            revealed_at=data.get("revealed_at") or meeting.closed_at,
            opened_at=data.get("opened_at") or meeting.created_at,
        )  # fmt: skip
        db.session.add(scale_round)
        db.session.flush()
        if data.get("id") is not None:
            ids[data["id"]] = scale_round.id
        for rating in data["ratings"]:
            rater = people.get(rating["participant_id"]) or _anonymous(meeting)
            db.session.add(Rating(round_id=scale_round.id, participant_id=rater,
                                  value=rating["value"], reason=rating["reason"]))  # fmt: skip
    return ids


def _history(meeting: Meeting, raw: dict[str, Any], ids: dict[str, dict[int, int]]) -> None:
    """The meeting's event log with this instance's ids; without one, a single event that
    holds the board whole (at the meeting's close), so that replaying shows the board."""
    events = raw.get("events") or []
    if not events and raw["items"]:
        rows = db.session.scalars(select(Item).where(Item.meeting_id == meeting.id))
        data = {
            "rev": 1,
            "type": BOARD_IMPORTED,
            "actor": {"id": None, "name": ""},
            "items": [item_json(row) for row in sorted(rows, key=lambda i: i.id)],
        }
        events = [{"at": meeting.closed_at or meeting.created_at, "data": data}]
    for event in events:
        data = renumbered(event["data"], ids)
        actor = (data.get("actor") or {}).get("id") if isinstance(data.get("actor"), dict) else None
        db.session.add(MeetingEvent(
            meeting_id=meeting.id, rev=data["rev"], op_id=f"import-{data['rev']}",
            actor_id=actor if isinstance(actor, int) else None, type=data["type"], data=data,
            created_at=event["at"],
        ))  # fmt: skip
    meeting.rev = len(events)


SAME_LABEL = N_(
    "This team already has a case with this label. If this file is a different child or "
    "family, import it as a second case; if it is the same case, open the case instead."
)


def import_case(
    actor: Actor, team: Team, parsed: dict[str, Any], *, second_case: bool = False
) -> Case:
    """Create the case and its closed meetings in one transaction; audit it; commit.
    Raise SameLabel when the team has a case with the label and second_case is not set."""
    label, _warnings = check_case_label(parsed["label"])
    if not second_case and label_taken(team, label):
        raise SameLabel(SAME_LABEL)
    case = Case(team_id=team.id, label=label, created_by_id=actor.user_id)
    db.session.add(case)
    db.session.flush()
    now = utcnow()
    first = min([m["created_at"] for m in parsed["meetings"] if m.get("created_at")] or [now])
    listed = _involved(case, parsed.get("people", []), first)
    for raw in parsed["meetings"]:
        created = raw.get("created_at") or now
        meeting = Meeting(
            case_id=case.id, kind=raw["kind"], framework_key=raw["framework"],
            framework_version=raw["framework_version"], status="closed",
            created_at=created, closed_at=raw.get("closed_at") or max(created, now),
            created_by_id=actor.user_id, agenda=raw["agenda"], question=raw["question"],
        )  # fmt: skip
        db.session.add(meeting)
        db.session.flush()
        people, stand_in = _people(meeting, raw)
        items = _items(meeting, raw, people, stand_in.id, listed)
        rounds = _rounds(meeting, raw, people, items)
        ids = {
            "item": items,
            "participant": people,
            "person": listed,
            "round": rounds,
            "meeting": {raw["id"]: meeting.id} if isinstance(raw.get("id"), int) else {},
        }
        _history(meeting, raw, ids)
    counts = {"meetings": len(parsed["meetings"]), "people": len(listed),
              "items": sum(len(m["items"]) for m in parsed["meetings"])}  # fmt: skip
    audit.record(actor, "import.json", case_id=case.id, detail=counts)
    db.session.commit()
    return case
