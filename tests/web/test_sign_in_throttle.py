"""S7: failed sign-ins are throttled per account and per address, with answers that do not
tell which accounts exist; every success, failure and lockout is in the audit trail."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from builders import PASSWORD, make_user
from sqlalchemy import select

from facilitator.extensions import db
from facilitator.models import AuditEntry, SignInFailure
from facilitator.services import signin

TOO_MANY = b"Too many attempts. Wait 1 minute and try again."
NO_MATCH = b"don&#39;t match an active account"


@pytest.fixture
def ann(app):
    with app.app_context():
        return make_user("worker", email="ann@example.org").id


def attempt(client, email: str, password: str = "a wrong password, sorry", address="10.0.0.1"):
    return client.post(
        "/login", data={"email": email, "password": password}, environ_base={"REMOTE_ADDR": address}
    )


def without_tokens(page: bytes) -> bytes:
    return re.sub(rb'name="csrf_token" value="[^"]*"', b"", page)


def age_failures(app, minutes: int) -> None:
    """Pretend the failures so far happened this many minutes earlier."""
    with app.app_context():
        for failure in db.session.scalars(select(SignInFailure)):
            failure.at -= timedelta(minutes=minutes)
        db.session.commit()


def test_five_failures_lock_the_account_even_for_the_right_password(app, client, ann):
    for _ in range(5):
        assert NO_MATCH in attempt(client, "ann@example.org").data
    locked = attempt(client, "ann@example.org", PASSWORD)
    assert TOO_MANY in locked.data
    assert client.get("/cases").status_code == 302


def test_an_unknown_account_gets_exactly_the_same_answers(app, ann):
    known, unknown = app.test_client(), app.test_client()
    for _ in range(6):
        a = attempt(known, "ann@example.org")
        b = attempt(unknown, "nobody@example.org", address="10.0.0.2")
        assert a.status_code == b.status_code == 200
        assert without_tokens(a.data).replace(b"ann@", b"nobody@") == without_tokens(b.data)
    assert TOO_MANY in a.data


def test_the_wait_grows_after_each_further_failure(app, client, ann):
    for _ in range(5):
        attempt(client, "ann@example.org")
    assert TOO_MANY in attempt(client, "ann@example.org").data
    age_failures(app, 2)  # the one-minute wait is over
    assert NO_MATCH in attempt(client, "ann@example.org").data  # the sixth failure
    assert b"Wait 2 minutes" in attempt(client, "ann@example.org").data
    age_failures(app, 3)
    assert attempt(client, "ann@example.org", PASSWORD).headers["Location"] == "/cases"


def test_the_lock_of_one_account_leaves_others_alone(app, client, ann):
    with app.app_context():
        make_user("worker", email="bo@example.org")
    for _ in range(5):
        attempt(client, "ann@example.org")
    assert attempt(client, "bo@example.org", PASSWORD).status_code == 302


def test_one_address_trying_many_accounts_is_throttled(make_app):
    app = make_app(SIGN_IN_ADDRESS_LIMIT=8)
    with app.app_context():
        make_user("worker", email="ann@example.org")
    client = app.test_client()
    for number in range(8):
        assert NO_MATCH in attempt(client, f"guess{number}@example.org").data
    assert TOO_MANY in attempt(client, "ann@example.org", PASSWORD).data
    other_address = attempt(client, "ann@example.org", PASSWORD, address="10.9.9.9")
    assert other_address.headers["Location"] == "/cases"


def test_failures_and_successes_are_audited_without_the_typed_address(app, client, ann):
    attempt(client, "ann@example.org")
    attempt(client, "stranger@example.org")
    attempt(client, "ann@example.org", PASSWORD)
    with app.app_context():
        entries = list(db.session.scalars(select(AuditEntry).order_by(AuditEntry.id)))
        stored = list(db.session.scalars(select(SignInFailure.account_key)))
    assert [(e.action, e.user_id, e.detail) for e in entries] == [
        ("auth.sign_in_failed", ann, {"known": True, "stage": "password"}),
        ("auth.sign_in_failed", None, {"known": False, "stage": "password"}),
        ("auth.sign_in", ann, {"method": "password"}),
    ]
    assert all("@" not in key and len(key) == 64 for key in stored)
    assert len(stored) == 1  # a success cleared the account's failure; the unknown one stays
    everything = repr([(e.detail, e.action) for e in entries])
    assert "stranger" not in everything and "wrong" not in everything


def test_a_lockout_is_audited(app, client, ann):
    for _ in range(6):
        attempt(client, "ann@example.org")
    with app.app_context():
        locked = db.session.scalar(select(AuditEntry).filter_by(action="auth.locked"))
    assert (locked.user_id, locked.detail) == (ann, {"known": True, "minutes": 1})


def test_the_second_step_is_throttled_too(app, client, ann):
    import pyotp

    from facilitator.models import User

    with app.app_context():
        user = db.session.get(User, ann)
        signin.keep_totp_secret(user, pyotp.random_base32())
        user.mfa_enabled = True
        db.session.commit()
    attempt(client, "ann@example.org", PASSWORD)
    for _ in range(5):
        assert b"That code is not right" in client.post("/login/code", data={"code": "000000"}).data
    assert TOO_MANY in client.post("/login/code", data={"code": "000000"}).data
