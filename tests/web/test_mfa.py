"""S6: TOTP two-step sign-in — enrolment with a QR code, the second step, recovery codes,
the rule that some roles must use it, the account page and an admin's reset."""

from __future__ import annotations

import re
import time

import pyotp
import pytest
from builders import PASSWORD, login, make_user, sign_in
from sqlalchemy import select

from facilitator.extensions import db
from facilitator.models import AuditEntry, RecoveryCode, User

REQUIRED = ["admin", "supervisor"]  # the deployment default


def secret_on(page: bytes) -> str:
    found = re.search(rb'id="mfa-secret">([^<]+)<', page)
    assert found, "the enrolment page shows the key as text"
    return found.group(1).decode().replace(" ", "")


def codes_on(page: bytes) -> list[str]:
    listing = re.search(rb'id="recovery-codes">(.*?)</ul>', page, re.S)
    assert listing
    return [c.decode() for c in re.findall(rb"<li>([^<]+)</li>", listing.group(1))]


def next_code(secret: str) -> str:
    """The code of the next 30-second step: accepted, and never the one just used."""
    return pyotp.TOTP(secret).at(time.time() + 30)


def actions(app) -> list[str]:
    with app.app_context():
        return list(db.session.scalars(select(AuditEntry.action).order_by(AuditEntry.id)))


def enrol(client) -> tuple[str, list[str]]:
    """Enrol through the page: read the key, answer with the current code."""
    page = client.get("/account/mfa")
    assert page.status_code == 200
    secret = secret_on(page.data)
    done = client.post("/account/mfa", data={"code": pyotp.TOTP(secret).now()})
    assert done.status_code == 200
    assert done.headers["Cache-Control"] == "no-store"
    assert done.mimetype == page.mimetype == "text/html"
    return secret, codes_on(done.data)


@pytest.fixture
def ann(app):
    with app.app_context():
        return make_user("worker", email="ann@example.org").id


def test_enrolment_shows_a_server_made_svg_qr_and_the_key_never_in_a_url(app, client, ann):
    sign_in(client, ann)
    page = client.get("/account/mfa")
    assert b"<svg" in page.data and b"<script" not in page.data.split(b"<main")[-1]
    secret = secret_on(page.data)
    assert len(secret) >= 32
    assert secret.encode() not in b"".join(re.findall(rb'(?:href|src|action)="[^"]*"', page.data))
    with app.app_context():
        assert db.session.get(User, ann).mfa_enabled is False  # not until a code confirms it


def test_a_wrong_code_does_not_turn_mfa_on(app, client, ann):
    sign_in(client, ann)
    client.get("/account/mfa")
    refused = client.post("/account/mfa", data={"code": "000000"})
    assert b"That code is not right" in refused.data
    with app.app_context():
        assert db.session.get(User, ann).mfa_enabled is False


def test_enrolment_gives_ten_recovery_codes_stored_as_argon2id_hashes(app, client, ann):
    sign_in(client, ann)
    _, codes = enrol(client)
    assert len(codes) == len(set(codes)) == 10
    with app.app_context():
        stored = list(db.session.scalars(select(RecoveryCode.code_hash)))
        assert db.session.get(User, ann).mfa_enabled
    assert len(stored) == 10 and all(h.startswith("$argon2id$") for h in stored)
    assert "auth.mfa_enrolled" in actions(app)


def test_with_mfa_sign_in_takes_two_steps(app, client, ann):
    sign_in(client, ann)
    secret, _ = enrol(client)
    client.post("/logout")
    first = client.post("/login", data={"email": "ann@example.org", "password": PASSWORD})
    assert first.headers["Location"] == "/login/code"
    assert client.get("/cases").status_code == 302  # not signed in between the steps
    wrong = client.post("/login/code", data={"code": "123456"})
    assert b"That code is not right" in wrong.data
    second = client.post("/login/code", data={"code": next_code(secret)})
    assert second.headers["Location"] == "/cases"
    assert client.get("/cases").status_code == 200
    assert actions(app)[-2:] == ["auth.sign_in_failed", "auth.sign_in"]


def test_a_totp_code_works_once(app, client, ann):
    sign_in(client, ann)
    secret, _ = enrol(client)
    code = next_code(secret)
    for attempt in range(2):
        client.post("/logout")
        client.post("/login", data={"email": "ann@example.org", "password": PASSWORD})
        answer = client.post("/login/code", data={"code": code})
        assert answer.status_code == (302 if attempt == 0 else 200)


