"""Hypothesis fuzz of every socket event and every op type (R6): wrong types, missing
keys, deep nesting, NaN, huge numbers, naughty strings. Each gets an answer, never a
server error nor an error in the log, the socket stays open, and nothing is written.
(The size limit -1 / exact / +1 of each event: test_socket_boundaries.py.)"""

import logging

import pytest
from builders import rev_of
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from naughty import corpus

from facilitator.domain.operations import COMMANDS
from facilitator.extensions import socketio

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
        "type": st.one_of(st.sampled_from(sorted(COMMANDS)), json_values),
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


EVENTS = ["op", "sync", "editing", "admit_guest"]


def test_every_event_that_answers_is_fuzzed(app):
    answering = set(socketio.server.handlers["/"]) - {"connect", "disconnect"}
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
