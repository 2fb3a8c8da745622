"""PostgreSQL's pooled connections: pinged before use only after an idle spell (a busy
worker checks out thousands a second), and a dead one found by the ping is replaced."""

from typing import Any

import pytest
from sqlalchemy import create_engine, text

from facilitator import wiring
from facilitator.extensions import db


@pytest.fixture
def pings(app: Any, postgres: Any, monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """How many pings the app's engine made."""
    if postgres is None:
        pytest.skip("the ping is for PostgreSQL's pool; SQLite opens a file")
    made: list[int] = []
    with app.app_context():
        dialect = db.engine.dialect
    real = dialect.do_ping

    def counted(dbapi_connection: Any) -> bool:
        made.append(1)
        return real(dbapi_connection)

    monkeypatch.setattr(dialect, "do_ping", counted)
    return made


def backend(app: Any) -> int:
    with app.app_context():
        pid = db.session.execute(text("SELECT pg_backend_pid()")).scalar_one()
        db.session.remove()
    return int(pid)


@pytest.mark.postgres_only
def test_a_connection_used_a_moment_ago_is_not_pinged(app, pings):
    first = backend(app)  # a new connection: no ping either way
    assert backend(app) == first
    assert backend(app) == first
    assert pings == []


@pytest.mark.postgres_only
def test_a_connection_idle_too_long_is_pinged_and_replaced_when_dead(
    app, pings, postgres, monkeypatch
):
    first = backend(app)
    admin = create_engine(postgres.url, isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as connection:  # PostgreSQL restarted, say
            connection.execute(text("SELECT pg_terminate_backend(:pid)"), {"pid": first})
    finally:
        admin.dispose()
    monkeypatch.setattr(wiring, "PING_AFTER_IDLE_SECONDS", 0.0)  # as if idle long enough
    replaced = backend(app)  # no error reaches the caller
    assert pings == [1]
    assert replaced != first
