"""Bring back a deleted item: the undo of one's own delete, through the same pipeline."""

from __future__ import annotations

from typing import Any

from facilitator import access
from facilitator.domain.actor import Actor
from facilitator.domain.errors import OperationError
from facilitator.domain.operations import RestoreItem
from facilitator.domain.text import N_
from facilitator.extensions import db
from facilitator.models import Item
from facilitator.models.types import utcnow
from facilitator.presenters import item_json


def restore_item(actor: Actor, meeting: Any, command: RestoreItem) -> tuple[str, dict[str, Any]]:
    """Put an item one deleted oneself back where it was, as it was."""
    item = db.session.get(Item, command.item_id)
    if item is None or item.meeting_id != meeting.id:
        raise OperationError("not_found", N_("That item is no longer on the board."))
    if not item.deleted:
        raise OperationError("invalid", N_("That item is already on the board."))
    if not access.can(actor, "item.restore", item):
        raise OperationError("forbidden", N_("You can only bring back what you deleted yourself."))
    item.deleted, item.deleted_by_id, item.updated_at = False, None, utcnow()
    db.session.flush()
    return "item_restored", {"item": item_json(item)}
