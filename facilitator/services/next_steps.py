"""The case's next steps: each one once, however many meetings carried it, with its status
for the case; marking one done or dropped from the case page.

A next step is written in one meeting and copied into later ones (carried_from_id); its
copies form a chain, and the chain is the step. Its newest copy says what it is, who does
it and by when. Its status is the latest word on it: the last status change of any of its
copies in a meeting (the board's log), or a later mark from the case page.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy import select

from facilitator import access
from facilitator.domain.actor import Actor
from facilitator.domain.errors import UserError
from facilitator.domain.statements import (
    NEXT_STEP_SECTIONS,
    OPEN_STATUSES,
    is_overdue,
    may_move_next_step,
)
from facilitator.domain.text import N_
from facilitator.extensions import db
from facilitator.models import Case, Item, Meeting, MeetingEvent, NextStepMark
from facilitator.models.types import utcnow
from facilitator.presenters import item_json
from facilitator.services import audit
from facilitator.services.chains import roots
from facilitator.services.ops import record

# what the case page may mark an open step: done, or dropped (still open: leave it)
CASE_MARKS = ("done", "dropped")


class StepError(UserError):
    """A refused mark, with a message for the user."""


@dataclass(frozen=True)
class CaseStep:
    item: Item  # the newest copy: what, who, by when, and the meeting it is in now
    status: str
    origin: Meeting  # where it was first written
    mark: NextStepMark | None  # the case page's latest word on it, if it counts

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES


def case_steps(case: Case, before: Meeting | None = None) -> list[CaseStep]:
    """Every next step of the case once, as it stands (in meetings before `before`); a step
    whose newest copy was deleted or merged away is gone."""
    query = (
        select(Item)
        .join(Meeting, Meeting.id == Item.meeting_id)
        .where(Meeting.case_id == case.id, Item.section.in_(NEXT_STEP_SECTIONS))
        .where(Item.hidden.is_(False), Item.family_private.is_(False))  # the family's own
        .order_by(Item.meeting_id, Item.id)
    )
    if before is not None:
        query = query.where(Item.meeting_id < before.id)
    root = roots(case)
    chains: dict[int, list[Item]] = {}
    for item in db.session.scalars(query):
        chains.setdefault(root.get(item.id, item.id), []).append(item)
    marks = _latest_marks(case, root)
    changed = _status_changes(case, root)
    steps = []
    for key, copies in chains.items():
        newest = copies[-1]
        if newest.deleted or newest.merged_into_id:
            continue
        origin = db.session.get(Meeting, _origin_meeting(key, copies))
        assert origin is not None
        mark = marks.get(key)
        if mark is not None and key in changed and changed[key] > mark.marked_at:
            mark = None  # a meeting changed the step's status since
        status = mark.status if mark else (newest.status or "proposed")
        steps.append(CaseStep(newest, status, origin, mark))
    return steps


def open_next_steps(case: Case, today: date) -> list[tuple[CaseStep, bool]]:
    """The case's open next steps, each once, overdue first, then by date; with whether
    each is overdue."""
    shown = [
        (step, is_overdue(step.status, step.item.due_on, today))
        for step in case_steps(case)
        if step.is_open
    ]
    shown.sort(
        key=lambda p: (not p[1], p[0].item.due_on is None, p[0].item.due_on or date.max,
                       p[0].item.id)
    )  # fmt: skip
    return shown


@dataclass(frozen=True)
class Marked:
    step: CaseStep
    event: dict[str, Any] | None  # the live board's change to publish, if it was on one


def mark_step(actor: Actor, case: Case, item_id: int, status: str) -> Marked:
    """Mark an open next step of the case done or dropped from the case page (audited). A
    step on the board of a meeting still under way changes on that board too: the event to
    publish comes back."""
    if not access.can(actor, "case.next_step", case):
        raise StepError(N_("You can't change this case's next steps."))
    if status not in CASE_MARKS:
        raise StepError(N_("Mark a next step done or dropped."))
    step = next((s for s in case_steps(case) if s.item.id == item_id), None)
    if step is None:
        raise StepError(N_("That next step is no longer on the case."))
    if not step.is_open:
        raise StepError(N_("That next step is closed already."))
    if not may_move_next_step(step.status, status, may_agree=False):
        raise StepError(N_("A proposed next step is agreed in a meeting before it is done."))
    mark = NextStepMark(
        case_id=case.id, item_id=item_id, status=status,
        marked_by_id=actor.user_id, marked_at=utcnow(),
    )  # fmt: skip
    db.session.add(mark)
    event = None
    try:
        if step.item.meeting.status == "live":
            event = _on_the_board(actor, step.item, status)
        audit.record(
            actor, "next_step.mark", case_id=case.id, meeting_id=step.item.meeting_id,
            detail={"item_id": item_id, "status": status, "was": step.status},
        )  # fmt: skip
        db.session.commit()
    except BaseException:
        db.session.rollback()
        raise
    return Marked(CaseStep(step.item, status, step.origin, mark), event)


def _on_the_board(actor: Actor, item: Item, status: str) -> dict[str, Any]:
    """A step on the board of a meeting still under way changes there as if the room had
    changed it: a revision of that meeting; the event to publish. No commit."""
    record.begin_writing()
    rev = record.claim_rev(item.meeting_id)
    db.session.refresh(item)
    item.status, item.version, item.updated_at = status, item.version + 1, utcnow()
    db.session.flush()
    return record.record_event(
        item.meeting_id, rev, record.server_op_id(), (actor.participant_id, actor.name),
        "next_step_status_set", {"item": item_json(item)},
    )  # fmt: skip


def _latest_marks(case: Case, root: dict[int, int]) -> dict[int, NextStepMark]:
    """Each step's latest mark from the case page, by the root of its chain."""
    marks = db.session.scalars(
        select(NextStepMark).where(NextStepMark.case_id == case.id).order_by(NextStepMark.id)
    )
    return {root.get(mark.item_id, mark.item_id): mark for mark in marks}


def _status_changes(case: Case, root: dict[int, int]) -> dict[int, datetime]:
    """When each step's status last changed in a meeting, by the root of its chain."""
    rows = db.session.execute(
        select(MeetingEvent.data, MeetingEvent.created_at)
        .join(Meeting, Meeting.id == MeetingEvent.meeting_id)
        .where(Meeting.case_id == case.id, MeetingEvent.type == "next_step_status_set")
    )
    changed: dict[int, datetime] = {}
    for data, at in rows:
        key = root.get(data["item"]["id"], data["item"]["id"])
        changed[key] = max(at, changed.get(key, at))
    return changed


def _origin_meeting(root_id: int, copies: list[Item]) -> int:
    first = db.session.get(Item, root_id)
    return first.meeting_id if first is not None else copies[0].meeting_id
