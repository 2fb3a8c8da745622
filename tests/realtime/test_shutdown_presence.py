"""At shutdown the closing sockets leave presence as it is, one by one; `finish` then drops
this server's rows at once and tells each meeting who is here once."""

from __future__ import annotations

from builders import events_named

from facilitator.extensions import db
from facilitator.models import Presence
from facilitator.realtime import shutdown


def presence_rows(app) -> int:
    with app.app_context():
        return db.session.query(Presence).count()


def test_a_socket_closing_while_draining_writes_no_presence(app, scene, staff_client, open_socket):
    watcher = open_socket(staff_client(scene.supervisor), scene.meeting_id)
    leaving = open_socket(staff_client(scene.worker), scene.meeting_id)
    watcher.get_received()
    assert presence_rows(app) == 2
    shutdown.begin_draining(app)
    leaving.disconnect()
    assert presence_rows(app) == 2  # left for finish(), no commit per socket
    assert events_named(watcher.get_received(), "presence") == []


def test_finish_clears_this_servers_presence_and_asks_every_socket_back(
    app, scene, staff_client, open_socket
):
    sockets = [
        open_socket(staff_client(scene.supervisor), scene.meeting_id),
        open_socket(staff_client(scene.worker), scene.meeting_id),
    ]
    assert all(socket.is_connected() for socket in sockets)
    closed = shutdown.finish(app)
    assert closed == 2
    assert presence_rows(app) == 0
    for socket in sockets:
        told = events_named(socket.get_received(), "closed")
        assert told == [{"reason": shutdown.RESTARTING}]


def test_without_draining_a_closing_socket_updates_presence(app, scene, staff_client, open_socket):
    watcher = open_socket(staff_client(scene.supervisor), scene.meeting_id)
    leaving = open_socket(staff_client(scene.worker), scene.meeting_id)
    watcher.get_received()
    leaving.disconnect()
    assert presence_rows(app) == 1
    [message] = events_named(watcher.get_received(), "presence")
    online = [p for p in message["participants"] if p["online"]]
    assert len(online) == 1
