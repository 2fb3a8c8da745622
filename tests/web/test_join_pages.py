"""Guests join by code or link, give a name, and reach that one meeting's board."""

from datetime import timedelta

from sqlalchemy import select

from facilitator.extensions import db
from facilitator.models import GuestInvite, Participant
from facilitator.models.types import utcnow


def test_guest_joins_by_code_and_lands_on_the_board(app, scene, client):
    assert client.post("/join", data={"code": scene.code}).headers["Location"] == "/join/name"
    response = client.post("/join/name", data={"display_name": "Auntie Rose"})
    assert response.headers["Location"] == f"/meetings/{scene.meeting_id}"
    assert client.get(f"/meetings/{scene.meeting_id}").status_code == 200
    with app.app_context():
        guest = db.session.scalar(select(Participant).filter_by(display_name="Auntie Rose"))
        assert (guest.role, guest.user_id, guest.meeting_id) == ("guest", None, scene.meeting_id)


def test_code_is_accepted_as_people_type_it(scene, client):
    typed = f"{scene.code[:4].lower()} {scene.code[4:].lower()}"
    assert client.post("/join", data={"code": typed}).status_code == 302


def test_wrong_code_is_refused_with_a_hint(client, scene):
    response = client.post("/join", data={"code": "WRONGCOD"})
    assert response.status_code == 200
    assert b"doesn&#39;t open a meeting" in response.data


def test_guest_joins_by_link_and_the_token_leaves_the_address_bar(scene, client):
    response = client.get(f"/join/link/{scene.token}")
    assert response.status_code == 302
    assert response.headers["Location"] == "/join/name"
    assert scene.token not in response.headers["Location"]
    named = client.post("/join/name", data={"display_name": "Dad"})
    assert named.headers["Location"] == f"/meetings/{scene.meeting_id}"


def test_link_page_sends_no_referrer(scene, client):
    assert client.get(f"/join/link/{scene.token}").headers["Referrer-Policy"] == "no-referrer"


def test_wrong_link_sends_the_visitor_to_the_code_page(client, scene):
    response = client.get("/join/link/not-a-real-token")
    assert response.headers["Location"] == "/join"


def test_expired_invite_does_not_open_the_meeting(app, scene, client):
    with app.app_context():
        invite = db.session.scalar(select(GuestInvite).filter_by(code=scene.code))
        invite.expires_at = utcnow() - timedelta(minutes=1)
        db.session.commit()
    assert client.post("/join", data={"code": scene.code}).status_code == 200
    assert client.get(f"/join/link/{scene.token}").headers["Location"] == "/join"


def test_revoked_invite_does_not_open_the_meeting(app, scene, client):
    with app.app_context():
        invite = db.session.scalar(select(GuestInvite).filter_by(code=scene.code))
        invite.revoked_at = utcnow()
        db.session.commit()
    assert client.post("/join", data={"code": scene.code}).status_code == 200


def test_invite_revoked_between_code_and_name_lets_nobody_in(app, scene, client):
    client.post("/join", data={"code": scene.code})
    with app.app_context():
        invite = db.session.scalar(select(GuestInvite).filter_by(code=scene.code))
        invite.revoked_at = utcnow()
        db.session.commit()
    response = client.post("/join/name", data={"display_name": "Late"})
    assert response.headers["Location"] == "/join"
    with app.app_context():
        assert db.session.scalar(select(Participant).filter_by(display_name="Late")) is None


def test_name_page_without_a_code_goes_back_to_the_code_page(client):
    assert client.get("/join/name").headers["Location"] == "/join"


def test_guest_must_give_a_name(app, scene, client):
    client.post("/join", data={"code": scene.code})
    response = client.post("/join/name", data={"display_name": "   "})
    assert response.status_code == 200
    assert client.get(f"/meetings/{scene.meeting_id}").status_code == 401


def test_guest_code_opens_only_its_own_meeting(scene, client):
    client.post("/join", data={"code": scene.code})
    client.post("/join/name", data={"display_name": "Mum"})
    assert client.get(f"/meetings/{scene.other_meeting_id}").status_code == 404


def test_guest_cannot_open_the_display(scene, guest_client):
    assert guest_client(scene.code).get(f"/meetings/{scene.meeting_id}/display").status_code == 404


def test_guest_cannot_create_invites(scene, guest_client):
    response = guest_client(scene.code).post(f"/meetings/{scene.meeting_id}/invites")
    assert response.status_code == 404


def test_guest_gets_404_on_staff_pages(scene, guest_client):
    guest = guest_client(scene.code)
    for path in ("/cases", f"/cases/{scene.case_id}", "/cases/new", "/admin"):
        assert guest.get(path).status_code == 404, path
