"""Issue 17, 14: the edges of the wire a hand-written client meets. A malformed frame that
asked for an ack gets one; an `op` that asked for none is not applied and says so; a
reused op_id with other content is refused, never answered as a duplicate."""

from __future__ import annotations

import json
import logging
from typing import Any

import pytest
from builders import add_op, op, rev_of

from facilitator.extensions import socketio


@pytest.fixture
def sender(app, scene, staff_client, open_socket):
    socket = open_socket(staff_client(scene.supervisor), scene.meeting_id)
    socket.get_received()
    return socket


def send_frame(socket: Any, frame: str) -> Any:
    """A raw Socket.IO frame as a client could write it; the ack it got, or None."""
    socketio.server._handle_eio_message(socket.eio_sid, frame)
    ack, socket.acks = socket.acks, None
    return ack["args"][0] if ack else None


def revision(app, meeting_id: int) -> int:
    with app.app_context():
        return rev_of(meeting_id)


def deep(depth: int) -> str:
    return "[" * depth + "]" * depth


@pytest.mark.parametrize(
    "frame",
    [
        '27["op",{"op_id":',  # broken JSON
        "27[]",  # an event without a name
        "27[1]",  # ... with a name that is not text
        '27[{"name":"op"}]',
        "27" + deep(20_000),  # nested deeper than the JSON reader goes
        '27["op",' + deep(20_000) + "]",
        '2/,7["op",{"op_id":',  # the default namespace written out
    ],
    ids=["broken", "no-name", "number-name", "object-name", "deep", "deep-payload", "ns"],
)
def test_a_malformed_frame_with_an_ack_id_is_answered_invalid(app, scene, sender, frame, caplog):
    with caplog.at_level(logging.WARNING, logger="facilitator"):
        ack = send_frame(sender, frame)
    assert ack["ok"] is False and ack["error"]["code"] == "invalid"
    assert any("malformed frame" in record.getMessage() for record in caplog.records)
    assert revision(app, scene.meeting_id) == 0
    assert sender.is_connected()


def test_a_malformed_frame_without_an_ack_id_is_answered_by_nothing(app, scene, sender):
    assert send_frame(sender, '2["op",{"op_id":') is None
    assert sender.get_received() == []
    assert sender.is_connected()


@pytest.mark.parametrize("where", ["meeting_id", "base_version", "ack id"])
def test_hundred_digit_integers_are_answered(app, scene, sender, where):
    huge = 10**99 + 7  # 100 digits
    raw = op(scene.meeting_id, "edit_item", item_id=1, text="x", base_version=1)
    if where == "meeting_id":
        raw["meeting_id"] = huge
    elif where == "base_version":
        raw["payload"]["base_version"] = huge
    ack_id = huge if where == "ack id" else 7
    socketio.server._handle_eio_message(sender.eio_sid, f"2{ack_id}{json.dumps(['op', raw])}")
    ack, sender.acks = sender.acks, None
    assert ack is not None
    assert ack["args"][0]["ok"] is False
    assert revision(app, scene.meeting_id) == 0


def test_an_op_without_an_ack_id_is_not_applied_and_gets_an_error_event(app, scene, sender):
    assert send_frame(sender, "2" + json.dumps(["op", add_op(scene.meeting_id)])) is None
    assert revision(app, scene.meeting_id) == 0
    errors = [message for message in sender.get_received() if message["name"] == "error"]
    assert [message["args"][0]["code"] for message in errors] == ["ack_required"]
    assert errors[0]["args"][0]["event"] == "op"


def test_a_reused_op_id_with_other_text_is_refused_as_reused(app, scene, sender):
    raw = add_op(scene.meeting_id, "First words")
    assert sender.emit("op", raw, callback=True)["ok"]
    other = {**raw, "payload": {**raw["payload"], "text": "Other words"}}
    ack = sender.emit("op", other, callback=True)
    assert ack["ok"] is False and ack["error"]["code"] == "op_id_reused"
    assert revision(app, scene.meeting_id) == 1


def test_a_reused_op_id_with_another_type_is_refused_as_reused(app, scene, sender):
    raw = add_op(scene.meeting_id, "Stays")
    item = sender.emit("op", raw, callback=True)["event"]["item"]
    delete = {**op(scene.meeting_id, "delete_item", item_id=item["id"]), "op_id": raw["op_id"]}
    ack = sender.emit("op", delete, callback=True)
    assert ack["ok"] is False and ack["error"]["code"] == "op_id_reused"
    assert revision(app, scene.meeting_id) == 1


def test_the_same_op_resent_is_still_a_duplicate(app, scene, sender):
    raw = add_op(scene.meeting_id, "Once")
    first = sender.emit("op", raw, callback=True)
    again = sender.emit("op", raw, callback=True)
    assert (again["ok"], again["duplicate"], again["event"]) == (True, True, first["event"])
