"""The family keeps its plan: after the meeting closes, its guests read its action plan
(page and one-page PDF, in their language) for the agency's days, until the facilitator
withdraws it; nothing else of the meeting or the case; every reading audited."""

from __future__ import annotations

import shutil
import subprocess
from datetime import timedelta

import pytest
from artifacts import ARTIFACTS
from builders import add_op, op, staff_in
from sqlalchemy import select, update

from facilitator.extensions import db
from facilitator.models import AuditEntry, Meeting, Participant, User
from facilitator.services import board

STEP = "Call the school nurse on Monday"


def _apply(app, scene, *raws) -> list[dict]:
    with app.app_context():
        meeting = db.session.get(Meeting, scene.meeting_id)
        facilitator = staff_in(meeting, db.session.get(User, scene.supervisor.id))
        return [board.apply_operation(facilitator, raw).event for raw in raws]


def _close(app, scene, days_ago: int = 0) -> None:
    """Close the meeting; days_ago moves its closing back in time (the agency's clock)."""
    _apply(app, scene, op(scene.meeting_id, "close_meeting"))
    if days_ago:
        with app.app_context():
            meeting = db.session.get(Meeting, scene.meeting_id)
            meeting.closed_at -= timedelta(days=days_ago)
            db.session.commit()


@pytest.fixture
def family(app, scene, guest_client):
    """The meeting's guest, with a next step on the plan, while the meeting is live."""
    guest = guest_client(scene.code)
    added = _apply(app, scene, add_op(scene.meeting_id, STEP, "next_steps"))[0]
    _apply(
        app, scene,
        op(scene.meeting_id, "set_next_step", item_id=added["item"]["id"], owner="Mum"),
    )  # fmt: skip
    return guest


def _plan(client, scene, suffix: str = "", meeting_id: int | None = None):
    return client.get(f"/meetings/{meeting_id or scene.meeting_id}/plan{suffix}")


def _readings(app, scene) -> list[tuple[str, str | None, int | None]]:
    with app.app_context():
        rows = db.session.execute(
            select(AuditEntry.action, AuditEntry.actor_role, AuditEntry.participant_id)
            .where(AuditEntry.action.in_(("meeting.plan", "meeting.plan_pdf")))
            .order_by(AuditEntry.id)
        ).all()
    return [tuple(row) for row in rows]


def _guest_id(app, scene) -> int:
    with app.app_context():
        return db.session.scalars(
            select(Participant.id).where(
                Participant.meeting_id == scene.meeting_id, Participant.user_id.is_(None)
            )
        ).one()


def test_before_close_the_guest_reads_the_plan_with_the_board(scene, family):
    page = _plan(family, scene)
    assert page.status_code == 200 and STEP in page.get_data(as_text=True)
    assert "Back to the board" in page.get_data(as_text=True)


def test_after_close_the_guest_still_reads_the_plan_and_each_reading_is_audited(app, scene, family):
    _close(app, scene)
    for _ in range(2):
        page = _plan(family, scene)
        assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert STEP in html and "Mum" in html
    assert "J.M. (6)" not in html  # never the case label
    assert "Back to the board" not in html  # the board is not theirs any more
    assert "You can read this plan here until" in html
    guest_id = _guest_id(app, scene)
    assert _readings(app, scene)[-2:] == [("meeting.plan", "guest", guest_id)] * 2


def test_after_close_the_guest_sees_nothing_else_of_the_meeting_or_the_case(app, scene, family):
    _close(app, scene)
    for path in (
        f"/meetings/{scene.meeting_id}",
        f"/meetings/{scene.meeting_id}/display",
        f"/meetings/{scene.meeting_id}/export.pdf",
        f"/meetings/{scene.other_meeting_id}/plan",
        f"/meetings/{scene.other_meeting_id}/plan.pdf",
    ):
        assert family.get(path).status_code == 404, path
    case_page = family.get(f"/cases/{scene.case_id}")  # a staff page: sign in first
    assert case_page.status_code == 302 and "/login" in case_page.headers["Location"]
    assert family.post(f"/meetings/{scene.meeting_id}/plan/withdraw").status_code == 404


def test_a_guest_of_another_meeting_is_refused_this_meetings_plan(app, scene, family, guest_client):
    other = guest_client(scene.other_code, "Aunt")
    _close(app, scene)
    assert _plan(other, scene).status_code == 404
    assert _plan(other, scene, ".pdf").status_code == 404


def test_the_plan_is_gone_when_the_agencys_days_have_passed(app, scene, family, staff_client):
    _close(app, scene, days_ago=31)  # the default is 30 days
    gone = _plan(family, scene)
    assert gone.status_code == 410 and STEP not in gone.get_data(as_text=True)
    assert _plan(family, scene, ".pdf").status_code == 410
    admin = staff_client(scene.admin)
    assert admin.post("/admin/plan-days", data={"plan_days": "45"}).status_code == 302
    assert _plan(family, scene).status_code == 200  # the agency keeps plans longer now


