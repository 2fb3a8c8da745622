"""Before the meeting (issue 18): the link staff make, the phone page it opens (its token,
expiry and end, nothing of the case on it, CSRF), and who sees what was written."""

import re
from datetime import timedelta

import pytest
from builders import add_op, staff_in

from facilitator.extensions import db
from facilitator.models import Meeting, PreMeetingInput, PreMeetingInvite, User
from facilitator.services import board

BOARD_SECRET = "board-only-walrus"
WRITTEN = "I want them to know about my little sister"


def make_link(staff, meeting_id, name="Jay", who="young_person", language="en"):
    page = staff.post(
        f"/meetings/{meeting_id}/before", data={"name": name, "who": who, "language": language}
    )
    assert page.status_code == 200
    return re.search(r'value="https?://[^/"]+(/before/[^"]+)"', page.text).group(1)


@pytest.fixture
def staff(scene, staff_client):
    return staff_client(scene.supervisor)


@pytest.fixture
def invitee(app, scene, staff):
    """A browser that opened a young person's link, with a board item it must never see."""
    with app.app_context():
        meeting = db.session.get(Meeting, scene.meeting_id)
        lead = staff_in(meeting, db.session.get(User, scene.supervisor.id))
        board.apply_operation(lead, add_op(scene.meeting_id, BOARD_SECRET, "harm"))
    link = make_link(staff, scene.meeting_id)
    browser = app.test_client()
    opened = browser.get(link)
    assert opened.status_code == 302
    assert opened.headers["Location"] == "/before"  # the token leaves the address bar
    return browser


def test_the_link_opens_a_page_that_shows_nothing_of_the_case(invitee, scene):
    page = invitee.get("/before")
    assert page.status_code == 200
    assert "Hello, Jay." in page.text
    for secret in ("J.M.", BOARD_SECRET, scene.supervisor.name, scene.code, "Group supervision"):
        assert secret not in page.text
    assert f"/meetings/{scene.meeting_id}" not in page.text


def test_what_they_send_is_kept_and_shown_back_to_them_only(app, invitee, scene, staff):
    sent = invitee.post("/before", data={"kind": "worries", "text": WRITTEN})
    assert sent.status_code == 302
    assert WRITTEN in invitee.get("/before").text
    other = make_link(staff, scene.meeting_id, name="Dad", who="parent")
    parent = app.test_client()
    parent.get(other)
    assert WRITTEN not in parent.get("/before").text  # another invitee sees nothing of it
    with app.app_context():
        (written,) = db.session.query(PreMeetingInput).all()
        assert (written.kind, written.text, written.item_id) == ("worries", WRITTEN, None)


def test_a_young_person_gets_the_three_houses_and_a_parent_does_not(app, invitee, scene, staff):
    assert "Good things in my life" in invitee.get("/before").text
    parent = app.test_client()
    parent.get(make_link(staff, scene.meeting_id, name="Dad", who="parent"))
    page = parent.get("/before").text
    assert "Good things in my life" not in page and "What I want the meeting to know" in page
    refused = parent.post("/before", data={"kind": "dreams", "text": "Kept words"})
    assert refused.status_code == 200
    assert "Choose where your words go." in refused.text
    assert "Kept words" in refused.text  # what they typed stays on screen


def test_empty_and_too_long_words_are_refused_and_kept(invitee):
    assert (
        "Write something first." in invitee.post("/before", data={"kind": "know", "text": " "}).text
    )
    long = "x" * 1001
    page = invitee.post("/before", data={"kind": "know", "text": long}).text
    assert "1000 characters" in page and long in page


@pytest.mark.parametrize("ending", ["expired", "ended", "meeting_closed"])
def test_an_expired_or_ended_link_opens_nothing(app, invitee, scene, ending):
    with app.app_context():
        invite = db.session.query(PreMeetingInvite).one()
        if ending == "expired":
            invite.expires_at = invite.created_at - timedelta(seconds=1)
        elif ending == "ended":
            invite.revoked_at = invite.created_at
        else:
            db.session.get(Meeting, scene.meeting_id).status = "closed"
        db.session.commit()
    page = invitee.get("/before")
    assert page.status_code == 404
    assert "This link no longer works" in page.text
    assert invitee.post("/before", data={"kind": "know", "text": "late"}).status_code == 404


def test_a_wrong_token_opens_nothing(app):
    browser = app.test_client()
    assert browser.get("/before/not-a-real-token").status_code == 302
    assert browser.get("/before").status_code == 404


def test_staff_of_the_case_see_what_waits_and_guests_and_the_display_do_not(
    app, invitee, scene, staff, staff_client, guest_client
):
    invitee.post("/before", data={"kind": "dreams", "text": WRITTEN})
    assert WRITTEN in staff.get(f"/meetings/{scene.meeting_id}").text
    assert WRITTEN in staff_client(scene.worker).get(f"/meetings/{scene.meeting_id}").text
    assert WRITTEN not in guest_client(scene.code).get(f"/meetings/{scene.meeting_id}").text
    assert WRITTEN not in staff.get(f"/meetings/{scene.meeting_id}/display").text
    assert staff_client(scene.outsider).get(f"/meetings/{scene.meeting_id}").status_code == 404


def test_reading_what_waits_and_each_step_is_audited_without_the_words(app, invitee, scene, staff):
    invitee.post("/before", data={"kind": "know", "text": WRITTEN})
    staff.get(f"/meetings/{scene.meeting_id}")
    with app.app_context():
        from facilitator.models import AuditEntry

        entries = db.session.query(AuditEntry).all()
        actions = [entry.action for entry in entries]
        assert {"pre_meeting.invite_created", "pre_meeting.input_added", "pre_meeting.viewed"} <= (
            set(actions)
        )
        assert all(WRITTEN not in str(entry.detail) for entry in entries)


def test_staff_end_a_link(app, invitee, scene, staff):
    with app.app_context():
        invite_id = db.session.query(PreMeetingInvite.id).scalar()
    ended = staff.post(f"/meetings/{scene.meeting_id}/before/{invite_id}/end")
    assert ended.status_code == 302
    assert invitee.get("/before").status_code == 404


def test_the_page_speaks_the_language_staff_chose(app, scene, staff):
    browser = app.test_client()
    browser.get(make_link(staff, scene.meeting_id, language="es"))
    assert 'lang="es"' in browser.get("/before").text


def test_sending_words_without_the_csrf_token_is_refused(app, scene, staff, make_app):
    link = make_link(staff, scene.meeting_id)
    protected = make_app(WTF_CSRF_ENABLED=True)
    browser = protected.test_client()
    browser.get(link)
    assert browser.post("/before", data={"kind": "know", "text": "no token"}).status_code == 400
    page = browser.get("/before").text
    token = page.split('name="csrf_token" value="', 1)[1].split('"', 1)[0]
    sent = browser.post("/before", data={"kind": "know", "text": "with token", "csrf_token": token})
    assert sent.status_code == 302
    assert "with token" in browser.get("/before").text
