"""A socket event's request context: the session Flask-SocketIO copied at connect time, no
cookie decoded again, one URL adapter per connection, and identity still checked per event."""

from __future__ import annotations

import gc
from typing import Any

from builders import add_op
from flask.ctx import RequestContext

from facilitator.socket_context import SAVED_SESSION, FacilitatorFlask


class CountingSessions:
    """Wraps the app's session interface and counts the cookies it opens."""

    def __init__(self, app: Any) -> None:
        self.inner, self.opened = app.session_interface, 0
        app.session_interface = self

    def open_session(self, app: Any, request: Any) -> Any:
        self.opened += 1
        return self.inner.open_session(app, request)

    def __getattr__(self, name: str) -> Any:
        return getattr(self.inner, name)


def test_the_app_is_the_socket_aware_flask(app):
    assert isinstance(app, FacilitatorFlask)


def test_events_after_connect_reuse_the_saved_session(app, scene, staff_client, open_socket):
    socket = open_socket(staff_client(scene.supervisor), scene.meeting_id)
    sessions = CountingSessions(app)
    acks = [
        socket.emit("op", add_op(scene.meeting_id, f"Item {n}"), callback=True) for n in range(5)
    ]
    assert [ack["ok"] for ack in acks] == [True] * 5
    assert {ack["event"]["actor"]["id"] for ack in acks} != {None}  # still acting as themselves
    assert sessions.opened == 0


def test_a_connections_first_event_still_reads_the_cookie(app, scene, staff_client, open_socket):
    sessions = CountingSessions(app)
    socket = open_socket(staff_client(scene.supervisor), scene.meeting_id)
    assert socket.is_connected()
    assert sessions.opened >= 1  # the connect: the session copy is made from the cookie


def test_flask_socketio_keeps_the_copy_under_the_expected_key(
    app, scene, staff_client, open_socket
):
    socket = open_socket(staff_client(scene.supervisor), scene.meeting_id)
    sid = socket.eio_sid
    server = app.extensions["socketio"].server
    environ = server.get_environ(server.manager.sid_from_eio_sid(sid, "/"), namespace="/")
    assert SAVED_SESSION in environ
    assert environ[SAVED_SESSION].get("_user_id") is not None


def test_plain_requests_still_open_their_session(app, scene, staff_client):
    client = staff_client(scene.supervisor)
    sessions = CountingSessions(app)
    assert client.get("/cases").status_code == 200
    assert sessions.opened == 1


def test_socket_events_leave_no_reference_cycles(app, scene, staff_client, open_socket):
    """Matching the Socket.IO path raises NotFound; kept with its traceback, it tied each
    event's request context into a cycle only the garbage collector could free."""
    socket = open_socket(staff_client(scene.supervisor), scene.meeting_id)
    assert socket.emit("op", add_op(scene.meeting_id, "First"), callback=True)["ok"]
    gc.collect()
    gc.set_debug(gc.DEBUG_SAVEALL)  # what a pass finds unreachable is kept, to look at
    try:
        acks = [
            socket.emit("op", add_op(scene.meeting_id, f"Item {n}"), callback=True)
            for n in range(5)
        ]
        gc.collect()
        contexts = [found for found in gc.garbage if isinstance(found, RequestContext)]
    finally:
        gc.set_debug(0)
        gc.garbage.clear()
    assert [ack["ok"] for ack in acks] == [True] * 5
    assert contexts == []


def test_a_connect_and_its_close_leave_no_reference_cycles(app, scene, guest_client, open_socket):
    """A connect's request context (before the connection has its session copy) kept the
    Socket.IO path's NotFound with its traceback: a cycle per reconnect that only a full
    collection freed (docs/performance.md, the soak)."""
    browser = guest_client(scene.code, "Nan")
    gc.collect()
    gc.set_debug(gc.DEBUG_SAVEALL)
    try:
        for _ in range(5):
            socket = open_socket(browser, scene.meeting_id)
            assert socket.is_connected()
            socket.emit("sync", {"meeting_id": scene.meeting_id}, callback=True)
            socket.disconnect()
        gc.collect()
        kept = [type(found).__name__ for found in gc.garbage
                if isinstance(found, RequestContext | BaseException)]  # fmt: skip
    finally:
        gc.set_debug(0)
        gc.garbage.clear()
    assert kept == []
