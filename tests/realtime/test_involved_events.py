"""Who is involved, live: changes reach the whole room at once, the display gets exactly
what a guest gets, and a name written in a family meeting never reaches a supervision
meeting's screens (only its initials)."""

from __future__ import annotations

import json
from typing import Any

import pytest
from builders import events_named, make_invite, make_meeting, op

from facilitator.extensions import db
from facilitator.models import Case, User


@pytest.fixture
def family(app, scene) -> tuple[int, str]:
    """A family team meeting of the scene's case and a guest code for it."""
    with app.app_context():
        case = db.session.get(Case, scene.case_id)
        lead = db.session.get(User, scene.supervisor.id)
        meeting = make_meeting(case, lead, "family_team", "family")
        invite, _ = make_invite(meeting, lead)
        return meeting.id, invite.code


def room(meeting_id, code, scene, staff_client, guest_client, open_socket) -> dict[str, Any]:
    sockets = {
        "lead": open_socket(staff_client(scene.supervisor), meeting_id),
        "display": open_socket(staff_client(scene.worker), meeting_id, display=True),
        "guest": open_socket(guest_client(code, "Mum"), meeting_id),
    }
    for socket in sockets.values():
        assert socket.is_connected()
        socket.get_received()
    return sockets


def test_a_guest_adds_a_person_and_everyone_sees_it_at_once(
    scene, family, staff_client, guest_client, open_socket
):
    meeting_id, code = family
    sockets = room(meeting_id, code, scene, staff_client, guest_client, open_socket)
    raw = op(meeting_id, "add_person", name="Nana Rosa", relationship="grandmother", role="family")
    ack = sockets["guest"].emit("op", raw, callback=True)
    assert ack["ok"], ack
    (to_lead,) = events_named(sockets["lead"].get_received(), "event")
    (to_display,) = events_named(sockets["display"].get_received(), "event")
    assert to_lead == to_display == ack["event"]
    assert to_display["type"] == "person_added" and to_display["person"]["name"] == "Nana Rosa"


def test_the_display_gets_the_same_person_events_as_a_guest(
    scene, family, staff_client, guest_client, open_socket
):
    meeting_id, code = family
    sockets = room(meeting_id, code, scene, staff_client, guest_client, open_socket)
    lead = sockets["lead"]
    added = lead.emit("op", op(meeting_id, "add_person", name="B.", role="child"), callback=True)
    person = added["event"]["person"]
    edit = op(meeting_id, "edit_person", person_id=person["id"], base_version=1, age=6)
    assert lead.emit("op", edit, callback=True)["ok"]
    assert lead.emit("op", op(meeting_id, "remove_person", person_id=person["id"]), callback=True)[
        "ok"
    ]
    to_guest = events_named(sockets["guest"].get_received(), "event")
    to_display = events_named(sockets["display"].get_received(), "event")
    assert [e["type"] for e in to_display] == ["person_added", "person_edited", "person_removed"]
    assert to_display == to_guest


def test_the_display_may_not_change_the_list(scene, staff_client, open_socket):
    display = open_socket(staff_client(scene.worker), scene.meeting_id, display=True)
    ack = display.emit(
        "op", op(scene.meeting_id, "add_person", name="B.", role="child"), callback=True
    )
    assert ack["ok"] is False and ack["error"]["code"] == "forbidden"


def test_a_family_name_reaches_a_supervision_display_only_as_initials(
    scene, family, staff_client, guest_client, open_socket
):
    meeting_id, code = family
    sockets = room(meeting_id, code, scene, staff_client, guest_client, open_socket)
    raw = op(meeting_id, "add_person", name="Maria Lopez", relationship="mother", role="parent")
    person = sockets["lead"].emit("op", raw, callback=True)["event"]["person"]
    supervision = open_socket(staff_client(scene.worker), scene.meeting_id, display=True)
    lead = open_socket(staff_client(scene.supervisor), scene.meeting_id)
    synced = supervision.emit(
        "sync", {"meeting_id": scene.meeting_id, "since_rev": None}, callback=True
    )
    assert [p["name"] for p in synced["snapshot"]["involved"]] == ["M.L."]
    # an edit made in supervision goes out with the initials, never the stored name
    edit = op(scene.meeting_id, "edit_person", person_id=person["id"], base_version=1, age=30)
    assert lead.emit("op", edit, callback=True)["ok"]
    received = supervision.get_received()
    assert "Lopez" not in json.dumps(received) and "Lopez" not in json.dumps(synced)
    (event,) = events_named(received, "event")
    assert event["person"] == {**person, "name": "M.L.", "age": 30, "version": 2}
