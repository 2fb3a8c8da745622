"""A client that was away and catches up with `sync` shows exactly what a fresh client shows:
the board, the agenda's step and timer, scale rounds, people, everything a snapshot holds.

While one participant is disconnected the facilitator runs every kind of operation
(services/ops/types.py OP_TYPES, with the socket matrix's payloads, so a new kind is covered
as soon as it exists); the participant comes back and syncs from its last revision. Its
old snapshot plus the missed events, and a fresh snapshot, are both fed through the
browser's own reducer (static/js/board/state.js, in Node) and must give the same state.
Beyond SYNC_EVENTS_MAX missed events, sync answers with a snapshot instead.
"""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest
from builders import add_op, connect, guest_in, join_by_code, op, staff_in
from builders import sign_in as give_session
from flask_socketio import SocketIOTestClient
from live_server import unavailable
from sqlalchemy import select
from test_replay import BEFORE
from test_socket_matrix import (  # noqa: F401  (world is a fixture)
    PAYLOADS,
    Prep,
    World,
    _hand_over,
    _invite_code,
    world,
)

from facilitator.domain.limits import SYNC_EVENTS_MAX
from facilitator.extensions import db
from facilitator.models import Meeting, Participant, User
from facilitator.services import board
from facilitator.services.ops.types import OP_TYPES

REDUCER = Path(__file__).resolve().parents[1] / "js" / "reduce_board.mjs"
LAST = ["hand_over", "close_meeting"]  # after these the facilitator no longer leads


def reduced(boards: dict[str, list[dict[str, Any]]]) -> dict[str, Any]:
    """Each list of server messages, fed through the browser's reducer."""
    node = shutil.which("node")
    if node is None:
        unavailable("Node.js is not installed (it runs the browser's reducer)")
    answer = subprocess.run(
        [str(node), str(REDUCER)],
        input=json.dumps({"boards": boards}), capture_output=True, text=True, timeout=60,
    )  # fmt: skip
    assert answer.returncode == 0, answer.stderr
    return json.loads(answer.stdout)


MISSING = "(missing)"


def differences(a: Any, b: Any, path: str = "") -> list[str]:
    """Where two reduced states differ, as paths with both values."""
    if isinstance(a, dict) and isinstance(b, dict):
        pairs = [(f"{path}.{k}", a.get(k, MISSING), b.get(k, MISSING)) for k in sorted(a | b)]
    elif isinstance(a, list) and isinstance(b, list) and len(a) == len(b):
        pairs = [(f"{path}[{i}]", *pair) for i, pair in enumerate(zip(a, b, strict=True))]
    else:
        return [] if a == b else [f"{path}: resynced {a!r}, fresh {b!r}"]
    return [found for where, left, right in pairs for found in differences(left, right, where)]


def as_snapshot(ack: dict[str, Any]) -> dict[str, Any]:
    """What socket.js hands the reducer for a snapshot answer."""
    assert ack["ok"] and ack["mode"] == "snapshot", ack
    return {"type": "snapshot", "snapshot": {**ack["snapshot"], "you": ack["you"]}}


def sync(socket: SocketIOTestClient, meeting_id: int, since_rev: int | None) -> dict[str, Any]:
    ack = socket.emit("sync", {"meeting_id": meeting_id, "since_rev": since_rev}, callback=True)
    assert ack["ok"], ack
    return ack


class Viewer:
    """One participant's browser: its session stays, its socket comes and goes."""

    def __init__(self, setting: World, who: str) -> None:
        self.world, self.who = setting, who
        self.client = setting.app.test_client()
        if who == "guest":
            join_by_code(self.client, _invite_code(setting), name="Returning guest")
        else:
            give_session(self.client, setting.people["facilitator"])

    def open(self) -> SocketIOTestClient:
        socket = connect(
            self.world.app, self.client, self.world.meetings["case"], display=self.who == "display"
        )
        assert socket.is_connected(), f"{self.who} could not connect"
        return socket

    def participant_id(self) -> int | None:
        with self.world.app.app_context():
            return db.session.scalar(
                select(Participant.id).filter_by(display_name="Returning guest")
            )


