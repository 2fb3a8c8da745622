"""R4: every kind of operation, replayed one to three more times with its op_id, changes
nothing: the same revision and event come back marked `duplicate`, no row is added or
changed anywhere, and nobody in the room hears it again.

The meeting and each op's payload are the socket matrix's (test_socket_matrix.py), so a new
op kind without a payload there fails this test as well as the matrix's.
"""

from __future__ import annotations

import random

import pytest
from builders import op
from test_socket_matrix import (  # noqa: F401  (world is a fixture)
    PAYLOADS,
    SENT_BY_FAMILY,
    Prep,
    _hand_over,
    fingerprint,
    open_as,
    world,
)

from facilitator.services.ops.types import OP_TYPES

# what the meeting must be in before some ops can be accepted at all
BEFORE = {"add_time": ("go_to_step", {"index": 0})}


def test_every_op_kind_is_replayed():
    assert set(PAYLOADS) == set(OP_TYPES)


@pytest.mark.parametrize("kind", sorted(OP_TYPES))
def test_an_op_replayed_with_its_op_id_changes_nothing(world, kind):  # noqa: F811
    world.app.config.update(SOCKET_RATE=1e6, SOCKET_BURST=10**6)
    sender, _ = open_as(world, "guest" if kind in SENT_BY_FAMILY else "facilitator")
    listener, _ = open_as(world, "worker")
    with world.app.app_context():
        prep = Prep(world, "case")
        if kind in BEFORE:
            prep._apply(BEFORE[kind][0], **BEFORE[kind][1])
        payload = _hand_over(prep, "facilitator") if kind == "hand_over" else PAYLOADS[kind](prep)
    raw = op(prep.meeting_id, kind, **payload)
    first = sender.emit("op", raw, callback=True)
    assert first["ok"] is True, first
    assert first["duplicate"] is False
    listener.get_received()
    with world.app.app_context():
        before = fingerprint()

    for _ in range(random.randint(1, 3)):
        again = sender.emit("op", raw, callback=True)
        assert again["ok"] is True, again
        assert again["duplicate"] is True
        assert again["rev"] == first["rev"]
        assert again["event"] == first["event"]

    with world.app.app_context():
        assert fingerprint() == before
    assert [m for m in listener.get_received() if m["name"] == "event"] == []
    sender.disconnect()
    listener.disconnect()
