"""The `op` event: acked to the sender, published to the room, refused with an error ack."""

import math
from typing import Any

import pytest
from builders import add_op, events_named, new_op_id, op, rev_of
from sqlalchemy import select

from facilitator.domain.limits import ITEM_TEXT_MAX, PAYLOAD_MAX_BYTES
from facilitator.extensions import db
from facilitator.models import Item


@pytest.fixture
def room(scene, staff_client, open_socket):
    """Two staff members of the case's team on the same board: A sends, B watches."""
    a = open_socket(staff_client(scene.supervisor), scene.meeting_id)
    b = open_socket(staff_client(scene.worker), scene.meeting_id)
    a.get_received()
    b.get_received()
    return a, b


def board_state(app, meeting_id):
    """The meeting's revision and every item row, as committed."""
    with app.app_context():
        rows = db.session.scalars(select(Item).filter_by(meeting_id=meeting_id).order_by(Item.id))
        return rev_of(meeting_id), [(i.id, i.text, i.version, i.deleted) for i in rows]


def test_sender_gets_an_ack_with_the_rev_and_event(scene, room):
    a, _ = room
    raw = add_op(scene.meeting_id, "Bruise on the arm")
    ack = a.emit("op", raw, callback=True)
    assert ack["ok"] is True
    assert (ack["rev"], ack["duplicate"]) == (1, False)
    assert (ack["event"]["type"], ack["event"]["op_id"]) == ("item_added", raw["op_id"])


def test_teammate_receives_the_added_item(scene, room):
    a, b = room
    ack = a.emit("op", add_op(scene.meeting_id, "Bruise on the arm"), callback=True)
    (event,) = events_named(b.get_received(), "event")
    assert event == ack["event"]
    assert event["item"]["text"] == "Bruise on the arm"


def test_sender_gets_its_event_in_the_ack_only(scene, room):
    a, b = room
    a.get_received()
    ack = a.emit("op", add_op(scene.meeting_id), callback=True)
    assert ack["event"]["rev"] == 1
    assert events_named(a.get_received(), "event") == []  # not sent twice
    assert events_named(b.get_received(), "event") == [ack["event"]]


def test_guest_receives_staff_changes(scene, room, guest_client, open_socket):
    a, _ = room
    guest = open_socket(guest_client(scene.code), scene.meeting_id)
    guest.get_received()
    a.emit("op", add_op(scene.meeting_id, "For everyone"), callback=True)
    assert [e["item"]["text"] for e in events_named(guest.get_received(), "event")] == [
        "For everyone"
    ]


def test_events_of_one_meeting_never_reach_another(scene, room, staff_client, open_socket):
    a, _ = room
    elsewhere = open_socket(staff_client(scene.worker), scene.other_meeting_id)
    elsewhere.get_received()
    a.emit("op", add_op(scene.meeting_id), callback=True)
    assert events_named(elsewhere.get_received(), "event") == []


def test_every_client_sees_revisions_in_one_order(scene, room):
    a, b = room
    seen: dict[Any, list[int]] = {a: [], b: []}
    for number in range(4):
        sender = a if number % 2 else b
        ack = sender.emit("op", add_op(scene.meeting_id, f"item {number}"), callback=True)
        seen[sender].append(ack["event"]["rev"])  # its own event comes in the ack
        for client in (a, b):
            seen[client] += [e["rev"] for e in events_named(client.get_received(), "event")]
    assert seen[a] == seen[b] == [1, 2, 3, 4]


def test_display_receives_events_but_may_not_send(scene, room, staff_client, open_socket):
    a, _ = room
    display = open_socket(staff_client(scene.worker), scene.meeting_id, display=True)
    display.get_received()
    a.emit("op", add_op(scene.meeting_id), callback=True)
    assert len(events_named(display.get_received(), "event")) == 1
    ack = display.emit("op", add_op(scene.meeting_id), callback=True)
    assert ack["error"]["code"] == "forbidden"


