"""SIGTERM (or SIGINT) on the real server (wsgi.py on eventlet, loopback, a SQLite file): it stops
accepting, commits what it acknowledged, tells each client to reconnect, and exits 0."""

from __future__ import annotations

import secrets
import signal
import socket
import sqlite3
import subprocess
import threading
import time
from pathlib import Path
from typing import Any

import pytest
import requests
import socketio
from builders import add_op
from live_server import Database, Server, base_settings, join_as_guest, seed_meetings

SHUTDOWN_SECONDS = 8
WAIT = 10.0
IN_FLIGHT_WAIT = 3.0  # python-socketio fails no pending call at a disconnect: it times out


def start_server(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, **extra: str
) -> tuple[subprocess.Popen[bytes], int, Path, tuple[int, str]]:
    """Seed a fresh SQLite instance and start wsgi.py on it; returns the process, its port,
    its log and the seeded (meeting id, invite code)."""
    path = tmp_path / "facilitator.sqlite3"
    database = Database(f"sqlite:///{path}", path)
    settings = {
        **base_settings(database, tmp_path, secrets.token_hex(32)),
        "FACILITATOR_SOCKET_RATE": "20",
        "FACILITATOR_SOCKET_BURST": "50",
        "FACILITATOR_SHUTDOWN_SECONDS": str(SHUTDOWN_SECONDS),
        **extra,
    }
    seeded = seed_meetings(settings, monkeypatch)
    server = Server(settings, tmp_path / "server.log").start()
    assert server.process is not None
    return server.process, server.port, server.log_path, (seeded.meeting_ids[0], seeded.codes[0])


def wait_until_ready(base: str, process: subprocess.Popen[bytes], log: Path) -> None:
    port = int(base.rsplit(":", 1)[1])
    Server({}, log, port=port, process=process).wait_ready()


@pytest.mark.timeout(120)
@pytest.mark.parametrize("signum", [signal.SIGTERM, signal.SIGINT], ids=["SIGTERM", "SIGINT"])
def test_a_stop_signal_commits_acked_ops_tells_clients_and_exits_0(signum, tmp_path, monkeypatch):
    process, port, log_path, (meeting_id, code) = start_server(
        tmp_path, monkeypatch, FACILITATOR_SOCKET_RATE="1000", FACILITATOR_SOCKET_BURST="1000"
    )
    database = tmp_path / "facilitator.sqlite3"
    base = f"http://127.0.0.1:{port}"
    client = socketio.Client(reconnection=False)
    try:
        wait_until_ready(base, process, log_path)
        assert requests.get(f"{base}/healthz", timeout=WAIT).json() == {"status": "ok"}
        cookie = join_as_guest(base, code, meeting_id)

        closed: list[Any] = []
        told, gone = threading.Event(), threading.Event()
        client.on("closed", lambda message: (closed.append(message), told.set()))
        client.on("disconnect", lambda *_: gone.set())
        client.connect(
            base, auth={"meeting_id": meeting_id}, headers={"Cookie": cookie},
            transports=["websocket"], wait_timeout=WAIT,
        )  # fmt: skip

        first = add_op(meeting_id, text="Acknowledged before the signal.")
        ack = client.call("op", first, timeout=WAIT)
        assert ack["ok"] is True, ack
        acked = [first["op_id"]]

        # keep sending while the signal arrives: whatever is acknowledged must be kept
        def keep_sending() -> None:
            for number in range(200):
                raw = add_op(meeting_id, text=f"In flight {number}.")
                try:
                    answer = client.call("op", raw, timeout=IN_FLIGHT_WAIT)
                except Exception:
                    return  # disconnected or timed out: not acknowledged, the outbox resends
                if answer.get("ok"):
                    acked.append(raw["op_id"])

        sender = threading.Thread(target=keep_sending)
        sender.start()
        while len(acked) < 3 and sender.is_alive():
            client.sleep(0.01)  # a few more acks first, so the signal lands mid-stream
        started = time.monotonic()
        process.send_signal(signum)

        code_ = process.wait(timeout=SHUTDOWN_SECONDS + 5)
        took = time.monotonic() - started
        sender.join(timeout=WAIT)
        assert not sender.is_alive()
        output = log_path.read_text()
        assert code_ == 0, output
        assert took < SHUTDOWN_SECONDS + 2, (took, output)
        assert told.wait(WAIT) and closed == [{"reason": "server_restarting"}], closed
        assert gone.wait(WAIT), "the client was not disconnected"
        assert "Traceback" not in output, output

        with sqlite3.connect(database) as connection:
            stored = {row[0] for row in connection.execute(
                "SELECT op_id FROM meeting_events WHERE meeting_id = ?", (meeting_id,)
            )}  # fmt: skip
            presence = connection.execute("SELECT count(*) FROM presence").fetchone()[0]
            integrity = connection.execute("PRAGMA integrity_check").fetchone()[0]
        assert set(acked) <= stored, set(acked) - stored
        assert presence == 0
        assert integrity == "ok"

        with pytest.raises(ConnectionRefusedError):
            socket.create_connection(("127.0.0.1", port), timeout=WAIT).close()
    finally:
        if client.connected:
            client.disconnect()
        if process.poll() is None:
            process.kill()
            process.wait(timeout=WAIT)


@pytest.mark.timeout(120)
def test_an_idle_server_stops_within_its_limit_too(tmp_path, monkeypatch):
    """Nobody connected: the hub sleeps in epoll for up to a minute, and the signal must
    still wake it (wsgi.py's wake-up pipe); before that, an idle stop took ~60 s."""
    process, port, log_path, _ = start_server(tmp_path, monkeypatch)
    try:
        wait_until_ready(f"http://127.0.0.1:{port}", process, log_path)
        time.sleep(1)  # let the hub go idle
        process.send_signal(signal.SIGTERM)
        assert process.wait(timeout=SHUTDOWN_SECONDS + 5) == 0, log_path.read_text()
    finally:
        if process.poll() is None:
            process.kill()
            process.wait(timeout=WAIT)
