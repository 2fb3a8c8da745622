"""The audit trail is append-only in effect: any change to a past entry breaks the chain."""

from builders import staff_in

from facilitator.extensions import db
from facilitator.models import AuditEntry
from facilitator.services import audit


def test_entries_chain_and_verify(board):
    first = audit.record(board.actor, "export.pdf", case_id=board.case.id, meeting_id=board.id)
    second = audit.record(board.actor, "case.view", case_id=board.case.id)
    db.session.commit()
    assert second.prev_hash == first.entry_hash
    assert audit.verify() is None


def test_a_changed_entry_breaks_the_chain(board):
    audit.record(board.actor, "export.pdf", case_id=board.case.id)
    changed = audit.record(board.actor, "export.docx", case_id=board.case.id)
    db.session.commit()
    changed.action = "case.view"
    db.session.commit()
    assert audit.verify() == changed.id


def test_a_removed_entry_breaks_the_chain(board):
    gone = audit.record(board.actor, "export.pdf", case_id=board.case.id)
    after = audit.record(board.actor, "export.csv", case_id=board.case.id)
    db.session.commit()
    db.session.delete(db.session.get(AuditEntry, gone.id))
    db.session.commit()
    assert audit.verify() == after.id


def test_entries_hold_no_case_text(board):
    entry = audit.record(staff_in(board.meeting, board.user), "export.md", case_id=board.case.id)
    assert board.case.label not in str(entry.detail)