def test_guest_op_naming_another_meeting_gets_an_error_ack(app, scene, guest_client, open_socket):
    guest = open_socket(guest_client(scene.code), scene.meeting_id)
    ack = guest.emit("op", add_op(scene.other_meeting_id), callback=True)
    assert ack["ok"] is False
    assert ack["error"]["code"] == "forbidden"
    assert board_state(app, scene.other_meeting_id) == (0, [])


def test_staff_op_naming_another_meeting_than_the_socket_gets_an_error_ack(app, scene, room):
    a, _ = room
    ack = a.emit("op", add_op(scene.other_meeting_id), callback=True)
    assert ack["error"]["code"] == "forbidden"
    assert board_state(app, scene.other_meeting_id) == (0, [])


# --- malformed input -----------------------------------------------------------------

OP_ID = "retry-0000000001"


def nested(depth):
    value = []
    for _ in range(depth):
        value = [value]
    return value


def malformed(meeting_id):
    """Messages no client of ours would send, keyed by what is wrong with them."""
    return {
        "not a dict: list": [1, 2, 3],
        "not a dict: string": "add_item",
        "not a dict: number": 42,
        "not a dict: null": None,
        "not a dict: bool": True,
        "empty object": {},
        "missing op_id": {"meeting_id": meeting_id, "type": "add_item", "payload": {}},
        "missing type": {"op_id": OP_ID, "meeting_id": meeting_id, "payload": {}},
        "missing payload": {"op_id": OP_ID, "meeting_id": meeting_id, "type": "add_item"},
        "missing text": {
            "op_id": OP_ID,
            "meeting_id": meeting_id,
            "type": "add_item",
            "payload": {},
        },
        "op_id a number": {**add_op(meeting_id), "op_id": 12345678},
        "meeting_id a string": {**add_op(meeting_id), "meeting_id": "1"},
        "meeting_id a bool": {**add_op(meeting_id), "meeting_id": True},
        "meeting_id a float": {**add_op(meeting_id), "meeting_id": 1.0},
        "payload a list": {**add_op(meeting_id), "payload": ["harm", "text"]},
        "text a number": add_op(meeting_id, text=5),
        "text a list": add_op(meeting_id, text=["a"]),
        "section a dict": add_op(meeting_id, section={"key": "harm"}),
        "item_id a bool": op(meeting_id, "delete_item", item_id=True),
        "item_id NaN": op(meeting_id, "delete_item", item_id=math.nan),
        "item_id infinite": op(meeting_id, "delete_item", item_id=math.inf),
        "item_id huge": op(meeting_id, "delete_item", item_id=10**40),
        "text NaN": add_op(meeting_id, text=math.nan),
        "deep nesting in payload": add_op(meeting_id, text=nested(200)),
        "deep nesting as the message": nested(400),
        "naughty type": op(meeting_id, "__class__"),
    }


@pytest.mark.parametrize("label", list(malformed(1)))
def test_malformed_op_gets_an_error_ack_and_changes_nothing(app, scene, room, label):
    a, b = room
    a.emit("op", add_op(scene.meeting_id, "kept"), callback=True)
    b.get_received()
    before = board_state(app, scene.meeting_id)
    ack = a.emit("op", malformed(scene.meeting_id)[label], callback=True)
    assert ack["ok"] is False
    assert ack["error"]["code"] in {"invalid", "unknown_type", "too_large"}
    assert ack["error"]["message"]
    assert board_state(app, scene.meeting_id) == before
    assert events_named(b.get_received(), "event") == []


def test_op_with_extra_arguments_gets_an_error_ack(app, scene, room):
    a, _ = room
    ack = a.emit("op", add_op(scene.meeting_id), {"extra": 1}, callback=True)
    assert ack["error"]["code"] == "invalid"
    assert board_state(app, scene.meeting_id) == (0, [])


def test_op_with_no_argument_gets_an_error_ack(scene, room):
    a, _ = room
    assert a.emit("op", callback=True)["error"]["code"] == "invalid"


def test_unknown_event_changes_nothing_and_keeps_the_socket(app, scene, room):
    a, _ = room
    assert a.emit("drop_table", {"x": 1}, callback=True) is None
    assert a.is_connected()
    assert board_state(app, scene.meeting_id) == (0, [])


