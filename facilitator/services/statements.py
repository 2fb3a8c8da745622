"""Next steps (who, by when, status), links between statements, and the family's view."""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlalchemy import select

from facilitator import access
from facilitator.domain import statements as rules
from facilitator.domain.actor import Actor
from facilitator.domain.errors import OperationError, forbidden
from facilitator.domain.framework_shape import Framework, Section
from facilitator.domain.text import N_
from facilitator.extensions import db
from facilitator.models import Item, Meeting
from facilitator.models.types import utcnow
from facilitator.presenters import item_json
from facilitator.services import carry_over
from facilitator.services.ops.rows import MeetingRef

Result = tuple[str, dict[str, Any]]


def _item(
    ref: MeetingRef, item_id: int, gone: str = N_("That item is no longer on the board.")
) -> Item:
    item = db.session.get(Item, item_id)
    if item is None or item.meeting_id != ref.id or item.deleted or item.merged_into_id:
        raise OperationError("not_found", gone)
    return item


def _changed(item: Item) -> dict[str, Any]:
    item.version += 1
    item.updated_at = utcnow()
    db.session.flush()
    return {"item": item_json(item)}


def _may_agree(actor: Actor, meeting: Meeting) -> bool:
    """In supervision the accountable supervisor (or the facilitator) confirms decisions."""
    return access.can(actor, "meeting.lead", meeting) or access.can(
        actor, "meeting.take_over", meeting
    )


def _next_step(actor: Actor, ref: MeetingRef, item_id: int, what: str) -> Item:
    """A next step this actor may change; `what` says what only next steps have."""
    item = _item(ref, item_id)
    if item.section not in rules.NEXT_STEP_SECTIONS:
        raise OperationError("invalid", what)
    if not access.can(actor, "item.edit", item):
        raise forbidden()
    return item


def set_next_step(actor: Actor, ref: MeetingRef, command: rules.SetNextStep) -> Result:
    item = _next_step(actor, ref, command.item_id, N_("Only a next step has someone and a date."))
    item.owner, item.due_on = command.owner, command.due_on
    item.status = item.status or "proposed"
    return "next_step_set", _changed(item)


def set_next_step_status(actor: Actor, ref: MeetingRef, command: rules.SetNextStepStatus) -> Result:
    item = _next_step(actor, ref, command.item_id, N_("Only a next step has a status."))
    current = item.status or "proposed"
    if not rules.may_move_next_step(current, command.status, _may_agree(actor, item.meeting)):
        if command.status == "agreed" and "agreed" in rules.NEXT_STEP_MOVES.get(current, ()):
            raise OperationError(
                "forbidden", N_("Only the facilitator or a supervisor agrees a next step.")
            )
        raise OperationError(
            "invalid",
            N_("A next step can't go from %(current)s to %(status)s."),
            {"current": current, "status": command.status},
        )
    item.status = command.status
    return "next_step_status_set", _changed(item)


def link_items(actor: Actor, ref: MeetingRef, command: rules.LinkItems) -> Result:
    item = _item(ref, command.item_id)
    if not access.can(actor, "item.edit", item):
        raise forbidden()
    allowed = rules.LINKS.get(item.section, frozenset())
    if command.link_id is not None:
        target = _item(ref, command.link_id, N_("The item to link to is no longer on the board."))
        if target.section not in allowed:
            raise OperationError(
                "invalid",
                N_("A safety goal links to a danger statement; a next step to a goal or a danger."),
            )
        if item.section == "goals":
            paired = db.session.query(Item.id).filter(
                Item.meeting_id == ref.id, Item.link_id == target.id, Item.section == "goals",
                Item.deleted.is_(False), Item.id != item.id,
            ).first()  # fmt: skip
            if paired:
                raise OperationError(
                    "invalid", N_("That danger statement already has its safety goal.")
                )
    elif not allowed:
        raise OperationError("invalid", N_("Items in this section are not linked."))
    item.link_id = command.link_id
    return "items_linked", _changed(item)


def set_family_view(actor: Actor, ref: MeetingRef, command: rules.SetFamilyView) -> Result:
    item = _item(ref, command.item_id)
    if not access.can(actor, "item.add", access.InSection(item.meeting, item.section)):
        raise forbidden()
    item.family_view = command.text
    return "family_view_set", _changed(item)


def action_plan(meeting: Meeting) -> list[tuple[str | None, list[Item]]]:
    """The meeting's next steps by person (dropped and privately held ones left out), each
    person's by date; people in the order of their first step, the undecided last."""
    steps = db.session.scalars(
        select(Item).where(
            Item.meeting_id == meeting.id,
            Item.section.in_(rules.NEXT_STEP_SECTIONS),
            Item.deleted.is_(False),
            Item.hidden.is_(False),
            Item.family_private.is_(False),
            Item.merged_into_id.is_(None),
        )
    )
    kept = [step for step in steps if step.status != "dropped"]
    kept.sort(key=lambda step: (step.due_on is None, step.due_on or date.max, step.position))
    plan: dict[str | None, list[Item]] = {}
    for step in kept:
        plan.setdefault(step.owner, []).append(step)
    undecided = plan.pop(None, None)
    return [*plan.items(), *([(None, undecided)] if undecided else [])]


def plan_sections(meeting: Meeting, framework: Framework) -> list[tuple[Section, list[Item]]]:
    """A plan to take home (a framework drawn as a list, the safety plan): each section
    with its items in board order (privately held and merged ones left out)."""
    if framework.layout != "list":
        return []
    by_section: dict[str, list[Item]] = {}
    for item in carry_over.shown_items(meeting.id):  # in board order within each section
        by_section.setdefault(item.section, []).append(item)
    return [(section, by_section.get(section.key, [])) for section in framework.sections]
