"""Private family time and the child's consent through the services: what is stored, and
what staff views (history, search, exports, the next meeting) hold before and after."""

from __future__ import annotations

import pytest
from builders import add_op, make_invite, make_meeting, make_user, op, staff_in

from facilitator.exports import markdown, summary
from facilitator.extensions import db
from facilitator.identity import guest_actor
from facilitator.models import AuditEntry, Item
from facilitator.services import agency, history, meetings, search
from facilitator.services.agency import AgencyTextError
from facilitator.services.board_state import board_snapshot
from facilitator.services.exports import meeting_source

SECRET = "We would like the kids at Gran's on Sundays"


def _guest(meeting, creator, name: str, view: str | None):
    invite, _ = make_invite(meeting, creator)
    return guest_actor(meetings.join_as_guest(invite, name, view=view))


@pytest.fixture
def family(board):
    """The board's meeting with a parent and a professional guest; private family time on."""
    mum = _guest(board.meeting, board.user, "Mum", "parent")
    teacher = _guest(board.meeting, board.user, "Teacher", "agency")
    board.apply(op(board.id, "set_family_time", on=True))
    return board, mum, teacher


def test_only_the_familys_items_in_family_time_are_private(family):
    board, mum, teacher = family
    mine = board.apply(add_op(board.id, SECRET, "strengths"), mum).event["item"]["id"]
    theirs = board.apply(add_op(board.id, "Teacher's note", "strengths"), teacher).event
    staffs = board.add("Staff note", "strengths")
    private = {
        i: db.session.get(Item, i).family_private for i in (mine, theirs["item"]["id"], staffs)
    }
    assert private == {mine: True, theirs["item"]["id"]: False, staffs: False}
    board.apply(op(board.id, "set_family_time", on=False))
    after = board.apply(add_op(board.id, "After the time", "strengths"), mum).event["item"]["id"]
    assert db.session.get(Item, after).family_private is False


def test_the_familys_items_stay_out_of_every_staff_view_until_shared(family):
    board, mum, _ = family
    board.apply(add_op(board.id, SECRET, "strengths"), mum)
    board.apply(op(board.id, "set_family_time", on=False))  # ending shares nothing

    def staff_views() -> str:
        snapshot = board_snapshot(board.meeting, None)
        past = history.board_at(board.meeting, board.meeting.rev)
        found = search.search(board.actor, "Sundays")
        record = markdown.render(summary.build(meeting_source(board.meeting)))
        return repr([snapshot["items"], past.items, found, record])

    assert SECRET not in staff_views()
    board.apply(op(board.id, "share_family_items"), mum)
    assert SECRET in staff_views()


def test_sharing_with_nothing_private_is_refused(family):
    board, mum, _ = family
    assert board.refuse(op(board.id, "share_family_items"), mum).code == "invalid"


def test_a_consent_is_recorded_with_who_and_when_audited_and_said_in_the_record(board):
    meeting = make_meeting(board.case, board.user, "family_team", "three_houses")
    lead = staff_in(meeting, board.user)
    child = _guest(meeting, board.user, "Jo", "child")
    words = "I feel safe when Gran is there"
    board.apply(add_op(meeting.id, words, "house_good", view="child"), child)
    record = markdown.render(summary.build(meeting_source(meeting)))
    assert words not in record and "no consent was recorded" in record

    worker = staff_in(meeting, make_user("worker", board.team))
    done = board.apply(op(meeting.id, "record_consent", by="Maria, mother"), worker)
    consent = done.event["meeting"]["child_consent"]
    assert (
        consent["by"] == "Maria, mother" and consent["recorded_by"]["id"] == worker.participant_id
    )
    entry = db.session.scalars(
        db.select(AuditEntry)
        .where(AuditEntry.meeting_id == meeting.id)
        .order_by(AuditEntry.id.desc())
    ).first()
    assert entry.action == "board.record_consent" and "Maria" not in repr(entry.detail)
    record = markdown.render(summary.build(meeting_source(meeting)))
    assert words in record and "with the consent of Maria, mother" in record
    again = board.refuse(op(meeting.id, "record_consent", by="Maria"), lead)
    assert again.code == "invalid"


def test_the_agency_decides_whether_consent_is_required(board):
    assert agency.child_consent_rule() == "required"
    agency.save(board.actor, {"child_consent": "not_required"})
    assert agency.child_consent_rule() == "not_required"
    with pytest.raises(AgencyTextError):
        agency.save(board.actor, {"child_consent": "sometimes"})
    agency.save(board.actor, {"child_consent": "required"})
    assert agency.child_consent_rule() == "required"
