"""The waiting room: a guest who joins waits, sees nothing of the meeting, and comes in only
when staff who manage the meeting's guests let them in by name (or is kindly refused)."""

from __future__ import annotations

import json

import pytest
from builders import (
    add_op,
    events_named,
    join_by_code,
    make_invite,
    op,
)
from sqlalchemy import select

from facilitator.extensions import db
from facilitator.models import AuditEntry, Meeting, Participant, User


@pytest.fixture
def waiting_guest(app, scene):
    """A browser whose guest gave their name and now waits; returns (client, participant id).
    The first call makes a code with the waiting room on (the app's default), which
    withdraws the scene's code: join other guests before."""
    codes: list[str] = []

    def join(name: str = "Grandma Rose"):
        if not codes:
            with app.app_context():
                meeting = db.session.get(Meeting, scene.meeting_id)
                creator = db.session.get(User, scene.supervisor.id)
                codes.append(make_invite(meeting, creator, waiting_room=True)[0].code)
        client = app.test_client()
        response = join_by_code(client, codes[0], name)
        assert response.status_code == 302
        assert response.headers["Location"] == "/join/wait"
        with app.app_context():
            query = select(Participant.id).filter_by(display_name=name)
            return client, db.session.scalar(query)

    return join


@pytest.fixture
def facilitator(scene, staff_client, open_socket):
    return open_socket(staff_client(scene.supervisor), scene.meeting_id)


def admit(socket, meeting_id, participant_id, yes=True):
    payload = {"meeting_id": meeting_id, "participant_id": participant_id, "admit": yes}
    return socket.emit("admit_guest", payload, callback=True)


def audit_of(app, action):
    with app.app_context():
        return [
            (entry.participant_id, entry.user_id, entry.meeting_id, entry.case_id, entry.detail)
            for entry in db.session.scalars(select(AuditEntry).filter_by(action=action))
        ]


# --- the guest's side -----------------------------------------------------------------


def test_a_waiting_guest_sees_the_waiting_page_and_nothing_of_the_meeting(
    app, scene, waiting_guest
):
    guest, _ = waiting_guest()
    page = guest.get("/join/wait")
    assert page.status_code == 200
    assert b"waiting room" in page.data
    assert b"Grandma Rose" in page.data  # their own name, nothing else of the meeting
    assert b"J.M." not in page.data  # no case label
    assert guest.get("/join/wait/status").get_json() == {"state": "waiting"}
    # the board sends them back to wait; everything else is 404, as for any stranger
    board = guest.get(f"/meetings/{scene.meeting_id}")
    assert (board.status_code, board.headers["Location"]) == (302, "/join/wait")
    for url in (
        f"/meetings/{scene.meeting_id}/plan",
        f"/meetings/{scene.meeting_id}/display",
        f"/meetings/{scene.meeting_id}/export.pdf",
        f"/meetings/{scene.other_meeting_id}",
        f"/cases/{scene.case_id}",
        "/cases",
        "/admin",
    ):
        assert guest.get(url).status_code == 404, url


def test_a_waiting_guests_socket_is_refused_and_receives_nothing(
    app, scene, waiting_guest, facilitator, open_socket
):
    guest, _ = waiting_guest()
    facilitator.get_received()
    assert not open_socket(guest, scene.meeting_id).is_connected()
    assert not open_socket(guest, scene.meeting_id, display=True).is_connected()
    # nothing was recorded for it: the room hears no presence change
    assert events_named(facilitator.get_received(), "presence") == []


def test_the_room_does_not_list_a_waiting_guest(app, scene, waiting_guest, facilitator):
    facilitator.get_received()
    facilitator.emit("sync", {"meeting_id": scene.meeting_id, "since_rev": None}, callback=True)
    waiting_guest()
    received = facilitator.get_received()
    assert events_named(received, "presence") == []  # joining the waiting room is not presence
    ack = facilitator.emit(
        "sync", {"meeting_id": scene.meeting_id, "since_rev": None}, callback=True
    )
    names = [p["name"] for p in ack["snapshot"]["participants"]]
    assert "Grandma Rose" not in names


# --- the staff's side ------------------------------------------------------------------