# --- sizes -----------------------------------------------------------------------------


def test_oversize_payload_is_refused_as_too_large(app, scene, room):
    a, _ = room
    raw = add_op(scene.meeting_id, "x" * ITEM_TEXT_MAX, padding="y" * PAYLOAD_MAX_BYTES)
    ack = a.emit("op", raw, callback=True)
    assert ack["error"]["code"] == "too_large"
    assert board_state(app, scene.meeting_id) == (0, [])


def test_payload_of_exactly_the_byte_limit_is_not_too_large(scene, room):
    a, _ = room
    raw = add_op(scene.meeting_id, "x", padding="")
    size = len(str(raw).replace("'", '"'))
    raw["payload"]["padding"] = "y" * (PAYLOAD_MAX_BYTES - size)
    ack = a.emit("op", raw, callback=True)
    assert ack["ok"] is True


def test_payload_one_byte_over_the_limit_is_too_large(scene, room):
    a, _ = room
    raw = add_op(scene.meeting_id, "x", padding="")
    size = len(str(raw).replace("'", '"'))
    raw["payload"]["padding"] = "y" * (PAYLOAD_MAX_BYTES - size + 1)
    assert a.emit("op", raw, callback=True)["error"]["code"] == "too_large"


def test_item_of_the_full_length_in_any_script_fits_the_payload_limit(scene, room):
    a, _ = room
    ack = a.emit("op", add_op(scene.meeting_id, "é" * ITEM_TEXT_MAX), callback=True)
    assert ack["ok"] is True


def test_item_of_exactly_the_text_limit_is_accepted(scene, room):
    a, _ = room
    ack = a.emit("op", add_op(scene.meeting_id, "x" * ITEM_TEXT_MAX), callback=True)
    assert ack["ok"] is True


def test_item_one_character_over_the_text_limit_is_refused(app, scene, room):
    a, _ = room
    ack = a.emit("op", add_op(scene.meeting_id, "x" * (ITEM_TEXT_MAX + 1)), callback=True)
    assert ack["error"]["code"] == "text_too_long"
    assert ack["error"]["limit"] == ITEM_TEXT_MAX
    assert board_state(app, scene.meeting_id) == (0, [])


# --- retries ---------------------------------------------------------------------------


def test_retried_op_id_creates_nothing_new(app, scene, room):
    a, _ = room
    raw = add_op(scene.meeting_id, "once")
    first = a.emit("op", raw, callback=True)
    again = a.emit("op", raw, callback=True)
    assert (again["rev"], again["event"], again["duplicate"]) == (
        first["rev"],
        first["event"],
        True,
    )
    rev, items = board_state(app, scene.meeting_id)
    assert (rev, len(items)) == (1, 1)


def test_retried_op_is_not_published_again(scene, room):
    a, b = room
    raw = add_op(scene.meeting_id, "once")
    a.emit("op", raw, callback=True)
    a.emit("op", raw, callback=True)
    assert len(events_named(b.get_received(), "event")) == 1


def test_retry_from_another_connection_of_the_same_person_is_a_duplicate(
    app, scene, room, staff_client, open_socket
):
    a, _ = room
    raw = add_op(scene.meeting_id, "once", op_id=new_op_id())
    a.emit("op", raw, callback=True)
    reconnected = open_socket(staff_client(scene.supervisor), scene.meeting_id)
    assert reconnected.emit("op", raw, callback=True)["duplicate"] is True
    assert board_state(app, scene.meeting_id)[0] == 1


def test_stale_edit_gets_a_conflict_with_the_current_text(scene, room):
    a, b = room
    item = a.emit("op", add_op(scene.meeting_id, "original"), callback=True)["event"]["item"]
    edit = {"item_id": item["id"], "base_version": 1}
    a.emit("op", op(scene.meeting_id, "edit_item", text="A's words", **edit), callback=True)
    ack = b.emit("op", op(scene.meeting_id, "edit_item", text="B's words", **edit), callback=True)
    assert ack["error"]["code"] == "conflict"
    assert ack["error"]["item"]["text"] == "A's words"
