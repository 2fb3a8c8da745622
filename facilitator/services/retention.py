"""Retention (WIC 10851): close a case, keep it for a period, hold it, purge it.

A closed case is kept RETENTION_YEARS (the deployment's setting, default three) after it
closed, or its own retention_years when set. A legal hold blocks any purge. A purge
removes the case's rows from every table that holds case data, keeps the audit trail
(its entries hold ids only) with one "case.purged" entry, then compacts the database so
the text is gone from the file too (SQLite: checkpoint and VACUUM with secure_delete on;
PostgreSQL: VACUUM of the touched tables).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from flask import current_app
from sqlalchemy import Table, delete, or_, select, update

from facilitator.domain.actor import Actor
from facilitator.domain.text import N_
from facilitator.extensions import db
from facilitator.models import (
    Case,
    DisplayLink,
    GuestInvite,
    InvolvedPerson,
    Item,
    Meeting,
    MeetingEvent,
    MeetingSnapshot,
    NextStepMark,
    Participant,
    PreMeetingInput,
    PreMeetingInvite,
    Presence,
    Rating,
    ScaleRound,
)
from facilitator.models.types import utcnow
from facilitator.services import audit

HOLD_REASON_MAX = 200
SYSTEM = Actor("system", role="system")  # the purge command run from the shell

# Every table holding a case's data, children first (the order deletes respect foreign
# keys). tests/services/test_retention.py checks that each model of facilitator/models is
# here, or is not case data (accounts, settings, the audit trail).
CASE_TABLES: list[Table] = [
    t.__table__
    for t in (
        Presence, Rating, ScaleRound, PreMeetingInput, PreMeetingInvite, MeetingEvent,
        MeetingSnapshot, NextStepMark, Item, InvolvedPerson, Participant, DisplayLink,
        GuestInvite, Meeting, Case,
    )
]  # fmt: skip


class RetentionError(Exception):
    def __init__(self, message: str, **params: Any) -> None:
        super().__init__(message % params if params else message)
        self.message, self.params = message, params


def default_years() -> int:
    """The deployment's retention after a case closes (setting RETENTION_YEARS)."""
    return int(current_app.config["RETENTION_YEARS"])


def years_for(case: Case) -> int:
    return case.retention_years if case.retention_years is not None else default_years()


def _add_years(moment: datetime, years: int) -> datetime:
    try:
        return moment.replace(year=moment.year + years)
    except ValueError:  # 29 February
        return moment.replace(year=moment.year + years, day=28)


def purge_after(case: Case) -> datetime | None:
    """When the case may be purged: its retention after closing (None while open)."""
    if case.closed_at is None:
        return None
    return _add_years(case.closed_at, years_for(case))


def close_case(actor: Actor, case: Case) -> None:
    if case.closed_at is not None:
        raise RetentionError(N_("This case is already closed."))
    case.closed_at, case.closed_by_id = utcnow(), actor.user_id
    audit.record(actor, "case.close", case_id=case.id)
    db.session.commit()


def reopen_case(actor: Actor, case: Case) -> None:
    if case.closed_at is None:
        raise RetentionError(N_("This case is open."))
    case.closed_at, case.closed_by_id = None, None
    audit.record(actor, "case.reopen", case_id=case.id)
    db.session.commit()


def set_hold(actor: Actor, case: Case, on: bool, reason: str = "") -> None:
    """Place or lift a legal hold; placing one needs a reason (kept on the case, not in
    the audit trail, which holds no case text)."""
    reason = " ".join(reason.split())
    if on and not reason:
        raise RetentionError(N_("Give the reason for the legal hold."))
    if len(reason) > HOLD_REASON_MAX:
        raise RetentionError(N_("Keep the reason under %(max)d characters."), max=HOLD_REASON_MAX)
    case.legal_hold, case.legal_hold_reason = on, reason if on else ""
    audit.record(actor, "case.hold" if on else "case.hold_lifted", case_id=case.id)
    db.session.commit()


def set_retention(actor: Actor, case: Case, years: int | None) -> None:
    """The case's own retention in years (None: the deployment's)."""
    if years is not None and not 1 <= years <= 99:
        raise RetentionError(N_("Retention is between 1 and 99 years."))
    case.retention_years = years
    audit.record(actor, "case.retention", case_id=case.id, detail={"years": years})
    db.session.commit()


@dataclass(frozen=True)
class Due:
    case: Case
    purge_after: datetime


def due_for_purge(now: datetime | None = None) -> list[Due]:
    """Closed cases past their retention, not on hold, oldest first."""
    now = now or utcnow()
    closed = select(Case).where(Case.closed_at.is_not(None), Case.legal_hold.is_(False))
    found = []
    for case in db.session.scalars(closed.order_by(Case.closed_at, Case.id)):
        after = purge_after(case)
        if after is not None and after <= now:
            found.append(Due(case, after))
    return found


