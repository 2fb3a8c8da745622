"""What must not reach a browser: private items' text before the reveal, anonymous authors ever."""

import json

import pytest
from builders import add_op, op


@pytest.fixture
def people(scene, staff_client, guest_client, open_socket):
    """The facilitator (supervisor), a worker and a guest, all on the board."""
    lead = open_socket(staff_client(scene.supervisor), scene.meeting_id)
    worker = open_socket(staff_client(scene.worker), scene.meeting_id)
    guest = open_socket(guest_client(scene.code, "Mum"), scene.meeting_id)
    for socket in (lead, worker, guest):
        socket.get_received()
    return lead, worker, guest


def raw(socket) -> str:
    """Everything a socket received, as one string (to look for leaks anywhere in it)."""
    return json.dumps(socket.get_received())


def sync_raw(socket, meeting_id, since_rev):
    return json.dumps(
        socket.emit("sync", {"meeting_id": meeting_id, "since_rev": since_rev}, callback=True)
    )


def test_privately_collected_text_reaches_only_its_author_until_revealed(scene, people):
    lead, worker, guest = people
    assert lead.emit(
        "op", op(scene.meeting_id, "collect_privately", section="grey", on=True), callback=True
    )["ok"]
    for socket in people:
        socket.get_received()
    secret = "Mum thinks the neighbour knows more"
    ack = guest.emit("op", add_op(scene.meeting_id, secret, "grey"), callback=True)
    assert ack["event"]["item"]["text"] == secret  # the author sees their own
    for socket in (lead, worker):
        received = raw(socket)
        assert '"item_added"' in received and secret not in received
        for since in (0, None):
            assert secret not in sync_raw(socket, scene.meeting_id, since)
    assert secret in sync_raw(guest, scene.meeting_id, None)
    lead.emit(
        "op", op(scene.meeting_id, "collect_privately", section="grey", on=False), callback=True
    )
    assert secret in raw(worker)
    assert secret in sync_raw(worker, scene.meeting_id, None)


def test_an_item_moved_out_of_a_private_section_is_revealed_with_it(scene, people):
    """Found by the facilitation fault test: a hidden item its author moved to a section
    that is not collected privately stayed hidden for good (the reveal took only the items
    still in the section), its place shown to everyone and its text to nobody else."""
    lead, worker, guest = people
    collect = op(scene.meeting_id, "collect_privately", section="grey", on=True)
    assert lead.emit("op", collect, callback=True)["ok"]
    secret = "Mum moved this one"
    added = guest.emit("op", add_op(scene.meeting_id, secret, "grey"), callback=True)
    item_id = added["event"]["item"]["id"]
    move = op(scene.meeting_id, "move_item", item_id=item_id, section="strengths", after_id=None)
    assert guest.emit("op", move, callback=True)["ok"]
    assert secret not in raw(worker)  # still private: the collection is not revealed yet
    reveal = op(scene.meeting_id, "collect_privately", section="grey", on=False)
    assert lead.emit("op", reveal, callback=True)["ok"]
    assert secret in raw(worker)
    assert secret in sync_raw(worker, scene.meeting_id, None)


def _about(payload, text):
    """Every object in a payload that holds an item with this text, with its event."""
    found = []
    if isinstance(payload, dict):
        if isinstance(payload.get("item"), dict) and payload["item"].get("text") == text:
            found.append(payload)
        if payload.get("text") == text and "author" in payload:
            found.append({"item": payload})
        for value in payload.values():
            found += _about(value, text)
    elif isinstance(payload, list):
        for value in payload:
            found += _about(value, text)
    return found


def test_an_anonymous_items_author_reaches_nobody(scene, people):
    lead, worker, guest = people
    add = add_op(scene.meeting_id, "A worry", "harm", anonymous=True)
    ack = worker.emit("op", add, callback=True)
    assert ack["event"]["item"]["mine"] is True
    author_id = ack["event"]["actor"]["id"]
    for socket in (lead, guest):
        seen = [
            *socket.get_received(),
            socket.emit("sync", {"meeting_id": scene.meeting_id, "since_rev": 0}, callback=True),
            socket.emit("sync", {"meeting_id": scene.meeting_id, "since_rev": None}, callback=True),
        ]
        copies = _about(seen, "A worry")
        assert len(copies) >= 3
        for copy in copies:
            assert copy["item"]["author"] == {"id": None, "name": ""}
            assert copy["item"]["mine"] is False
            assert copy.get("actor", {"id": None})["id"] != author_id


def test_a_late_client_gets_the_same_step_and_timer(scene, people):
    lead, worker, _ = people
    ack = lead.emit("op", op(scene.meeting_id, "go_to_step", index=1), callback=True)
    ends_at = ack["event"]["meeting"]["step_ends_at"]
    for since in (None, 0):
        answer = worker.emit(
            "sync", {"meeting_id": scene.meeting_id, "since_rev": since}, callback=True
        )
        meeting = (
            answer["snapshot"]["meeting"]
            if answer["mode"] == "snapshot"
            else answer["events"][-1]["meeting"]
        )
        assert (meeting["step_index"], meeting["step_ends_at"]) == (1, ends_at)


def test_only_the_facilitator_moves_the_steps(scene, people):
    _, worker, guest = people
    for socket in (worker, guest):
        ack = socket.emit("op", op(scene.meeting_id, "go_to_step", index=1), callback=True)
        assert ack["error"]["code"] == "forbidden"


def test_closing_freezes_the_board_and_disconnects_guests(scene, people):
    lead, worker, guest = people
    ack = lead.emit("op", op(scene.meeting_id, "close_meeting"), callback=True)
    assert ack["ok"] and len(ack["event"]["content_hash"]) == 64
    assert not guest.is_connected()
    refused = worker.emit("op", add_op(scene.meeting_id, "too late"), callback=True)
    assert refused["error"]["code"] == "meeting_closed"
