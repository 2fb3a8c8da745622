"""S1 / R7 across board states: every socket event and every op kind, sent by everyone on the
case's meeting, while a section is locked, while a section is collected privately, while a
scale round is open and not revealed, and after the meeting closed.

The live board's own matrix is test_socket_matrix.py; a board state only ever narrows it.
So every cell checks: nothing allowed that the live matrix refuses; a refusal changes
nothing in the database and is never a server error; and each state's own rule:

- locked (`harm`): nobody but the facilitator adds, edits, moves or deletes in it;
- private (`strengths` collected privately): nobody but its author sees a hidden item's
  text, in `sync` or in any ack (displays included);
- unrevealed (a round with the facilitator's rating): nobody else sees that rating's reason
  or value before the reveal, in `sync` or in any ack;
- closed: every op refused, for everyone (`meeting_closed`, or the guest's socket closed).
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import pytest
from builders import op
from flask_socketio import SocketIOTestClient
from sqlalchemy import update
from test_socket_matrix import (
    EVENTS,
    OPS,
    PAYLOADS,
    Prep,
    World,
    _hand_over,
    _meeting_state,
    _own_participant,
    _restore,
    _send,
    fingerprint,
    open_as,
    world,  # noqa: F401  (the fixture)
)

from facilitator.extensions import db
from facilitator.models import Meeting

STATES = ("locked", "private", "unrevealed", "closed")
# one of each kind of rule: a guest, a projector, staff who write, the one who leads (the
# live matrix, test_socket_matrix.py, has every role; a state narrows it alike for all)
ON_THE_CASE = ("guest", "display", "worker", "facilitator")
SECRET_ITEM = "Only the facilitator has written this yet"
SECRET_REASON = "The facilitator's own reason"
SECRET_VALUE = 7
PRIVATE = "strengths"  # the ops' prepared items are elsewhere (hidden ones cannot be merged)
WRITES_IN_HARM = {"add_item", "edit_item", "move_item", "delete_item"}


def enter(at: World, state: str) -> None:
    """Put the case's meeting into the state, through the pipeline as its facilitator."""
    prep = Prep(at, "case")
    if state == "locked":
        prep._apply("lock_section", section="harm", locked=True)
    elif state == "private":
        prep._apply("collect_privately", section=PRIVATE, on=True)
        prep._apply("add_item", section=PRIVATE, text=SECRET_ITEM, view="agency")
    elif state == "unrevealed":
        round_id = prep.open_round()
        prep._apply("rate", round_id=round_id, value=SECRET_VALUE, reason=SECRET_REASON)
    else:
        prep._apply("close_meeting")


@contextmanager
def preparing(at: World, state: str) -> Iterator[Prep]:
    """Prepare what an op needs (items, guests, rounds) as on a live board; a closed
    meeting is live only for that moment, and closed again before the op is sent."""
    meeting_id = at.meetings["case"]
    if state == "closed":
        db.session.execute(update(Meeting).where(Meeting.id == meeting_id).values(status="live"))
        db.session.commit()
    try:
        yield Prep(at, "case")
    finally:
        if state == "closed":
            db.session.execute(
                update(Meeting).where(Meeting.id == meeting_id).values(status="closed")
            )
            db.session.commit()


def leaks(state: str, actor: str, ack: dict[str, Any]) -> str | None:
    """What of the state's secret this ack shows someone who may not see it yet."""
    if actor == "facilitator":
        return None
    text = json.dumps(ack, ensure_ascii=False)
    if state == "private" and SECRET_ITEM in text:
        return "a hidden item's text"
    if state == "unrevealed" and SECRET_REASON in text:
        return "an unrevealed rating's reason"
    if state == "unrevealed" and f'"value": {SECRET_VALUE}' in text:
        return "an unrevealed rating's value"
    return None


def must_refuse(state: str, actor: str, kind: str, payload: dict[str, Any]) -> bool:
    if state == "closed":
        return True
    in_harm = payload.get("section") == "harm" or kind in WRITES_IN_HARM - {"add_item"}
    return state == "locked" and actor != "facilitator" and kind in WRITES_IN_HARM and in_harm


@pytest.mark.parametrize("actor", ON_THE_CASE)
@pytest.mark.parametrize("state", STATES)
def test_every_event_in_every_board_state_narrows_the_live_matrix(world, state, actor):  # noqa: F811
    app = world.app
    app.config.update(SOCKET_RATE=1e6, SOCKET_BURST=10**6)  # limits have their own tests
    socket, _where = open_as(world, actor)
    meeting_id = world.meetings["case"]
    with app.app_context():
        enter(world, state)
        held = _meeting_state(meeting_id)
    unexpected: list[str] = []

    def check(what: str, live_allows: bool, refuse: bool, ack: dict[str, Any], before: str) -> None:
        ok = bool(ack.get("ok"))
        if ok and not live_allows:
            unexpected.append(f"{state}: {actor} {what}: allowed, the live board refuses it")
        if ok and refuse:
            unexpected.append(f"{state}: {actor} {what}: allowed, the state refuses it")
        if leak := leaks(state, actor, ack):
            unexpected.append(f"{state}: {actor} {what}: shows {leak}")
        if ack.get("error", {}).get("code") == "server_error":
            unexpected.append(f"{state}: {actor} {what}: server error")
        with app.app_context():
            if not ok and fingerprint() != before:
                unexpected.append(f"{state}: {actor} {what}: refused but changed the database")

    with app.app_context():
        before = fingerprint()
    for since in (None, 0):  # a snapshot, and the replayed events
        ack = _send(socket, "sync", {"meeting_id": meeting_id, "since_rev": since})
        check(f"sync since {since}", actor in EVENTS["sync"], False, ack, before)

    for kind in OPS:
        with app.app_context(), preparing(world, state) as prep:
            payload = PAYLOADS[kind](prep)
            if kind == "hand_over":
                payload = _hand_over(prep, actor)
                if payload["participant_id"] is None:
                    payload["participant_id"] = _own_participant(world, meeting_id, actor) or 1
        with app.app_context():
            before = fingerprint()
        ack = _send(socket, "op", op(meeting_id, kind, **payload))
        check(
            f"op {kind}", actor in OPS[kind], must_refuse(state, actor, kind, payload), ack, before
        )
        with app.app_context():
            _restore(meeting_id, held)
        if not socket.is_connected() and state != "closed":
            socket, _where = open_as(world, actor)

    with app.app_context(), preparing(world, state) as prep:
        item, waiting = prep.item("grey"), prep.guest(waiting_room=True)
    for event, payload in (
        ("editing", {"meeting_id": meeting_id, "item_id": item}),
        ("admit_guest", {"meeting_id": meeting_id, "participant_id": waiting, "admit": True}),
    ):
        with app.app_context():
            before = fingerprint()
        ack = _send(socket, event, payload)
        check(event, actor in EVENTS[event], False, ack, before)
    if socket.is_connected():
        socket.disconnect()
    SocketIOTestClient.clients.pop(socket.eio_sid, None)
    assert not unexpected, "\n".join(unexpected)
