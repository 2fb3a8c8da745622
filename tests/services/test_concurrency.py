"""Operations racing each other on real connections: one total order, nothing lost or doubled."""

from __future__ import annotations

import threading
from typing import Any

import pytest
from builders import add_op, count, make_meeting, op, rev_of, staff_in
from live_server import wait_until_blocked_by
from sqlalchemy import select, text
from sqlalchemy.exc import OperationalError

from facilitator.domain.errors import OperationError
from facilitator.extensions import db
from facilitator.models import AuditEntry, Item, Meeting, MeetingEvent, User
from facilitator.services import audit
from facilitator.services import board as board_service


def race(app, meeting_id: int, user_id: int, messages: list[dict[str, Any]]) -> list[Any]:
    """Apply each message from its own thread and connection, all released at once."""
    start = threading.Barrier(len(messages))
    results: list[Any] = [None] * len(messages)

    def worker(index: int) -> None:
        with app.app_context():
            actor = staff_in(db.session.get(Meeting, meeting_id), db.session.get(User, user_id))
            start.wait()
            try:
                results[index] = board_service.apply_operation(actor, messages[index])
            except OperationError as refused:
                results[index] = refused
            finally:
                db.session.remove()

    threads = [threading.Thread(target=worker, args=(i,)) for i in range(len(messages))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return results


def test_concurrent_adds_get_distinct_consecutive_revisions(app, board):
    results = race(app, board.id, board.user.id, [add_op(board.id, f"n{n}") for n in range(8)])
    assert sorted(result.rev for result in results) == list(range(1, 9))
    db.session.expire_all()
    assert rev_of(board.id) == 8
    logged = db.session.scalars(select(MeetingEvent.rev).where(MeetingEvent.meeting_id == board.id))
    assert sorted(logged) == list(range(1, 9))


def test_concurrent_adds_to_one_section_get_distinct_positions(app, board):
    race(app, board.id, board.user.id, [add_op(board.id, f"n{n}") for n in range(8)])
    positions = list(db.session.scalars(select(Item.position)))
    assert len(set(positions)) == 8


def test_concurrent_retries_of_one_op_create_exactly_one_item(app, board):
    raw = add_op(board.id, "sent four times at once")
    results = race(app, board.id, board.user.id, [raw] * 4)
    assert {result.rev for result in results} == {1}
    assert sorted(result.duplicate for result in results) == [False, True, True, True]
    db.session.expire_all()
    assert (count(Item), count(MeetingEvent), rev_of(board.id)) == (1, 1, 1)


def test_two_simultaneous_edits_of_one_item_one_wins_one_conflicts(app, board):
    item_id = board.add("original")
    edits = [
        op(board.id, "edit_item", item_id=item_id, text=text, base_version=1)
        for text in ("first writer", "second writer")
    ]
    results = race(app, board.id, board.user.id, edits)
    winners = [r for r in results if not isinstance(r, OperationError)]
    losers = [r for r in results if isinstance(r, OperationError)]
    assert (len(winners), len(losers)) == (1, 1)
    assert losers[0].code == "conflict"
    db.session.expire_all()
    item = db.session.get(Item, item_id)
    assert (item.text, item.version) == (winners[0].event["item"]["text"], 2)
    assert rev_of(board.id) == 2


@pytest.mark.postgres_only
def test_a_batch_locks_its_meetings_in_id_order(app, board, postgres):
    """Two workers whose batches name the same meetings in opposite orders would deadlock
    (PostgreSQL breaks it after a second, failing operations): every batch takes the
    meetings' row locks in id order, whatever order its operations came in."""
    if postgres is None:
        pytest.skip("row locks are PostgreSQL's; SQLite has one writer at a time")
    second = make_meeting(board.case, board.user, "consultation")
    first_id, second_id = board.id, second.id
    assert first_id < second_id
    batch = [
        (staff_in(second, board.user), add_op(second_id, "came first, for the later meeting")),
        (board.actor, add_op(first_id, "came second, for the earlier meeting")),
    ]
    outcomes: list[Any] = []

    def writer() -> None:
        with app.app_context():
            try:
                outcomes.extend(board_service.apply_operations(batch))
            finally:
                db.session.remove()

    lock = text("SELECT id FROM meetings WHERE id = :id FOR UPDATE")
    with postgres.engine.connect() as other_worker:
        holding = other_worker.begin()
        other_worker.execute(lock, {"id": second_id})
        thread = threading.Thread(target=writer)
        thread.start()
        wait_until_blocked_by(other_worker)
        # the batch waits for the later meeting: it must hold the earlier one's lock already
        with pytest.raises(OperationalError, match="could not obtain lock"):
            other_worker.execute(text(f"{lock.text} NOWAIT"), {"id": first_id})
        holding.rollback()
    thread.join(timeout=30)
    assert [outcome.rev for outcome in outcomes] == [1, 1]  # in the batch's order
    assert [outcome.event["meeting_id"] for outcome in outcomes] == [second_id, first_id]


@pytest.mark.postgres_only
def test_the_audit_chain_holds_with_writers_appending_at_once(app, board, postgres):
    """Each appender takes the chain's lock and reads the last hash in one round trip:
    the read must see every entry committed before the lock was its own, so 6 threads x
    10 appends still make one unbroken chain."""
    if postgres is None:
        pytest.skip("the advisory lock is PostgreSQL's; SQLite has one writer at a time")
    meeting_id, user_id = board.id, board.user.id
    start = threading.Barrier(6)
    failures: list[BaseException] = []

    def appender() -> None:
        with app.app_context():
            actor = staff_in(db.session.get(Meeting, meeting_id), db.session.get(User, user_id))
            db.session.commit()
            start.wait()
            try:
                for _ in range(10):
                    audit.record(actor, "case.view", meeting_id=meeting_id)
                    db.session.commit()
            except BaseException as failure:  # reported below, in the test's thread
                failures.append(failure)
            finally:
                db.session.remove()

    threads = [threading.Thread(target=appender) for _ in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert failures == []
    assert audit.check() == (None, count(AuditEntry))
    assert count(AuditEntry) >= 60
