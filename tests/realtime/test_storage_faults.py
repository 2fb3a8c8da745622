"""Disk full and a read-only database under a real wsgi.py (issue 17, finding 13; QUALITY.md R7).

The SQLite file lives on a small ext4 file system of its own (tests/storage_faults.py):
filled with a ballast file for "disk full", its files made immutable for "read-only". On
PostgreSQL (a fresh database of its own), the database is made read-only for new sessions
and the server's sessions are ended, as when a primary becomes a standby.
While writes fail, /readyz answers 503 naming `writes` (and /healthz 200: restarting would
not help), operations are answered `server_error` and kept by the client, signing in
gives a plain 503 page, and the log says so once per spell, with a count when it ends.
When the storage comes back, readiness returns within a beat, the client's resent
operations are stored once each, and the file is intact. A server started on a database
it cannot write exits with one clear line and status 3, never a traceback.
"""

from __future__ import annotations

import secrets
import subprocess
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import requests
import socketio
from builders import PASSWORD, add_op
from live_server import (
    Database,
    Server,
    base_settings,
    browser,
    csrf,
    fresh_postgres_database,
    integrity_ok,
    join_as_guest,
    migrate,
    running,
    seed_meetings,
    stored_op_ids,
)
from sqlalchemy import create_engine, make_url, text
from storage_faults import fill, set_read_only, small_disk

WAIT = 10.0
MAX_OPS_BEFORE_FAILING = 400  # a WAL that has grown before may take some ops into its room
LONG_TEXT = "Storage fault check. " * 80  # ~1,700 characters: the WAL grows fast

pytestmark = pytest.mark.filterwarnings("ignore::ResourceWarning")


def database_on(disk: Path) -> Database:
    path = disk / "facilitator.sqlite3"
    return Database(f"sqlite:///{path}", path)


def ready(base: str) -> requests.Response:
    return requests.get(f"{base}/readyz", timeout=WAIT)


def wait_ready_again(base: str, seconds: float = 20.0) -> None:
    deadline = time.monotonic() + seconds
    while ready(base).status_code != 200:
        assert time.monotonic() < deadline, ready(base).json()
        time.sleep(0.2)


def sign_in_answer(base: str, email: str) -> requests.Response:
    http = browser()
    form = {
        "email": email,
        "password": PASSWORD,
        "csrf_token": csrf(http.get(f"{base}/login").text),
    }
    return http.post(f"{base}/login", data=form, allow_redirects=False, timeout=WAIT)


def connect(base: str, cookie: str, meeting_id: int) -> socketio.Client:
    client = socketio.Client(reconnection=False)
    client.connect(
        base, auth={"meeting_id": meeting_id}, headers={"Cookie": cookie},
        transports=["websocket"], wait_timeout=WAIT,
    )  # fmt: skip
    return client


def run_spell(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    database: Database,
    break_storage: Callable[[], None],
    mend_storage: Callable[[], None],
) -> str:
    """Write until the broken storage refuses, check what everyone sees meanwhile, mend
    it, resend what was refused; return the server's log."""
    settings = {
        **base_settings(database, tmp_path, secrets.token_hex(32)),
        "FACILITATOR_PRESENCE_BEAT_SECONDS": "1",  # the beat is the storage's probe
    }
    seeded = seed_meetings(settings, monkeypatch)
    meeting_id = seeded.meeting_ids[0]
    server = Server(settings, tmp_path / "server.log")
    with running(server):
        cookie = join_as_guest(server.url, seeded.codes[0], meeting_id)
        client = connect(server.url, cookie, meeting_id)
        sent: list[dict[str, Any]] = []

        def send() -> dict[str, Any]:
            sent.append(add_op(meeting_id, text=f"{LONG_TEXT}{len(sent)}"))
            return client.call("op", sent[-1], timeout=WAIT)  # type: ignore[no-any-return]

        assert send()["ok"] is True
        break_storage()
        acks = [send()]
        while acks[-1]["ok"] and len(acks) < MAX_OPS_BEFORE_FAILING:
            acks.append(send())
        assert not acks[-1]["ok"], f"{len(acks)} ops stored on broken storage"
        acks += [send() for _ in range(10)]  # the spell goes on
        refused = [ack for ack in acks if not ack["ok"]]
        assert {ack["error"]["code"] for ack in refused} == {"server_error"}

        answer = ready(server.url)
        assert (answer.status_code, answer.json()["failing"]) == (503, ["writes"])
        assert requests.get(f"{server.url}/healthz", timeout=WAIT).status_code == 200
        page = sign_in_answer(server.url, seeded.staff_email)
        assert page.status_code == 503 and "Saving is not possible right now" in page.text

        mend_storage()
        wait_ready_again(server.url)
        # the client resends what was not acknowledged, same op_ids: each stored once
        for op in sent:
            if op["op_id"] not in {a["event"]["op_id"] for a in acks if a["ok"]}:
                assert client.call("op", op, timeout=WAIT)["ok"] is True
        assert sign_in_answer(server.url, seeded.staff_email).status_code == 302
        client.disconnect()
        log = server.log()
    stored = stored_op_ids(database, [meeting_id])
    assert sorted(stored) == sorted(op["op_id"] for op in sent)
    assert integrity_ok(database)
    assert log.count("writes to the database fail") == 1, log
    assert log.count("writes to the database work again") == 1, log
    assert "Traceback" not in log, log
    return log


