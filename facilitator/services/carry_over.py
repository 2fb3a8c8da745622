"""Carrying a case forward: the next meeting starts from the last one's map and from the
case's open next steps, whatever kind of meeting or map each was written on."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select

from facilitator.domain.agenda import FAMILY_REVIEW_STEP, REVIEW_STEP
from facilitator.domain.framework_shape import Framework
from facilitator.domain.section_kinds import matching_section, next_step_section
from facilitator.domain.statements import NEXT_STEP_SECTIONS
from facilitator.extensions import db
from facilitator.models import Case, Item, Meeting, Participant
from facilitator.models.types import utcnow
from facilitator.presenters import item_json
from facilitator.services import frameworks, next_steps
from facilitator.services.chains import roots
from facilitator.services.ops import record


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
    """Start a meeting from the case: the previous meeting's map (whole_map), and every open
    next step of every earlier meeting of the case, each once (review: with a first step to
    review them). Items go to the section of the same meaning on this map; links follow
    their chains. Recorded as revision 1. No commit."""
    meeting.previous_meeting_id = previous.id
    framework = frameworks.of_meeting(meeting)
    target = next_step_section(framework)
    if review and target is not None:
        meeting.agenda = [_review_step(framework, target.key, translate), *meeting.agenda]
    steps = next_steps.case_steps(meeting.case, before=meeting)
    chosen: list[tuple[Item, str, str | None]] = []  # (item, where it goes, status)
    if whole_map:
        for item in shown_items(previous.id):
            section = _home_section(framework, item)
            if section is not None and item.section not in NEXT_STEP_SECTIONS:
                chosen.append((item, section, item.status))
    if target is not None:  # finished steps stay where they were finished
        chosen += [(step.item, target.key, step.status) for step in steps if step.is_open]
    return _copy_all(meeting, author, chosen)


def _copy_all(
    meeting: Meeting, author: Participant, chosen: list[tuple[Item, str, str | None]]
) -> list[Item]:
    """Copy the chosen items, then point each copy's link at the copy of its chain."""
    copies = {item.id: _copy(item, meeting, author, section, status)
              for item, section, status in chosen}  # fmt: skip
    db.session.add_all(copies.values())
    db.session.flush()
    root = roots(meeting.case)
    by_root = {root.get(old_id, old_id): copy for old_id, copy in copies.items()}
    for item, _section, _status in chosen:
        if item.link_id is not None:
            linked = by_root.get(root.get(item.link_id, item.link_id))
            copies[item.id].link_id = linked.id if linked is not None else None
    if copies:
        _record_carried(meeting, author, list(copies.values()))
    return list(copies.values())


def _home_section(framework: Framework, item: Item) -> str | None:
    """Where an item goes on this map: the section an earlier copy of it had here (a danger
    statement carried through a family meeting's worries comes back a danger statement),
    else the section of the same meaning."""
    current: Item | None = item
    while current is not None:
        if framework.section(current.section) is not None:
            return current.section
        current = db.session.get(Item, current.carried_from_id) if current.carried_from_id else None
    section = matching_section(framework, item.section)
    return section.key if section is not None else None


def left_behind(meeting: Meeting) -> int:
    """How many items of the meeting it was carried from have no section of the same
    meaning on this meeting's framework (or version of it): they were not brought forward
    and stay, unchanged, on that earlier meeting."""
    if meeting.previous_meeting_id is None:
        return 0
    framework = frameworks.of_meeting(meeting)
    return sum(
        matching_section(framework, item.section) is None
        for item in shown_items(meeting.previous_meeting_id)
    )


def _review_step(framework: Framework, section: str, translate: Any) -> dict[str, Any]:
    """The first step, reviewing the open next steps: in family wording on a family map."""
    step = (FAMILY_REVIEW_STEP if framework.mode == "family" else REVIEW_STEP).as_json()
    step["title"], step["purpose"] = translate(step["title"]), translate(step["purpose"])
    step["sections"] = [section]
    return step


def _copy(
    item: Item, meeting: Meeting, author: Participant, section: str, status: str | None
) -> Item:
    now = utcnow()
    parts = item.parts if section == item.section else None  # a builder's parts fit its own
    return Item(
        meeting_id=meeting.id, section=section, position=item.position, text=item.text,
        view=item.view, author_id=author.id, anonymous=item.anonymous, parts=parts,
        family_view=item.family_view, owner=item.owner, due_on=item.due_on, status=status,
        carried_from_id=item.id, person_ids=item.person_ids, created_at=now, updated_at=now,
    )  # fmt: skip


def _record_carried(meeting: Meeting, author: Participant, copies: list[Item]) -> None:
    db.session.flush()
    meeting.rev = 1
    record.record_event(
        meeting.id, 1, record.server_op_id(), (author.id, author.display_name),
        "items_carried", {"items": [item_json(copy) for copy in copies]},
    )  # fmt: skip


def carried_from(meeting: Meeting) -> dict[int, tuple[str, str]]:
    """For each item brought into this meeting: the kind and date of the meeting its chain
    started in (where a next step was first agreed, however many meetings carried it)."""
    root = roots(meeting.case)
    ids = db.session.scalars(
        select(Item.id).where(Item.meeting_id == meeting.id, Item.carried_from_id.is_not(None))
    )
    first = {item_id: root.get(item_id, item_id) for item_id in ids}
    origins = dict(
        db.session.execute(
            select(Item.id, Meeting.id)
            .join(Meeting, Meeting.id == Item.meeting_id)
            .where(Item.id.in_(set(first.values())))
        ).all()
    )
    found = {
        m.id: m
        for m in db.session.scalars(select(Meeting).where(Meeting.id.in_(set(origins.values()))))
    }
    return {
        item_id: (found[origins[origin]].kind, found[origins[origin]].created_at.date().isoformat())
        for item_id, origin in first.items()
        if origin in origins
    }
