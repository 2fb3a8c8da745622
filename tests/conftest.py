"""Shared fixtures: an app on a real database, clients, and a clean slate per test.

SQLite by default: a fresh file per test under tmp_path, a copy of an empty
database made once per session with create_all. With
FACILITATOR_TEST_DATABASE_URL set to a PostgreSQL URL, the whole run uses
PostgreSQL instead: one private schema per session, emptied between tests.
"""

from __future__ import annotations

import atexit
import os
import secrets
import shutil
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from builders import (
    TEST_ARGON2,
    connect,
    join_by_code,
    make_case,
    make_invite,
    make_meeting,
    make_team,
    make_user,
    reveal_threshold_row,
    sign_in,
)
from flask import Flask
from flask.testing import FlaskClient
from flask_socketio import SocketIOTestClient
from hypothesis import settings
from sqlalchemy import create_engine, text
from sqlalchemy.engine import Engine
from sqlalchemy.exc import OperationalError
from werkzeug.routing import Rule

from facilitator import create_app, offload
from facilitator.extensions import db
from facilitator.models import User

settings.register_profile("facilitator", database=None, deadline=None)
settings.load_profile("facilitator")


def _reuse_compiled_url_builders() -> None:
    """Werkzeug compiles two url_for builders from an AST for every route of every app:
    two thirds of `create_app`'s time, and the suite builds an app for each of its 2,000
    tests on each database. The builder's code depends only on the rule's text, parts and
    defaults, and takes the rule as its first argument, so apps made in one test process
    can share it. Tests only; the server builds one app."""
    original = Rule._compile_builder
    compiled: dict[tuple[Any, ...], Any] = {}

    def compile_builder(rule: Rule, append_unknown: bool = True) -> Any:
        defaults = sorted((name, repr(value)) for name, value in (rule.defaults or {}).items())
        key = (rule.rule, tuple(rule._trace), tuple(defaults), append_unknown)
        if key not in compiled:
            compiled[key] = original(rule, append_unknown)
        return compiled[key]

    Rule._compile_builder = compile_builder  # type: ignore[method-assign]


_reuse_compiled_url_builders()

TEST_DATABASE_ENV = "FACILITATOR_TEST_DATABASE_URL"
TRANSLATIONS = Path(__file__).resolve().parents[1] / "facilitator" / "translations"


@pytest.fixture(scope="session", autouse=True)
def compiled_catalogs() -> None:
    """Each language's .mo built from its .po, as `make setup` does (a stale one is rebuilt)."""
    from babel.messages.mofile import write_mo
    from babel.messages.pofile import read_po

    for po in TRANSLATIONS.glob("*/LC_MESSAGES/messages.po"):
        mo = po.with_suffix(".mo")
        if not mo.exists() or mo.stat().st_mtime < po.stat().st_mtime:
            # written aside and renamed: parallel workers never read a half-written one
            partial = mo.with_suffix(f".{os.getpid()}.partial")
            with po.open("rb") as source, partial.open("wb") as target:
                write_mo(target, read_po(source))
            partial.replace(mo)


@dataclass(frozen=True)
class Postgres:
    """The session's private PostgreSQL schema."""

    url: str
    schema: str
    engine: Engine
    sequences: tuple[str, ...]  # the schema's id sequences, restarted between tests

    def engine_options(self, *, durable: bool = False) -> dict[str, Any]:
        """The app's engine options. Commits do not wait for the WAL to reach the disk (2.6
        ms each here; a test's data need not outlive a crash of PostgreSQL itself), but
        for tests marked durable_commits, which prove what the app does with that setting."""
        options = f"-csearch_path={self.schema}"
        if not durable:
            options += " -csynchronous_commit=off"
        return {"connect_args": {"options": options}}


def _unavailable(reason: str) -> None:
    """Skip when a developer has no PostgreSQL; fail under CI, which must prove it."""
    if os.environ.get("CI") == "true":
        pytest.fail(f"{reason} (CI=true: database tests may not be skipped)", pytrace=False)
    pytest.skip(reason)


