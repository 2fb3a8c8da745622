"""Who may open a meeting's socket: the handshake is refused unless they may see the board."""

import time

import pytest
from builders import connect, events_named, login

from facilitator.extensions import socketio
from facilitator.realtime import packets, publisher


def test_staff_signed_in_through_the_form_may_connect(scene, client, open_socket):
    login(client, scene.worker.email)
    assert open_socket(client, scene.meeting_id).is_connected()


def test_staff_of_the_case_team_may_connect(scene, staff_client, open_socket):
    assert open_socket(staff_client(scene.worker), scene.meeting_id).is_connected()


def test_admin_may_connect_to_any_meeting(scene, staff_client, open_socket):
    assert open_socket(staff_client(scene.admin), scene.meeting_id).is_connected()


def test_guest_may_connect_to_their_meeting(scene, guest_client, open_socket):
    assert open_socket(guest_client(scene.code), scene.meeting_id).is_connected()


def test_stranger_who_is_not_signed_in_is_refused(scene, client, open_socket):
    assert not open_socket(client, scene.meeting_id).is_connected()


def test_stranger_without_any_cookies_is_refused(scene, open_socket):
    assert not open_socket(None, scene.meeting_id).is_connected()


def test_staff_of_another_team_is_refused(scene, staff_client, open_socket):
    assert not open_socket(staff_client(scene.outsider), scene.meeting_id).is_connected()


def test_guest_of_one_meeting_is_refused_for_another(scene, guest_client, open_socket):
    guest = guest_client(scene.code)
    assert not open_socket(guest, scene.other_meeting_id).is_connected()


@pytest.mark.parametrize(
    "meeting_id", [None, "1", 1.0, True, 0, -1, 10_000, 2**53, 2**63, 2**70, [1], {"id": 1}]
)
def test_connect_naming_no_real_meeting_is_refused(scene, staff_client, open_socket, meeting_id):
    assert not open_socket(staff_client(scene.supervisor), meeting_id).is_connected()


def test_connect_without_auth_data_is_refused(app, scene, staff_client):
    socket = socketio.test_client(app, flask_test_client=staff_client(scene.supervisor))
    assert not socket.is_connected()


def test_staff_may_open_a_read_only_display(scene, staff_client, open_socket):
    assert open_socket(staff_client(scene.worker), scene.meeting_id, display=True).is_connected()


def test_guest_may_not_open_a_display(scene, guest_client, open_socket):
    guest = guest_client(scene.code)
    assert not open_socket(guest, scene.meeting_id, display=True).is_connected()


def test_connecting_tells_the_room_who_is_here(scene, staff_client, guest_client, open_socket):
    first = open_socket(staff_client(scene.supervisor), scene.meeting_id)
    first.get_received()
    open_socket(guest_client(scene.code, "Auntie"), scene.meeting_id)
    (presence,) = events_named(first.get_received(), "presence")
    online = {p["name"]: p["online"] for p in presence["participants"]}
    assert online["Auntie"] is True


def test_leaving_tells_the_room_who_is_still_here(scene, staff_client, guest_client, open_socket):
    first = open_socket(staff_client(scene.supervisor), scene.meeting_id)
    guest = open_socket(guest_client(scene.code, "Auntie"), scene.meeting_id)
    first.get_received()
    guest.disconnect()
    (presence,) = events_named(first.get_received(), "presence")
    online = {p["name"]: p["online"] for p in presence["participants"]}
    assert online["Auntie"] is False


def test_a_burst_of_sockets_tells_each_meeting_once_it_settles(
    scene, staff_client, guest_client, open_socket, monkeypatch
):
    """A restart brings every socket back at once: the room then hears who is here once,
    with everyone, instead of once per socket."""
    monkeypatch.setattr(publisher, "BURST_SOCKETS", 1)
    monkeypatch.setattr(publisher, "BURST_WINDOW_SECONDS", 60.0)
    monkeypatch.setattr(publisher, "BURST_SETTLE_SECONDS", 0.2)
    first = open_socket(staff_client(scene.supervisor), scene.meeting_id)
    assert events_named(first.get_received(), "presence")  # the burst's first: told at once
    guests = [
        open_socket(guest_client(scene.code, name), scene.meeting_id)
        for name in ("Auntie", "Grandad", "Neighbour")
    ]
    assert events_named(first.get_received(), "presence") == []  # not yet: the burst is on
    (presence,) = _presence_once_the_burst_settles(first)
    online = {p["name"] for p in presence["participants"] if p["online"]}
    assert {"Auntie", "Grandad", "Neighbour"} <= online
    # leaving is a burst too; a second of quiet, as each leaving commits on its own (on a
    # busy PostgreSQL three of them took longer than 0.2 s, and the room was told twice)
    monkeypatch.setattr(publisher, "BURST_SETTLE_SECONDS", 1.0)
    for guest in guests:
        guest.disconnect()
    told = _presence_once_the_burst_settles(first)
    assert 0 < len(told) < len(guests)
    online = {p["name"] for p in told[-1]["participants"] if p["online"]}
    assert online == {scene.supervisor.name}


def _presence_once_the_burst_settles(socket) -> list:
    told: list = []
    deadline = time.monotonic() + 10
    while not told and time.monotonic() < deadline:
        time.sleep(0.05)
        told = events_named(socket.get_received(), "presence")
    return told


def test_display_does_not_count_as_someone_here(scene, staff_client, open_socket):
    first = open_socket(staff_client(scene.supervisor), scene.meeting_id)
    first.get_received()
    open_socket(staff_client(scene.worker), scene.meeting_id, display=True)
    (presence,) = events_named(first.get_received(), "presence")
    online = [p["name"] for p in presence["participants"] if p["online"]]
    assert online == [scene.supervisor.name]


def test_every_app_in_a_process_guards_its_sockets(make_app, scene, open_socket):
    second = make_app()
    assert not connect(second, second.test_client(), scene.meeting_id).is_connected()


def test_every_socket_event_is_one_these_tests_know(app):
    """A new socket event fails here until its rules are tested (editing: test_editing_hints;
    admit_guest: test_waiting_room; the frames packets.py reads as MALFORMED and
    OP_WITHOUT_ACK: test_frame_edges)."""
    handled = set(socketio.server.handlers["/"])
    assert handled == {
        "connect", "disconnect", "op", "sync", "editing", "admit_guest",
        packets.MALFORMED, packets.OP_WITHOUT_ACK,
    }  # fmt: skip
