"""Real servers for tests: wsgi.py on eventlet in a subprocess, on a scratch database.

`scratch_database` makes a database the servers can share (a SQLite file; or, when the
suite runs on PostgreSQL or a test asks for it, a private PostgreSQL schema), `seed_meeting`
fills it through the services, and `Server` starts, kills and restarts one wsgi.py on it.
Clients join through the real pages (`join_as_guest`, `sign_in_staff`), as a browser does.
"""

from __future__ import annotations

import os
import re
import secrets
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import quote

import pytest
import requests
from builders import (
    PASSWORD,
    TEST_ARGON2_ENVIRONMENT,
    make_case,
    make_invite,
    make_meeting,
    make_team,
    make_user,
    reveal_threshold_row,
)
from sqlalchemy import bindparam, create_engine, text

from facilitator import create_app
from facilitator.extensions import db

ROOT = Path(__file__).resolve().parents[1]
START_SECONDS = 60  # a shared, loaded machine can take half a minute to import the app
WAIT = 10.0
PG_DEFAULT = "postgresql+psycopg2://postgres@127.0.0.1:5432/test"
REDIS_DEFAULT = "redis://127.0.0.1:6379/0"
# Sessions are bound to the browser (Flask-Login's "strong" protection hashes the address
# and User-Agent): the pages and the socket must come from the same "browser".
USER_AGENT = "Mozilla/5.0 (Facilitator tests)"


def unavailable(reason: str) -> None:
    """Skip when a developer lacks a service; fail under CI, which must prove it."""
    if os.environ.get("CI") == "true":
        pytest.fail(f"{reason} (CI=true: this test may not be skipped)", pytrace=False)
    pytest.skip(reason)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@dataclass
class Database:
    url: str  # as the servers get it
    sqlite_file: Path | None = None

    @property
    def is_sqlite(self) -> bool:
        return self.sqlite_file is not None


@contextmanager
def _on_postgres(create: str, drop: str) -> Iterator[Any]:
    """Run `create` on the test PostgreSQL (skip, or fail under CI, when it is unreachable),
    yield an autocommit engine on it, and run `drop` at the end."""
    admin = create_engine(
        os.environ.get("FACILITATOR_TEST_DATABASE_URL") or PG_DEFAULT, isolation_level="AUTOCOMMIT"
    )
    try:
        with admin.connect() as connection:
            connection.execute(text(create))
    except Exception as error:
        admin.dispose()
        unavailable(f"PostgreSQL is unreachable: {str(error).splitlines()[0]}")
    try:
        yield admin
    finally:
        with admin.connect() as connection:
            connection.execute(text(drop))
        admin.dispose()


@contextmanager
def scratch_database(tmp_path: Path, *, postgres: bool | None = None) -> Iterator[Database]:
    """A database with the app's tables: SQLite in tmp_path, or a private PostgreSQL schema
    (dropped afterwards) when postgres is True, or None and the suite runs on PostgreSQL."""
    if postgres is None:
        postgres = bool(os.environ.get("FACILITATOR_TEST_DATABASE_URL"))
    if not postgres:
        path = tmp_path / "facilitator.sqlite3"
        yield Database(f"sqlite:///{path}", path)
        return
    schema = f"facilitator_live_{os.getpid()}_{secrets.token_hex(4)}"
    with _on_postgres(f'CREATE SCHEMA "{schema}"', f'DROP SCHEMA "{schema}" CASCADE') as admin:
        options = quote(f"-csearch_path={schema}")
        base = str(admin.url.render_as_string(hide_password=False))
        joiner = "&" if "?" in base else "?"
        yield Database(f"{base}{joiner}options={options}")


@contextmanager
def fresh_postgres_database(prefix: str) -> Iterator[Database]:
    """A new, empty PostgreSQL database of its own (dropped afterwards, connections and
    all), as a deployment has: `migrate` builds its tables as an operator would."""
    name = f"{prefix}_{os.getpid()}_{secrets.token_hex(4)}"
    create, drop = f'CREATE DATABASE "{name}"', f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'
    with _on_postgres(create, drop) as admin:
        yield Database(admin.url.set(database=name).render_as_string(hide_password=False))


def migrate(database: Database, tmp_path: Path) -> None:
    """`flask db upgrade`, as the deployment docs tell an operator to run it once."""
    environment = {k: v for k, v in os.environ.items() if not k.startswith("FACILITATOR_")}
    environment.update(
        FLASK_APP="facilitator", FACILITATOR_DATABASE_URL=database.url,
        FACILITATOR_INSTANCE=str(tmp_path), FACILITATOR_SECRET_KEY="migrating",
    )  # fmt: skip
    done = subprocess.run(
        [sys.executable, "-m", "flask", "db", "upgrade"],
        cwd=ROOT, env=environment, capture_output=True, text=True, timeout=120,
    )  # fmt: skip
    assert done.returncode == 0, f"flask db upgrade failed:\n{done.stdout}\n{done.stderr}"


