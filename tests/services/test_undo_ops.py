"""Undo on the server: one's own changes undone by inverse operations through the same
pipeline. A delete is undone by restoring the item (only its deleter may); an inverse
edit or delete carries the version it undoes and conflicts if someone changed it since."""

from __future__ import annotations

from builders import make_user, op, staff_in
from sqlalchemy import select

from facilitator.extensions import db
from facilitator.models import AuditEntry, Item


def _item(item_id: int) -> Item:
    item = db.session.get(Item, item_id)
    db.session.refresh(item)
    return item


def test_restoring_ones_own_delete_brings_the_item_back_exactly(board):
    item_id = board.add("Bruise on the arm")
    board.add("Second")
    before = _item(item_id)
    kept = (before.section, before.position, before.text, before.view, before.version)
    board.apply(op(board.id, "delete_item", item_id=item_id))
    event = board.apply(op(board.id, "restore_item", item_id=item_id)).event
    after = _item(item_id)
    assert (after.section, after.position, after.text, after.view, after.version) == kept
    assert not after.deleted
    assert (event["type"], event["item"]["id"]) == ("item_restored", item_id)


def test_a_restore_is_audited(board):
    item_id = board.add()
    board.apply(op(board.id, "delete_item", item_id=item_id))
    board.apply(op(board.id, "restore_item", item_id=item_id))
    entry = db.session.scalars(select(AuditEntry).order_by(AuditEntry.id.desc())).first()
    assert (entry.action, entry.detail["item_id"]) == ("board.restore_item", item_id)


def test_no_one_restores_an_item_someone_else_deleted(board):
    other = staff_in(board.meeting, make_user("worker", board.team))
    item_id = board.add("Theirs", actor=other)
    board.apply(op(board.id, "delete_item", item_id=item_id), other)
    refused = board.refuse(op(board.id, "restore_item", item_id=item_id))
    assert refused.code == "forbidden"
    assert _item(item_id).deleted


def test_an_item_on_the_board_is_not_restored_again(board):
    item_id = board.add()
    assert board.refuse(op(board.id, "restore_item", item_id=item_id)).code == "invalid"


def test_an_undo_of_an_add_conflicts_when_someone_edited_the_item_since(board):
    item_id = board.add("Mine")
    other = staff_in(board.meeting, make_user("worker", board.team))
    edit = op(board.id, "edit_item", item_id=item_id, text="Theirs now", base_version=1)
    board.apply(edit, other)
    refused = board.refuse(op(board.id, "delete_item", item_id=item_id, base_version=1))
    assert refused.code == "conflict"
    assert not _item(item_id).deleted


def test_an_undo_of_an_edit_conflicts_when_someone_changed_it_since(board):
    item_id = board.add("First")
    board.apply(op(board.id, "edit_item", item_id=item_id, text="Second", base_version=1))
    other = staff_in(board.meeting, make_user("worker", board.team))
    board.apply(op(board.id, "edit_item", item_id=item_id, text="Third", base_version=2), other)
    undo = op(board.id, "edit_item", item_id=item_id, text="First", base_version=2)
    assert board.refuse(undo).code == "conflict"
    assert _item(item_id).text == "Third"


def test_restore_of_an_item_in_another_meeting_is_not_found(board):
    refused = board.refuse(op(board.id, "restore_item", item_id=99999))
    assert refused.code == "not_found"