def every_kind_of_change(viewer: Viewer) -> None:
    """Every op kind, once at least, through the real pipeline, as the facilitator (and the
    returning guest rates the open round itself, from another device)."""
    with viewer.world.app.app_context():
        prep = Prep(viewer.world, "case")
        for kind in [*sorted(set(OP_TYPES) - set(LAST)), *LAST]:
            if kind == "close_meeting" and viewer.who == "guest":
                continue  # a closed meeting lets no guest back in (test_revocation.py)
            if kind in BEFORE:
                prep._apply(BEFORE[kind][0], **BEFORE[kind][1])
            if kind == "hand_over":
                prep._apply(kind, **_hand_over(prep, "facilitator"))
            else:
                prep._apply(kind, **PAYLOADS[kind](prep))
            if kind == "open_scale_round" and viewer.who == "guest":
                guest = db.session.get(Participant, viewer.participant_id())
                rating = {"round_id": prep.open_round(), "value": 3, "reason": "Mine"}
                board.apply_operation(guest_in(guest), op(prep.meeting_id, "rate", **rating))
        db.session.remove()


def test_every_op_kind_is_part_of_the_resync():
    assert set(PAYLOADS) == set(OP_TYPES)


@pytest.mark.parametrize("who", ["facilitator", "guest", "display"])
def test_a_resynced_client_shows_exactly_what_a_fresh_one_shows(world, who):  # noqa: F811
    world.app.config.update(SOCKET_RATE=1e6, SOCKET_BURST=10**6)
    meeting_id = world.meetings["case"]
    viewer = Viewer(world, who)
    socket = viewer.open()
    before = sync(socket, meeting_id, None)
    socket.disconnect()

    every_kind_of_change(viewer)

    socket = viewer.open()
    caught_up = sync(socket, meeting_id, before["snapshot"]["rev"])
    assert caught_up["mode"] == "events", caught_up
    kinds = {event["type"] for event in caught_up["events"]}
    fresh = sync(socket, meeting_id, None)
    assert caught_up["rev"] == fresh["snapshot"]["rev"]
    socket.disconnect()

    states = reduced(
        {
            "resynced": [as_snapshot(before), *caught_up["events"]],
            "fresh": [as_snapshot(fresh)],
        }
    )
    assert states["resynced"] == states["fresh"], (
        differences(states["resynced"], states["fresh"]),
        sorted(kinds),
    )
    assert states["fresh"]["rounds"] and states["fresh"]["meeting"]["step_index"] >= 0


def test_sync_answers_events_up_to_the_limit_and_a_snapshot_beyond(app, scene, staff_client):
    with app.app_context():
        meeting = db.session.get(Meeting, scene.meeting_id)
        actor = staff_in(meeting, db.session.get(User, scene.supervisor.id))
        raws = [add_op(scene.meeting_id, f"item {n}") for n in range(SYNC_EVENTS_MAX + 1)]
        for start in range(0, len(raws), 100):
            board.apply_operations([(actor, raw) for raw in raws[start : start + 100]])
        db.session.remove()
    last = SYNC_EVENTS_MAX + 1
    socket = connect(app, staff_client(scene.supervisor), scene.meeting_id)
    at_limit = sync(socket, scene.meeting_id, 1)  # SYNC_EVENTS_MAX missed: still events
    assert at_limit["mode"] == "events"
    assert [event["rev"] for event in at_limit["events"]] == list(range(2, last + 1))
    beyond = sync(socket, scene.meeting_id, 0)  # one more: the snapshot is smaller
    assert beyond["mode"] == "snapshot"
    assert beyond["snapshot"]["rev"] == last
    assert len(beyond["snapshot"]["items"]) == last
    socket.disconnect()
