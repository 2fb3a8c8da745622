"""Hypothesis fuzz of every socket event: no crash, an error ack, nothing written."""

import pytest
from builders import rev_of
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

json_values = st.recursive(
    st.none()
    | st.booleans()
    | st.integers(min_value=-(2**70), max_value=2**70)
    | st.floats(allow_nan=True, allow_infinity=True)
    | st.text(max_size=50),
    lambda children: (
        st.lists(children, max_size=5) | st.dictionaries(st.text(max_size=12), children, max_size=5)
    ),
    max_leaves=30,
)

FIELDS = ("op_id", "meeting_id", "type", "payload", "section", "text", "item_id", "since_rev")

# objects that look like real messages, with any value in any of their fields
message_like = st.fixed_dictionaries(
    {},
    optional={
        "op_id": st.one_of(st.text(max_size=70), json_values),
        "meeting_id": st.one_of(st.sampled_from([1, 2, 0, -1, 2**63]), json_values),
        "type": st.one_of(
            st.sampled_from(["add_item", "edit_item", "move_item", "delete_item"]), json_values
        ),
        "payload": st.one_of(st.dictionaries(st.sampled_from(FIELDS), json_values), json_values),
        "since_rev": json_values,
    },
)

fuzz = settings(
    max_examples=60,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


@pytest.fixture
def socket(scene, staff_client, open_socket):
    return open_socket(staff_client(scene.supervisor), scene.meeting_id)


@pytest.mark.parametrize("event", ["op", "sync", "editing"])
@fuzz
@given(message=st.one_of(json_values, message_like))
def test_any_message_gets_an_answer_and_changes_nothing(app, scene, socket, event, message):
    ack = socket.emit(event, message, callback=True)
    assert isinstance(ack, dict)
    assert ack.get("error", {}).get("code") != "server_error"
    if event == "op":
        assert ack["ok"] is False
    assert socket.is_connected()
    with app.app_context():
        assert rev_of(scene.meeting_id) == 0
