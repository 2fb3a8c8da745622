"""SIGTERM while clients' connections are dead (issue 17, finding 11): a long-polling
client that stopped polling, and WebSocket clients whose connections are reset at the
moment of the signal. Closing a socket used to wait on its send queue (engineio's
`queue.join()`, STACK.md pitfall 17): one dead socket held the stop for its full limit,
exit 1, and the healthy sockets after it were never told to reconnect."""

from __future__ import annotations

import json
import signal
import socket
import struct
import threading
from typing import Any

import pytest
import requests
import socketio
import websocket
from live_server import USER_AGENT, join_as_guest
from test_graceful_shutdown import SHUTDOWN_SECONDS, WAIT, start_server, wait_until_ready

pytestmark = pytest.mark.filterwarnings("ignore::ResourceWarning")


def vanished_polling_client(base: str, cookie: str, meeting_id: int) -> str:
    """Open a long-polling Socket.IO connection to the meeting, then never poll again (a
    phone that lost its network): the server queues its messages, nobody takes them."""
    http = requests.Session()
    http.headers.update({"User-Agent": USER_AGENT, "Cookie": cookie})
    url = f"{base}/socket.io/?EIO=4&transport=polling"
    opened = http.get(url, timeout=WAIT).text
    sid = json.loads(opened[opened.index("{") :])["sid"]
    answer = http.post(
        f"{url}&sid={sid}", data="40" + json.dumps({"meeting_id": meeting_id}), timeout=WAIT
    )
    assert answer.text.lower() == "ok", answer.text
    assert '"sid"' in http.get(f"{url}&sid={sid}", timeout=WAIT).text  # connected
    return sid


def websocket_client(base: str, cookie: str, meeting_id: int) -> websocket.WebSocket:
    """A raw WebSocket Socket.IO client, connected to the meeting."""
    ws = websocket.create_connection(
        base.replace("http", "ws") + "/socket.io/?EIO=4&transport=websocket",
        header=[f"Cookie: {cookie}", f"User-Agent: {USER_AGENT}"],
        timeout=WAIT,
    )
    assert ws.recv().startswith("0")  # Engine.IO open
    ws.send("40" + json.dumps({"meeting_id": meeting_id}))
    while not (frame := ws.recv()).startswith("40"):
        assert not frame.startswith("44"), frame  # refused
    return ws


def reset(ws: websocket.WebSocket) -> None:
    """Drop the connection the hard way: an RST, no close frame (a network that died)."""
    ws.sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
    ws.sock.close()


@pytest.mark.timeout(120)
def test_dead_connections_at_sigterm_neither_hold_the_stop_nor_keep_others_untold(
    tmp_path, monkeypatch
):
    process, port, log_path, (meeting_id, code) = start_server(tmp_path, monkeypatch)
    base = f"http://127.0.0.1:{port}"
    healthy = socketio.Client(reconnection=False)
    try:
        wait_until_ready(base, process, log_path)
        cookies = [join_as_guest(base, code, meeting_id, f"Guest {n}") for n in range(5)]
        # the dead ones first: the stop closes sockets in the order they came
        vanished_polling_client(base, cookies[0], meeting_id)
        vanished_polling_client(base, cookies[1], meeting_id)
        dying = [websocket_client(base, cookie, meeting_id) for cookie in cookies[2:4]]
        closed: list[Any] = []
        told = threading.Event()
        healthy.on("closed", lambda message: (closed.append(message), told.set()))
        healthy.connect(
            base, auth={"meeting_id": meeting_id}, headers={"Cookie": cookies[4]},
            transports=["websocket"], wait_timeout=WAIT,
        )  # fmt: skip

        process.send_signal(signal.SIGTERM)
        for ws in dying:
            reset(ws)
        exit_code = process.wait(timeout=SHUTDOWN_SECONDS + 10)
        output = log_path.read_text()
        assert exit_code == 0, output
        assert told.wait(WAIT) and closed == [{"reason": "server_restarting"}], closed
        assert "sockets asked to reconnect" in output, output  # the drain ran to its end
        assert "Traceback" not in output, output
        presence = tmp_path / "facilitator.sqlite3"
        import sqlite3

        with sqlite3.connect(presence) as connection:
            assert connection.execute("SELECT count(*) FROM presence").fetchone()[0] == 0
    finally:
        if healthy.connected:
            healthy.disconnect()
        if process.poll() is None:
            process.kill()
            process.wait(timeout=WAIT)
