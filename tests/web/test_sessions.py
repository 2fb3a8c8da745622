"""S5: signed-in sessions. The id rotates at sign-in, idle and absolute limits end a
session (times set back in the database, not slept), the cookie's flags, and sign-out."""

from datetime import timedelta

import pytest
from builders import PASSWORD, login, make_user
from sqlalchemy import select, update

from facilitator import config
from facilitator.extensions import db
from facilitator.identity import SESSION_KEY
from facilitator.models import AuditEntry, AuthSession, User
from facilitator.models.types import utcnow
from facilitator.services import sessions

EMAIL = "ann@example.org"
ENDED = b"Your session has ended. Sign in again."


@pytest.fixture
def user(app):
    with app.app_context():
        return make_user("worker", email=EMAIL).id


def key_of(client):
    with client.session_transaction() as session:
        return session.get(SESSION_KEY)


def records(app):
    with app.app_context():
        rows = db.session.scalars(select(AuthSession).order_by(AuthSession.id))
        return [(row.user_id, row.ended_reason) for row in rows]


def set_times(app, **ago):
    """Move every session's times back (minutes or hours ago), as if time had passed."""
    now = utcnow()
    with app.app_context():
        db.session.execute(update(AuthSession).values(**{k: now - v for k, v in ago.items()}))
        db.session.commit()


def test_sign_in_records_a_session_by_the_hash_of_its_key(app, client, user):
    login(client, EMAIL)
    with app.app_context():
        record = db.session.scalar(select(AuthSession))
        assert record.user_id == user and record.ended_at is None
        assert record.key_hash == sessions.key_hash(key_of(client))
        assert key_of(client) not in record.key_hash


def test_the_session_id_rotates_at_sign_in(app, client, user):
    with client.session_transaction() as session:
        session[SESSION_KEY] = "planted-by-an-attacker"
    client.get("/login")
    before = client.get_cookie("session").value
    login(client, EMAIL)
    assert key_of(client) not in ("planted-by-an-attacker", None)
    assert client.get_cookie("session").value != before


def test_signing_in_again_ends_the_previous_session_and_its_cookie(app, client, user):
    login(client, EMAIL)
    first_key, first_cookie = key_of(client), client.get_cookie("session").value
    login(client, EMAIL)
    assert key_of(client) != first_key
    assert records(app) == [(user, "signed_out"), (user, None)]
    old = app.test_client()
    old.set_cookie("session", first_cookie)
    assert old.get("/cases").status_code == 302
    assert client.get("/cases").status_code == 200


def test_sign_out_ends_the_record_and_clears_site_data(app, client, user):
    login(client, EMAIL)
    response = client.post("/logout")
    assert response.headers["Clear-Site-Data"] == '"cache", "cookies", "storage"'
    assert records(app) == [(user, "signed_out")]


def test_a_copied_cookie_stops_working_after_sign_out(app, client, user):
    login(client, EMAIL)
    copy = client.get_cookie("session").value
    client.post("/logout")
    replay = app.test_client()
    replay.set_cookie("session", copy)
    response = replay.get("/cases")
    assert (response.status_code, response.headers["Location"]) == (302, "/login")


@pytest.mark.parametrize(
    ("ago", "reason"),
    [
        ({"last_seen_at": timedelta(minutes=31)}, "idle"),
        ({"created_at": timedelta(hours=12, minutes=1)}, "expired"),
    ],
    ids=["idle", "absolute"],
)
def test_a_timed_out_session_ends_with_a_clear_message(app, client, user, ago, reason):
    login(client, EMAIL)
    set_times(app, **ago)
    response = client.get("/cases")
    assert (response.status_code, response.headers["Location"]) == (302, "/login")
    assert ENDED in client.get("/login").data
    assert records(app) == [(user, reason)]
    assert client.get("/cases").status_code == 302  # still signed out


@pytest.mark.parametrize(
    "ago",
    [{"last_seen_at": timedelta(minutes=29)}, {"created_at": timedelta(hours=11, minutes=59)}],
    ids=["idle", "absolute"],
)
def test_a_session_within_its_limits_goes_on(app, client, user, ago):
    login(client, EMAIL)
    set_times(app, **ago)
    assert client.get("/cases").status_code == 200


def test_the_limits_are_settings(make_app):
    app = make_app(SESSION_IDLE_MINUTES=5, SESSION_MAX_HOURS=1)
    client = app.test_client()
    with app.app_context():
        make_user(email=EMAIL)
    login(client, EMAIL)
    set_times(app, last_seen_at=timedelta(minutes=6))
    assert client.get("/cases").status_code == 302


def last_seen(app):
    with app.app_context():
        return db.session.scalar(select(AuthSession.last_seen_at))


def test_activity_moves_the_idle_limit_on_at_most_once_a_minute(app, client, user):
    login(client, EMAIL)
    set_times(app, last_seen_at=timedelta(seconds=20))
    before = last_seen(app)
    assert client.get("/cases").status_code == 200
    assert last_seen(app) == before  # seen 20 s ago: no write
    set_times(app, last_seen_at=timedelta(minutes=25))
    assert client.get("/cases").status_code == 200
    assert utcnow() - last_seen(app) < timedelta(minutes=1)  # 30 more minutes from now


# --- cookies -----------------------------------------------------------------------------


def test_session_cookie_is_http_only_and_lax_without_https(client, user):
    cookie = client.post("/login", data={"email": EMAIL, "password": PASSWORD}).headers[
        "Set-Cookie"
    ]
    assert cookie.startswith("session=")
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie and "Path=/" in cookie
    assert "Secure" not in cookie


