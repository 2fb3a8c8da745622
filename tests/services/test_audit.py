"""The audit trail: append-only in the database, hash-chained, one entry per accepted change."""

from __future__ import annotations

import io
import logging

import pytest
from builders import add_op, op, staff_in, tamper_audit
from sqlalchemy import delete, select, update
from sqlalchemy.exc import DatabaseError

from facilitator.extensions import db
from facilitator.models import AuditEntry
from facilitator.services import audit
from facilitator.services import board as board_service
from facilitator.wiring import EscapingFormatter, configure_logging, escape_controls


def test_entries_chain_and_verify(board):
    first = audit.record(board.actor, "export.pdf", case_id=board.case.id, meeting_id=board.id)
    second = audit.record(board.actor, "case.view", case_id=board.case.id)
    db.session.commit()
    assert second.prev_hash == first.entry_hash
    assert audit.verify() is None
    assert audit.check() == (None, 2)


def test_entries_carry_role_request_id_and_time(board):
    entry = audit.record(board.actor, "case.view", case_id=board.case.id)
    db.session.commit()
    assert entry.actor_role == "supervisor"
    assert entry.request_id and len(entry.request_id) == 32
    assert entry.at is not None


def test_a_changed_entry_breaks_the_chain(board):
    audit.record(board.actor, "export.pdf", case_id=board.case.id)
    changed = audit.record(board.actor, "export.docx", case_id=board.case.id)
    db.session.commit()
    tamper_audit("UPDATE audit_entries SET detail = '{\"rows\": 1}' WHERE id = :id", id=changed.id)
    assert audit.verify() == changed.id


def test_a_removed_entry_breaks_the_chain(board):
    gone = audit.record(board.actor, "export.pdf", case_id=board.case.id)
    after = audit.record(board.actor, "export.csv", case_id=board.case.id)
    db.session.commit()
    tamper_audit("DELETE FROM audit_entries WHERE id = :id", id=gone.id)
    assert audit.verify() == after.id


def test_the_database_refuses_to_change_or_delete_an_entry(board):
    entry = audit.record(board.actor, "export.pdf", case_id=board.case.id)
    db.session.commit()
    for statement in (
        update(AuditEntry).where(AuditEntry.id == entry.id).values(action="case.view"),
        delete(AuditEntry).where(AuditEntry.id == entry.id),
    ):
        with pytest.raises(DatabaseError, match="append-only"):
            db.session.execute(statement)
        db.session.rollback()
    assert audit.check() == (None, 1)


def test_entries_hold_no_case_text(board):
    entry = audit.record(staff_in(board.meeting, board.user), "export.md", case_id=board.case.id)
    assert board.case.label not in str(entry.detail)


def test_one_entry_per_accepted_operation_in_the_batch(board):
    first = add_op(board.id, "SECRET-TEXT one")
    retried = dict(first)
    outcomes = board_service.apply_operations(
        [
            (board.actor, first),
            (board.actor, add_op(board.id, "SECRET-TEXT two", "strengths")),
            (board.actor, retried),  # a retry: no second entry
            (board.actor, op(board.id, "delete_item", item_id=999999)),  # refused: none
        ]
    )
    assert [type(o).__name__ for o in outcomes][:3] == ["OpResult"] * 3
    entries = list(db.session.scalars(select(AuditEntry).order_by(AuditEntry.id)))
    assert [e.action for e in entries] == ["board.add_item", "board.add_item"]
    assert [e.detail["rev"] for e in entries] == [1, 2]
    assert entries[0].detail["item_id"] == outcomes[0].event["item"]["id"]
    assert {(e.case_id, e.meeting_id, e.user_id) for e in entries} == {
        (board.case.id, board.id, board.user.id)
    }
    assert "SECRET-TEXT" not in str([(e.detail, e.action) for e in entries])
    assert audit.verify() is None


def test_batches_and_single_entries_chain_together(board):
    audit.record(board.actor, "case.view", case_id=board.case.id)
    db.session.commit()
    board.add("one")
    board.add("two")
    audit.log(board.actor, "meeting.view", case_id=board.case.id, meeting_id=board.id)
    assert audit.check() == (None, 4)


def test_the_log_formatter_escapes_control_characters():
    formatter = EscapingFormatter("%(levelname)s %(message)s")
    record = logging.LogRecord(
        "x", logging.WARNING, __file__, 1, "user %s said %r", ("ann\nFAKE LINE", "\x1b[2J"), None
    )
    line = formatter.format(record)
    assert "\n" not in line and "\x1b" not in line
    assert line == "WARNING user ann\\nFAKE LINE said '\\x1b[2J'"
    assert escape_controls("a\rb\tc\u2028d\x7f") == "a\\rb\\tc\\u2028d\\x7f"


def test_the_app_installs_the_escaping_formatter(app):
    root = logging.getLogger()
    console = logging.StreamHandler(io.StringIO())
    root.addHandler(console)
    try:
        configure_logging(app)
        assert isinstance(console.formatter, EscapingFormatter)
        logging.getLogger("facilitator.test").warning("name=%s", "x\n2026-01-01 ERROR forged")
        assert console.stream.getvalue().count("\n") == 1  # one line, the forged one escaped
    finally:
        root.removeHandler(console)
