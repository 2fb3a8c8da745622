"""The action plan, reopening a closed meeting, and the display's join QR code."""

from builders import add_op, op, staff_in
from sqlalchemy import select

from facilitator.extensions import db
from facilitator.models import AuditEntry, Meeting, MeetingEvent, User
from facilitator.services import board


def _apply(app, scene, *raws):
    with app.app_context():
        meeting = db.session.get(Meeting, scene.meeting_id)
        facilitator = staff_in(meeting, db.session.get(User, scene.supervisor.id))
        return [board.apply_operation(facilitator, raw).event for raw in raws]


def test_the_action_plan_lists_next_steps_by_person_for_a_guest(app, scene, guest_client):
    first, _second, dropped = _apply(
        app,
        scene,
        add_op(scene.meeting_id, "Call the school nurse", "next_steps"),
        add_op(scene.meeting_id, "Visit grandmother", "next_steps"),
        add_op(scene.meeting_id, "An idea we let go", "next_steps"),
    )
    _apply(
        app,
        scene,
        op(
            scene.meeting_id,
            "set_next_step",
            item_id=first["item"]["id"],
            owner="Mum",
            due_on="2026-12-01",
        ),
        op(
            scene.meeting_id,
            "set_next_step_status",
            item_id=dropped["item"]["id"],
            status="dropped",
        ),
    )
    page = guest_client(scene.code).get(f"/meetings/{scene.meeting_id}/plan")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert html.index("Mum") < html.index("Call the school nurse") < html.index("Not decided yet")
    assert "Visit grandmother" in html and "An idea we let go" not in html
    assert "J.M. (6)" not in html  # guests never see the case label (make_case default)


def test_a_supervisor_reopens_a_closed_meeting_and_it_is_recorded(app, scene, staff_client):
    _apply(app, scene, op(scene.meeting_id, "close_meeting"))
    worker = staff_client(scene.worker)
    assert worker.post(f"/meetings/{scene.meeting_id}/reopen").status_code == 404
    response = staff_client(scene.supervisor).post(f"/meetings/{scene.meeting_id}/reopen")
    assert response.status_code == 302
    with app.app_context():
        assert db.session.get(Meeting, scene.meeting_id).status == "live"
        types = db.session.scalars(
            select(MeetingEvent.type)
            .where(MeetingEvent.meeting_id == scene.meeting_id)
            .order_by(MeetingEvent.rev)
        ).all()
        actions = db.session.scalars(select(AuditEntry.action).order_by(AuditEntry.id)).all()
    assert types[-2:] == ["meeting_closed", "meeting_reopened"]
    assert actions[-1] == "meeting.reopen" and "board.close_meeting" in actions


def test_the_join_qr_code_is_an_svg_for_staff_only(app, scene, staff_client, guest_client):
    svg = staff_client(scene.worker).get(f"/meetings/{scene.meeting_id}/join-qr.svg")
    assert svg.status_code == 200 and svg.mimetype == "image/svg+xml"
    assert svg.get_data(as_text=True).lstrip().startswith("<?xml")
    assert (
        guest_client(scene.code).get(f"/meetings/{scene.meeting_id}/join-qr.svg").status_code == 404
    )


def test_the_join_page_fills_in_a_code_from_the_link(client):
    html = client.get("/join?code=ABCD2345").get_data(as_text=True)
    assert 'value="ABCD2345"' in html
