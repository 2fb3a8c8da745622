"""Scaling rounds over sockets: before the reveal no number or reason reaches anyone but
its rater (events, acks, sync in both modes); after it, everyone sees everything."""

import json

import pytest
from builders import events_named, op

SECRET_VALUE = 7
SECRET_REASON = "grandmother-plan-zebra"


@pytest.fixture
def room(scene, staff_client, guest_client, open_socket):
    """The facilitator, a teammate, a guest and the display on one board."""
    lead = open_socket(staff_client(scene.supervisor), scene.meeting_id)
    worker = open_socket(staff_client(scene.worker), scene.meeting_id)
    guest = open_socket(guest_client(scene.code), scene.meeting_id)
    display = open_socket(staff_client(scene.worker), scene.meeting_id, display=True)
    for socket in (lead, worker, guest, display):
        socket.get_received()
    return lead, worker, guest, display


def send(socket, raw):
    ack = socket.emit("op", raw, callback=True)
    assert ack["ok"], ack
    return ack


def sync(socket, meeting_id, since_rev):
    answer = socket.emit("sync", {"meeting_id": meeting_id, "since_rev": since_rev}, callback=True)
    assert answer["ok"], answer
    return answer


def leaks(payload):
    """Whether a raw payload carries the guest's number or reason."""
    text = json.dumps(payload)
    return SECRET_REASON in text or f'"value": {SECRET_VALUE}' in text


def rate_privately(scene, room, anonymous=False):
    lead, worker, guest, _display = room
    round_id = send(lead, op(scene.meeting_id, "open_scale_round", anonymous=anonymous))["event"][
        "scale_round"
    ]["id"]
    send(worker, op(scene.meeting_id, "rate", round_id=round_id, value=2, reason="worker says"))
    ack = send(
        guest,
        op(scene.meeting_id, "rate", round_id=round_id, value=SECRET_VALUE, reason=SECRET_REASON),
    )
    return round_id, ack


def test_before_the_reveal_only_the_rater_gets_the_value(scene, room):
    lead, worker, _guest, display = room
    round_id, ack = rate_privately(scene, room)
    assert ack["event"]["rating"]["value"] == SECRET_VALUE  # the rater's own ack
    assert ack["event"]["rating"]["reason"] == SECRET_REASON
    for socket in (lead, worker, display):
        received = socket.get_received()
        assert received, "the others learn that someone rated"
        assert not leaks(received)
        rated = [e for e in events_named(received, "event") if e["type"] == "rating_given"]
        assert rated[-1]["scale_round"]["id"] == round_id
        assert len(rated[-1]["scale_round"]["rated"]) == 2
        assert rated[-1]["rating"] == {"participant_id": ack["event"]["actor"]["id"]}


@pytest.mark.parametrize("since_rev", [0, None, 1])
def test_sync_hides_the_values_from_everyone_but_the_rater(scene, room, since_rev):
    lead, worker, guest, display = room
    rate_privately(scene, room)
    for socket in (lead, worker, display):
        answer = sync(socket, scene.meeting_id, since_rev)
        assert answer["mode"] == ("snapshot" if since_rev is None else "events")
        assert not leaks(answer)
        if since_rev is None:
            (scale_round,) = answer["snapshot"]["scale_rounds"]
            assert scale_round["ratings"] is None
            assert len(scale_round["rated"]) == 2
    own = sync(guest, scene.meeting_id, since_rev)
    assert leaks(own)
    if since_rev is None:
        (scale_round,) = own["snapshot"]["scale_rounds"]
        assert scale_round["mine"] == {"value": SECRET_VALUE, "reason": SECRET_REASON}


def test_after_the_reveal_everyone_sees_every_rating(scene, room):
    lead, worker, guest, display = room
    round_id, _ = rate_privately(scene, room)
    for socket in room:
        socket.get_received()
    revealed = send(lead, op(scene.meeting_id, "reveal_scale_round", round_id=round_id))["event"]
    assert {(r["value"], r["reason"]) for r in revealed["scale_round"]["ratings"]} == {
        (2, "worker says"),
        (SECRET_VALUE, SECRET_REASON),
    }
    assert revealed["scale_round"]["spread"]["median"] == 4.5
    for socket in (worker, guest, display):
        (event,) = events_named(socket.get_received(), "event")
        assert event == revealed
    for socket in room:  # a reconnecting client gets the same reveal, in either mode
        snapshot_round = sync(socket, scene.meeting_id, None)["snapshot"]["scale_rounds"][0]
        assert snapshot_round["ratings"] == revealed["scale_round"]["ratings"]
        assert snapshot_round["spread"] == revealed["scale_round"]["spread"]
        events = sync(socket, scene.meeting_id, 0)["events"]
        assert events[-1]["scale_round"] == revealed["scale_round"]


def test_an_anonymous_reveal_sends_no_names_or_ids(scene, room):
    lead, worker, _guest, _display = room
    round_id, _ack = rate_privately(scene, room, anonymous=True)
    revealed = send(lead, op(scene.meeting_id, "reveal_scale_round", round_id=round_id))["event"]
    for rating in revealed["scale_round"]["ratings"]:
        assert (rating["participant_id"], rating["name"]) == (None, None)
    assert "Mum" not in json.dumps(revealed["scale_round"]["ratings"])
    snapshot = sync(worker, scene.meeting_id, None)["snapshot"]
    assert snapshot["scale_rounds"][0]["ratings"] == revealed["scale_round"]["ratings"]


def test_a_reopened_round_hides_revised_values_again(scene, room):
    lead, worker, guest, display = room
    round_id, _ = rate_privately(scene, room)
    send(lead, op(scene.meeting_id, "reveal_scale_round", round_id=round_id))
    send(lead, op(scene.meeting_id, "reopen_scale_round", round_id=round_id))
    for socket in room:
        socket.get_received()
    send(guest, op(scene.meeting_id, "rate", round_id=round_id, value=9, reason="revised-quokka"))
    for socket in (lead, worker, display):
        assert "revised-quokka" not in json.dumps(socket.get_received())
        answer = sync(socket, scene.meeting_id, None)
        assert "revised-quokka" not in json.dumps(answer)
        assert answer["snapshot"]["scale_rounds"][0]["ratings"] is None
        assert "revised-quokka" not in json.dumps(sync(socket, scene.meeting_id, 0))
