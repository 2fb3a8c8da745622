"""A bare Flask-SocketIO relay on the app's server stack: the baseline for bench/load.py.

Same stack as wsgi.py (eventlet, monkey_patch first, a listener with backlog 1024 and
TCP_NODELAY, eventlet.wsgi.server with a large max_size), but no database, no identity
and no validation: a client joins the room named in its connect auth, and each `op` is
broadcast to that room as `event` and acknowledged. The event has the same shape and
about the same size as the app's, so a client cannot tell the two apart. A `sync` gets the
room's revision the first time and no events after (bench/storm.py's baseline).

    .venv/bin/python bench/relay.py --port 5055
"""

import eventlet

eventlet.monkey_patch()  # must come before every other import (STACK.md pitfall 1)

import argparse  # noqa: E402
import gc  # noqa: E402
import itertools  # noqa: E402
import socket  # noqa: E402
import time  # noqa: E402
from typing import Any  # noqa: E402

import eventlet.wsgi  # noqa: E402
from flask import Flask, request  # noqa: E402
from flask_socketio import SocketIO, join_room  # noqa: E402

BACKLOG = 1024
MAX_CONNECTIONS = 10_000

app = Flask(__name__)
socketio = SocketIO(
    app, async_mode="eventlet", max_http_buffer_size=64 * 1024, logger=False, engineio_logger=False
)
EVENT_TYPES = {"add_item": "item_added", "edit_item": "item_edited", "move_item": "item_moved"}
_item_ids = itertools.count(1)
_revs: dict[int, int] = {}
_rooms: dict[str, int] = {}


def _room(meeting_id: int) -> str:
    return f"meeting:{meeting_id}"


@socketio.on("connect")
def on_connect(auth: Any = None) -> None:
    meeting_id = auth.get("meeting_id") if isinstance(auth, dict) else None
    if type(meeting_id) is not int:
        raise ConnectionRefusedError("unauthorized")
    _rooms[request.sid] = meeting_id  # type: ignore[attr-defined]
    join_room(_room(meeting_id))


@socketio.on("disconnect")
def on_disconnect(*_: Any) -> None:
    _rooms.pop(request.sid, None)  # type: ignore[attr-defined]


def _item(kind: str, payload: dict[str, Any], sender: str) -> dict[str, Any]:
    """An item shaped like the app's item_json, so events are the same size."""
    if kind == "add_item":
        item_id, version = next(_item_ids), 1
    else:  # a relay keeps no items: an edit bumps the client's base version, a move keeps it
        item_id, version = payload.get("item_id"), payload.get("base_version", 0) + 1
    return {
        "id": item_id,
        "section": payload.get("section", "strengths"),
        "position": "a0",
        "text": payload.get("text", ""),
        "view": payload.get("view", "agency"),
        "version": version,
        "author": {"id": 0, "name": sender},
        "updated_at": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
    }


@socketio.on("op")
def on_op(raw: Any = None) -> dict[str, Any]:
    """Broadcast the operation to the sender's room as `event`; ack with the same event."""
    if not isinstance(raw, dict):
        return {"ok": False, "error": {"code": "invalid", "message": "not an object"}}
    meeting_id = _rooms.get(request.sid)  # type: ignore[attr-defined]
    if meeting_id is None:
        return {"ok": False, "error": {"code": "forbidden", "message": "not in a room"}}
    kind = raw.get("type", "")
    payload = raw.get("payload") if isinstance(raw.get("payload"), dict) else {}
    rev = _revs[meeting_id] = _revs.get(meeting_id, 0) + 1
    event = {
        "type": EVENT_TYPES.get(kind, kind),
        "rev": rev,
        "meeting_id": meeting_id,
        "op_id": raw.get("op_id"),
        "actor": {"id": 0, "name": "relay"},
        "item": _item(kind, payload, "relay"),
    }
    socketio.emit("event", event, to=_room(meeting_id), skip_sid=request.sid)  # type: ignore[attr-defined]  # as the app
    return {"ok": True, "rev": rev, "event": event, "duplicate": False}


@socketio.on("sync")
def on_sync(raw: Any = None) -> dict[str, Any]:
    """Resync as the app answers it, with nothing to replay (a relay keeps no events): a
    snapshot (the room's revision) the first time, an empty list of events after."""
    meeting_id = _rooms.get(request.sid)  # type: ignore[attr-defined]
    if meeting_id is None:
        return {"ok": False, "error": {"code": "forbidden", "message": "not in a room"}}
    since = raw.get("since_rev") if isinstance(raw, dict) else None
    if since is None:
        return {"ok": True, "mode": "snapshot", "snapshot": {"rev": _revs.get(meeting_id, 0)}}
    return {"ok": True, "mode": "events", "events": []}


def serve(host: str, port: int, gc_freeze: bool = False) -> None:
    if gc_freeze:  # the same tuning as wsgi.py, to compare like with like
        gc.collect()
        gc.freeze()
        # Not wsgi.GC_THRESHOLDS: Flask keeps each event's routing NotFound with its
        # traceback here (facilitator/socket_context.py stops that in the app), and with
        # young passes that rare each one has ~50,000 objects of such cycles to free: the
        # relay's stress p99 rose from 14 to 58 ms. Freezing alone is its best setting there.
    listener = eventlet.listen((host, port), backlog=BACKLOG)
    listener.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
    print(f"Relay is running on http://{host}:{port}", flush=True)
    eventlet.wsgi.server(listener, app, max_size=MAX_CONNECTIONS, log_output=False)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=5055)
    parser.add_argument(
        "--gc-freeze",
        action="store_true",
        help="freeze the heap after start-up as wsgi.py does",
    )
    args = parser.parse_args()
    serve(args.host, args.port, args.gc_freeze)


if __name__ == "__main__":
    main()