def held_or_open(now: datetime | None = None) -> list[Case]:
    """Closed cases past retention that a legal hold keeps."""
    now = now or utcnow()
    held = select(Case).where(Case.closed_at.is_not(None), Case.legal_hold.is_(True))
    return [
        case
        for case in db.session.scalars(held.order_by(Case.closed_at))
        if (after := purge_after(case)) is not None and after <= now
    ]


def purge_case(actor: Actor, case: Case, *, compact: bool = True) -> dict[str, int]:
    """Remove the case's rows from every table; audit it; compact the database.

    Refused while the case is open, on hold or within its retention (RetentionError)."""
    if case.legal_hold:
        raise RetentionError(N_("This case is on legal hold: lift the hold before purging it."))
    after = purge_after(case)
    if after is None:
        raise RetentionError(N_("Only a closed case can be purged."))
    if after > utcnow():
        raise RetentionError(N_("This case is kept until %(date)s."), date=after.date().isoformat())
    counts = _delete_rows(case.id)
    audit.record(actor, "case.purged", case_id=case.id, detail=counts)
    db.session.commit()
    if compact:
        compact_database()
    return counts


def _delete_rows(case_id: int) -> dict[str, int]:
    session = db.session
    meeting_ids = list(session.scalars(select(Meeting.id).where(Meeting.case_id == case_id)))
    item_ids = select(Item.id).where(Item.meeting_id.in_(meeting_ids))
    round_ids = select(ScaleRound.id).where(ScaleRound.meeting_id.in_(meeting_ids))
    counts: dict[str, int] = {"meetings": len(meeting_ids)}
    session.expunge_all()  # the rows go by SQL; nothing stale stays in the session
    # links that would block a delete: within the case, and from any other case's items
    session.execute(
        update(Item)
        .where(or_(Item.meeting_id.in_(meeting_ids), Item.carried_from_id.in_(item_ids)))
        .values(merged_into_id=None, link_id=None, carried_from_id=None)
    )
    session.execute(
        update(Meeting)
        .where(Meeting.previous_meeting_id.in_(meeting_ids))
        .values(previous_meeting_id=None)
    )
    steps: list[tuple[str, Any]] = [
        ("presence", delete(Presence).where(Presence.meeting_id.in_(meeting_ids))),
        ("ratings", delete(Rating).where(Rating.round_id.in_(round_ids))),
        ("scale_rounds", delete(ScaleRound).where(ScaleRound.meeting_id.in_(meeting_ids))),
        (
            "pre_meeting_inputs",
            delete(PreMeetingInput).where(PreMeetingInput.meeting_id.in_(meeting_ids)),
        ),
        (
            "pre_meeting_invites",
            delete(PreMeetingInvite).where(PreMeetingInvite.meeting_id.in_(meeting_ids)),
        ),
        ("events", delete(MeetingEvent).where(MeetingEvent.meeting_id.in_(meeting_ids))),
        ("snapshots", delete(MeetingSnapshot).where(MeetingSnapshot.meeting_id.in_(meeting_ids))),
        ("step_marks", delete(NextStepMark).where(NextStepMark.case_id == case_id)),
        ("items", delete(Item).where(Item.meeting_id.in_(meeting_ids))),
        ("people", delete(InvolvedPerson).where(InvolvedPerson.case_id == case_id)),
        ("participants", delete(Participant).where(Participant.meeting_id.in_(meeting_ids))),
        ("display_links", delete(DisplayLink).where(DisplayLink.meeting_id.in_(meeting_ids))),
        ("invites", delete(GuestInvite).where(GuestInvite.meeting_id.in_(meeting_ids))),
        ("meeting_rows", delete(Meeting).where(Meeting.id.in_(meeting_ids))),
        ("case", delete(Case).where(Case.id == case_id)),
    ]
    for name, statement in steps:
        result: Any = session.execute(statement.execution_options(synchronize_session=False))
        counts[name] = result.rowcount
    counts.pop("meeting_rows")
    return counts


def compact_database() -> None:
    """Rewrite the database so freed pages (and the WAL) no longer hold purged text."""
    engine = db.engine
    with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
        if engine.dialect.name == "sqlite":
            connection.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
            connection.exec_driver_sql("VACUUM")
            connection.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
        elif engine.dialect.name == "postgresql":
            # every table of the database: no statement is built from names (S9)
            connection.exec_driver_sql("VACUUM")


def purge_due(actor: Actor, *, dry_run: bool = False) -> list[tuple[int, str]]:
    """Purge every case past its retention and not on hold; return (id, label) of each."""
    due = [(d.case.id, d.case.label) for d in due_for_purge()]
    if dry_run:
        return due
    for case_id, _label in due:
        case = db.session.get(Case, case_id)
        if case is not None:
            purge_case(actor, case, compact=False)
    if due:
        compact_database()
    return due
