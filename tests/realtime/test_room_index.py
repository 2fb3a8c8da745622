"""realtime/rooms.py's manager: python-socketio's rooms, with each socket's own indexed so a
disconnect leaves them without scanning everyone's. It must hold exactly what the
library's own manager holds, whatever the order of joins, leaves and disconnects."""

from __future__ import annotations

import random

import socketio

from facilitator.extensions import socketio as app_socketio
from facilitator.realtime.rooms import IndexedManager, IndexedRedisManager, client_manager


def _managers():
    plain, indexed = socketio.Server().manager, socketio.Server(client_manager=IndexedManager())
    return plain, indexed.manager


def _view(manager):
    """Who is in which room, by engine.io id (the two managers make different sids): a
    socket's own room is named after its engine.io id here."""
    own = dict(manager.rooms.get("/", {}).get(None, {}))
    return {
        (f"own:{own[room]}" if room in own else room): set(members.values())
        for room, members in manager.rooms.get("/", {}).items()
    }


def _rooms_of(manager, sid):
    own = dict(manager.rooms["/"][None])
    return sorted(f"own:{own[r]}" if r in own else r for r in manager.get_rooms(sid, "/"))


def test_the_index_keeps_the_same_rooms_as_the_library_through_random_churn():
    plain, indexed = _managers()
    rng = random.Random(19)
    connected: list[tuple[str, str]] = []  # (its sid in plain, in indexed): one engine.io id
    for step in range(800):
        choice = rng.random()
        if choice < 0.3 or not connected:
            eio = f"e{step}"
            connected.append((plain.connect(eio, "/"), indexed.connect(eio, "/")))
            continue
        pair = rng.choice(connected)
        room = f"meeting:{rng.randrange(8)}"
        if choice < 0.85:
            verb = "enter_room" if choice < 0.6 else "leave_room"
            for manager, sid in zip((plain, indexed), pair, strict=True):
                getattr(manager, verb)(sid, "/", room)
            assert _rooms_of(indexed, pair[1]) == _rooms_of(plain, pair[0])
        elif choice < 0.88:
            for manager in (plain, indexed):
                manager.close_room(room, "/")
        else:
            connected.remove(pair)
            for manager, sid in zip((plain, indexed), pair, strict=True):
                manager.disconnect(sid, "/")
        assert _view(indexed) == _view(plain)
    assert len(connected) > 50  # the walk ends with many still connected, in many rooms
    for plain_sid, indexed_sid in connected:
        assert _rooms_of(indexed, indexed_sid) == _rooms_of(plain, plain_sid)


def test_a_disconnect_leaves_nothing_behind():
    _plain, indexed = _managers()
    sid = indexed.connect("e1", "/")
    other = indexed.connect("e2", "/")
    indexed.enter_room(sid, "/", "meeting:1")
    indexed.enter_room(other, "/", "meeting:1")
    indexed.disconnect(sid, "/")
    assert set(indexed.rooms["/"]) == {None, other, "meeting:1"}
    assert dict(indexed.rooms["/"]["meeting:1"]) == {other: "e2"}
    assert indexed.get_rooms(sid, "/") == []
    indexed.disconnect(other, "/")
    assert indexed.rooms == {} and indexed._rooms_of == {}


def test_the_app_runs_on_the_indexed_managers(app):
    assert isinstance(app_socketio.server.manager, IndexedManager)
    assert isinstance(client_manager("redis://127.0.0.1:6379/0", "x"), IndexedRedisManager)
    assert client_manager("kafka://127.0.0.1:9092", "x") is None  # Flask-SocketIO builds it
