"""Carrying a meeting's map forward: the next meeting of a case starts from the last one."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select

from facilitator.domain.agenda import REVIEW_STEP
from facilitator.domain.statements import NEXT_STEP_SECTIONS
from facilitator.extensions import db
from facilitator.models import Case, Item, Meeting, Participant
from facilitator.models.types import utcnow
from facilitator.presenters import item_json
from facilitator.services import frameworks
from facilitator.services.ops import record

OPEN_STATUSES = ("proposed", "agreed")


def shown_items(meeting_id: int) -> list[Item]:
    """A meeting's items everyone in it can see: not deleted, merged or held privately."""
    return list(
        db.session.scalars(
            select(Item)
            .where(
                Item.meeting_id == meeting_id,
                Item.deleted.is_(False),
                Item.hidden.is_(False),
                Item.family_private.is_(False),
                Item.merged_into_id.is_(None),
            )
            .order_by(Item.section, Item.position, Item.id)
        )
    )


def previous_meeting(case: Case, before: Meeting | None = None) -> Meeting | None:
    """The case's latest meeting (before a given one)."""
    query = select(Meeting).where(Meeting.case_id == case.id).order_by(Meeting.id.desc())
    if before is not None:
        query = query.where(Meeting.id < before.id)
    return db.session.scalars(query.limit(1)).first()


def carry_over(
    meeting: Meeting,
    previous: Meeting,
    author: Participant,
    *,
    review: bool,
    whole_map: bool,
    translate: Any = str,
) -> list[Item]:
    """Copy the previous meeting's items (all, or only open next steps when reviewing) into
    a new meeting, links remapped; add the review step; record it as revision 1. No commit."""
    meeting.previous_meeting_id = previous.id
    framework = frameworks.of_meeting(meeting)
    if review:
        meeting.agenda = [_review_step(framework.section_keys, translate), *meeting.agenda]
    chosen = [
        item
        for item in shown_items(previous.id)
        if framework.section(item.section) is not None
        and (whole_map or (item.section in NEXT_STEP_SECTIONS and item.status in OPEN_STATUSES))
    ]
    copies = {item.id: _copy(item, meeting, author) for item in chosen}
    db.session.add_all(copies.values())
    db.session.flush()
    for old_id, copy in copies.items():
        old_link = next(i.link_id for i in chosen if i.id == old_id)
        copy.link_id = copies[old_link].id if old_link in copies else None
    if copies:
        _record_carried(meeting, author, list(copies.values()))
    return list(copies.values())


def left_behind(meeting: Meeting) -> int:
    """How many items of the meeting it was carried from sit in sections this meeting's
    framework (or version of it) does not have: they were not brought forward and stay,
    unchanged, on that earlier meeting."""
    if meeting.previous_meeting_id is None:
        return 0
    framework = frameworks.of_meeting(meeting)
    return sum(
        framework.section(item.section) is None for item in shown_items(meeting.previous_meeting_id)
    )


def _review_step(sections: tuple[str, ...], translate: Any) -> dict[str, Any]:
    step = REVIEW_STEP.as_json()
    step["title"], step["purpose"] = translate(step["title"]), translate(step["purpose"])
    step["sections"] = [key for key in step["sections"] if key in sections]
    return step


def _copy(item: Item, meeting: Meeting, author: Participant) -> Item:
    now = utcnow()
    return Item(
        meeting_id=meeting.id, section=item.section, position=item.position, text=item.text,
        view=item.view, author_id=author.id, anonymous=item.anonymous, parts=item.parts,
        family_view=item.family_view, owner=item.owner, due_on=item.due_on, status=item.status,
        carried_from_id=item.id, person_ids=item.person_ids, created_at=now, updated_at=now,
    )  # fmt: skip


def _record_carried(meeting: Meeting, author: Participant, copies: list[Item]) -> None:
    db.session.flush()
    meeting.rev = 1
    record.record_event(
        meeting.id, 1, record.server_op_id(), (author.id, author.display_name),
        "items_carried", {"items": [item_json(copy) for copy in copies]},
    )  # fmt: skip


def carried_dates(meeting: Meeting) -> dict[int, str]:
    """For each item brought into this meeting, the date of the meeting it came from."""
    origin = Item.__table__.alias("origin")
    found = db.session.execute(
        select(Item.__table__.c.id, Meeting.__table__.c.created_at)
        .select_from(Item.__table__)
        .join(origin, origin.c.id == Item.__table__.c.carried_from_id)
        .join(Meeting.__table__, Meeting.__table__.c.id == origin.c.meeting_id)
        .where(Item.__table__.c.meeting_id == meeting.id)
    )
    return {item_id: created.date().isoformat() for item_id, created in found}
