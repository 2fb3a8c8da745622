"""Before the meeting over sockets (issue 18), checked on the raw payloads each role, the
display and a guest receive: words written before the meeting reach no socket while they
wait (staff read them on the board page only); only the facilitator may bring one on; once
brought, every viewer receives it as an item with its writer's name and view."""

import json

import pytest
from builders import op

from facilitator.extensions import db
from facilitator.identity import staff_actor
from facilitator.models import Meeting, User
from facilitator.services import pre_meeting

WAITING = "before-the-meeting-pangolin"
OTHER = "still-waiting-axolotl"


@pytest.fixture
def written(app, scene):
    """A young person's two entries, written with their link before the meeting."""
    with app.app_context():
        meeting = db.session.get(Meeting, scene.meeting_id)
        lead = staff_actor(db.session.get(User, scene.supervisor.id))
        invite, _ = pre_meeting.create_invite(lead, meeting, "Jay", "young_person", None)
        first = pre_meeting.add_input(invite, "worries", WAITING).id
        second = pre_meeting.add_input(invite, "dreams", OTHER).id
        return first, second


@pytest.fixture
def room(scene, staff_client, guest_client, open_socket, written):
    sockets = {
        "lead": open_socket(staff_client(scene.supervisor), scene.meeting_id),
        "worker": open_socket(staff_client(scene.worker), scene.meeting_id),
        "guest": open_socket(guest_client(scene.code, "Mum"), scene.meeting_id),
        "display": open_socket(staff_client(scene.worker), scene.meeting_id, display=True),
    }
    for socket in sockets.values():
        socket.get_received()
    return sockets


def everything(socket, meeting_id) -> str:
    """What the socket received, and both kinds of sync, as one string."""
    seen = [socket.get_received()]
    for since in (None, 0):
        seen.append(
            socket.emit("sync", {"meeting_id": meeting_id, "since_rev": since}, callback=True)
        )
    return json.dumps(seen)


def bring(socket, meeting_id, input_id, section="grey"):
    raw = op(meeting_id, "bring_pre_meeting_input", input_id=input_id, section=section)
    return socket.emit("op", raw, callback=True)


def test_waiting_words_reach_no_socket(scene, room):
    for who, socket in room.items():
        seen = everything(socket, scene.meeting_id)
        assert WAITING not in seen and OTHER not in seen, who
        assert "Jay" not in seen, who


def test_only_the_facilitator_brings_words_on(scene, room, written):
    for who in ("worker", "guest", "display"):
        answer = bring(room[who], scene.meeting_id, written[0])
        assert answer["ok"] is False and answer["error"]["code"] == "forbidden", who
    for who, socket in room.items():
        assert WAITING not in everything(socket, scene.meeting_id), who


def test_brought_words_reach_everyone_as_the_writers_item(scene, room, written):
    ack = bring(room["lead"], scene.meeting_id, written[0])
    assert ack["ok"], ack
    item = ack["event"]["item"]
    assert (item["text"], item["section"], item["view"]) == (WAITING, "grey", "child")
    assert item["author"]["name"] == "Jay"
    assert ack["event"]["participant"]["role"] == "in_room"
    for who in ("worker", "guest", "display"):
        (event,) = [
            e["args"][0]
            for e in room[who].get_received()
            if e["name"] == "event" and e["args"][0]["type"] == "pre_meeting_input_brought"
        ]
        assert event["item"]["text"] == WAITING and event["item"]["author"]["name"] == "Jay"
    for who, socket in room.items():
        seen = everything(socket, scene.meeting_id)
        assert WAITING in seen, who
        assert OTHER not in seen, who  # the other entry still waits, on no socket


def test_words_are_brought_on_once(scene, room, written):
    assert bring(room["lead"], scene.meeting_id, written[0])["ok"]
    again = bring(room["lead"], scene.meeting_id, written[0])
    assert again["error"]["code"] == "invalid"
    second = bring(room["lead"], scene.meeting_id, written[1], section="harm")
    assert second["ok"]
    assert "participant" not in second["event"]  # the same writer, not a second one
    assert second["event"]["item"]["author"] == ack_author(room, scene)


def ack_author(room, scene):
    snapshot = room["lead"].emit(
        "sync", {"meeting_id": scene.meeting_id, "since_rev": None}, callback=True
    )
    authors = {
        json.dumps(i["author"]) for i in snapshot["snapshot"]["items"] if i["view"] == "child"
    }
    (author,) = authors
    return json.loads(author)


def test_an_unknown_input_or_section_is_refused(scene, room, written):
    assert bring(room["lead"], scene.meeting_id, 99999)["error"]["code"] == "not_found"
    assert bring(room["lead"], scene.meeting_id, written[0], "nowhere")["error"]["code"] == (
        "unknown_section"
    )
