"""Who is editing which item: a hint to the room, never a lock, never naming an anonymous author."""

import pytest
from builders import add_op, events_named


@pytest.fixture
def pair(scene, staff_client, guest_client, open_socket):
    lead = open_socket(staff_client(scene.supervisor), scene.meeting_id)
    guest = open_socket(guest_client(scene.code, "Mum"), scene.meeting_id)
    return lead, guest


def _item(socket, meeting_id, **extra):
    return socket.emit("op", add_op(meeting_id, "An item", "harm", **extra), callback=True)[
        "event"
    ]["item"]["id"]


def test_the_room_sees_who_opened_and_closed_an_editor(scene, pair):
    lead, guest = pair
    item_id = _item(lead, scene.meeting_id)
    guest.get_received()
    assert lead.emit(
        "editing", {"meeting_id": scene.meeting_id, "item_id": item_id}, callback=True
    )["ok"]
    (hint,) = events_named(guest.get_received(), "editing")
    assert (hint["item_id"], hint["name"]) == (item_id, scene.supervisor.name)
    lead.emit("editing", {"meeting_id": scene.meeting_id, "done_item_id": item_id}, callback=True)
    (done,) = events_named(guest.get_received(), "editing")
    assert (done["item_id"], done["done_item_id"]) == (None, item_id)


def test_editing_an_anonymous_item_names_nobody(scene, pair):
    lead, guest = pair
    item_id = _item(guest, scene.meeting_id, anonymous=True)
    lead.get_received()
    guest.emit("editing", {"meeting_id": scene.meeting_id, "item_id": item_id}, callback=True)
    (hint,) = events_named(lead.get_received(), "editing")
    assert (hint["participant_id"], hint["name"]) == (None, "")


def test_a_guest_cannot_announce_editing_someone_elses_item(scene, pair):
    lead, guest = pair
    item_id = _item(lead, scene.meeting_id)
    ack = guest.emit("editing", {"meeting_id": scene.meeting_id, "item_id": item_id}, callback=True)
    assert ack["error"]["code"] == "forbidden"


@pytest.mark.parametrize(
    "payload", [{}, {"item_id": "7"}, {"item_id": 1, "done_item_id": 1}, {"item_id": -1}]
)
def test_a_malformed_editing_hint_is_refused(scene, pair, payload):
    lead, _ = pair
    assert lead.emit("editing", payload, callback=True)["error"]["code"] == "invalid"


@pytest.mark.parametrize("meeting_id", ["other", None, "1", 1.0, True])
def test_an_editing_hint_must_name_its_own_meeting(scene, pair, meeting_id):
    """Authorization against the meeting the event names, as for op and sync."""
    lead, _ = pair
    item_id = _item(lead, scene.meeting_id)
    named = scene.other_meeting_id if meeting_id == "other" else meeting_id
    ack = lead.emit("editing", {"meeting_id": named, "item_id": item_id}, callback=True)
    assert ack["error"]["code"] == "forbidden"
