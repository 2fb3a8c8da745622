"""What reaches each socket in private family time and before a child's consent, checked on
the raw payloads: the facilitator, a worker, the room's display (opened by staff and by
display link), two family members, and a guest who joined as a professional (a partner).

Each table says, per state, who receives the secret text (in events, acks, and a sync from
the start and a fresh snapshot); everyone else must not receive it anywhere in anything.
"""

from __future__ import annotations

import json
from typing import Any

import pytest
from builders import make_invite, make_meeting, op, staff_in

from facilitator.extensions import db
from facilitator.models import AgencyText, Case, Meeting, User
from facilitator.services import display_links

RECIPIENTS = ("facilitator", "worker", "display", "display_link", "mum", "gran", "partner")
FAMILY = {"mum", "gran"}


def _join(app, code: str, name: str, relation: str):
    client = app.test_client()
    assert client.post("/join", data={"code": code}).status_code == 302
    answer = client.post("/join/name", data={"display_name": name, "relation": relation})
    assert answer.status_code == 302, "the guest could not join"
    return client


def _display_link_client(app, meeting_id: int, lead_id: int):
    """The room's computer, opened with a display link (no sign-in)."""
    with app.app_context():
        meeting = db.session.get(Meeting, meeting_id)
        lead = staff_in(meeting, db.session.get(User, lead_id))
        _, token = display_links.create(lead, meeting)
    client = app.test_client()
    assert client.get(f"/display/{token}").status_code == 302
    return client


def _room(app, scene, staff_client, open_socket, meeting_id: int, code: str) -> dict[str, Any]:
    """Everyone on one meeting's board, their sockets drained."""
    sockets = {
        "facilitator": open_socket(staff_client(scene.supervisor), meeting_id),
        "worker": open_socket(staff_client(scene.worker), meeting_id),
        "display": open_socket(staff_client(scene.worker), meeting_id, display=True),
        "display_link": open_socket(
            _display_link_client(app, meeting_id, scene.supervisor.id), meeting_id, display=True
        ),
        "mum": open_socket(_join(app, code, "Mum", "parent"), meeting_id),
        "gran": open_socket(_join(app, code, "Gran", "relative"), meeting_id),
        "partner": open_socket(_join(app, code, "Ms Diaz", "professional"), meeting_id),
    }
    for name, socket in sockets.items():
        assert socket.is_connected(), f"{name} was not let in"
        socket.get_received()
    return sockets


def _everything(socket, meeting_id: int) -> str:
    """All a socket received since last asked, and both kinds of sync, as one string."""
    received = socket.get_received()
    syncs = [
        socket.emit("sync", {"meeting_id": meeting_id, "since_rev": since}, callback=True)
        for since in (0, None)
    ]
    return json.dumps([received, syncs])


def _check(sockets, meeting_id: int, secret: str, receivers: set[str], acked: str = "") -> None:
    leaks, missing = [], []
    for name, socket in sockets.items():
        seen = _everything(socket, meeting_id) + acked * (name == "mum")
        if secret in seen and name not in receivers:
            leaks.append(name)
        if secret not in seen and name in receivers:
            missing.append(name)
    assert (leaks, missing) == ([], []), f"leaked to {leaks}, missing for {missing}"


def _send(socket, meeting_id: int, kind: str, **payload: Any) -> dict[str, Any]:
    return socket.emit("op", op(meeting_id, kind, **payload), callback=True)


@pytest.fixture
def room(app, scene, staff_client, open_socket):
    return _room(app, scene, staff_client, open_socket, scene.meeting_id, scene.code)


def test_private_family_time_reaches_the_family_only_until_it_shares(scene, room):
    meeting_id, secret = scene.meeting_id, "We want Gran to have the kids at weekends"
    started = _send(room["facilitator"], meeting_id, "set_family_time", on=True)
    assert started["ok"] and started["event"]["meeting"]["family_time_started_at"]
    for name, socket in room.items():  # everyone learns that it runs, and nothing else
        if name != "facilitator":
            assert any(
                event["args"][0].get("type") == "family_time_started"
                for event in socket.get_received()
            ), name

    ack = _send(
        room["mum"], meeting_id, "add_item", section="strengths", text=secret, view="parent"
    )
    assert ack["ok"] and ack["event"]["item"]["text"] == secret
    _check(room, meeting_id, secret, FAMILY, json.dumps(ack))

    # staff and the display got the revision and no more
    room["worker"].emit(
        "sync", {"meeting_id": meeting_id, "since_rev": ack["rev"] - 1}, callback=True
    )
    shown = room["worker"].emit(
        "sync", {"meeting_id": meeting_id, "since_rev": ack["rev"] - 1}, callback=True
    )["events"]
    assert shown == [{"type": "family_private_change", "rev": ack["rev"], "meeting_id": meeting_id}]

    # staff can neither change the family's item nor spotlight it
    item_id = ack["event"]["item"]["id"]
    for kind, payload in (
        ("edit_item", {"item_id": item_id, "text": "x", "base_version": 1}),
        ("delete_item", {"item_id": item_id}),
        ("spotlight", {"item_id": item_id}),
    ):
        refused = _send(room["facilitator"], meeting_id, kind, **payload)
        assert not refused["ok"] and secret not in json.dumps(refused), kind

    # ending the time shares nothing: the items stay the family's
    assert _send(room["facilitator"], meeting_id, "set_family_time", on=False)["ok"]
    _check(room, meeting_id, secret, FAMILY)

    # a partner and staff cannot share for the family; any family member can
    for name in ("partner", "worker", "facilitator"):
        refused = _send(room[name], meeting_id, "share_family_items")
        assert refused["error"]["code"] == "forbidden", name
    assert _send(room["gran"], meeting_id, "share_family_items")["ok"]
    _check(room, meeting_id, secret, set(RECIPIENTS))