def test_staff_who_manage_guests_hear_who_is_waiting_by_name(
    app, scene, waiting_guest, facilitator, staff_client, guest_client, open_socket
):
    display = open_socket(staff_client(scene.worker), scene.meeting_id, display=True)
    other_guest = open_socket(guest_client(scene.code, "Dad"), scene.meeting_id)
    for socket in (facilitator, display, other_guest):
        socket.get_received()
    _, guest_id = waiting_guest()
    (waiting,) = events_named(facilitator.get_received(), "waiting")
    assert waiting == {
        "meeting_id": scene.meeting_id,
        "guests": [{"id": guest_id, "name": "Grandma Rose"}],
    }
    # neither the projector nor another guest hears names from the waiting room
    assert events_named(display.get_received(), "waiting") == []
    assert events_named(other_guest.get_received(), "waiting") == []
    # a staff member who connects later is told at once
    late = open_socket(staff_client(scene.worker), scene.meeting_id)
    (told,) = events_named(late.get_received(), "waiting")
    assert told["guests"] == [{"id": guest_id, "name": "Grandma Rose"}]


def test_admitting_lets_the_guest_onto_the_board(
    app, scene, waiting_guest, facilitator, open_socket
):
    guest, guest_id = waiting_guest()
    facilitator.get_received()
    assert admit(facilitator, scene.meeting_id, guest_id) == {"ok": True}
    received = facilitator.get_received()
    assert events_named(received, "waiting")[-1]["guests"] == []
    (presence,) = events_named(received, "presence")
    assert "Grandma Rose" in [p["name"] for p in presence["participants"]]
    status = guest.get("/join/wait/status").get_json()
    assert status == {"state": "admitted", "next": f"/meetings/{scene.meeting_id}"}
    assert guest.get("/join/wait").headers["Location"] == f"/meetings/{scene.meeting_id}"
    assert guest.get(f"/meetings/{scene.meeting_id}").status_code == 200
    socket = open_socket(guest, scene.meeting_id)
    assert socket.is_connected()
    assert socket.emit("op", add_op(scene.meeting_id, "We are here."), callback=True)["ok"]


def test_refusing_ends_the_guests_access_with_a_kind_message(
    app, scene, waiting_guest, facilitator, open_socket
):
    guest, guest_id = waiting_guest()
    assert admit(facilitator, scene.meeting_id, guest_id, yes=False) == {"ok": True}
    assert guest.get("/join/wait/status").get_json() == {"state": "refused"}
    page = guest.get("/join/wait")
    assert page.status_code == 200
    assert b"has not let you into this meeting" in page.data
    assert guest.get(f"/meetings/{scene.meeting_id}").status_code == 401
    assert not open_socket(guest, scene.meeting_id).is_connected()
    # a second answer about the same guest changes nothing
    again = admit(facilitator, scene.meeting_id, guest_id)
    assert again["error"]["code"] == "not_waiting"


def test_the_waiting_room_can_be_switched_off_per_invite(app, scene, staff_client, client):
    staff = staff_client(scene.supervisor)
    staff.post(f"/meetings/{scene.meeting_id}/invites", data={"direct": "yes"})
    with app.app_context():
        meeting = db.session.get(Meeting, scene.meeting_id)
        from facilitator.services.meetings import current_invite

        invite = current_invite(meeting)
        assert invite.waiting_room is False
        code = invite.code
    response = join_by_code(client, code, "Uncle Ben")
    assert response.headers["Location"] == f"/meetings/{scene.meeting_id}"


def test_the_waiting_room_is_on_by_default(app, scene, staff_client, client):
    staff_client(scene.supervisor).post(f"/meetings/{scene.meeting_id}/invites")
    with app.app_context():
        from facilitator.services.meetings import current_invite

        code = current_invite(db.session.get(Meeting, scene.meeting_id)).code
    assert join_by_code(client, code, "Uncle Ben").headers["Location"] == "/join/wait"


# --- who may admit ---------------------------------------------------------------------


def test_only_staff_who_manage_guests_may_admit(
    app, scene, waiting_guest, staff_client, guest_client, open_socket
):
    other_guest = open_socket(guest_client(scene.code, "Dad"), scene.meeting_id)
    _, guest_id = waiting_guest()
    display = open_socket(staff_client(scene.worker), scene.meeting_id, display=True)
    for socket in (other_guest, display):
        assert admit(socket, scene.meeting_id, guest_id)["error"]["code"] == "forbidden"
    # a teammate who is not the facilitator manages guests too
    worker = open_socket(staff_client(scene.worker), scene.meeting_id)
    assert admit(worker, scene.meeting_id, guest_id) == {"ok": True}


