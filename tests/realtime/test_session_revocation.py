"""S2: ending a staff member's session refuses their next request and closes their sockets.

Each way a session ends (sign-out, a password change, a role change, a disabled account,
removal from the team) is checked twice over: the person's next HTTP request is refused,
and their open socket is closed at once. A session ended behind an open socket's back
(another server process ended it, or it timed out) refuses that socket's next event.
"""

from datetime import timedelta

import pytest
from builders import add_op
from sqlalchemy import select, update

from facilitator.extensions import db
from facilitator.identity import SESSION_KEY
from facilitator.models import AuditEntry, AuthSession
from facilitator.models.types import utcnow
from facilitator.realtime import publisher
from facilitator.services import presence, sessions


def key_of(browser):
    with browser.session_transaction() as session:
        return session[SESSION_KEY]


def record_of(app, browser):
    with app.app_context():
        return db.session.scalar(
            select(AuthSession).where(AuthSession.key_hash == sessions.key_hash(key_of(browser)))
        )


def ended_reason(app, record_id):
    with app.app_context():
        return db.session.get(AuthSession, record_id).ended_reason


def closed_reasons(socket):
    return [m["args"][0]["reason"] for m in socket.queue if m["name"] == "closed"]


def refused_over_http(browser):
    response = browser.get("/cases")
    return response.status_code == 302 and response.headers["Location"].startswith("/login")


def audited(app, action):
    with app.app_context():
        return [e.detail for e in db.session.scalars(select(AuditEntry).filter_by(action=action))]


@pytest.fixture
def worker(scene, staff_client, open_socket):
    """The worker's browser with a socket open in the meeting: (browser, socket)."""
    browser = staff_client(scene.worker)
    socket = open_socket(browser, scene.meeting_id)
    assert socket.is_connected()
    return browser, socket


def test_a_staff_socket_is_linked_to_its_session(app, worker):
    browser, _ = worker
    with app.app_context():
        rows = db.session.scalars(select(presence.Presence.auth_session_id))
        assert list(rows) == [record_of(app, browser).id]


# --- each way a session ends: HTTP refused, socket closed --------------------------------


def test_sign_out_refuses_the_next_request_and_closes_the_socket(app, worker):
    browser, socket = worker
    record_id = record_of(app, browser).id
    assert browser.post("/logout").status_code == 302
    assert not socket.is_connected()
    assert closed_reasons(socket) == ["signed_out"]
    assert refused_over_http(browser)
    assert ended_reason(app, record_id) == "signed_out"


def test_a_copied_cookie_stops_working_after_sign_out(app, scene, staff_client, open_socket):
    browser = staff_client(scene.worker)
    stolen = browser.get_cookie("session").value

    def replay():
        client = app.test_client()
        client.set_cookie("session", stolen)
        return client

    assert replay().get("/cases").status_code == 200  # the copy works while the session lives
    browser.post("/logout")
    assert refused_over_http(replay())
    assert not open_socket(replay(), scene.meeting_id).is_connected()


def test_a_password_change_ends_the_other_sessions_but_not_this_one(
    app, scene, staff_client, open_socket
):
    here = staff_client(scene.worker)
    here_socket = open_socket(here, scene.meeting_id)
    elsewhere = staff_client(scene.worker)
    elsewhere_socket = open_socket(elsewhere, scene.meeting_id)
    with app.app_context():
        ended = sessions.end_sessions(scene.worker.id, "password_changed", except_key=key_of(here))
        publisher.close_signed_out(scene.worker.id)  # as the password page does next
    assert ended == 1
    assert (here_socket.is_connected(), elsewhere_socket.is_connected()) == (True, False)
    assert refused_over_http(elsewhere)
    assert here.get("/cases").status_code == 200
    assert here_socket.emit("op", add_op(scene.meeting_id), callback=True)["ok"]


def test_a_role_change_signs_the_person_out_everywhere(app, scene, staff_client, worker):
    browser, socket = worker
    record_id = record_of(app, browser).id
    admin = staff_client(scene.admin)
    url = f"/admin/users/{scene.worker.id}/role"
    assert admin.post(url, data={"role": "supervisor"}).status_code == 302
    assert not socket.is_connected()
    assert closed_reasons(socket) == ["signed_out"]
    assert refused_over_http(browser)
    assert ended_reason(app, record_id) == "role_changed"
    assert audited(app, "admin.role_changed") == [
        {"user_id": scene.worker.id, "from": "worker", "to": "supervisor"}
    ]
    assert admin.get("/cases").status_code == 200  # the admin's own session goes on


def test_disabling_an_account_signs_the_person_out_everywhere(
    app, scene, staff_client, open_socket, worker
):
    browser, socket = worker
    record_id = record_of(app, browser).id
    phone = staff_client(scene.worker)
    admin = staff_client(scene.admin)
    assert admin.post(f"/admin/users/{scene.worker.id}/disable").status_code == 302
    assert not socket.is_connected()
    assert refused_over_http(browser)
    assert refused_over_http(phone)
    assert ended_reason(app, record_id) == "account_disabled"
    assert audited(app, "admin.user_disabled") == [{"user_id": scene.worker.id}]
    assert not open_socket(browser, scene.meeting_id).is_connected()


