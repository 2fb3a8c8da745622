"""Display links: the room's computer shows one meeting's display without a sign-in, and
nothing else; the link is unguessable, expires, ends with the meeting or when ended."""

from __future__ import annotations

from datetime import timedelta

import pytest
from builders import add_op, events_named, staff_in
from sqlalchemy import select

from facilitator.extensions import db
from facilitator.models import AuditEntry, DisplayLink, Meeting, User
from facilitator.services import display_links


def make_link(app, scene) -> str:
    with app.app_context():
        meeting = db.session.get(Meeting, scene.meeting_id)
        supervisor = staff_in(meeting, db.session.get(User, scene.supervisor.id))
        _link, token = display_links.create(supervisor, meeting)
        return token


def opened(app, token):
    client = app.test_client()
    response = client.get(f"/display/{token}")
    return client, response


def test_a_display_link_opens_that_meetings_display_without_a_sign_in(app, scene):
    token = make_link(app, scene)
    client, response = opened(app, token)
    assert response.status_code == 302
    assert response.headers["Location"] == f"/meetings/{scene.meeting_id}/display"
    page = client.get(f"/meetings/{scene.meeting_id}/display")
    assert page.status_code == 200
    assert token not in page.get_data(as_text=True)
    assert client.get(f"/meetings/{scene.meeting_id}/join-qr.svg").status_code == 200


@pytest.mark.parametrize(
    "path",
    ["/meetings/{meeting}", "/meetings/{other}/display", "/meetings/{meeting}/plan",
     "/meetings/{meeting}/export.pdf", "/cases/{case}", "/cases"],
)  # fmt: skip
def test_a_display_link_opens_nothing_else(app, scene, path):
    client, _ = opened(app, make_link(app, scene))
    url = path.format(meeting=scene.meeting_id, other=scene.other_meeting_id, case=scene.case_id)
    assert client.get(url).status_code in (302, 404)


def test_the_token_is_stored_only_as_its_hash(app, scene):
    token = make_link(app, scene)
    with app.app_context():
        stored = db.session.scalars(select(DisplayLink.token_hash)).all()
    assert token not in stored and len(stored) == 1 and len(stored[0]) == 64


def test_an_expired_link_opens_nothing(app, scene):
    token = make_link(app, scene)
    with app.app_context():
        link = db.session.scalars(select(DisplayLink)).one()
        link.expires_at = link.created_at - timedelta(seconds=1)
        db.session.commit()
    client, response = opened(app, token)
    assert response.headers["Location"].endswith("/login")
    assert client.get(f"/meetings/{scene.meeting_id}/display").status_code == 401


def test_a_new_link_ends_the_earlier_one_and_its_displays(app, scene):
    first = make_link(app, scene)
    client, _ = opened(app, first)
    make_link(app, scene)
    assert client.get(f"/meetings/{scene.meeting_id}/display").status_code == 401
    _, again = opened(app, first)
    assert again.headers["Location"].endswith("/login")


def test_the_link_ends_with_the_meeting(app, scene):
    token = make_link(app, scene)
    client, _ = opened(app, token)
    with app.app_context():
        db.session.get(Meeting, scene.meeting_id).status = "closed"
        db.session.commit()
    assert client.get(f"/meetings/{scene.meeting_id}/display").status_code == 401


def test_ending_the_links_closes_the_displays_socket_and_refuses_its_next_event(
    app, scene, staff_client, open_socket
):
    client, _ = opened(app, make_link(app, scene))
    display = open_socket(client, scene.meeting_id, display=True)
    assert display.is_connected()
    ack = display.emit("op", add_op(scene.meeting_id), callback=True)
    assert ack["error"]["code"] == "forbidden"  # it only shows
    synced = display.emit(
        "sync", {"meeting_id": scene.meeting_id, "since_rev": None}, callback=True
    )
    assert synced["ok"]
    facilitator = staff_client(scene.supervisor)
    page = facilitator.post(f"/meetings/{scene.meeting_id}/display-link/end")
    assert page.status_code == 302
    assert not display.is_connected() or "closed" in [m["name"] for m in display.get_received()]
    with app.app_context():
        actions = db.session.scalars(select(AuditEntry.action)).all()
    assert {"display_link.created", "display_link.opened", "display_link.revoked"} <= set(actions)


def test_a_display_socket_refuses_to_connect_as_a_board(app, scene, open_socket):
    client, _ = opened(app, make_link(app, scene))
    board = open_socket(client, scene.meeting_id)
    assert not board.is_connected()


def test_staff_make_the_link_from_the_board(app, scene, staff_client):
    page = staff_client(scene.supervisor).post(f"/meetings/{scene.meeting_id}/display-link")
    assert page.status_code == 200
    assert "/display/" in page.get_data(as_text=True)
    assert (
        staff_client(scene.worker).post(f"/meetings/{scene.meeting_id}/display-link").status_code
        == 200
    )


def test_a_display_connection_receives_the_meetings_events(app, scene, staff_client, open_socket):
    client, _ = opened(app, make_link(app, scene))
    display = open_socket(client, scene.meeting_id, display=True)
    display.get_received()
    board = open_socket(staff_client(scene.supervisor), scene.meeting_id)
    board.emit("op", add_op(scene.meeting_id), callback=True)
    assert len(events_named(display.get_received(), "event")) == 1
