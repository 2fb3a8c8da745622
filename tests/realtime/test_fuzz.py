"""Hypothesis fuzz of every socket event and every op type (R6): wrong types, missing
keys, deep nesting, NaN, huge numbers, naughty strings. Each gets an answer, never a
server error nor an error in the log, the socket stays open, and nothing is written.
The handshake (connect) is fuzzed too: any auth object opens this meeting only when it
names this meeting's id itself.
(The size limit -1 / exact / +1 of each event: test_socket_boundaries.py.)"""

import logging

import pytest
from builders import rev_of
from flask_socketio import SocketIOTestClient
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from naughty import corpus

from facilitator.extensions import socketio
from facilitator.realtime import packets
from facilitator.services.ops.types import OP_TYPES

NAUGHTY = corpus(500)

json_values = st.recursive(
    st.none()
    | st.booleans()
    | st.integers(min_value=-(2**70), max_value=2**70)
    | st.floats(allow_nan=True, allow_infinity=True)
    | st.text(max_size=50)
    | st.sampled_from(NAUGHTY),
    lambda children: (
        st.lists(children, max_size=5) | st.dictionaries(st.text(max_size=12), children, max_size=5)
    ),
    max_leaves=30,
)

FIELDS = (
    "op_id", "meeting_id", "type", "payload", "section", "text", "item_id", "since_rev",
    "participant_id", "admit", "after_id", "base_version", "into_id", "link_id", "round_id",
    "value", "reason", "index", "minutes", "steps", "role", "policy", "on", "locked", "signal",
    "owner", "due_on", "status", "view", "parts", "anonymous", "danger_item_id", "person_id",
    "person_ids", "name", "relationship", "age", "household",
)  # fmt: skip

# objects that look like real messages, with any value in any of their fields
message_like = st.fixed_dictionaries(
    {},
    optional={
        "op_id": st.one_of(st.text(max_size=70), json_values),
        "meeting_id": st.one_of(st.sampled_from([1, 2, 0, -1, 2**63]), json_values),
        "type": st.one_of(st.sampled_from(sorted(OP_TYPES)), json_values),
        "payload": st.one_of(st.dictionaries(st.sampled_from(FIELDS), json_values), json_values),
        "since_rev": json_values,
        "participant_id": json_values,
        "admit": json_values,
    },
)

fuzz = settings(
    max_examples=60,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


@pytest.fixture
def socket(scene, staff_client, open_socket):
    return open_socket(staff_client(scene.supervisor), scene.meeting_id)


EVENTS = ["op", "sync", "editing", "admit_guest", packets.MALFORMED]


def test_every_event_that_answers_is_fuzzed(app):
    """(An `op` without an ack id answers with an `error` event: test_frame_edges.)"""
    not_acked = {"connect", "disconnect", packets.OP_WITHOUT_ACK}
    answering = set(socketio.server.handlers["/"]) - not_acked
    assert answering == set(EVENTS)


@pytest.mark.parametrize("event", EVENTS)
@fuzz
@given(message=st.one_of(json_values, message_like))
def test_any_message_gets_an_answer_and_changes_nothing(app, scene, socket, event, message, caplog):
    caplog.clear()
    with caplog.at_level(logging.ERROR):
        ack = socket.emit(event, message, callback=True)
    assert not [r for r in caplog.records if r.levelno >= logging.ERROR], caplog.text
    assert isinstance(ack, dict)
    assert ack.get("error", {}).get("code") != "server_error"
    if event == "op":
        assert ack["ok"] is False
    assert socket.is_connected()
    with app.app_context():
        assert rev_of(scene.meeting_id) == 0


@pytest.mark.parametrize("event", EVENTS)
def test_deeply_nested_messages_are_refused_cleanly(app, scene, socket, event, caplog):
    deep: object = "x"
    for _ in range(400):  # deeper, and the test client's own encoder recurses too far
        deep = [deep]
    message = {"op_id": "a" * 16, "meeting_id": scene.meeting_id, "type": "add_item"}
    with caplog.at_level(logging.ERROR):
        ack = socket.emit(event, {**message, "payload": deep, "since_rev": deep}, callback=True)
    assert isinstance(ack, dict) and ack["ok"] is False, ack
    assert ack["error"]["code"] != "server_error"
    assert not [r for r in caplog.records if r.levelno >= logging.ERROR], caplog.text
    assert socket.is_connected()
    with app.app_context():
        assert rev_of(scene.meeting_id) == 0


# The handshake's auth: an object (the Socket.IO protocol's CONNECT carries one; the
# client libraries send nothing else), of any keys, or shaped like the browser's with any
# values; or none.
THIS_MEETING = {  # stand-ins for this meeting's id, and things that look like it
    "<this meeting>": lambda meeting_id: meeting_id,
    "<as text>": str,
    "<as float>": float,
    "<as list>": lambda meeting_id: [meeting_id],
    "<as true>": lambda meeting_id: True,  # == 1, but not an id
}
auth_like = st.none() | st.dictionaries(st.text(max_size=12), json_values, max_size=5)
auth_like |= st.fixed_dictionaries(
    {},
    optional={
        "meeting_id": st.one_of(st.sampled_from(sorted(THIS_MEETING)), json_values),
        "display": json_values,
    },
)


@pytest.fixture
def signed_in(scene, staff_client):
    return staff_client(scene.supervisor)


@fuzz
@given(auth=auth_like)
def test_any_handshake_is_let_in_only_to_its_own_meeting_and_logs_no_error(
    app, scene, signed_in, auth, caplog
):
    """connect is an event too: its auth is whatever a client sends."""
    if isinstance(auth, dict) and isinstance(auth.get("meeting_id"), str):
        stand_in = THIS_MEETING.get(auth["meeting_id"])
        if stand_in:
            auth = {**auth, "meeting_id": stand_in(scene.meeting_id)}
    caplog.clear()
    with caplog.at_level(logging.ERROR):
        socket = socketio.test_client(app, flask_test_client=signed_in, auth=auth)
    assert not [r for r in caplog.records if r.levelno >= logging.ERROR], caplog.text
    fits = isinstance(auth, dict) and type(auth.get("meeting_id")) is int
    if socket.is_connected():
        assert fits and auth["meeting_id"] == scene.meeting_id, auth
        socket.disconnect()
    SocketIOTestClient.clients.pop(socket.eio_sid, None)
    with app.app_context():
        assert rev_of(scene.meeting_id) == 0


@pytest.mark.parametrize("stand_in", sorted(THIS_MEETING))
def test_only_the_meeting_id_itself_opens_the_meeting(app, scene, signed_in, stand_in, caplog):
    auth = {"meeting_id": THIS_MEETING[stand_in](scene.meeting_id)}
    with caplog.at_level(logging.ERROR):
        socket = socketio.test_client(app, flask_test_client=signed_in, auth=auth)
    assert not [r for r in caplog.records if r.levelno >= logging.ERROR], caplog.text
    assert socket.is_connected() is (stand_in == "<this meeting>"), auth
    if socket.is_connected():
        socket.disconnect()
    SocketIOTestClient.clients.pop(socket.eio_sid, None)