def test_an_enabled_account_signs_in_again_with_a_new_session(app, scene, staff_client):
    admin = staff_client(scene.admin)
    admin.post(f"/admin/users/{scene.worker.id}/disable")
    admin.post(f"/admin/users/{scene.worker.id}/enable")
    assert audited(app, "admin.user_enabled") == [{"user_id": scene.worker.id}]
    assert staff_client(scene.worker).get("/cases").status_code == 200


def test_an_admin_signing_someone_out_everywhere_closes_their_sockets(
    app, scene, staff_client, worker
):
    browser, socket = worker
    admin = staff_client(scene.admin)
    assert admin.post(f"/admin/users/{scene.worker.id}/sessions/end").status_code == 302
    assert not socket.is_connected()
    assert refused_over_http(browser)
    assert audited(app, "admin.sessions_ended") == [{"user_id": scene.worker.id}]


def test_removal_from_the_team_closes_the_socket_and_hides_the_case(
    app, scene, staff_client, worker
):
    browser, socket = worker
    admin = staff_client(scene.admin)
    admin.post(f"/admin/teams/{scene.team_id}/members/{scene.worker.id}/remove")
    assert not socket.is_connected()
    assert browser.get(f"/cases/{scene.case_id}").status_code == 404
    assert browser.get(f"/meetings/{scene.meeting_id}").status_code == 404
    assert audited(app, "admin.member_removed") == [
        {"team_id": scene.team_id, "user_id": scene.worker.id}
    ]


# --- a session that ended behind the socket's back: its next event is refused ------------


def end_in_database(app, **values):
    """Change the session rows directly, as another server process would (no socket closed)."""
    with app.app_context():
        db.session.execute(update(AuthSession).values(**values))
        db.session.commit()


def end_elsewhere(app):
    """End the session as another server process would: its row and the access epoch, in
    one transaction, and no socket of this process closed."""
    with app.app_context():
        sessions.end_by_id(db.session.scalar(select(AuthSession.id)), "ended_by_admin")


@pytest.mark.parametrize("event", ["op", "sync"])
def test_an_ended_session_refuses_the_next_event(app, scene, worker, event):
    _, socket = worker
    end_elsewhere(app)
    message = add_op(scene.meeting_id) if event == "op" else {"meeting_id": scene.meeting_id}
    ack = socket.emit(event, message, callback=True)
    assert ack["error"]["code"] == "unauthenticated"
    assert not socket.is_connected()


def test_an_ended_session_reaches_a_socket_whose_identity_was_cached(app, scene, worker):
    _, socket = worker
    assert socket.emit("op", add_op(scene.meeting_id), callback=True)["ok"]  # now cached
    with app.app_context():
        sessions.end_by_id(db.session.scalar(select(AuthSession.id)), "ended_by_admin")
        publisher.close_signed_out(scene.worker.id)  # as the page that ends it does next
    assert not socket.is_connected()


@pytest.mark.parametrize("event", ["op", "sync"])
@pytest.mark.parametrize(
    "times",
    [
        {"last_seen_at": timedelta(minutes=31)},  # idle
        {"created_at": timedelta(hours=13)},  # past the absolute limit
    ],
    ids=["idle", "absolute"],
)
def test_a_timed_out_session_refuses_the_next_event(app, scene, worker, times, event):
    """Read from the database (a sync reads it per event; the socket's cache is emptied
    as another process's access change would)."""
    from facilitator.services import access_epoch

    _, socket = worker
    now = utcnow()
    end_in_database(app, **{name: now - back for name, back in times.items()})
    with app.app_context():
        access_epoch.access_changed()
    message = add_op(scene.meeting_id) if event == "op" else {"meeting_id": scene.meeting_id}
    ack = socket.emit(event, message, callback=True)
    assert ack["error"]["code"] == "unauthenticated"
    assert not socket.is_connected()


@pytest.mark.parametrize("ahead", [timedelta(minutes=31), timedelta(hours=13)])
def test_a_cached_socket_identity_expires_with_its_session(app, scene, worker, monkeypatch, ahead):
    """Cached as the socket opened: the session's idle or absolute limit still ends it."""
    from facilitator import identity

    _, socket = worker
    later = utcnow() + ahead
    monkeypatch.setattr(identity, "utcnow", lambda: later)  # a frozen clock, that far on
    ack = socket.emit("op", add_op(scene.meeting_id), callback=True)
    assert ack["error"]["code"] == "unauthenticated"
    assert not socket.is_connected()


def test_socket_events_keep_the_session_alive(app, scene, worker, monkeypatch):
    from facilitator import identity

    browser, socket = worker
    later = utcnow() + timedelta(minutes=20)  # 20 minutes of ops with no page loaded
    monkeypatch.setattr(identity, "utcnow", lambda: later)
    assert socket.emit("op", add_op(scene.meeting_id), callback=True)["ok"]
    assert record_of(app, browser).last_seen_at == later
    monkeypatch.undo()
    end_in_database(app, last_seen_at=utcnow() - timedelta(minutes=20))
    assert socket.emit("sync", {"meeting_id": scene.meeting_id}, callback=True)["ok"]
    assert utcnow() - record_of(app, browser).last_seen_at < timedelta(minutes=1)
    assert browser.get("/cases").status_code == 200


def test_guests_sockets_need_no_staff_session(app, scene, guest_client, open_socket):
    socket = open_socket(guest_client(scene.code), scene.meeting_id)
    assert socket.emit("sync", {"meeting_id": scene.meeting_id}, callback=True)["ok"]
