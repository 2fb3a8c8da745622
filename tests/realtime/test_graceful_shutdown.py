"""SIGTERM (or SIGINT) on the real server (wsgi.py on eventlet, loopback, a SQLite file): it stops
accepting, commits what it acknowledged, tells each client to reconnect, and exits 0."""

from __future__ import annotations

import os
import re
import secrets
import signal
import socket
import sqlite3
import subprocess
import sys
import threading
import time
from pathlib import Path
from typing import Any

import pytest
import requests
import socketio
from builders import add_op, make_case, make_invite, make_meeting, make_team, make_user

from facilitator import create_app
from facilitator.extensions import db

ROOT = Path(__file__).resolve().parents[2]
START_SECONDS = 30
SHUTDOWN_SECONDS = 8
WAIT = 10.0
IN_FLIGHT_WAIT = 3.0  # python-socketio fails no pending call at a disconnect: it times out


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def seed(settings: dict[str, str], monkeypatch: pytest.MonkeyPatch) -> tuple[int, str]:
    """Tables and a live meeting with a direct invite, made through the services."""
    with monkeypatch.context() as patch:
        for name in list(os.environ):
            if name.startswith("FACILITATOR_"):
                patch.delenv(name)
        for name, value in settings.items():
            patch.setenv(name, value)
        patch.setenv("FACILITATOR_ASYNC_MODE", "threading")  # eventlet is the server's alone
        app = create_app({"SERVER_ID": "shutdown-test-seeder", "MESSAGE_QUEUE": None})
    with app.app_context():
        try:
            db.create_all()
            team = make_team()
            supervisor = make_user("supervisor", team)
            meeting = make_meeting(make_case(team, supervisor), supervisor)
            invite, _token = make_invite(meeting, supervisor)
            return meeting.id, invite.code
        finally:
            db.session.remove()
            db.engine.dispose()


def csrf(html: str) -> str:
    found = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', html)
    assert found, "no csrf_token in the form"
    return found.group(1)


def join_as_guest(base: str, code: str, meeting_id: int) -> str:
    """Join through the pages, as a browser would; return the Cookie header."""
    http = requests.Session()
    form = {"code": code, "csrf_token": csrf(http.get(f"{base}/join", timeout=WAIT).text)}
    page = http.post(f"{base}/join", data=form, timeout=WAIT)
    form = {"display_name": "Mum", "csrf_token": csrf(page.text)}
    answer = http.post(f"{base}/join/name", data=form, allow_redirects=False, timeout=WAIT)
    assert answer.status_code == 302, answer.status_code
    assert answer.headers["Location"].endswith(f"/meetings/{meeting_id}")
    return "; ".join(f"{name}={value}" for name, value in http.cookies.items())


def wait_until_ready(base: str, process: subprocess.Popen[bytes], log: Path) -> None:
    deadline = time.monotonic() + START_SECONDS
    while time.monotonic() < deadline:
        assert process.poll() is None, log.read_text()
        try:
            if requests.get(f"{base}/readyz", timeout=2).status_code == 200:
                return
        except requests.ConnectionError:
            time.sleep(0.1)
    pytest.fail(f"the server was not ready within {START_SECONDS} s:\n{log.read_text()}")


def start_server(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, **extra: str
) -> tuple[subprocess.Popen[bytes], int, Path, tuple[int, str]]:
    """Seed a fresh SQLite instance and start wsgi.py on it; returns the process, its port,
    its log and the seeded (meeting id, invite code)."""
    port = free_port()
    settings = {
        "FACILITATOR_INSTANCE": str(tmp_path),
        "FACILITATOR_HOST": "127.0.0.1",
        "FACILITATOR_PORT": str(port),
        "FACILITATOR_DATABASE_URL": f"sqlite:///{tmp_path / 'facilitator.sqlite3'}",
        "FACILITATOR_SECRET_KEY": secrets.token_hex(32),
        "FACILITATOR_MFA_REQUIRED_ROLES": "",
        "FACILITATOR_SHUTDOWN_SECONDS": str(SHUTDOWN_SECONDS),
        **extra,
    }
    seeded = seed(settings, monkeypatch)
    environment = {k: v for k, v in os.environ.items() if not k.startswith("FACILITATOR_")}
    environment.update(settings, FACILITATOR_ASYNC_MODE="eventlet", PYTHONUNBUFFERED="1")
    log_path = tmp_path / "server.log"
    with log_path.open("wb") as log:
        process = subprocess.Popen(
            [sys.executable, str(ROOT / "wsgi.py")],
            cwd=ROOT, env=environment, stdout=log, stderr=subprocess.STDOUT,
        )  # fmt: skip
    return process, port, log_path, seeded


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