def test_only_the_facilitator_starts_and_ends_private_family_time(scene, room):
    for name in ("worker", "mum", "partner"):
        refused = _send(room[name], scene.meeting_id, "set_family_time", on=True)
        assert refused["error"]["code"] == "forbidden", name
    assert _send(room["facilitator"], scene.meeting_id, "set_family_time", on=True)["ok"]
    again = _send(room["facilitator"], scene.meeting_id, "set_family_time", on=True)
    assert again["error"]["code"] == "invalid"


def test_what_staff_and_partners_add_in_family_time_is_everyones(scene, room):
    _send(room["facilitator"], scene.meeting_id, "set_family_time", on=True)
    for name, text in (("worker", "Worker's note"), ("partner", "Teacher's note")):
        assert _send(room[name], scene.meeting_id, "add_item", section="grey", text=text)["ok"]
        _check(room, scene.meeting_id, text, set(RECIPIENTS))


# --- the child's consent -----------------------------------------------------------------


@pytest.fixture
def family_room(app, scene, staff_client, open_socket):
    """A Three Houses meeting of the scene's case, everyone on it (the child too)."""
    with app.app_context():
        lead = db.session.get(User, scene.supervisor.id)
        meeting = make_meeting(
            db.session.get(Case, scene.case_id), lead, "family_team", "three_houses"
        )
        invite, _ = make_invite(meeting, lead)
        meeting_id, code = meeting.id, invite.code
    sockets = _room(app, scene, staff_client, open_socket, meeting_id, code)
    sockets["child"] = open_socket(_join(app, code, "Jo", "child"), meeting_id)
    sockets["child"].get_received()
    return meeting_id, sockets


def test_a_childs_words_reach_only_the_child_and_the_facilitator_until_consent(family_room):
    meeting_id, sockets = family_room
    words = "I like it when Gran reads to me"
    ack = _send(
        sockets["child"], meeting_id, "add_item", section="house_good", text=words, view="child"
    )
    assert ack["ok"] and ack["event"]["item"]["awaiting_consent"] is True
    _check(sockets, meeting_id, words, {"child", "facilitator"})

    for name in ("mum", "partner", "display"):
        assert (
            _send(sockets[name], meeting_id, "record_consent", by="Maria")["error"]["code"]
            == "forbidden"
        )
    recorded = _send(sockets["worker"], meeting_id, "record_consent", by="Maria, mother")
    consent = recorded["event"]["meeting"]["child_consent"]
    assert consent["by"] == "Maria, mother" and consent["at"]
    assert consent["recorded_by"]["id"] == recorded["event"]["actor"]["id"]
    _check(sockets, meeting_id, words, set(sockets))


def test_an_agency_that_requires_no_consent_shows_a_childs_words_at_once(app, family_room):
    meeting_id, sockets = family_room
    with app.app_context():
        db.session.add(AgencyText(key="child_consent", value="not_required"))
        db.session.commit()
    words = "My house of dreams has a dog"
    assert _send(
        sockets["child"], meeting_id, "add_item", section="house_dreams", text=words, view="child"
    )["ok"]
    _check(sockets, meeting_id, words, set(sockets))


def test_a_childs_view_in_supervision_needs_no_consent(scene, room):
    """Consent is about the child's own words in a meeting with the family: in group
    supervision a worker writes the child's view as they understand it."""
    words = "B. says he is scared at night"
    assert _send(
        room["worker"], scene.meeting_id, "add_item", section="harm", text=words, view="child"
    )["ok"]
    _check(room, scene.meeting_id, words, set(RECIPIENTS))


def test_staff_who_may_not_read_a_childs_words_can_neither_change_them_nor_get_them_back(
    family_room,
):
    """A stale edit's conflict carries the current item: it must not carry the words."""
    meeting_id, sockets = family_room
    words = "I dream of a dog called Biscuit"
    ack = _send(
        sockets["child"], meeting_id, "add_item", section="house_dreams", text=words, view="child"
    )
    item_id = ack["event"]["item"]["id"]
    stale = _send(
        sockets["worker"], meeting_id, "edit_item", item_id=item_id, text="x", base_version=9
    )
    removed = _send(sockets["worker"], meeting_id, "delete_item", item_id=item_id)
    assert (stale["error"]["code"], removed["error"]["code"]) == ("forbidden", "forbidden")
    assert words not in json.dumps([stale, removed])
    _check(sockets, meeting_id, words, {"child", "facilitator"})
