"""Writes that fail on the storage (disk full, read-only database): readiness fails while
they do and comes back after a write succeeds, the log says so once per spell with a
count, and a page that cannot save answers a plain 503 (issue 17, finding 13). The real
disk and file system versions are in tests/realtime/test_storage_faults.py."""

from __future__ import annotations

import logging
import sqlite3

import pytest
from builders import PASSWORD, make_user
from sqlalchemy.exc import OperationalError

from facilitator.write_health import write_health


def disk_full() -> OperationalError:
    return OperationalError(
        "INSERT INTO audit_entries (detail) VALUES (?)",
        {"detail": "case text that must never reach the log"},
        sqlite3.OperationalError("database or disk is full"),
    )


def test_readiness_fails_while_writes_fail_and_comes_back_after_one_succeeds(app, client):
    health = write_health(app)
    health.failed(disk_full())
    answer = client.get("/readyz")
    assert (answer.status_code, answer.get_json()["failing"]) == (503, ["writes"])
    assert client.get("/healthz").status_code == 200  # a restart would not free the disk
    health.succeeded()
    assert client.get("/readyz").status_code == 200


def test_a_spell_of_failures_is_logged_once_and_its_end_once_with_the_count(app, caplog):
    caplog.set_level(logging.WARNING, logger="facilitator.write_health")
    health = write_health(app)
    for _ in range(573):
        health.failed(disk_full())
    health.succeeded()
    health.succeeded()  # no spell: nothing to say
    lines = [record.getMessage() for record in caplog.records]
    assert len(lines) == 2, lines
    assert "database or disk is full" in lines[0]
    assert "after 573 failed writes" in lines[1]
    assert not any("case text" in line or "INSERT" in line for line in lines)


@pytest.fixture
def user(app):
    with app.app_context():
        return make_user("worker", email="ann@example.org").id


def test_signing_in_while_writes_fail_gives_a_plain_503_page(app, client, user, monkeypatch):
    from facilitator.web import auth

    def full(*_args, **_kwargs):
        raise disk_full()

    monkeypatch.setattr(auth.signin, "record_success", full)
    answer = client.post("/login", data={"email": "ann@example.org", "password": PASSWORD})
    assert answer.status_code == 503
    assert answer.headers["Retry-After"] == "60"
    page = answer.get_data(as_text=True)
    assert "Saving is not possible right now" in page and "Traceback" not in page
    assert client.get("/readyz").status_code == 503  # the page's failure counts as one
