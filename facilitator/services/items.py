"""The item op types' handlers (add_item, edit_item, move_item, delete_item): plain rows
and prebuilt statements, no ORM objects (they are most of a board's operations)."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from sqlalchemy import bindparam, insert, select, update

from facilitator import access
from facilitator.domain import statements
from facilitator.domain.actor import Actor
from facilitator.domain.consent import CHILD_VIEW
from facilitator.domain.errors import OperationError, forbidden
from facilitator.domain.operations import AddItem, DeleteItem, EditItem, MoveItem
from facilitator.domain.ordering import key_between
from facilitator.domain.text import N_
from facilitator.models import Item, Participant
from facilitator.models.types import code_point, utcnow
from facilitator.presenters import ITEM_EXTRAS
from facilitator.services import board_state, family_time, in_room
from facilitator.services.ops.rows import ItemRow, MeetingRef, execute

Result = tuple[str, dict[str, Any]]  # the event's type and data


def _not_found(gone: str = N_("That item is no longer on the board.")) -> OperationError:
    return OperationError("not_found", gone)


# Statements built once: on SQLite, building one costs more than running it.
_items = Item.__table__
_scribes = Participant.__table__.alias("scribes")
_LIVE_ITEM = (
    select(
        _items.c.id,
        _items.c.section,
        _items.c.position,
        _items.c.text,
        _items.c.view,
        _items.c.version,
        _items.c.author_id,
        Participant.__table__.c.display_name,
        _items.c.updated_at,
        *(_items.c[key] for key in ITEM_EXTRAS),
        _scribes.c.display_name,
    )
    .join(Participant.__table__, Participant.__table__.c.id == _items.c.author_id)
    .outerjoin(_scribes, _scribes.c.id == _items.c.scribe_id)
    .where(
        _items.c.id == bindparam("item_id"),
        _items.c.meeting_id == bindparam("meeting_id"),
        _items.c.deleted.is_(False),
    )
)
# the section's last place, and the first place after a given one (by code point: order
# keys are not words); each reads one row, however full the section
_in_section = (
    _items.c.meeting_id == bindparam("meeting_id"),
    _items.c.section == bindparam("section"),
    _items.c.deleted.is_(False),
)
_LAST_POSITION = (
    select(_items.c.position)
    .where(*_in_section)
    .order_by(code_point(_items.c.position).desc())
    .limit(1)
)
_NEXT_POSITION = (
    select(_items.c.position)
    .where(
        *_in_section,
        _items.c.id != bindparam("exclude"),
        code_point(_items.c.position) > bindparam("low"),
    )
    .order_by(code_point(_items.c.position))
    .limit(1)
)
_INSERT = insert(_items).returning(_items.c.id)
_BY_ID = _items.c.id == bindparam("item_id")
_SAVE_TEXT = update(_items).where(_BY_ID).values(
    text=bindparam("text"), view=bindparam("view"), version=bindparam("version"),
    parts=bindparam("parts", type_=_items.c.parts.type), updated_at=bindparam("updated_at"),
)  # fmt: skip
_SAVE_PLACE = update(_items).where(_BY_ID).values(
    section=bindparam("section"), position=bindparam("position"),
    updated_at=bindparam("updated_at"),
)  # fmt: skip
_DELETE = (
    update(_items)
    .where(_BY_ID)
    .values(
        deleted=True, deleted_by_id=bindparam("deleted_by_id"), updated_at=bindparam("updated_at")
    )
)


def _live_item(
    meeting: MeetingRef, item_id: int, gone: str = N_("That item is no longer on the board.")
) -> ItemRow:
    row = execute(_LIVE_ITEM, {"item_id": item_id, "meeting_id": meeting.id}).first()
    if row is None:
        raise _not_found(gone)
    return ItemRow(meeting, *row)


def _last_position(meeting: MeetingRef, section: str) -> str | None:
    found: str | None = execute(
        _LAST_POSITION, {"meeting_id": meeting.id, "section": section}
    ).scalar()
    return found


def _next_position(meeting: MeetingRef, section: str, low: str | None, exclude: int) -> str | None:
    """The first place after low (None: the section's first place), other than exclude's."""
    params = {"meeting_id": meeting.id, "section": section, "low": low or "", "exclude": exclude}
    found: str | None = execute(_NEXT_POSITION, params).scalar()
    return found


def _save(statement: Any, item: ItemRow, **changes: Any) -> ItemRow:
    changed = replace(item, **changes, updated_at=utcnow())
    params = {key: getattr(changed, key) for key in changes}
    execute(statement, {**params, "item_id": item.id, "updated_at": changed.updated_at})
    return changed


def add_item(actor: Actor, meeting: MeetingRef, command: AddItem) -> Result:
    if not access.can(actor, "item.add", access.InSection(meeting, command.section)):
        raise forbidden()
    speaker = in_room.speaker_for(actor, meeting, command.on_behalf_of)
    item = ItemRow(
        meeting,
        id=0,
        section=command.section,
        position=key_between(_last_position(meeting, command.section), None),
        text=command.text,
        view=command.view or speaker.view(),
        version=1,
        author_id=speaker.participant_id,
        author_name=speaker.name,
        updated_at=utcnow(),
        anonymous=command.anonymous,
        hidden=command.section in meeting.private_sections,  # collected privately
        parts=command.parts,
        status="proposed" if command.section in statements.NEXT_STEP_SECTIONS else None,
        scribe_id=speaker.scribe_id,
        scribe_name=speaker.scribe_name,
        # added by one of the family on their own device in private family time
        family_private=meeting.family_time
        and command.on_behalf_of is None
        and family_time.is_family_member(actor),
    )
    params = {
        "meeting_id": meeting.id,
        "section": item.section,
        "position": item.position,
        "text": item.text,
        "view": item.view,
        "version": item.version,
        "author_id": item.author_id,
        "deleted": False,
        "anonymous": item.anonymous,
        "hidden": item.hidden,
        "parts": item.parts,
        "status": item.status,
        "scribe_id": item.scribe_id,
        "family_private": item.family_private,
        "created_at": item.updated_at,
        "updated_at": item.updated_at,
    }
    item = replace(item, id=execute(_INSERT, params).scalar_one())
    return "item_added", {"item": item.as_json(), **speaker.on_behalf_of()}


def edit_item(actor: Actor, meeting: MeetingRef, command: EditItem) -> Result:
    item = _live_item(meeting, command.item_id)
    if not access.can(actor, "item.edit", item):
        raise forbidden()
    _refuse_if_withheld(actor, item)
    if command.base_version != item.version:
        raise _conflict(actor, item)
    view = command.view or item.view
    parts = (
        statements.parse_parts(command.parts, item.section) if command.sets_parts else item.parts
    )
    item = _save(
        _SAVE_TEXT, item, text=command.text, view=view, version=item.version + 1, parts=parts
    )
    return "item_edited", {"item": item.as_json()}


def _conflict(actor: Actor, item: ItemRow) -> OperationError:
    return OperationError(
        "conflict",
        N_("Someone changed this item while you were editing it."),
        item=board_state.item_seen_by(item.as_json(), item.meeting.id, actor.participant_id),
    )


def _refuse_if_withheld(actor: Actor, item: ItemRow) -> None:
    """A child's words waiting for consent are not changed by who may not read them."""
    if item.view != CHILD_VIEW:
        return
    seen = board_state.item_seen_by(item.as_json(), item.meeting.id, actor.participant_id)
    if seen.get("awaiting_consent") and not seen["text"]:
        raise forbidden()


def move_item(actor: Actor, meeting: MeetingRef, command: MoveItem) -> Result:
    item = _live_item(meeting, command.item_id)
    if not access.can(actor, "item.move", item) or not access.can(
        actor, "item.add", access.InSection(meeting, command.section)
    ):
        raise forbidden()
    low = None
    if command.after_id is not None:
        after = _live_item(
            meeting, command.after_id, N_("The item to place it after is no longer on the board.")
        )
        if after.section != command.section or after.id == item.id:
            raise OperationError("invalid", N_("'after_id' must be another item in that section."))
        low = after.position
    high = _next_position(meeting, command.section, low, item.id)
    item = _save(_SAVE_PLACE, item, section=command.section, position=key_between(low, high))
    return "item_moved", {"item": item.as_json()}


def delete_item(
    actor: Actor, meeting: MeetingRef, command: DeleteItem
) -> tuple[str, dict[str, Any]]:
    item = _live_item(meeting, command.item_id)
    if not access.can(actor, "item.delete", item):
        raise forbidden()
    _refuse_if_withheld(actor, item)
    if command.base_version is not None and command.base_version != item.version:
        raise _conflict(actor, item)
    params = {"item_id": item.id, "deleted_by_id": actor.participant_id, "updated_at": utcnow()}
    execute(_DELETE, params)
    # the family's own item: only the family may learn it went (domain/visibility.py)
    private = {"family_private": True} if item.family_private else {}
    return "item_deleted", {"item_id": item.id, "section": item.section, **private}
