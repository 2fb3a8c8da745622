"""Export step-up (issue 5, item 8): an export asks for the password or a code again when it
was last entered more than STEP_UP_MINUTES ago, and comes back to the page after."""

from __future__ import annotations

import time

import pyotp
from builders import PASSWORD
from sqlalchemy import select

from facilitator.extensions import db
from facilitator.models import AuditEntry, User
from facilitator.services import signin


def entered_minutes_ago(client, minutes: float) -> None:
    with client.session_transaction() as session:
        session["authenticated_at"] = time.time() - minutes * 60


def test_an_export_right_after_sign_in_downloads(scene, staff_client):
    client = staff_client(scene.supervisor)
    answer = client.get(f"/meetings/{scene.meeting_id}/export.csv")
    assert answer.status_code == 200 and "attachment" in answer.headers["Content-Disposition"]


def test_an_export_after_the_limit_asks_for_the_password_and_returns(app, scene, staff_client):
    client = staff_client(scene.supervisor)
    entered_minutes_ago(client, 6)
    export = f"/meetings/{scene.meeting_id}/export.csv"
    asked = client.get(export)
    assert asked.status_code == 302
    assert asked.headers["Location"].startswith("/account/confirm?next=")
    page = client.get(asked.headers["Location"])
    assert page.status_code == 200 and b"Confirm it" in page.data
    wrong = client.post("/account/confirm", data={"secret": "not my password", "next": export})
    assert b"That is not right" in wrong.data
    assert client.get(export).status_code == 302
    confirmed = client.post("/account/confirm", data={"secret": PASSWORD, "next": export})
    assert confirmed.headers["Location"] == export
    assert client.get(export).status_code == 200
    with app.app_context():
        entry = db.session.scalar(select(AuditEntry).filter_by(action="auth.step_up"))
    assert (entry.user_id, entry.detail) == (scene.supervisor.id, {"method": "password"})


def test_the_export_script_gets_a_401_it_can_act_on(scene, staff_client):
    client = staff_client(scene.supervisor)
    entered_minutes_ago(client, 6)
    answer = client.get(
        f"/meetings/{scene.meeting_id}/export.pdf", headers={"X-Requested-With": "fetch"}
    )
    assert answer.status_code == 401
    assert answer.headers["X-Step-Up"] == "required"
    assert answer.json == {"step_up": "/account/confirm"}


def test_an_outsider_still_gets_404_not_a_step_up(scene, staff_client):
    client = staff_client(scene.outsider)
    entered_minutes_ago(client, 60)
    assert client.get(f"/meetings/{scene.meeting_id}/export.csv").status_code == 404


def test_a_totp_code_also_confirms(app, scene, staff_client):
    secret = pyotp.random_base32()
    with app.app_context():
        user = db.session.get(User, scene.supervisor.id)
        signin.keep_totp_secret(user, secret)
        user.mfa_enabled = True
        db.session.commit()
    client = staff_client(scene.supervisor)
    entered_minutes_ago(client, 6)
    code = pyotp.TOTP(secret).now()
    answer = client.post("/account/confirm", data={"secret": code, "next": "/cases"})
    assert answer.headers["Location"] == "/cases"
    assert client.get(f"/meetings/{scene.meeting_id}/export.md").status_code == 200


def test_the_way_back_stays_on_this_site(scene, staff_client):
    client = staff_client(scene.supervisor)
    for elsewhere in ("//evil.example/x", "https://evil.example/", "/\\evil.example", "evil"):
        answer = client.post("/account/confirm", data={"secret": PASSWORD, "next": elsewhere})
        assert answer.headers["Location"] == "/cases", elsewhere


def test_the_limit_is_a_setting(make_app):
    from facilitator.config import from_environment

    assert from_environment({"FACILITATOR_SECRET_KEY": "x"})["STEP_UP_MINUTES"] == 5
    assert (
        from_environment({"FACILITATOR_SECRET_KEY": "x", "FACILITATOR_STEP_UP_MINUTES": "2"})[
            "STEP_UP_MINUTES"
        ]
        == 2
    )
    defaults = from_environment({"FACILITATOR_SECRET_KEY": "x"})["MFA_REQUIRED_ROLES"]
    assert defaults == ["admin", "supervisor"]