def test_the_secret_is_kept_sealed_and_bound_to_its_user(app, client, ann):
    """A copy of the database cannot make codes: the secret is not in it in clear, and a
    sealed secret copied onto another account does not open there."""
    sign_in(client, ann)
    secret, _ = enrol(client)
    with app.app_context():
        bob = make_user("worker", email="bob@example.org").id
        stored = db.session.get(User, ann).totp_secret
        assert secret not in stored and stored.startswith("v1.")
        db.session.get(User, bob).totp_secret, db.session.get(User, bob).mfa_enabled = stored, True
        db.session.commit()
    other = app.test_client()
    other.post("/login", data={"email": "bob@example.org", "password": PASSWORD})
    refused = other.post("/login/code", data={"code": next_code(secret)})
    assert b"That code is not right" in refused.data
    client.post("/logout")
    client.post("/login", data={"email": "ann@example.org", "password": PASSWORD})
    assert client.post("/login/code", data={"code": next_code(secret)}).status_code == 302


def test_after_the_secret_key_changes_codes_fail_and_a_recovery_code_still_signs_in(
    make_app, app, client, ann, caplog
):
    sign_in(client, ann)
    secret, codes = enrol(client)
    rekeyed = make_app(SECRET_KEY="another key, as after a rotation " * 2).test_client()
    rekeyed.post("/login", data={"email": "ann@example.org", "password": PASSWORD})
    refused = rekeyed.post("/login/code", data={"code": next_code(secret)})
    assert b"That code is not right" in refused.data
    assert f"TOTP secret of user {ann} does not open" in caplog.text
    assert secret not in caplog.text
    assert rekeyed.post("/login/code", data={"code": codes[0]}).status_code == 302


def test_a_recovery_code_signs_in_once(app, client, ann):
    sign_in(client, ann)
    _, codes = enrol(client)
    for attempt in range(2):
        client.post("/logout")
        client.post("/login", data={"email": "ann@example.org", "password": PASSWORD})
        answer = client.post("/login/code", data={"code": codes[0].upper()})
        assert answer.status_code == (302 if attempt == 0 else 200)
    assert "auth.recovery_code_used" in actions(app)
    with app.app_context():
        assert db.session.scalar(
            select(AuditEntry.detail).where(AuditEntry.action == "auth.recovery_code_used")
        ) == {"left": 9}


def test_eight_character_password_only_once_mfa_is_on(app, client, ann):
    sign_in(client, ann)
    short = {"current_password": PASSWORD, "new_password": "zq7-lm4x"}
    assert b"Use at least 15 characters" in client.post("/account/password", data=short).data
    enrol(client)
    assert client.post("/account/password", data=short).headers["Location"] == "/account"
    assert "auth.password_changed" in actions(app)
    client.post("/logout")
    assert login(client, "ann@example.org", "zq7-lm4x").headers["Location"] == "/login/code"


def test_changing_the_password_needs_the_current_one_and_the_rules(app, client, ann):
    sign_in(client, ann)
    wrong = {"current_password": "not it at all, sorry", "new_password": "a new long passphrase"}
    assert (
        b"Your current password is not right" in client.post("/account/password", data=wrong).data
    )
    common = {"current_password": PASSWORD, "new_password": "1qaz2wsx3edc4rfv"}
    assert b"list of common passwords" in client.post("/account/password", data=common).data
    good = {"current_password": PASSWORD, "new_password": "a new long passphrase"}
    assert client.post("/account/password", data=good).status_code == 302
    client.post("/logout")
    assert login(client, "ann@example.org", "a new long passphrase").status_code == 302


def test_a_worker_may_turn_mfa_off_with_the_password(app, client, ann):
    sign_in(client, ann)
    enrol(client)
    client.post("/account/mfa/disable", data={"password": PASSWORD})
    with app.app_context():
        assert db.session.get(User, ann).mfa_enabled is False
        assert db.session.scalar(select(RecoveryCode)) is None


# --- roles that must use it ---------------------------------------------------------------


@pytest.fixture
def required_app(make_app):
    app = make_app(MFA_REQUIRED_ROLES=REQUIRED)
    with app.app_context():
        make_user("supervisor", email="sue@example.org")
    return app


def test_a_supervisor_without_mfa_is_sent_to_enrol_after_the_password(required_app):
    client = required_app.test_client()
    answer = login(client, "sue@example.org")
    assert answer.headers["Location"] == "/account/mfa"
    assert client.get("/cases").status_code == 302  # nothing else until enrolled
    assert client.get("/cases").headers["Location"].startswith("/login")
    page = client.get("/account/mfa")
    assert b"Your role signs in with a code" in page.data
    done = client.post("/account/mfa", data={"code": pyotp.TOTP(secret_on(page.data)).now()})
    assert b"Two-step sign-in is on" in done.data
    assert client.get("/cases").status_code == 200
    assert actions(required_app)[-2:] == ["auth.mfa_enrolled", "auth.sign_in"]