@pytest.mark.timeout(180)
def test_a_full_disk_fails_readiness_logs_once_and_recovers(tmp_path, monkeypatch):
    with small_disk(tmp_path) as disk:
        ballast: list[Path] = []
        run_spell(
            tmp_path, monkeypatch, database_on(disk),
            lambda: ballast.append(fill(disk)), lambda: ballast.pop().unlink(),
        )  # fmt: skip


@pytest.mark.timeout(180)
def test_a_read_only_sqlite_file_fails_readiness_logs_once_and_recovers(tmp_path, monkeypatch):
    with small_disk(tmp_path) as disk:
        database = database_on(disk)
        files = [database.sqlite_file, Path(f"{database.sqlite_file}-wal")]
        run_spell(
            tmp_path, monkeypatch, database,
            lambda: set_read_only(files, True), lambda: set_read_only(files, False),
        )  # fmt: skip


@pytest.mark.timeout(240)
def test_a_read_only_postgresql_database_fails_readiness_and_recovers(tmp_path, monkeypatch):
    """The database turns read-only under the running server (as a primary that became a
    standby does): new sessions may not write, and the old ones are ended."""
    with fresh_postgres_database("facilitator_read_only") as database:
        migrate(database, tmp_path)
        name = make_url(database.url).database
        admin = create_engine(make_url(database.url).set(database="postgres"),
                              isolation_level="AUTOCOMMIT")  # fmt: skip

        def read_only(on: bool) -> None:
            with admin.connect() as connection:
                value = "on" if on else "off"
                connection.execute(
                    text(f'ALTER DATABASE "{name}" SET default_transaction_read_only = {value}')
                )
                connection.execute(
                    text("SELECT pg_terminate_backend(pid) FROM pg_stat_activity"
                         " WHERE datname = :name AND pid <> pg_backend_pid()"),
                    {"name": name},
                )  # fmt: skip

        try:
            run_spell(
                tmp_path, monkeypatch, database, lambda: read_only(True), lambda: read_only(False)
            )
        finally:
            admin.dispose()


@pytest.mark.timeout(120)
def test_a_server_started_on_a_read_only_database_exits_with_one_clear_line(tmp_path, monkeypatch):
    with small_disk(tmp_path) as disk:
        database = database_on(disk)
        settings = base_settings(database, tmp_path, secrets.token_hex(32))
        seed_meetings(settings, monkeypatch)
        set_read_only([database.sqlite_file, Path(f"{database.sqlite_file}-wal")], True)
        server = Server(settings, tmp_path / "server.log").start()
        assert server.process is not None
        try:
            status = server.process.wait(timeout=60)
        except subprocess.TimeoutExpired:
            server.kill()
            pytest.fail(f"the server started on a read-only database:\n{server.log()}")
        output = server.log()
    assert status == 3, output
    assert "Traceback" not in output, output
    (line,) = [text for text in output.splitlines() if "cannot start" in text]
    assert "database cannot be written" in line