@pytest.fixture(scope="session")
def postgres() -> Iterator[Postgres | None]:
    """A private schema for this session, with the tables made once; None on SQLite."""
    url = os.environ.get(TEST_DATABASE_ENV)
    if not url:
        yield None
        return
    admin = create_engine(url, isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as connection:
            connection.execute(text("SELECT 1"))
    except OperationalError as error:
        admin.dispose()
        first_line = str(error.orig).splitlines()[0]
        _unavailable(f"PostgreSQL at {TEST_DATABASE_ENV} is unreachable: {first_line}")
    schema = f"facilitator_test_{os.getpid()}_{secrets.token_hex(4)}"
    with admin.connect() as connection:
        connection.execute(text(f'CREATE SCHEMA "{schema}"'))
    engine = create_engine(url, connect_args={"options": f"-csearch_path={schema}"})
    try:
        db.metadata.create_all(engine)
        with engine.connect() as connection:
            sequences = tuple(connection.execute(text(SEQUENCES)).scalars())
        yield Postgres(url, schema, engine, sequences)
    finally:
        engine.dispose()
        with admin.connect() as connection:
            connection.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()


@pytest.fixture(scope="session")
def sqlite_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """An empty SQLite database made once with create_all, copied for every test."""
    path = tmp_path_factory.mktemp("template") / "facilitator.sqlite3"
    engine = create_engine(f"sqlite:///{path}")
    db.metadata.create_all(engine)
    with engine.begin() as connection:
        reveal_threshold_row(connection)
    engine.dispose()
    return path


SEQUENCES = "SELECT sequencename FROM pg_sequences WHERE schemaname = current_schema()"


def _empty_tables(postgres: Postgres) -> None:
    """Delete every row and restart every id at 1. DELETE, not TRUNCATE: on tables this
    small TRUNCATE makes new files for each table and took 130-400 ms a test, DELETE 6 ms."""
    with postgres.engine.begin() as connection:
        # the append-only triggers (audit entries, the event log) refuse a DELETE; this
        # transaction alone skips triggers, as TRUNCATE does
        connection.execute(text("SET LOCAL session_replication_role = replica"))
        for table in reversed(db.metadata.sorted_tables):
            connection.execute(table.delete())
        restarts = ", ".join(f"setval('{name}', 1, false)" for name in postgres.sequences)
        if restarts:
            connection.execute(text(f"SELECT {restarts}"))
        reveal_threshold_row(connection)


def app_config(
    tmp_path: Path, postgres: Postgres | None, *, durable: bool = False
) -> dict[str, Any]:
    config: dict[str, Any] = {
        "TESTING": True,
        "WTF_CSRF_ENABLED": False,
        "ASYNC_MODE": "threading",
        "SERVER_ID": "test",
        "SECRET_KEY": "test",
        "MESSAGE_QUEUE": None,
        # tests sign supervisors and admins in with a password alone; tests/web/test_mfa.py
        # builds apps with the deployment default (admin, supervisor) to test the rule
        "MFA_REQUIRED_ROLES": [],
        **TEST_ARGON2,
    }
    if postgres is None:
        config["SQLALCHEMY_DATABASE_URI"] = f"sqlite:///{tmp_path / 'facilitator.sqlite3'}"
    else:
        config["SQLALCHEMY_DATABASE_URI"] = postgres.url
        config["SQLALCHEMY_ENGINE_OPTIONS"] = postgres.engine_options(durable=durable)
    return config


_shared_pool: list[offload.RenderPool] = []


def _shared_render_pool(app: Flask) -> offload.RenderPool:
    """One export render pool for every test of this pytest process: a worker process
    starts (and imports WeasyPrint) once, not once per test that exports. The tests of the
    pool itself (marked own_render_pool) kill and reconfigure theirs."""
    if not _shared_pool:
        _shared_pool.append(app.extensions["render_pool"])
        atexit.register(_shared_pool[0].close)
    return _shared_pool[0]


@pytest.fixture
def make_app(
    tmp_path: Path,
    postgres: Postgres | None,
    sqlite_template: Path,
    monkeypatch: pytest.MonkeyPatch,
    request: pytest.FixtureRequest,
) -> Iterator[Any]:
    """Build apps on this test's empty database; override any setting per app."""
    for name in list(os.environ):
        if name.startswith("FACILITATOR_"):
            monkeypatch.delenv(name)
    monkeypatch.setenv("FACILITATOR_INSTANCE", str(tmp_path))
    if postgres is None:
        shutil.copyfile(sqlite_template, tmp_path / "facilitator.sqlite3")
    else:
        _empty_tables(postgres)
    built: list[Flask] = []

    own_pool = request.node.get_closest_marker("own_render_pool") is not None
    durable = request.node.get_closest_marker("durable_commits") is not None

    def build(**overrides: Any) -> Flask:
        app = create_app({**app_config(tmp_path, postgres, durable=durable), **overrides})
        if not own_pool:
            app.extensions["render_pool"] = _shared_render_pool(app)
        built.append(app)
        return app

    yield build
    for app in built:
        if "facilitator_writer" in app.extensions:
            app.extensions["facilitator_writer"].stop()
        if own_pool:
            app.extensions["render_pool"].close()  # its worker processes end with the test
        _wait_for_presence_burst(app)
        with app.app_context():
            db.session.remove()
            for engine in db.engines.values():
                engine.dispose()


def _wait_for_presence_burst(app: Flask) -> None:
    """A burst's presence task (publisher.presence_soon) emits through the one Socket.IO
    server, which the next test's app takes over: it must not outlive its test (a late one
    told the next test's meeting 1 who was here)."""
    burst = app.extensions.get("facilitator_presence_burst")
    deadline = time.monotonic() + 10
    while burst is not None and burst.telling and time.monotonic() < deadline:
        time.sleep(0.02)


@pytest.fixture
def app(make_app: Any) -> Flask:
    return make_app()


@pytest.fixture
def ctx(app: Flask) -> Iterator[None]:
    """An app context for the whole test, for calling services directly."""
    with app.app_context():
        yield


@pytest.fixture
def client(app: Flask) -> FlaskClient:
    return app.test_client()


@pytest.fixture
def open_socket(app: Flask) -> Iterator[Any]:
    """Open a socket to a meeting (sharing an HTTP client's cookies); closed after the test."""
    opened: list[SocketIOTestClient] = []

    def open_(client: FlaskClient | None, meeting_id: Any, **auth: Any) -> SocketIOTestClient:
        socket = connect(app, client, meeting_id, **auth)
        opened.append(socket)
        return socket

    yield open_
    for socket in opened:
        if socket.is_connected():
            socket.disconnect()
        SocketIOTestClient.clients.pop(socket.eio_sid, None)


# --- a team with a live meeting, for pages and sockets --------------------------------


@dataclass(frozen=True)
class Person:
    id: int
    email: str
    name: str

    @classmethod
    def of(cls, user: User) -> Person:
        return cls(user.id, user.email, user.display_name)


@dataclass(frozen=True)
class Scene:
    """Ids and addresses only: no database rows outlive the context that made them."""

    supervisor: Person  # facilitator of meeting_id, in the case's team
    worker: Person  # a teammate
    outsider: Person  # a worker of another team
    admin: Person
    team_id: int
    case_id: int
    meeting_id: int
    other_meeting_id: int  # a second meeting of the same case
    code: str  # guest code for meeting_id
    token: str  # guest link token for meeting_id
    other_code: str  # guest code for other_meeting_id


@pytest.fixture
def scene(app: Flask) -> Scene:
    with app.app_context():
        team = make_team()
        supervisor = make_user("supervisor", team)
        worker = make_user("worker", team)
        outsider = make_user("worker", make_team())
        admin = make_user("admin")
        case = make_case(team, supervisor)
        meeting = make_meeting(case, supervisor)
        other = make_meeting(case, supervisor, "consultation")
        invite, token = make_invite(meeting, supervisor)
        other_invite, _ = make_invite(other, supervisor)
        return Scene(
            supervisor=Person.of(supervisor),
            worker=Person.of(worker),
            outsider=Person.of(outsider),
            admin=Person.of(admin),
            team_id=team.id,
            case_id=case.id,
            meeting_id=meeting.id,
            other_meeting_id=other.id,
            code=invite.code,
            token=token,
            other_code=other_invite.code,
        )


@pytest.fixture
def staff_client(app: Flask) -> Any:
    """A browser signed in as this staff member (the sign-in form itself is tested in web/)."""

    def signed_in(person: Person) -> FlaskClient:
        client = app.test_client()
        sign_in(client, person.id)
        return client

    return signed_in


@pytest.fixture
def guest_client(app: Flask) -> Any:
    """A browser that joined as a guest with this code."""

    def join(code: str, name: str = "Mum") -> FlaskClient:
        client = app.test_client()
        response = join_by_code(client, code, name)
        assert response.status_code == 302, "the guest could not join"
        return client

    return join