def test_a_signed_in_supervisor_without_mfa_reaches_only_enrolment(required_app):
    client = required_app.test_client()
    with required_app.app_context():
        sue = db.session.scalar(select(User).filter_by(email="sue@example.org"))
    sign_in(client, sue.id)
    for path in ("/cases", "/account", "/admin"):
        assert client.get(path).headers["Location"] == "/account/mfa"
    assert client.get("/account/mfa").status_code == 200


def test_a_supervisor_may_not_turn_required_mfa_off(required_app):
    client = required_app.test_client()
    login(client, "sue@example.org")
    page = client.get("/account/mfa")
    client.post("/account/mfa", data={"code": pyotp.TOTP(secret_on(page.data)).now()})
    refused = client.post("/account/mfa/disable", data={"password": PASSWORD})
    assert b"stays on" in refused.data
    with required_app.app_context():
        assert db.session.scalar(select(User).filter_by(email="sue@example.org")).mfa_enabled


def test_a_worker_is_not_asked_for_mfa_by_default(required_app):
    with required_app.app_context():
        make_user("worker", email="will@example.org")
    client = required_app.test_client()
    assert login(client, "will@example.org").headers["Location"] == "/cases"


def test_the_pending_step_expires(app, client, ann):
    sign_in(client, ann)
    secret, _ = enrol(client)
    client.post("/logout")
    client.post("/login", data={"email": "ann@example.org", "password": PASSWORD})
    with client.session_transaction() as session:
        session["pending_at"] -= 301
    assert client.post("/login/code", data={"code": next_code(secret)}).status_code == 302
    assert client.get("/cases").status_code == 302


# --- an admin's reset ---------------------------------------------------------------------


def test_an_admin_resets_a_users_mfa_and_the_page_shows_it(app, client, ann):
    sign_in(client, ann)
    enrol(client)
    admin = app.test_client()
    with app.app_context():
        boss = make_user("admin").id
    sign_in(admin, boss)
    listing = admin.get("/admin").data
    assert b"Reset two-step sign-in of" in listing
    assert admin.post(f"/admin/users/{ann}/reset-mfa").status_code == 302
    with app.app_context():
        user = db.session.get(User, ann)
        assert (user.mfa_enabled, user.totp_secret) == (False, None)
        assert db.session.scalar(select(RecoveryCode)) is None
        entry = db.session.scalar(select(AuditEntry).filter_by(action="auth.mfa_reset"))
        assert (entry.user_id, entry.detail) == (boss, {"user_id": ann})
    client.post("/logout")
    assert login(client, "ann@example.org").headers["Location"] == "/cases"


def test_a_worker_may_not_reset_anyones_mfa(app, client, ann):
    sign_in(client, ann)
    assert client.post(f"/admin/users/{ann}/reset-mfa").status_code == 404


def test_the_first_admin_from_setup_is_asked_to_enrol_before_anything_else(make_app):
    app = make_app(MFA_REQUIRED_ROLES=REQUIRED)
    client = app.test_client()
    form = {"email": "first@example.org", "display_name": "First", "password": PASSWORD}
    created = client.post("/setup", data=form, environ_base={"REMOTE_ADDR": "127.0.0.1"})
    assert created.headers["Location"] == "/cases"
    assert client.get("/cases").headers["Location"] == "/account/mfa"
    assert client.get("/admin").headers["Location"] == "/account/mfa"
    assert b"<svg" in client.get("/account/mfa").data


def test_enrolling_from_an_older_session_asks_for_the_password_first(app, client, ann):
    sign_in(client, ann)
    with client.session_transaction() as session:
        session["authenticated_at"] = time.time() - 600
    asked = client.get("/account/mfa")
    assert asked.headers["Location"] == "/account/confirm?next=/account/mfa"
    back = client.post("/account/confirm", data={"secret": PASSWORD, "next": "/account/mfa"})
    assert back.headers["Location"] == "/account/mfa"
    assert b"mfa-secret" in client.get("/account/mfa").data


def test_a_password_change_ends_the_persons_other_sessions_only(app, ann):
    here, elsewhere = app.test_client(), app.test_client()
    sign_in(here, ann)
    sign_in(elsewhere, ann)
    good = {"current_password": PASSWORD, "new_password": "a new long passphrase"}
    assert here.post("/account/password", data=good).status_code == 302
    assert here.get("/cases").status_code == 200
    assert elsewhere.get("/cases").headers["Location"].startswith("/login")
