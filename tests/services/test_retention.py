"""Retention: close, hold and purge a case (S14). A purged case leaves no trace in any
table nor in the database file; a legal hold blocks the purge; the purge is audited and
the audit chain still verifies."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest
from builders import add_op, make_guest, make_team, make_user, op, staff_in
from flask import current_app
from sqlalchemy import select, text

from facilitator.extensions import db
from facilitator.identity import guest_actor, staff_actor
from facilitator.models import AuditEntry, Case, Meeting
from facilitator.models.types import utcnow
from facilitator.services import audit, board, cases, exports, meetings, retention

CANARY = "CANARY-7f3a91"


def tables_reaching_cases() -> set[str]:
    """Every table with a foreign-key path to a case: each holds case data."""
    reached = {"cases"}
    grew = True
    while grew:
        grew = False
        for table in db.metadata.sorted_tables:
            targets = {fk.column.table.name for fk in table.foreign_keys}
            if table.name not in reached and targets & reached:
                reached.add(table.name)
                grew = True
    return reached


def test_the_purge_covers_every_table_that_holds_case_data(ctx):
    assert tables_reaching_cases() <= {table.name for table in retention.CASE_TABLES}


def canary_case():
    """A closed case with the canary in every kind of field a case has."""
    team = make_team()
    supervisor = make_user("supervisor", team)
    worker = make_user("worker", team)
    staff = staff_actor(supervisor)
    case = cases.create_case(staff, team, f"K. {CANARY}", confirmed=True)
    first = meetings.start_meeting(staff, case, "group_supervision", "cisf")
    facilitator = staff_in(first, supervisor)
    rater = staff_in(first, worker)
    guest = make_guest(first, supervisor, name=f"Mum {CANARY}")

    def apply(raw, actor=facilitator):
        return board.apply_operation(actor, raw).event

    def add(words, section, actor=facilitator, **extra):
        return apply(add_op(first.id, words, section, **extra), actor)["item"]["id"]

    danger = add(f"Danger {CANARY}", "danger")
    add(f"Guest says {CANARY}", "strengths", guest_actor(guest))
    harm = add("", "harm", parts={"caregiver": f"Father {CANARY}", "act": "hit"})
    apply(op(first.id, "set_family_view", item_id=harm, text=f"The family {CANARY}"))
    step = add(f"Step {CANARY}", "next_steps")
    apply(op(first.id, "set_next_step", item_id=step, owner=f"M.{CANARY}", due_on="2026-12-03"))
    apply(op(first.id, "set_question", text=f"Question {CANARY}"))
    overall = apply(op(first.id, "open_scale_round"))["scale_round"]["id"]
    apply(op(first.id, "rate", round_id=overall, value=4, reason=f"Reason {CANARY}"))
    apply(op(first.id, "rate", round_id=overall, value=6, reason=f"Mine {CANARY}"), rater)
    apply(op(first.id, "reveal_scale_round", round_id=overall))
    apply(op(first.id, "open_scale_round", danger_item_id=danger))
    source = exports.meeting_source(db.session.get(Meeting, first.id), lambda words: words)
    exports.record_export(facilitator, db.session.get(Meeting, first.id), "pdf", source)
    apply(op(first.id, "close_meeting"))  # the snapshot
    second = meetings.start_meeting(staff, case, "consultation", "cisf", bring_forward=True)
    audit.log(staff, "case.view", case_id=case.id)
    retention.close_case(staff, case)
    return case.id, [first.id, second.id], staff


def rows_with(needle: str) -> list[str]:
    found = []
    for table in db.metadata.sorted_tables:
        for row in db.session.execute(select(table)):
            if needle in repr(tuple(row)):
                found.append(table.name)
    return found


def age(case_id: int, years: int) -> None:
    case = db.session.get(Case, case_id)
    case.closed_at = utcnow() - timedelta(days=365 * years + 1)
    db.session.commit()


def test_a_purged_case_leaves_no_trace(ctx):
    case_id, _meetings, staff = canary_case()
    assert {"items", "ratings", "meeting_snapshots", "participants", "meetings"} <= set(
        rows_with(CANARY)
    )
    age(case_id, 4)
    before = db.session.scalar(select(AuditEntry.id).order_by(AuditEntry.id.desc()).limit(1))
    counts = retention.purge_case(staff, db.session.get(Case, case_id))
    assert counts["case"] == 1 and counts["meetings"] == 2 and counts["items"] >= 4

    assert rows_with(CANARY) == []
    assert db.session.get(Case, case_id) is None
    kept = list(db.session.scalars(select(AuditEntry).where(AuditEntry.case_id == case_id)))
    assert kept[-1].action == "case.purged" and kept[-1].id > before
    assert {"export.pdf", "case.view", "case.close", "board.add_item"} <= {e.action for e in kept}
    assert audit.check() == (None, len(list(db.session.scalars(select(AuditEntry)))))

    url = current_app.config["SQLALCHEMY_DATABASE_URI"]
    if url.startswith("sqlite"):
        path = Path(url.removeprefix("sqlite:///"))
        for file in (path, Path(f"{path}-wal")):
            if file.exists():
                assert CANARY.encode() not in file.read_bytes(), file.name
                assert CANARY.encode("utf-16-le") not in file.read_bytes(), file.name
        assert db.session.execute(text("PRAGMA secure_delete")).scalar() == 1


def test_a_legal_hold_blocks_the_purge(ctx):
    case_id, _meetings, staff = canary_case()
    age(case_id, 4)
    retention.set_hold(staff, db.session.get(Case, case_id), True, "Court order 12")
    with pytest.raises(retention.RetentionError, match="legal hold"):
        retention.purge_case(staff, db.session.get(Case, case_id))
    assert retention.purge_due(retention.SYSTEM) == []
    assert [c.id for c in retention.held_or_open()] == [case_id]
    assert rows_with(CANARY)  # still all there
    retention.set_hold(staff, db.session.get(Case, case_id), False)
    assert [case for case, _label in retention.purge_due(retention.SYSTEM)] == [case_id]
    assert rows_with(CANARY) == []
    actions = [e.action for e in db.session.scalars(select(AuditEntry).order_by(AuditEntry.id))]
    assert actions[-3:] == ["case.hold", "case.hold_lifted", "case.purged"]


def test_a_hold_needs_a_reason(ctx):
    case_id, _meetings, staff = canary_case()
    with pytest.raises(retention.RetentionError, match="reason"):
        retention.set_hold(staff, db.session.get(Case, case_id), True, "  ")


def test_an_open_or_recent_case_is_not_purged(ctx):
    case_id, _meetings, staff = canary_case()
    case = db.session.get(Case, case_id)
    with pytest.raises(retention.RetentionError, match="kept until"):
        retention.purge_case(staff, case)
    retention.reopen_case(staff, case)
    with pytest.raises(retention.RetentionError, match="closed"):
        retention.purge_case(staff, case)
    assert retention.due_for_purge() == []


def test_the_retention_is_per_deployment_and_per_case(ctx):
    case_id, _meetings, staff = canary_case()
    age(case_id, 2)
    assert retention.due_for_purge() == []
    current_app.config["RETENTION_YEARS"] = 1
    assert [d.case.id for d in retention.due_for_purge()] == [case_id]
    retention.set_retention(staff, db.session.get(Case, case_id), 5)
    assert retention.due_for_purge() == []
    with pytest.raises(retention.RetentionError):
        retention.set_retention(staff, db.session.get(Case, case_id), 0)