def test_over_https_the_cookie_is_secure_and_host_only(make_app):
    settings = config.from_environment({"FACILITATOR_SECURE_COOKIES": "1"})
    names = ("SESSION_COOKIE_SECURE", "SESSION_COOKIE_NAME", "SESSION_COOKIE_PATH")
    app = make_app(**{name: settings[name] for name in names})
    with app.app_context():
        make_user(email=EMAIL)
    client, https = app.test_client(), "https://localhost"
    response = client.post("/login", data={"email": EMAIL, "password": PASSWORD}, base_url=https)
    cookie = response.headers["Set-Cookie"]
    assert cookie.startswith("__Host-facilitator=")
    assert "; Secure" in cookie and "; HttpOnly" in cookie and "SameSite=Lax" in cookie
    assert "; Path=/" in cookie and "Domain" not in cookie
    assert client.get("/cases", base_url=https).status_code == 200


def test_session_settings_have_county_style_defaults():
    settings = config.from_environment({"FACILITATOR_SECRET_KEY": "x"})
    assert (settings["SESSION_IDLE_MINUTES"], settings["SESSION_MAX_HOURS"]) == (30, 12)
    assert settings["SESSION_COOKIE_NAME"] == "session"
    assert settings["SESSION_COOKIE_HTTPONLY"] is True
    assert settings["SESSION_COOKIE_SAMESITE"] == "Lax"


def test_session_settings_come_from_the_environment():
    env = {
        "FACILITATOR_SECRET_KEY": "x",
        "FACILITATOR_SESSION_IDLE_MINUTES": "15",
        "FACILITATOR_SESSION_MAX_HOURS": "8",
    }
    settings = config.from_environment(env)
    assert (settings["SESSION_IDLE_MINUTES"], settings["SESSION_MAX_HOURS"]) == (15, 8)


@pytest.mark.parametrize("value", ["0", "-5"])
def test_a_session_limit_must_be_positive(value):
    env = {"FACILITATOR_SECRET_KEY": "x", "FACILITATOR_SESSION_IDLE_MINUTES": value}
    with pytest.raises(ValueError, match="FACILITATOR_SESSION_IDLE_MINUTES"):
        config.from_environment(env)


# --- the admin page ----------------------------------------------------------------------


def audit_actions(app):
    with app.app_context():
        return [entry.action for entry in db.session.scalars(select(AuditEntry))]


def test_admin_actions_are_audited(app, scene, staff_client):
    admin = staff_client(scene.admin)
    new = {
        "email": "new@example.org",
        "display_name": "New Person",
        "password": PASSWORD,
        "role": "worker",
    }
    admin.post("/admin/users", data=new)
    admin.post("/admin/teams", data={"name": "Weekend duty"})
    admin.post(f"/admin/teams/{scene.team_id}/members", data={"user_id": scene.outsider.id})
    admin.post(f"/admin/teams/{scene.team_id}/members/{scene.outsider.id}/remove")
    admin.post(f"/admin/users/{scene.worker.id}/role", data={"role": "supervisor"})
    admin.post(f"/admin/users/{scene.worker.id}/disable")
    admin.post(f"/admin/users/{scene.worker.id}/enable")
    admin.post(f"/admin/users/{scene.worker.id}/sessions/end")
    assert [a for a in audit_actions(app) if a.startswith("admin.")] == [
        "admin.user_created",
        "admin.team_created",
        "admin.member_added",
        "admin.member_removed",
        "admin.role_changed",
        "admin.user_disabled",
        "admin.user_enabled",
        "admin.sessions_ended",
    ]
    with app.app_context():
        entries = db.session.scalars(select(AuditEntry).where(AuditEntry.action.like("admin.%")))
        assert {entry.user_id for entry in entries} == {scene.admin.id}


@pytest.mark.parametrize("action", ["disable", "role"])
def test_an_admin_cannot_lock_themselves_out(app, scene, staff_client, action):
    admin = staff_client(scene.admin)
    response = admin.post(
        f"/admin/users/{scene.admin.id}/{action}", data={"role": "worker"}, follow_redirects=True
    )
    assert b"your own" in response.data
    with app.app_context():
        me = db.session.get(User, scene.admin.id)
        assert (me.active, me.role) == (True, "admin")
    assert "admin.user_disabled" not in audit_actions(app)
    assert admin.get("/admin").status_code == 200


def test_the_last_admin_cannot_be_disabled_or_demoted(app, scene):
    from facilitator.identity import Actor
    from facilitator.services import accounts

    with app.app_context():
        last = db.session.get(User, scene.admin.id)
        someone = Actor("staff", user_id=None, role="admin")
        with pytest.raises(accounts.AccountError):
            accounts.set_active(someone, last, False)
        with pytest.raises(accounts.AccountError):
            accounts.set_role(someone, last, "worker")


def test_an_unknown_role_is_refused(app, scene, staff_client):
    admin = staff_client(scene.admin)
    admin.post(f"/admin/users/{scene.worker.id}/role", data={"role": "owner"})
    with app.app_context():
        assert db.session.get(User, scene.worker.id).role == "worker"


def test_the_admin_page_shows_sessions_and_the_security_settings(scene, staff_client):
    staff_client(scene.worker)
    page = staff_client(scene.admin).get("/admin").data
    assert b"Deployment settings" in page
    assert b"Sign-out after inactivity" in page and b"30 minutes" in page
    assert b"12 hours" in page
    assert b"Sign out everywhere" in page