def redis_url() -> str:
    """The local Redis, checked to answer."""
    import redis

    url = os.environ.get("FACILITATOR_TEST_REDIS_URL", REDIS_DEFAULT)
    try:
        redis.Redis.from_url(url, socket_timeout=2).ping()
    except Exception as error:
        unavailable(f"Redis at {url} is unreachable: {type(error).__name__}")
    return url


@dataclass
class Seeded:
    meeting_ids: list[int]
    codes: list[str]  # a direct invite code per meeting
    staff_email: str  # the supervisor who facilitates every meeting
    member_email: str  # a worker of the same team
    # more meetings (when asked for), whose invites take guests to the waiting room
    waiting_meeting_ids: list[int]
    waiting_codes: list[str]


def base_settings(database: Database, tmp_path: Path, secret: str) -> dict[str, str]:
    return {
        "FACILITATOR_INSTANCE": str(tmp_path),
        "FACILITATOR_HOST": "127.0.0.1",
        "FACILITATOR_DATABASE_URL": database.url,
        "FACILITATOR_SECRET_KEY": secret,
        "FACILITATOR_MFA_REQUIRED_ROLES": "",
        "FACILITATOR_SOCKET_RATE": "1000",
        "FACILITATOR_SOCKET_BURST": "1000",
        **TEST_ARGON2_ENVIRONMENT,
    }


def seed_meetings(
    settings: dict[str, str],
    monkeypatch: pytest.MonkeyPatch,
    meetings: int = 1,
    waiting_meetings: int = 0,
) -> Seeded:
    """Tables and live meetings of one team, each with a direct invite, made through the
    services in this process (threading mode: eventlet is the server's alone)."""
    with monkeypatch.context() as patch:
        for name in list(os.environ):
            if name.startswith("FACILITATOR_"):
                patch.delenv(name)
        for name, value in settings.items():
            patch.setenv(name, value)
        patch.setenv("FACILITATOR_ASYNC_MODE", "threading")
        app = create_app({"SERVER_ID": "live-test-seeder", "MESSAGE_QUEUE": None})
    with app.app_context():
        try:
            db.create_all()
            with db.engine.begin() as connection:
                reveal_threshold_row(connection)
            team = make_team()
            supervisor = make_user("supervisor", team)
            member = make_user("worker", team)
            made: dict[bool, tuple[list[int], list[str]]] = {False: ([], []), True: ([], [])}
            for waiting_room in [False] * meetings + [True] * waiting_meetings:
                meeting = make_meeting(make_case(team, supervisor), supervisor)
                invite, _token = make_invite(meeting, supervisor, waiting_room=waiting_room)
                made[waiting_room][0].append(meeting.id)
                made[waiting_room][1].append(invite.code)
            return Seeded(*made[False], supervisor.email, member.email, *made[True])
        finally:
            db.session.remove()
            db.engine.dispose()


@dataclass
class Server:
    """One wsgi.py process; `start` again after `kill` restarts it on the same port."""

    settings: dict[str, str]
    log_path: Path
    port: int = field(default_factory=free_port)
    process: subprocess.Popen[bytes] | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self) -> Server:
        environment = {k: v for k, v in os.environ.items() if not k.startswith("FACILITATOR_")}
        environment.update(
            self.settings, FACILITATOR_PORT=str(self.port), FACILITATOR_ASYNC_MODE="eventlet",
            PYTHONUNBUFFERED="1",
        )  # fmt: skip
        with self.log_path.open("ab") as log:
            self.process = subprocess.Popen(
                [sys.executable, str(ROOT / "wsgi.py")],
                cwd=ROOT, env=environment, stdout=log, stderr=subprocess.STDOUT,
            )  # fmt: skip
        return self

    def wait_ready(self) -> Server:
        deadline = time.monotonic() + START_SECONDS
        while time.monotonic() < deadline:
            assert self.process is not None and self.process.poll() is None, self.log()
            try:
                if requests.get(f"{self.url}/readyz", timeout=2).status_code == 200:
                    return self
            except (requests.ConnectionError, requests.Timeout):  # not listening; or slow
                time.sleep(0.05)
        pytest.fail(f"the server was not ready within {START_SECONDS} s:\n{self.log()}")

    def kill(self, signum: int = signal.SIGKILL) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.send_signal(signum)
            self.process.wait(timeout=WAIT + 5)

    def log(self) -> str:
        return self.log_path.read_text(errors="replace") if self.log_path.exists() else ""


@contextmanager
def running(*servers: Server) -> Iterator[tuple[Server, ...]]:
    """Start the servers, wait until each is ready, and kill whatever is left at the end."""
    try:
        for server in servers:
            server.start()
        for server in servers:
            server.wait_ready()
        yield servers
    finally:
        for server in servers:
            server.kill()


