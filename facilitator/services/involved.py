"""Who is involved: the case's list of people around the child, changed from a meeting.

The list belongs to the case, so the next meeting starts with it. Each change is a board
operation of the meeting it was made in (revisioned, idempotent, audited, published);
names leave the server as that meeting's privacy rule allows (initials in supervision).
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import func, select

from facilitator import access
from facilitator.domain import involved as rules
from facilitator.domain.actor import Actor
from facilitator.domain.errors import OperationError, forbidden
from facilitator.domain.limits import PEOPLE_PER_CASE_MAX
from facilitator.domain.privacy import person_name_for
from facilitator.extensions import db
from facilitator.models import InvolvedPerson, Item, Meeting
from facilitator.models.types import utcnow
from facilitator.presenters import involved_person_json, item_json
from facilitator.services import frameworks
from facilitator.services.ops.rows import MeetingRef

Result = tuple[str, dict[str, Any]]


def initials_only(meeting: Meeting | MeetingRef) -> bool:
    """Whether this meeting shows and takes initials only: its framework at the version it
    is held on decides (an agency's as much as a built-in one); one not found, initials."""
    framework = frameworks.resolve(meeting.framework_key, meeting.framework_version)
    return framework is None or rules.initials_only(framework)


def person_json(person: InvolvedPerson, initials_only_rule: bool) -> dict[str, Any]:
    """A person as a meeting with this privacy rule may see them."""
    return involved_person_json(person, person_name_for(person.name, initials_only_rule))


def _people(case_id: int) -> list[InvolvedPerson]:
    return list(
        db.session.scalars(
            select(InvolvedPerson)
            .where(InvolvedPerson.case_id == case_id)
            .order_by(InvolvedPerson.id)
        )
    )


def people_for(meeting: Meeting) -> list[dict[str, Any]]:
    """The case's list (the removed too: items may still name them), as a meeting shows it."""
    rule = initials_only(meeting)
    return [person_json(person, rule) for person in _people(meeting.case_id)]


def listed_on_case(case_id: int) -> list[dict[str, Any]]:
    """The people still on the case's list, for the case page: a professional page, so full
    names show as initials."""
    return [
        involved_person_json(person, person_name_for(person.name, initials_only=True))
        for person in _people(case_id)
        if not person.removed
    ]


def _listed(ref: MeetingRef, person_id: int) -> InvolvedPerson:
    person = db.session.get(InvolvedPerson, person_id)
    if person is None or person.case_id != ref.case_id or person.removed:
        raise OperationError("not_found", "That person is no longer on the list.")
    return person


def _changed(person: InvolvedPerson, ref: MeetingRef) -> dict[str, Any]:
    person.version += 1
    person.updated_at = utcnow()
    db.session.flush()
    return {"person": person_json(person, initials_only(ref))}


def add_person(actor: Actor, ref: MeetingRef, command: rules.AddPerson) -> Result:
    if not access.can(actor, "person.add", ref):
        raise forbidden()
    listed = db.session.scalar(
        select(func.count())
        .select_from(InvolvedPerson)
        .where(InvolvedPerson.case_id == ref.case_id, InvolvedPerson.removed.is_(False))
    )
    if (listed or 0) >= PEOPLE_PER_CASE_MAX:
        raise OperationError(
            "too_many", f"The list holds at most {PEOPLE_PER_CASE_MAX} people.",
            limit=PEOPLE_PER_CASE_MAX,
        )  # fmt: skip
    now, rule = utcnow(), initials_only(ref)
    person = InvolvedPerson(
        case_id=ref.case_id, name=rules.person_name(command.name, rule),
        relationship=command.relationship, age=command.age, household=command.household,
        role=command.role, version=1, added_by_id=actor.participant_id, created_at=now,
        updated_at=now,
    )  # fmt: skip
    db.session.add(person)
    db.session.flush()
    return "person_added", {"person": person_json(person, rule)}


def edit_person(actor: Actor, ref: MeetingRef, command: rules.EditPerson) -> Result:
    person = _listed(ref, command.person_id)
    if not access.can(actor, "person.change", access.ListedPerson(ref, person.added_by_id)):
        raise forbidden()
    if command.base_version != person.version:
        raise OperationError(
            "conflict",
            "Someone changed this person while you were editing.",
            person=person_json(person, initials_only(ref)),
        )
    changes = dict(command.changes)
    if "name" in changes:
        changes["name"] = rules.person_name(changes["name"], initials_only(ref))
    for key, value in changes.items():
        setattr(person, key, value)
    return "person_edited", _changed(person, ref)


def remove_person(actor: Actor, ref: MeetingRef, command: rules.RemovePerson) -> Result:
    """Take someone off the list; items naming them keep them, shown as removed."""
    person = _listed(ref, command.person_id)
    if not access.can(actor, "person.change", access.ListedPerson(ref, person.added_by_id)):
        raise forbidden()
    person.removed = True
    return "person_removed", _changed(person, ref)


def set_item_people(actor: Actor, ref: MeetingRef, command: rules.SetItemPeople) -> Result:
    """Name people from the list on an item (who keeps a rule, who is worried)."""
    item = db.session.get(Item, command.item_id)
    if item is None or item.meeting_id != ref.id or item.deleted or item.merged_into_id:
        raise OperationError("not_found", "That item is no longer on the board.")
    if not access.can(actor, "item.edit", item):
        raise forbidden()
    already = set(item.person_ids or ())  # may name someone removed since: kept as it was
    for person_id in command.person_ids:
        if person_id not in already:
            _listed(ref, person_id)
    item.person_ids = list(command.person_ids) or None
    item.version += 1
    item.updated_at = utcnow()
    db.session.flush()
    return "item_people_set", {"item": item_json(item)}
