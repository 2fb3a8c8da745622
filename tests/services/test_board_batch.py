"""Several operations in one transaction: each succeeds or fails alone, one commit for all."""

from __future__ import annotations

from builders import add_op, count, op, rev_of, texts_in
from sqlalchemy import event, select

from facilitator.domain.errors import OperationError
from facilitator.extensions import db
from facilitator.models import Item, MeetingEvent
from facilitator.services import board as board_service


def test_a_refused_operation_in_a_batch_changes_nothing_and_the_others_apply(board):
    item_id = board.add("first")
    stale_edit = op(board.id, "edit_item", item_id=item_id, text="stale", base_version=7)
    outcomes = board_service.apply_operations(
        [
            (board.actor, add_op(board.id, "second")),
            (board.actor, stale_edit),  # refused after it claimed a revision
            (board.actor, add_op(board.id, "third")),
        ]
    )
    assert isinstance(outcomes[1], OperationError) and outcomes[1].code == "conflict"
    assert [outcomes[0].rev, outcomes[2].rev] == [2, 3]  # the refusal gave its revision back
    db.session.expire_all()
    assert rev_of(board.id) == 3
    assert texts_in(board.id, "harm") == ["first", "second", "third"]
    logged = db.session.scalars(select(MeetingEvent.rev).where(MeetingEvent.meeting_id == board.id))
    assert sorted(logged) == [1, 2, 3]


def test_the_same_op_twice_in_one_batch_is_applied_once(board):
    raw = add_op(board.id, "sent twice")
    first, second = board_service.apply_operations([(board.actor, raw), (board.actor, raw)])
    assert (first.rev, first.duplicate) == (1, False)
    assert (second.rev, second.duplicate, second.event) == (1, True, first.event)
    assert count(Item, meeting_id=board.id) == 1


def test_a_malformed_operation_in_a_batch_is_reported_in_its_slot(board):
    outcomes = board_service.apply_operations(
        [(board.actor, {"nonsense": True}), (board.actor, add_op(board.id, "fine"))]
    )
    assert isinstance(outcomes[0], OperationError) and outcomes[0].code == "invalid"
    assert outcomes[1].rev == 1


def test_the_same_edit_twice_in_one_batch_is_answered_with_the_committed_event(board):
    """The repeat is refused by the board (its base version is stale by then) and answered
    from the event log once the batch has committed."""
    item_id = board.add("first")
    edit = op(board.id, "edit_item", item_id=item_id, text="second words", base_version=1)
    first, second = board_service.apply_operations([(board.actor, edit), (board.actor, edit)])
    assert (first.rev, first.duplicate) == (2, False)
    assert (second.rev, second.duplicate, second.event) == (2, True, first.event)
    db.session.expire_all()
    assert rev_of(board.id) == 2
    assert texts_in(board.id, "harm") == ["second words"]


def test_a_batch_takes_no_savepoint_and_a_refusal_runs_it_again_without_that_operation(board):
    """Savepoints only where needed: none when every operation is accepted; a refusal rolls
    the transaction back and the batch runs once more without it."""
    statements: list[str] = []

    def seen(_conn, _cursor, statement, *_args):
        statements.append(statement.split()[0].upper())

    event.listen(db.engine, "before_cursor_execute", seen)
    try:
        board_service.apply_operations([(board.actor, add_op(board.id, f"w{n}")) for n in range(3)])
        assert "SAVEPOINT" not in statements and "RELEASE" not in statements
        inserts_when_accepted = statements.count("INSERT")
        statements.clear()
        stale = op(board.id, "edit_item", item_id=1, text="stale", base_version=9)
        outcomes = board_service.apply_operations(
            [(board.actor, add_op(board.id, "w3")), (board.actor, stale)]
        )
    finally:
        event.remove(db.engine, "before_cursor_execute", seen)
    assert "SAVEPOINT" not in statements
    assert outcomes[0].rev == 4 and outcomes[1].code == "conflict"
    assert inserts_when_accepted > 0
    db.session.expire_all()
    assert texts_in(board.id, "harm") == ["w0", "w1", "w2", "w3"]