def test_the_agencys_days_must_be_a_whole_number_in_range(scene, staff_client):
    admin = staff_client(scene.admin)
    for wrong in ("-1", "thirty", "366", ""):
        page = admin.post("/admin/plan-days", data={"plan_days": wrong})
        assert page.status_code == 200
        assert "Give a whole number of days from 0 to 365." in page.get_data(as_text=True)
    assert 'value="30"' in admin.get("/admin").get_data(as_text=True)  # the default


def test_the_facilitator_withdraws_the_plan_and_it_is_gone_for_guests_only(
    app, scene, family, staff_client
):
    _close(app, scene)
    assert _plan(family, scene).status_code == 200
    supervisor = staff_client(scene.supervisor)
    board_page = supervisor.get(f"/meetings/{scene.meeting_id}").get_data(as_text=True)
    assert "Withdraw the plan from guests" in board_page
    assert supervisor.post(f"/meetings/{scene.meeting_id}/plan/withdraw").status_code == 302
    assert _plan(family, scene).status_code == 410
    assert _plan(family, scene, ".pdf").status_code == 410
    assert _plan(supervisor, scene).status_code == 200  # staff keep it with the case
    with app.app_context():
        actions = db.session.scalars(select(AuditEntry.action).order_by(AuditEntry.id)).all()
    assert "meeting.plan_withdrawn" in actions
    board_page = supervisor.get(f"/meetings/{scene.meeting_id}").get_data(as_text=True)
    assert "The plan is withdrawn from the guests." in board_page


def test_only_staff_who_ran_the_meeting_withdraw_its_plan(app, scene, family, staff_client):
    assert (
        staff_client(scene.supervisor)
        .post(f"/meetings/{scene.meeting_id}/plan/withdraw")
        .status_code
        == 404
    )  # still live: nothing to withdraw yet
    _close(app, scene)
    for person in (scene.worker, scene.outsider):  # on the team but did not run it; a stranger
        response = staff_client(person).post(f"/meetings/{scene.meeting_id}/plan/withdraw")
        assert response.status_code == 404
    assert _plan(family, scene).status_code == 200
    assert (
        staff_client(scene.admin).post(f"/meetings/{scene.meeting_id}/plan/withdraw").status_code
        == 302
    )


def test_a_removed_guest_does_not_keep_the_plan(app, scene, family):
    with app.app_context():
        db.session.execute(
            update(Participant)
            .where(Participant.id == _guest_id(app, scene))
            .values(removed_at=Participant.joined_at)
        )
        db.session.commit()
    _close(app, scene)
    assert _plan(family, scene).status_code == 401


def _pdf(data: bytes, name: str) -> tuple[str, int]:
    """The PDF's text and page count as poppler reads them (the file is kept to look at)."""
    if shutil.which("pdftotext") is None or shutil.which("pdfinfo") is None:
        pytest.skip("poppler-utils is not installed")
    ARTIFACTS.mkdir(exist_ok=True)
    path = ARTIFACTS / name
    path.write_bytes(data)
    text = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, check=True)
    info = subprocess.run(["pdfinfo", str(path)], capture_output=True, check=True)
    pages = next(
        int(line.split()[-1]) for line in info.stdout.decode().splitlines()
        if line.startswith("Pages:")
    )  # fmt: skip
    return " ".join(text.stdout.decode().split()), pages


def test_after_close_the_guest_saves_a_one_page_pdf_in_their_language(app, scene, family):
    family.post("/language", data={"language": "es", "next": "/"})
    _close(app, scene)
    response = _plan(family, scene, ".pdf")
    assert response.status_code == 200 and response.mimetype == "application/pdf"
    assert response.headers["Cache-Control"] == "no-store"
    assert 'filename="action-plan.pdf"' in response.headers["Content-Disposition"]
    text, pages = _pdf(response.data, "kept-plan-es.pdf")
    assert pages == 1
    assert "Nuestro plan de acción" in text and STEP in text
    assert "J.M. (6)" not in text and "Our action plan" not in text
    guest_id = _guest_id(app, scene)
    assert _readings(app, scene)[-1] == ("meeting.plan_pdf", "guest", guest_id)


def test_a_long_plan_still_fits_one_page(app, scene, family):
    _apply(
        app, scene,
        *(add_op(scene.meeting_id, f"Step {n}: " + "a longer sentence " * 6, "next_steps")
          for n in range(40)),
    )  # fmt: skip
    _close(app, scene)
    _text, pages = _pdf(_plan(family, scene, ".pdf").data, "kept-plan-long.pdf")
    assert pages == 1


def test_a_guests_cookie_outlives_the_browser_session_and_a_staff_ones_does_not(app, scene, client):
    from builders import PASSWORD, join_by_code

    guest_cookie = join_by_code(client, scene.code, "Mum").headers["Set-Cookie"]
    assert "Expires=" in guest_cookie and "HttpOnly" in guest_cookie
    staff = app.test_client()
    signed_in = staff.post("/login", data={"email": scene.supervisor.email, "password": PASSWORD})
    assert signed_in.status_code == 302 and "Set-Cookie" in signed_in.headers
    assert "Expires=" not in signed_in.headers["Set-Cookie"]
