"""The case page lists each open next step of the case once and marks one done or dropped
(a POST form with its CSRF token; audited)."""

from __future__ import annotations

from builders import events_named, make_meeting, op, staff_in
from sqlalchemy import select

from facilitator.extensions import db
from facilitator.models import AuditEntry, Case, Item, MeetingEvent, NextStepMark, User
from facilitator.services import board


def add_step(app, scene, text):
    with app.app_context():
        case = db.session.get(Case, scene.case_id)
        lead = db.session.get(User, scene.supervisor.id)
        meeting = make_meeting(case, lead, "family_team", "family")
        actor = staff_in(meeting, lead)
        item = board.apply_operation(
            actor, op(meeting.id, "add_item", section="next", text=text, view="parent")
        ).event["item"]
        board.apply_operation(
            actor, op(meeting.id, "set_next_step_status", item_id=item["id"], status="agreed")
        )
        return item["id"]


def test_a_worker_marks_a_step_done_from_the_case_page(app, scene, staff_client):
    step_id = add_step(app, scene, "Mum calls the nurse")
    worker = staff_client(scene.worker)
    page = worker.get(f"/cases/{scene.case_id}").get_data(as_text=True)
    assert "Mum calls the nurse" in page and f"/next-steps/{step_id}" in page
    assert "Family team meeting" in page  # where it came from
    done = worker.post(
        f"/cases/{scene.case_id}/next-steps/{step_id}", data={"status": "done"},
        follow_redirects=True,
    )  # fmt: skip
    body = done.get_data(as_text=True)
    assert "The next step is marked done." in body
    assert "Mum calls the nurse" not in body
    with app.app_context():
        mark = db.session.scalar(select(NextStepMark))
        assert (mark.item_id, mark.status, mark.marked_by_id) == (step_id, "done", scene.worker.id)
        entry = db.session.scalar(select(AuditEntry).filter_by(action="next_step.mark"))
        assert entry.user_id == scene.worker.id and entry.detail["status"] == "done"


def test_a_step_of_another_case_or_a_bad_status_is_refused(app, scene, staff_client):
    step_id = add_step(app, scene, "Book a visit")
    worker = staff_client(scene.worker)
    wrong = worker.post(
        f"/cases/{scene.case_id}/next-steps/{step_id}", data={"status": "agreed"},
        follow_redirects=True,
    )  # fmt: skip
    assert "Mark a next step done or dropped." in wrong.get_data(as_text=True)
    assert (
        staff_client(scene.outsider)
        .post(f"/cases/{scene.case_id}/next-steps/{step_id}", data={"status": "done"})
        .status_code
        == 404
    )
    with app.app_context():
        assert db.session.scalar(select(NextStepMark)) is None


def test_a_mark_on_a_step_of_a_meeting_under_way_changes_its_board(
    app, scene, staff_client, open_socket
):
    """The case page and the live board never disagree: the board hears the change as a
    revision of its meeting, and a reload shows it."""
    step_id = add_step(app, scene, "Mum calls the nurse")
    with app.app_context():
        item = db.session.get(Item, step_id)
        meeting_id, rev_before = item.meeting_id, item.meeting.rev
    lead = staff_client(scene.supervisor)
    watcher = open_socket(lead, meeting_id)
    watcher.get_received()
    staff_client(scene.worker).post(
        f"/cases/{scene.case_id}/next-steps/{step_id}", data={"status": "done"}
    )
    (event,) = events_named(watcher.get_received(), "event")
    assert (event["type"], event["rev"]) == ("next_step_status_set", rev_before + 1)
    assert (event["item"]["id"], event["item"]["status"]) == (step_id, "done")
    with app.app_context():
        item = db.session.get(Item, step_id)
        assert (item.status, item.meeting.rev) == ("done", rev_before + 1)
        stored = db.session.scalar(
            select(MeetingEvent).filter_by(meeting_id=meeting_id, rev=rev_before + 1)
        )
        assert stored.type == "next_step_status_set"
