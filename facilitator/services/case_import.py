"""Rebuild an exported case in this instance: a new case in one of the importer's teams,
its meetings closed (read-only), with their people, items, scales and next steps, and the
case's list of people around the child (items keep whom they name)."""

from __future__ import annotations

from typing import Any

from facilitator.domain.actor import Actor
from facilitator.domain.privacy import check_case_label
from facilitator.extensions import db
from facilitator.models import (
    Case,
    InvolvedPerson,
    Item,
    Meeting,
    Participant,
    Rating,
    ScaleRound,
    Team,
)
from facilitator.models.types import utcnow
from facilitator.services import audit


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


def _involved(case: Case, people: list[dict[str, Any]]) -> dict[int, int]:
    """The case's list of people around the child: the file's id -> the new row's id."""
    rows = {}
    for person in people:
        fields = {key: value for key, value in person.items() if key != "id"}
        rows[person["id"]] = InvolvedPerson(case_id=case.id, version=1, **fields)
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
) -> None:
    for data in raw["scale_rounds"]:
        scale_round = ScaleRound(
            meeting_id=meeting.id, danger_item_id=items.get(data["danger_item_id"]),
            status="revealed", anonymous=data["anonymous"], revealed_at=utcnow(),
        )  # fmt: skip
        db.session.add(scale_round)
        db.session.flush()
        for rating in data["ratings"]:
            rater = people.get(rating["participant_id"]) or _anonymous(meeting)
            db.session.add(Rating(round_id=scale_round.id, participant_id=rater,
                                  value=rating["value"], reason=rating["reason"]))  # fmt: skip


def import_case(actor: Actor, team: Team, parsed: dict[str, Any]) -> Case:
    """Create the case and its closed meetings in one transaction; audit it; commit."""
    label, _warnings = check_case_label(parsed["label"])
    case = Case(team_id=team.id, label=label, created_by_id=actor.user_id)
    db.session.add(case)
    db.session.flush()
    listed = _involved(case, parsed.get("people", []))
    for raw in parsed["meetings"]:
        meeting = Meeting(
            case_id=case.id, kind=raw["kind"], framework_key=raw["framework"],
            framework_version=raw["framework_version"], status="closed",
            closed_at=utcnow(), created_by_id=actor.user_id, agenda=raw["agenda"],
            question=raw["question"],
        )  # fmt: skip
        db.session.add(meeting)
        db.session.flush()
        people, stand_in = _people(meeting, raw)
        items = _items(meeting, raw, people, stand_in.id, listed)
        _rounds(meeting, raw, people, items)
    counts = {"meetings": len(parsed["meetings"]), "people": len(listed),
              "items": sum(len(m["items"]) for m in parsed["meetings"])}  # fmt: skip
    audit.record(actor, "import.json", case_id=case.id, detail=counts)
    db.session.commit()
    return case