def csrf(html: str) -> str:
    found = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', html)
    assert found, "no csrf_token in the form"
    return found.group(1)


def _cookie_header(http: requests.Session) -> str:
    return "; ".join(f"{name}={value}" for name, value in http.cookies.items())


def browser() -> requests.Session:
    http = requests.Session()
    http.headers["User-Agent"] = USER_AGENT
    return http


def join_as_guest(
    base: str, code: str, meeting_id: int, name: str = "Mum", *, waiting: bool = False
) -> str:
    """Join through the pages, as a browser would (to the board, or with a waiting-room
    invite to the waiting room); return the Cookie header."""
    http = browser()
    form = {"code": code, "csrf_token": csrf(http.get(f"{base}/join", timeout=WAIT).text)}
    page = http.post(f"{base}/join", data=form, timeout=WAIT)
    form = {"display_name": name, "csrf_token": csrf(page.text)}
    answer = http.post(f"{base}/join/name", data=form, allow_redirects=False, timeout=WAIT)
    assert answer.status_code == 302, answer.status_code
    landing = "/join/wait" if waiting else f"/meetings/{meeting_id}"
    assert answer.headers["Location"].endswith(landing), answer.headers["Location"]
    return _cookie_header(http)


def with_cookie(cookie: str) -> requests.Session:
    """The browser that holds this Cookie header (for the loopback servers)."""
    http = browser()
    for pair in cookie.split("; "):
        name, _, value = pair.partition("=")
        # in the jar as the server set it, so that its answers replace it
        http.cookies.set(name, value, domain="127.0.0.1", path="/")
    return http


def sign_out(base: str, cookie: str) -> None:
    """Press "Sign out" (its form is on every signed-in page)."""
    http = with_cookie(cookie)
    token = csrf(http.get(f"{base}/cases/", timeout=WAIT).text)
    answer = http.post(
        f"{base}/logout", data={"csrf_token": token}, allow_redirects=False, timeout=WAIT
    )
    assert answer.status_code == 302, answer.status_code


def sign_in_staff(base: str, email: str) -> str:
    """Sign in through the login form (no MFA in these settings); return the Cookie header."""
    http = browser()
    form = {
        "email": email,
        "password": PASSWORD,
        "csrf_token": csrf(http.get(f"{base}/login", timeout=WAIT).text),
    }
    answer = http.post(f"{base}/login", data=form, allow_redirects=False, timeout=WAIT)
    assert answer.status_code == 302, answer.status_code
    return _cookie_header(http)


def stored_op_ids(database: Database, meeting_ids: list[int]) -> list[str]:
    """Every op_id in the event log of these meetings (repeated if stored twice)."""
    engine = create_engine(database.url)
    try:
        with engine.connect() as connection:
            query = text("SELECT op_id FROM meeting_events WHERE meeting_id IN :ids")
            query = query.bindparams(bindparam("ids", expanding=True))
            rows = connection.execute(query, {"ids": meeting_ids})
            return [row[0] for row in rows if row[0] is not None]
    finally:
        engine.dispose()


def stored_items(database: Database, meeting_id: int) -> list[dict[str, Any]]:
    """The meeting's live items as the database holds them."""
    engine = create_engine(database.url)
    try:
        with engine.connect() as connection:
            rows = connection.execute(
                text(
                    "SELECT id, section, position, version, text FROM items"
                    " WHERE meeting_id = :id AND NOT deleted"
                ),
                {"id": meeting_id},
            )
            return [dict(row._mapping) for row in rows]
    finally:
        engine.dispose()


def integrity_ok(database: Database) -> bool:
    """SQLite's own check of the file (PostgreSQL has none to run: True)."""
    if database.sqlite_file is None:
        return True
    import sqlite3

    with sqlite3.connect(database.sqlite_file) as connection:
        return bool(connection.execute("PRAGMA integrity_check").fetchone()[0] == "ok")


def meeting_rev(database: Database, meeting_id: int) -> int:
    """The meeting's revision as committed."""
    engine = create_engine(database.url)
    try:
        with engine.connect() as connection:
            query = text("SELECT rev FROM meetings WHERE id = :id")
            return int(connection.execute(query, {"id": meeting_id}).scalar_one())
    finally:
        engine.dispose()


def wait_until_blocked_by(connection: Any, seconds: float = WAIT) -> None:
    """Until another PostgreSQL backend waits for a lock this connection holds."""
    pid = connection.execute(text("SELECT pg_backend_pid()")).scalar_one()
    # pg_locks, not pg_stat_activity: that one is a snapshot for the whole transaction
    blocked = text("SELECT count(*) FROM pg_locks WHERE :pid = ANY(pg_blocking_pids(pid))")
    deadline = time.monotonic() + seconds
    while connection.execute(blocked, {"pid": pid}).scalar_one() == 0:
        assert time.monotonic() < deadline, "nothing waited for the lock"
        time.sleep(0.02)
