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
from builders import PASSWORD, make_case, make_invite, make_meeting, make_team, make_user
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
def scratch_database(tmp_path: Path, *, postgres: bool | None = None) -> Iterator[Database]:
    """A database with the app's tables: SQLite in tmp_path, or a private PostgreSQL schema
    (dropped afterwards) when postgres is True, or None and the suite runs on PostgreSQL."""
    pg_url = os.environ.get("FACILITATOR_TEST_DATABASE_URL")
    if postgres is None:
        postgres = bool(pg_url)
    if not postgres:
        path = tmp_path / "facilitator.sqlite3"
        yield Database(f"sqlite:///{path}", path)
        return
    admin = create_engine(pg_url or PG_DEFAULT, isolation_level="AUTOCOMMIT")
    schema = f"facilitator_live_{os.getpid()}_{secrets.token_hex(4)}"
    try:
        with admin.connect() as connection:
            connection.execute(text(f'CREATE SCHEMA "{schema}"'))
    except Exception as error:
        admin.dispose()
        unavailable(f"PostgreSQL is unreachable: {str(error).splitlines()[0]}")
    options = quote(f"-csearch_path={schema}")
    base = str(admin.url.render_as_string(hide_password=False))
    joiner = "&" if "?" in base else "?"
    try:
        yield Database(f"{base}{joiner}options={options}")
    finally:
        with admin.connect() as connection:
            connection.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()


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
    staff_email: str


def base_settings(database: Database, tmp_path: Path, secret: str) -> dict[str, str]:
    return {
        "FACILITATOR_INSTANCE": str(tmp_path),
        "FACILITATOR_HOST": "127.0.0.1",
        "FACILITATOR_DATABASE_URL": database.url,
        "FACILITATOR_SECRET_KEY": secret,
        "FACILITATOR_MFA_REQUIRED_ROLES": "",
        "FACILITATOR_SOCKET_RATE": "1000",
        "FACILITATOR_SOCKET_BURST": "1000",
    }


def seed_meetings(
    settings: dict[str, str], monkeypatch: pytest.MonkeyPatch, meetings: int = 1
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
            team = make_team()
            supervisor = make_user("supervisor", team)
            ids, codes = [], []
            for _ in range(meetings):
                meeting = make_meeting(make_case(team, supervisor), supervisor)
                invite, _token = make_invite(meeting, supervisor)
                ids.append(meeting.id)
                codes.append(invite.code)
            return Seeded(ids, codes, supervisor.email)
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


def join_as_guest(base: str, code: str, meeting_id: int, name: str = "Mum") -> str:
    """Join through the pages, as a browser would; return the Cookie header."""
    http = browser()
    form = {"code": code, "csrf_token": csrf(http.get(f"{base}/join", timeout=WAIT).text)}
    page = http.post(f"{base}/join", data=form, timeout=WAIT)
    form = {"display_name": name, "csrf_token": csrf(page.text)}
    answer = http.post(f"{base}/join/name", data=form, allow_redirects=False, timeout=WAIT)
    assert answer.status_code == 302, answer.status_code
    assert answer.headers["Location"].endswith(f"/meetings/{meeting_id}")
    return _cookie_header(http)


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
