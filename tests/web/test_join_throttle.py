"""Join-code guessing is slowed per address and overall, and a burst is audited once (S7):
codes tried past the limit are refused (429) without being looked at; other addresses, and
the same one after the window, join as before."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from facilitator.extensions import db
from facilitator.models import AuditEntry
from facilitator.web.join_guard import WINDOW_SECONDS, JoinGuard


class Clock:
    now = 1000.0

    def __call__(self) -> float:
        return self.now


def test_an_address_is_slowed_after_its_limit_and_the_burst_is_reported_once():
    clock = Clock()
    guard = JoinGuard(per_address=3, overall=100, clock=clock)
    reached = [guard.failed("10.0.0.1") for _ in range(5)]
    assert reached == [None, None, "address", None, None]
    assert guard.wait_seconds("10.0.0.1") > 0
    assert guard.wait_seconds("10.0.0.2") == 0
    clock.now += WINDOW_SECONDS + 1
    assert guard.wait_seconds("10.0.0.1") == 0


def test_everyone_together_is_slowed_after_the_overall_limit():
    guard = JoinGuard(per_address=100, overall=4, clock=Clock())
    reached = [guard.failed(f"10.0.0.{n}") for n in range(4)]
    assert reached == [None, None, None, "overall"]
    assert guard.wait_seconds("10.9.9.9") > 0


@pytest.fixture
def app(make_app):
    return make_app(JOIN_FAILURES_PER_ADDRESS=5)


def _try(client, code, address="10.0.0.1"):
    return client.post("/join", data={"code": code}, environ_base={"REMOTE_ADDR": address})


def test_guessing_codes_is_refused_past_the_limit_and_audited_once(app, scene, client):
    answers = [_try(client, f"WRONG{n:03d}").status_code for n in range(20)]
    assert answers == [200] * 5 + [429] * 15
    assert _try(client, scene.code).status_code == 429  # not even looked at
    slowed = client.post("/join", data={"code": "X"}, environ_base={"REMOTE_ADDR": "10.0.0.1"})
    assert slowed.headers["Retry-After"].isdigit()
    assert "Too many wrong codes. Wait 10 minutes" in slowed.get_data(as_text=True)
    with app.app_context():
        entries = list(
            db.session.scalars(select(AuditEntry).where(AuditEntry.action == "join.throttled"))
        )
    assert [e.detail for e in entries] == [{"limit": "address", "failures": 5, "minutes": 10}]
    assert _try(app.test_client(), scene.code, address="10.0.0.2").status_code == 302
