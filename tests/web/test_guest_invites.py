"""S13: guest invites are bound to one meeting, end with it (at most 24 h), can be withdrawn,
their link's token is swapped for the session and leaves the address bar, and they unlock
nothing but that meeting's board: no export, case page, other meeting or staff list."""

from __future__ import annotations

import base64
import zlib
from datetime import timedelta

import pytest
from builders import join_by_code, op
from sqlalchemy import select

from facilitator.domain.limits import INVITE_HOURS
from facilitator.extensions import db
from facilitator.models import AuditEntry, GuestInvite

EXPORTS = ("pdf", "docx", "md", "csv", "json")


def invite_row(app, code):
    with app.app_context():
        invite = db.session.scalar(select(GuestInvite).filter_by(code=code))
        db.session.expunge(invite)
        return invite


def test_an_invite_lasts_at_most_24_hours(app, scene):
    assert INVITE_HOURS <= 24
    invite = invite_row(app, scene.code)
    assert invite.expires_at - invite.created_at <= timedelta(hours=24, seconds=1)
    assert invite.expires_at - invite.created_at >= timedelta(hours=INVITE_HOURS) - timedelta(
        seconds=1
    )


def test_closing_the_meeting_ends_its_invite_and_its_guests_access(
    app, scene, client, guest_client, staff_client, open_socket
):
    guest = guest_client(scene.code)
    facilitator = open_socket(staff_client(scene.supervisor), scene.meeting_id)
    assert facilitator.emit("op", op(scene.meeting_id, "close_meeting"), callback=True)["ok"]
    assert client.post("/join", data={"code": scene.code}).status_code == 200  # refused
    assert client.get(f"/join/link/{scene.token}").headers["Location"] == "/join"
    # the board is gone (404); the family keeps only the plan (tests/web/test_kept_plan.py)
    assert guest.get(f"/meetings/{scene.meeting_id}").status_code == 404
    assert guest.get(f"/meetings/{scene.meeting_id}/plan").status_code == 200
    assert not open_socket(guest, scene.meeting_id).is_connected()


def test_the_facilitator_can_withdraw_the_invite(app, scene, client, guest_client, staff_client):
    joined = guest_client(scene.code, "Mum")
    staff = staff_client(scene.supervisor)
    board = staff.get(f"/meetings/{scene.meeting_id}")
    assert b"Withdraw invite" in board.data
    response = staff.post(f"/meetings/{scene.meeting_id}/invites/withdraw")
    assert response.headers["Location"] == f"/meetings/{scene.meeting_id}"
    # nobody else gets in with its code or link ...
    assert client.post("/join", data={"code": scene.code}).status_code == 200
    assert client.get(f"/join/link/{scene.token}").headers["Location"] == "/join"
    # ... those already in stay (remove them one by one), and the board offers no code
    assert joined.get(f"/meetings/{scene.meeting_id}").status_code == 200
    after = staff.get(f"/meetings/{scene.meeting_id}")
    assert scene.code.encode() not in after.data and b"Withdraw invite" not in after.data
    with app.app_context():
        (entry,) = db.session.scalars(select(AuditEntry).filter_by(action="invite.withdrawn"))
        assert (entry.user_id, entry.meeting_id, entry.detail) == (
            scene.supervisor.id, scene.meeting_id, {"count": 1},
        )  # fmt: skip
    # the other meeting's invite is untouched
    assert client.post("/join", data={"code": scene.other_code}).status_code == 302


def test_withdrawing_when_there_is_no_invite_changes_nothing(app, scene, staff_client):
    staff = staff_client(scene.supervisor)
    staff.post(f"/meetings/{scene.meeting_id}/invites/withdraw")
    staff.post(f"/meetings/{scene.meeting_id}/invites/withdraw")
    with app.app_context():
        assert (
            len(list(db.session.scalars(select(AuditEntry).filter_by(action="invite.withdrawn"))))
            == 1
        )


def test_a_guest_cannot_withdraw_the_invite(scene, guest_client, client):
    guest = guest_client(scene.code)
    assert guest.post(f"/meetings/{scene.meeting_id}/invites/withdraw").status_code == 404
    assert client.post("/join", data={"code": scene.code}).status_code == 302


def _session_payload(client) -> str:
    """The readable part of Flask's signed session cookie (compressed JSON)."""
    value = client.get_cookie("session").value
    compressed = value.startswith(".")
    body = value.lstrip(".").split(".")[0]
    data = base64.urlsafe_b64decode(body + "=" * (-len(body) % 4))
    return (zlib.decompress(data) if compressed else data).decode()


def test_the_links_token_is_swapped_for_the_session_and_leaves_the_address_bar(scene, client):
    response = client.get(f"/join/link/{scene.token}")
    assert (response.status_code, response.headers["Location"]) == (302, "/join/name")
    assert scene.token not in _session_payload(client)  # the session names the invite by id
    name_page = client.get("/join/name")
    assert scene.token.encode() not in name_page.data
    named = client.post("/join/name", data={"display_name": "Dad"})
    assert named.headers["Location"] == f"/meetings/{scene.meeting_id}"
    board = client.get(f"/meetings/{scene.meeting_id}")
    assert scene.token.encode() not in board.data
    assert scene.token not in _session_payload(client)


@pytest.mark.parametrize(
    "path",
    [
        *(f"/meetings/{{meeting_id}}/export.{fmt}" for fmt in EXPORTS),
        "/cases/{case_id}",
        "/cases",
        "/cases/new",
        "/meetings/{other_meeting_id}",
        "/meetings/{other_meeting_id}/plan",
        "/meetings/{meeting_id}/display",
        "/meetings/{meeting_id}/history",
        "/search",
        "/admin",
    ],
)
def test_a_guest_reaches_no_export_case_other_meeting_or_staff_list(scene, guest_client, path):
    guest = guest_client(scene.code)
    url = path.format(
        meeting_id=scene.meeting_id, case_id=scene.case_id, other_meeting_id=scene.other_meeting_id
    )
    assert guest.get(url).status_code == 404, url


def test_a_guests_code_opens_only_its_own_meeting(app, scene, client):
    join_by_code(client, scene.other_code, "Dad")
    assert client.get(f"/meetings/{scene.other_meeting_id}").status_code == 200
    assert client.get(f"/meetings/{scene.meeting_id}").status_code == 404
