"""The rate limiter's close on a real server (issue 17, finding 12). A raw WebSocket client
floods one meeting with `op`s, each asking for an ack, as fast as it can write them. The
ops taken within the burst must be applied and acknowledged; the rest refused
`rate_limited`; then `closed {rate_limited}`. Before, the close dropped the socket's
identity under the ops still waiting for the writer (acked `unauthenticated`, which tells
a client to drop its outbox, and not applied), and events already read were answered
`["", 400]` by the framework."""

from __future__ import annotations

import gc
import json
import re
import secrets
import threading
from typing import Any

import pytest
import websocket
from builders import add_op
from live_server import (
    USER_AGENT,
    Server,
    base_settings,
    join_as_guest,
    running,
    scratch_database,
    seed_meetings,
    stored_op_ids,
)

FLOOD = 400
WAIT = 10.0
ACK = re.compile(r"^43(\d+)(.*)$", re.S)

pytestmark = pytest.mark.filterwarnings("ignore::ResourceWarning")


def read_until_closed(ws: websocket.WebSocket, frames: list[str]) -> None:
    """Every frame the server sends, until it closes the connection (pings answered)."""
    while True:
        try:
            frame = ws.recv()
        except (websocket.WebSocketException, OSError):
            return
        if not frame:
            return
        if frame == "2":
            ws.send("3")
        frames.append(frame)


@pytest.mark.timeout(120)
def test_a_flood_is_closed_rate_limited_with_what_it_was_allowed_applied(tmp_path, monkeypatch):
    with scratch_database(tmp_path) as database:
        settings = {
            **base_settings(database, tmp_path, secrets.token_hex(32)),
            "FACILITATOR_SOCKET_RATE": "5",
            "FACILITATOR_SOCKET_BURST": "40",
        }
        seeded = seed_meetings(settings, monkeypatch)
        meeting_id = seeded.meeting_ids[0]
        with running(Server(settings, tmp_path / "server.log")) as (server,):
            cookie = join_as_guest(server.url, seeded.codes[0], meeting_id)
            ws = websocket.create_connection(
                server.url.replace("http", "ws") + "/socket.io/?EIO=4&transport=websocket",
                header=[f"Cookie: {cookie}", f"User-Agent: {USER_AGENT}"], timeout=WAIT,
            )  # fmt: skip
            assert ws.recv().startswith("0")
            ws.send("40" + json.dumps({"meeting_id": meeting_id}))
            while not ws.recv().startswith("40"):
                pass
            frames: list[str] = []
            reader = threading.Thread(target=read_until_closed, args=(ws, frames))
            reader.start()
            sent: dict[int, str] = {}
            for ack_id in range(FLOOD):
                op = add_op(meeting_id, text=f"Flood {ack_id}.")
                sent[ack_id] = op["op_id"]
                try:
                    ws.send(f"42{ack_id}" + json.dumps(["op", op]))
                except (websocket.WebSocketException, OSError):
                    break  # closed under the flood
            reader.join(timeout=60)
            assert not reader.is_alive(), "the server never closed the flooding connection"
            ws.shutdown()
            gc.collect()  # the client library's closed sockets go now, under this module's filter
            stored = set(stored_op_ids(database, [meeting_id]))
            log = server.log()

    acks: dict[int, Any] = {}
    for frame in frames:
        if found := ACK.match(frame):
            acks[int(found.group(1))] = json.loads(found.group(2))
    answers = [answer for answer in acks.values()]
    assert all(isinstance(a, list) and len(a) == 1 and isinstance(a[0], dict) for a in answers), [
        a for a in answers if not (isinstance(a, list) and len(a) == 1 and isinstance(a[0], dict))
    ][:5]
    codes = {a[0]["error"]["code"] for a in answers if not a[0]["ok"]}
    assert codes == {"rate_limited"}, codes
    applied = {sent[ack_id] for ack_id, a in acks.items() if a[0]["ok"]}
    assert applied, "nothing was let through the burst"
    assert stored == applied  # what was let in is stored and acknowledged; nothing else
    assert '42["closed",{"reason":"rate_limited"}]' in frames, frames[-5:]
    assert "Traceback" not in log, log
