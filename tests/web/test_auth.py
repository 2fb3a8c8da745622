"""Signing in and out, and the one-time setup of the first administrator."""

import re

import pytest
from builders import PASSWORD, login, make_user
from sqlalchemy import select

from facilitator.extensions import db
from facilitator.models import Team, User

LOCAL = {"REMOTE_ADDR": "127.0.0.1"}
SETUP = {
    "email": "first.admin@example.org",
    "display_name": "First Admin",
    "password": "the very first passphrase",
    "team": "Night duty",
}


@pytest.fixture
def user(app):
    with app.app_context():
        person = make_user("worker", email="ann@example.org")
        return person.id


def test_sign_in_with_the_right_password_leads_to_the_cases(client, user):
    response = client.post("/login", data={"email": "ann@example.org", "password": PASSWORD})
    assert response.status_code == 302
    assert response.headers["Location"] == "/cases"
    assert client.get("/cases").status_code == 200


def test_sign_in_with_a_wrong_password_is_refused_without_saying_which_part(client, user):
    response = client.post("/login", data={"email": "ann@example.org", "password": "wrong" * 4})
    assert response.status_code == 200
    assert b"don&#39;t match an active account" in response.data
    assert client.get("/cases").status_code == 302


def page_without_tokens(response):
    return re.sub(rb'name="csrf_token" value="[^"]*"', b"", response.data)


def test_unknown_email_gets_the_same_answer_as_a_wrong_password(client, user):
    wrong = client.post("/login", data={"email": "ann@example.org", "password": "x" * 20})
    unknown = client.post("/login", data={"email": "bob@example.org", "password": "x" * 20})
    assert wrong.status_code == unknown.status_code == 200
    assert page_without_tokens(wrong).replace(b"ann@", b"bob@") == page_without_tokens(unknown)


def test_inactive_user_cannot_sign_in(app, client):
    with app.app_context():
        make_user(email="gone@example.org", active=False)
    response = client.post("/login", data={"email": "gone@example.org", "password": PASSWORD})
    assert response.status_code == 200
    assert client.get("/cases").status_code == 302


def test_sign_in_starts_a_fresh_session(client, user):
    with client.session_transaction() as session:
        session["planted"] = "by an attacker"
    login(client, "ann@example.org")
    with client.session_transaction() as session:
        assert "planted" not in session


def test_sign_out_ends_the_session(client, user):
    login(client, "ann@example.org")
    response = client.post("/logout")
    assert response.status_code == 302
    assert response.headers["Location"] == "/login"
    assert client.get("/cases").status_code == 302


def test_sign_out_clears_the_browsers_cache_and_storage(client, user):
    login(client, "ann@example.org")
    assert client.post("/logout").headers["Clear-Site-Data"] == '"cache", "cookies", "storage"'


def test_sign_out_cannot_be_triggered_by_a_link(client, user):
    login(client, "ann@example.org")
    assert client.get("/logout").status_code == 405


def test_user_disabled_while_signed_in_is_signed_out_on_the_next_request(app, client, user):
    login(client, "ann@example.org")
    with app.app_context():
        db.session.get(User, user).active = False
        db.session.commit()
    assert client.get("/cases").status_code == 302


def test_session_cookie_is_http_only_and_same_site(client, user):
    response = client.post("/login", data={"email": "ann@example.org", "password": PASSWORD})
    cookie = response.headers["Set-Cookie"]
    assert "HttpOnly" in cookie
    assert "SameSite=Lax" in cookie


def test_home_sends_a_signed_in_user_to_the_cases(client, user):
    login(client, "ann@example.org")
    assert client.get("/").headers["Location"] == "/cases"


def test_home_sends_a_stranger_to_sign_in(client, user):
    assert client.get("/").headers["Location"] == "/login"


# --- setup -----------------------------------------------------------------------------


def test_home_sends_the_first_visitor_to_setup(client):
    assert client.get("/").headers["Location"] == "/setup"


def test_setup_page_is_open_from_this_computer_when_there_are_no_users(client):
    assert client.get("/setup", environ_base=LOCAL).status_code == 200


@pytest.mark.parametrize("address", ["::1", "127.0.0.1"])
def test_setup_page_is_open_from_either_loopback_address(client, address):
    assert client.get("/setup", environ_base={"REMOTE_ADDR": address}).status_code == 200


@pytest.mark.parametrize("address", ["10.0.0.5", "192.168.1.20", "203.0.113.9", "127.0.0.2"])
def test_setup_page_is_hidden_from_other_computers(client, address):
    assert client.get("/setup", environ_base={"REMOTE_ADDR": address}).status_code == 404
    assert (
        client.post("/setup", data=SETUP, environ_base={"REMOTE_ADDR": address}).status_code == 404
    )


def test_setup_page_is_hidden_once_a_user_exists(client, user):
    assert client.get("/setup", environ_base=LOCAL).status_code == 404
    assert client.post("/setup", data=SETUP, environ_base=LOCAL).status_code == 404


def test_forwarded_for_header_does_not_open_setup_to_others(client):
    response = client.get(
        "/setup",
        environ_base={"REMOTE_ADDR": "203.0.113.9"},
        headers={"X-Forwarded-For": "127.0.0.1"},
    )
    assert response.status_code == 404


def test_behind_one_trusted_proxy_setup_is_open_only_to_this_computers_browser(make_app):
    """nginx on the same machine connects from 127.0.0.1 for everyone: with PROXY_HOPS=1
    the address nginx forwards is the one that counts."""
    client = make_app(PROXY_HOPS=1).test_client()
    through_nginx = {"REMOTE_ADDR": "127.0.0.1"}
    remote = {"X-Forwarded-For": "203.0.113.9"}
    assert client.get("/setup", environ_base=through_nginx, headers=remote).status_code == 404
    local = {"X-Forwarded-For": "127.0.0.1"}
    assert client.get("/setup", environ_base=through_nginx, headers=local).status_code == 200
    # a client's own X-Forwarded-For comes first; nginx appends the real address last
    forged = {"X-Forwarded-For": "127.0.0.1, 203.0.113.9"}
    assert client.get("/setup", environ_base=through_nginx, headers=forged).status_code == 404


def test_setup_creates_the_admin_in_a_team_and_signs_them_in(app, client):
    response = client.post("/setup", data=SETUP, environ_base=LOCAL)
    assert response.status_code == 302
    assert response.headers["Location"] == "/cases"
    with app.app_context():
        admin = db.session.scalar(select(User))
        assert (admin.email, admin.role) == ("first.admin@example.org", "admin")
        assert [m.team.name for m in admin.memberships] == ["Night duty"]
    assert client.get("/admin", environ_base=LOCAL).status_code == 200


def test_setup_refuses_a_short_password_and_creates_nobody(app, client):
    data = {**SETUP, "password": "too short"}
    response = client.post("/setup", data=data, environ_base=LOCAL)
    assert response.status_code == 200
    assert b"at least 15 characters" in response.data
    with app.app_context():
        assert db.session.scalar(select(User)) is None
        assert db.session.scalar(select(Team)) is None


def test_setup_works_only_once(client):
    client.post("/setup", data=SETUP, environ_base=LOCAL)
    second = {**SETUP, "email": "second@example.org"}
    assert client.post("/setup", data=second, environ_base=LOCAL).status_code == 404


def test_oversize_form_is_refused_before_it_is_read(client):
    response = client.post("/login", data={"email": "x" * (70 * 1024), "password": "y"})
    assert response.status_code == 413


def test_anonymous_visitor_cannot_tell_which_meetings_exist(client):
    assert client.get("/meetings/1").status_code == client.get("/meetings/999999").status_code