def test_admitting_in_another_meeting_is_refused(
    app, scene, waiting_guest, staff_client, open_socket
):
    _, guest_id = waiting_guest()
    elsewhere = open_socket(staff_client(scene.supervisor), scene.other_meeting_id)
    # naming the other meeting: not this connection's
    assert admit(elsewhere, scene.meeting_id, guest_id)["error"]["code"] == "forbidden"
    # naming its own meeting: the guest is not there
    assert admit(elsewhere, scene.other_meeting_id, guest_id)["error"]["code"] == "not_found"


@pytest.mark.parametrize(
    "payload",
    [
        {},
        {"participant_id": "1", "admit": True},
        {"participant_id": 1, "admit": "yes"},
        {"participant_id": 0, "admit": True},
        {"participant_id": True, "admit": True},
        {"participant_id": 2**53, "admit": False},
        {"participant_id": 1},
    ],
)
def test_a_malformed_admission_is_refused(scene, facilitator, payload):
    ack = facilitator.emit(
        "admit_guest", {"meeting_id": scene.meeting_id, **payload}, callback=True
    )
    assert ack["error"]["code"] == "invalid"


def test_staff_cannot_be_admitted_or_refused(app, scene, facilitator):
    with app.app_context():
        staff_id = db.session.scalar(
            select(Participant.id).filter_by(meeting_id=scene.meeting_id, role="facilitator")
        )
    assert admit(facilitator, scene.meeting_id, staff_id)["error"]["code"] == "not_found"


def test_a_waiting_guest_can_be_removed_too(app, scene, waiting_guest, facilitator):
    guest, guest_id = waiting_guest()
    facilitator.get_received()
    raw = op(scene.meeting_id, "remove_participant", participant_id=guest_id)
    assert facilitator.emit("op", raw, callback=True)["ok"]
    assert guest.get("/join/wait/status").get_json()["state"] == "ended"
    assert events_named(facilitator.get_received(), "waiting")[-1]["guests"] == []


def test_closing_the_meeting_ends_the_wait(app, scene, waiting_guest, facilitator):
    guest, _ = waiting_guest()
    assert facilitator.emit("op", op(scene.meeting_id, "close_meeting"), callback=True)["ok"]
    assert guest.get("/join/wait/status").get_json() == {"state": "ended", "next": "/join"}


# --- the audit trail -------------------------------------------------------------------


def test_join_admit_refuse_and_removal_are_audited_without_names(
    app, scene, waiting_guest, facilitator
):
    _, admitted = waiting_guest("Grandma Rose")
    _, refused = waiting_guest("Cousin Vinny")
    assert admit(facilitator, scene.meeting_id, admitted)["ok"]
    assert admit(facilitator, scene.meeting_id, refused, yes=False)["ok"]
    remove = op(scene.meeting_id, "remove_participant", participant_id=admitted)
    assert facilitator.emit("op", remove, callback=True)["ok"]
    joined = audit_of(app, "guest.joined")
    assert [(pid, detail) for pid, _, _, _, detail in joined] == [
        (admitted, {"participant_id": admitted}),
        (refused, {"participant_id": refused}),
    ]
    with app.app_context():
        supervisor_participant = db.session.scalar(
            select(Participant.id).filter_by(meeting_id=scene.meeting_id, role="facilitator")
        )
    where = (supervisor_participant, scene.supervisor.id, scene.meeting_id, scene.case_id)
    assert audit_of(app, "guest.admitted") == [(*where, {"participant_id": admitted})]
    assert audit_of(app, "guest.refused") == [(*where, {"participant_id": refused})]
    assert audit_of(app, "guest.removed") == [(*where, {"participant_id": admitted})]
    with app.app_context():
        details = json.dumps([e.detail for e in db.session.scalars(select(AuditEntry))])
    assert "Grandma" not in details and "Vinny" not in details


def test_a_guest_never_let_in_is_not_counted_as_taking_part(app, scene, waiting_guest):
    from facilitator.models import Case
    from facilitator.services.history import timeline

    waiting_guest("Grandma Rose")
    with app.app_context():
        entries = timeline(db.session.get(Case, scene.case_id))
        names = [name for entry in entries for names in entry.people.values() for name in names]
    assert "Grandma Rose" not in names
