"""The `sync` event: a reconnecting client catches up on exactly what it missed."""

import pytest
from builders import add_op, events_named, op


@pytest.fixture
def sender(scene, staff_client, open_socket):
    return open_socket(staff_client(scene.supervisor), scene.meeting_id)


def send(socket, raw):
    ack = socket.emit("op", raw, callback=True)
    assert ack["ok"], ack
    return ack["event"]


def test_reconnecting_client_receives_exactly_the_missed_events_in_order(
    scene, sender, staff_client, open_socket
):
    worker = staff_client(scene.worker)
    first = open_socket(worker, scene.meeting_id)
    seen = send(sender, add_op(scene.meeting_id, "seen"))
    first.disconnect()
    item_id = seen["item"]["id"]
    missed = [
        send(sender, add_op(scene.meeting_id, "missed one")),
        send(sender, op(scene.meeting_id, "edit_item", item_id=item_id, text="x", base_version=1)),
        send(sender, op(scene.meeting_id, "delete_item", item_id=item_id)),
    ]
    again = open_socket(worker, scene.meeting_id)
    answer = again.emit("sync", {"meeting_id": scene.meeting_id, "since_rev": 1}, callback=True)
    assert answer["ok"] is True
    assert answer["mode"] == "events"
    assert answer["events"] == missed
    assert [event["rev"] for event in answer["events"]] == [2, 3, 4]
    assert answer["rev"] == 4


def test_sync_from_the_latest_rev_returns_nothing(scene, sender):
    send(sender, add_op(scene.meeting_id))
    answer = sender.emit("sync", {"meeting_id": scene.meeting_id, "since_rev": 1}, callback=True)
    assert (answer["mode"], answer["events"]) == ("events", [])


def test_sync_without_a_rev_returns_a_snapshot_of_the_board(scene, sender):
    send(sender, add_op(scene.meeting_id, "on the board"))
    answer = sender.emit("sync", {"meeting_id": scene.meeting_id, "since_rev": None}, callback=True)
    assert answer["mode"] == "snapshot"
    assert answer["snapshot"]["rev"] == 1
    assert [item["text"] for item in answer["snapshot"]["items"]] == ["on the board"]


def test_sync_tells_the_client_which_participant_it_is(scene, sender, guest_client, open_socket):
    guest = open_socket(guest_client(scene.code), scene.meeting_id)
    answer = guest.emit("sync", {"meeting_id": scene.meeting_id, "since_rev": 0}, callback=True)
    people = {
        p["id"]: p["name"]
        for p in sender.emit(
            "sync", {"meeting_id": scene.meeting_id, "since_rev": None}, callback=True
        )["snapshot"]["participants"]
    }
    assert people[answer["you"]] == "Mum"


def test_guest_snapshot_matches_the_staff_snapshot(scene, sender, guest_client, open_socket):
    send(sender, add_op(scene.meeting_id, "shared"))
    guest = open_socket(guest_client(scene.code), scene.meeting_id)
    request = {"meeting_id": scene.meeting_id, "since_rev": None}
    staff_items = sender.emit("sync", request, callback=True)["snapshot"]["items"]
    assert guest.emit("sync", request, callback=True)["snapshot"]["items"] == staff_items


@pytest.mark.parametrize("since_rev", [-1, "1", 1.5, True, [0], {"rev": 0}])
def test_sync_with_a_malformed_rev_is_invalid(scene, sender, since_rev):
    answer = sender.emit(
        "sync", {"meeting_id": scene.meeting_id, "since_rev": since_rev}, callback=True
    )
    assert answer["error"]["code"] == "invalid"


@pytest.mark.parametrize("message", [None, [], "sync", 7, {}])
def test_sync_that_is_not_an_object_naming_the_meeting_is_forbidden(sender, message):
    assert sender.emit("sync", message, callback=True)["error"]["code"] == "forbidden"


def test_sync_of_another_meeting_than_the_socket_is_forbidden(scene, sender):
    answer = sender.emit(
        "sync", {"meeting_id": scene.other_meeting_id, "since_rev": 0}, callback=True
    )
    assert answer["error"]["code"] == "forbidden"


def test_sync_naming_an_impossible_meeting_id_is_forbidden(sender):
    answer = sender.emit("sync", {"meeting_id": 2**70, "since_rev": 0}, callback=True)
    assert answer["error"]["code"] == "forbidden"


def test_sync_does_not_broadcast_anything(scene, sender, staff_client, open_socket):
    watcher = open_socket(staff_client(scene.worker), scene.meeting_id)
    watcher.get_received()
    sender.emit("sync", {"meeting_id": scene.meeting_id, "since_rev": None}, callback=True)
    assert events_named(watcher.get_received(), "event") == []
