"""The case remembers: its meetings in order, comparing two meetings and replaying a
board from its event log (its next steps: next_steps.py)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import select

from facilitator.domain import compare as comparing
from facilitator.domain.privacy import person_name_for
from facilitator.domain.replay import PERSON_EVENTS, replay, replay_people, revisions
from facilitator.domain.visibility import event_for, item_for, sees
from facilitator.extensions import db
from facilitator.models import Case, InvolvedPerson, Meeting, MeetingEvent, MeetingSnapshot
from facilitator.presenters import involved_person_json, item_json
from facilitator.services import board_state, involved
from facilitator.services.carry_over import shown_items
from facilitator.services.chains import roots
from facilitator.services.facilitation import content_hash

# --- the case page ---------------------------------------------------------------------


@dataclass(frozen=True)
class TimelineEntry:
    meeting: Meeting
    people: dict[str, list[str]]  # role -> names
    step: str | None  # the agenda step reached, None: not started


def timeline(case: Case) -> list[TimelineEntry]:
    """The case's meetings, oldest first, with who took part and how far each got."""
    meetings = sorted(case.meetings, key=lambda m: m.id)
    entries = []
    for meeting in meetings:
        people: dict[str, list[str]] = {}
        for person in meeting.participants:
            # a guest never let in out of the waiting room did not take part
            if person.role != "display" and person.removed_at is None and not person.is_waiting:
                people.setdefault(person.role, []).append(person.display_name)
        reached = meeting.step_index
        step = meeting.agenda[reached]["title"] if 0 <= reached < len(meeting.agenda) else None
        entries.append(TimelineEntry(meeting, people, step))
    return entries


# --- comparing two meetings -------------------------------------------------------------


@dataclass(frozen=True)
class Comparison:
    before: Meeting
    after: Meeting
    sections: dict[str, comparing.SectionDiff]
    completed: list[dict[str, Any]]
    by_meaning: bool  # on different maps: sections grouped by the question they answer


def compare(case: Case, before: Meeting, after: Meeting) -> Comparison:
    """What changed on the map from one meeting of the case to another; meetings on
    different maps are compared question by question."""
    if before.id > after.id:
        before, after = after, before
    old = [item_json(i) for i in shown_items(before.id)]
    new = [item_json(i) for i in shown_items(after.id)]
    root = roots(case)
    by_meaning = before.framework_key != after.framework_key
    return Comparison(
        before,
        after,
        comparing.diff(old, new, root, by_meaning),
        comparing.completed_steps(old, new, root),
        by_meaning,
    )


# --- a board's history ------------------------------------------------------------------


@dataclass(frozen=True)
class BoardAt:
    rev: int
    items: list[dict[str, Any]]
    log: list[dict[str, Any]]  # who did what when, every revision
    times: dict[int, str]
    people: list[dict[str, Any]]  # the case's list as of then, the removed marked


def board_at(meeting: Meeting, rev: int) -> BoardAt:
    """The board as everyone could see it at a revision, rebuilt from the event log."""
    rows = db.session.execute(
        select(MeetingEvent.data, MeetingEvent.created_at)
        .where(MeetingEvent.meeting_id == meeting.id)
        .order_by(MeetingEvent.rev)
    ).all()
    events = [data for data, _at in rows]
    rev = max(0, min(rev, meeting.rev))
    viewer = board_state.viewer_for(meeting, None)  # the family's own items stay theirs
    items = [item_for(item, viewer) for item in replay(events, rev) if sees(item, viewer)]
    times = {data["rev"]: at.strftime("%Y-%m-%d %H:%M:%S") for data, at in rows}
    people = people_at(meeting, [(data, at) for data, at in rows], rev)
    return BoardAt(rev, items, revisions(event_for(e, None) for e in events), times, people)


def people_at(meeting: Meeting, own: list[tuple[dict[str, Any], Any]], rev: int) -> list[Any]:
    """The case's list of people around the child as it stood at this meeting's revision
    (own: the meeting's events with their times): the list belongs to the case, so changes
    made in its other meetings by then count too. Names show as this meeting shows them."""
    until = next((at for data, at in own if data["rev"] == rev), meeting.created_at)
    others = db.session.execute(
        select(MeetingEvent.data, MeetingEvent.created_at, MeetingEvent.meeting_id)
        .join(Meeting, Meeting.id == MeetingEvent.meeting_id)
        .where(
            Meeting.case_id == meeting.case_id,
            Meeting.id != meeting.id,
            MeetingEvent.type.in_(PERSON_EVENTS),
        )
    ).all()
    ever_changed = {data["person"]["id"] for data, *_ in [*own, *others]
                    if data.get("type") in PERSON_EVENTS}  # fmt: skip
    changes = [(at, meeting.id, data["rev"], data) for data, at in own if data["rev"] <= rev]
    changes += [(at, meeting_id, data["rev"], data) for data, at, meeting_id in others
                if at <= until]  # fmt: skip
    changes.sort(key=lambda change: change[:3])
    people = replay_people((c[3] for c in changes), _never_changed(meeting, ever_changed, until))
    rule = involved.initials_only(meeting)
    return [{**person, "name": person_name_for(person["name"], rule)} for person in people]


def _never_changed(meeting: Meeting, changed: set[int], until: Any) -> list[dict[str, Any]]:
    """People listed without any board operation (an imported case's): as they are now."""
    rows = db.session.scalars(
        select(InvolvedPerson).where(
            InvolvedPerson.case_id == meeting.case_id, InvolvedPerson.created_at <= until
        )
    )
    return [involved_person_json(row, row.name) for row in rows if row.id not in changed]


def verify_snapshot(meeting: Meeting) -> tuple[MeetingSnapshot, bool] | None:
    """The frozen board of a closed meeting and whether its content still matches its hash."""
    snapshot = db.session.scalars(
        select(MeetingSnapshot)
        .where(MeetingSnapshot.meeting_id == meeting.id)
        .order_by(MeetingSnapshot.id.desc())
        .limit(1)
    ).first()
    if snapshot is None:
        return None
    return snapshot, content_hash(snapshot.content) == snapshot.content_hash
