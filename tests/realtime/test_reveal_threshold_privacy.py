"""The reveal threshold and anonymous reasons over sockets (issue 18), checked on the raw
payloads each role, the display and a guest receive in each state: below the threshold
nobody receives a number or a reason and the reveal is refused (too_few_ratings); at the
threshold the reveal reaches everyone; in an anonymous round no payload to anyone ties a
reason to its writer."""

import json

import pytest
from builders import op, reveal_threshold_row

from facilitator.extensions import db

REASONS = {
    "lead": "lead-reason-heron",
    "worker": "worker-reason-otter",
    "guest": "guest-reason-lynx",
}
NAMES = ("Sam", "Mum")  # the guest's name; staff names come from builders


@pytest.fixture
def room(app, scene, staff_client, guest_client, open_socket):
    """The facilitator, a teammate, a guest and the display, with the agency default (3)."""
    with app.app_context(), db.engine.begin() as connection:
        reveal_threshold_row(connection, None)
    sockets = {
        "lead": open_socket(staff_client(scene.supervisor), scene.meeting_id),
        "worker": open_socket(staff_client(scene.worker), scene.meeting_id),
        "guest": open_socket(guest_client(scene.code, "Mum"), scene.meeting_id),
        "display": open_socket(staff_client(scene.worker), scene.meeting_id, display=True),
    }
    for socket in sockets.values():
        socket.get_received()
    return sockets


def emit(socket, raw):
    return socket.emit("op", raw, callback=True)


def raw(socket) -> str:
    return json.dumps(socket.get_received())


def snapshot(socket, meeting_id) -> str:
    return json.dumps(
        socket.emit("sync", {"meeting_id": meeting_id, "since_rev": None}, callback=True)
    )


def open_round(scene, room, anonymous=False):
    ack = emit(room["lead"], op(scene.meeting_id, "open_scale_round", anonymous=anonymous))
    assert ack["ok"], ack
    assert ack["event"]["scale_round"]["reveal_threshold"] == 3
    return ack["event"]["scale_round"]["id"]


def rate(scene, room, who, round_id, value):
    ack = emit(
        room[who], op(scene.meeting_id, "rate", round_id=round_id, value=value, reason=REASONS[who])
    )
    assert ack["ok"], ack
    return ack


def test_below_the_threshold_the_reveal_is_refused_and_nothing_leaks(scene, room):
    round_id = open_round(scene, room)
    rate(scene, room, "worker", round_id, 2)
    rate(scene, room, "guest", round_id, 8)
    refused = emit(room["lead"], op(scene.meeting_id, "reveal_scale_round", round_id=round_id))
    assert refused["ok"] is False
    assert refused["error"]["code"] == "too_few_ratings"
    assert (refused["error"]["rated"], refused["error"]["needed"]) == (2, 3)
    for who in ("worker", "guest", "display"):
        answer = emit(room[who], op(scene.meeting_id, "reveal_scale_round", round_id=round_id))
        assert answer["error"]["code"] == "forbidden"
    for who, socket in room.items():
        seen = raw(socket) + snapshot(socket, scene.meeting_id)
        assert '"scale_round_revealed"' not in seen
        for writer, reason in REASONS.items():
            assert (reason in seen) == (writer == who != "lead"), (who, writer)  # lead: none


def test_at_the_threshold_the_reveal_reaches_everyone(scene, room):
    round_id = open_round(scene, room)
    for who, value in (("worker", 2), ("guest", 8), ("lead", 5)):
        rate(scene, room, who, round_id, value)
    for socket in room.values():
        socket.get_received()
    ack = emit(room["lead"], op(scene.meeting_id, "reveal_scale_round", round_id=round_id))
    for who, socket in room.items():
        seen = json.dumps(ack) if who == "lead" else raw(socket)  # the sender has it in its ack
        assert '"scale_round_revealed"' in seen
        assert all(reason in seen for reason in REASONS.values())
        assert "Mum" in seen  # a named round names its raters


def test_an_anonymous_round_sends_no_writer_of_a_reason_to_anyone(scene, room):
    round_id = open_round(scene, room, anonymous=True)
    acks = {
        who: rate(scene, room, who, round_id, value)
        for who, value in (("worker", 2), ("guest", 8), ("lead", 5))
    }
    ids = {who: ack["event"]["actor"]["id"] for who, ack in acks.items()}
    for socket in room.values():
        socket.get_received()
    ack = emit(room["lead"], op(scene.meeting_id, "reveal_scale_round", round_id=round_id))
    for who, socket in room.items():
        received = json.dumps(ack) if who == "lead" else raw(socket)  # the sender: its ack
        for seen in (received, snapshot(socket, scene.meeting_id)):
            payload = json.loads(seen)
            for round_ in _rounds(payload):
                for rating in round_["ratings"]:
                    assert set(rating) == {"participant_id", "name", "value", "reason"}
                    assert (rating["participant_id"], rating["name"]) == (None, None), who
                    assert "via" not in rating
            assert "Mum" not in json.dumps(list(_rounds(payload))), who
    # the rounds' ratings come ordered by value, not by who rated first
    reasons = [
        r["reason"]
        for r in next(_rounds(json.loads(snapshot(room["display"], scene.meeting_id))))["ratings"]
    ]
    assert reasons == [REASONS["worker"], REASONS["lead"], REASONS["guest"]]
    assert (
        sorted(ids.values())
        == next(_rounds(json.loads(snapshot(room["display"], scene.meeting_id))))["rated"]
    )


def _rounds(payload):
    """Every revealed round JSON anywhere in a payload."""
    if isinstance(payload, dict):
        if payload.get("status") == "revealed" and "ratings" in payload:
            yield payload
        for value in payload.values():
            yield from _rounds(value)
    elif isinstance(payload, list):
        for value in payload:
            yield from _rounds(value)
