"""Revocation is immediate: removed, disabled or signed-out people lose their sockets."""

import pytest
from builders import add_op, events_named, op
from sqlalchemy import delete, event, select

from facilitator.extensions import db
from facilitator.identity import staff_actor
from facilitator.models import Meeting, Participant, Team, TeamMember, User
from facilitator.services import access_epoch, accounts


@pytest.fixture
def facilitator(scene, staff_client, open_socket):
    return open_socket(staff_client(scene.supervisor), scene.meeting_id)


def guest_id(app, meeting_id, name):
    with app.app_context():
        query = select(Participant.id).filter_by(meeting_id=meeting_id, display_name=name)
        return db.session.scalar(query)


def disable(app, scene_admin_id, user_id):
    """An admin disables the account, as the admin page does (its sessions end with it)."""
    with app.app_context():
        admin = db.session.get(User, scene_admin_id)
        accounts.set_active(staff_actor(admin), db.session.get(User, user_id), False)


def remove(socket, meeting_id, participant_id):
    ack = socket.emit(
        "op", op(meeting_id, "remove_participant", participant_id=participant_id), callback=True
    )
    assert ack["ok"], ack
    return ack


@pytest.fixture
def removed_guest(app, scene, facilitator, guest_client, open_socket):
    """A guest on the board, removed by the facilitator: (their browser, their socket)."""
    browser = guest_client(scene.code, "Uncle")
    socket = open_socket(browser, scene.meeting_id)
    facilitator.get_received()
    remove(facilitator, scene.meeting_id, guest_id(app, scene.meeting_id, "Uncle"))
    return browser, socket


def test_removed_guests_socket_is_closed_at_once(removed_guest):
    _, socket = removed_guest
    assert not socket.is_connected()


def test_removed_guest_is_told_why(removed_guest):
    _, socket = removed_guest
    closed = [m["args"][0] for m in socket.queue if m["name"] == "closed"]
    assert closed == [{"reason": "removed"}]


def test_room_learns_the_guest_was_removed(scene, app, staff_client, open_socket, guest_client):
    remover = open_socket(staff_client(scene.supervisor), scene.meeting_id)
    colleague = open_socket(staff_client(scene.worker), scene.meeting_id)
    open_socket(guest_client(scene.code, "Uncle"), scene.meeting_id)
    colleague.get_received()
    ack = remove(remover, scene.meeting_id, guest_id(app, scene.meeting_id, "Uncle"))
    events = events_named(colleague.get_received(), "event")
    assert [e["type"] for e in events] == ["participant_removed"]
    assert events[0] == ack["event"]


def test_removed_guest_cannot_reconnect(scene, removed_guest, open_socket):
    browser, _ = removed_guest
    assert not open_socket(browser, scene.meeting_id).is_connected()


def test_removed_guest_cannot_open_the_board_page(scene, removed_guest):
    browser, _ = removed_guest
    assert browser.get(f"/meetings/{scene.meeting_id}").status_code == 401


def test_removed_guest_cannot_rejoin_with_the_invite_they_used(scene, removed_guest):
    browser, _ = removed_guest
    response = browser.post("/join", data={"code": scene.code})
    assert response.status_code == 200  # the code page again, with an error
    assert browser.post("/join/name", data={"display_name": "Uncle"}).status_code == 302
    assert browser.get(f"/meetings/{scene.meeting_id}").status_code == 401


def test_other_guests_stay_connected_when_one_is_removed(
    app, scene, facilitator, guest_client, open_socket
):
    stays = open_socket(guest_client(scene.code, "Mum"), scene.meeting_id)
    goes = open_socket(guest_client(scene.code, "Uncle"), scene.meeting_id)
    remove(facilitator, scene.meeting_id, guest_id(app, scene.meeting_id, "Uncle"))
    assert (stays.is_connected(), goes.is_connected()) == (True, False)


def test_user_disabled_mid_meeting_is_unauthenticated_on_the_next_event(
    app, scene, staff_client, open_socket
):
    socket = open_socket(staff_client(scene.worker), scene.meeting_id)  # identity cached
    disable(app, scene.admin.id, scene.worker.id)
    ack = socket.emit("op", add_op(scene.meeting_id), callback=True)
    assert ack["error"]["code"] == "unauthenticated"
    assert not socket.is_connected()


def test_disabled_user_changes_nothing(app, scene, staff_client, open_socket, facilitator):
    socket = open_socket(staff_client(scene.worker), scene.meeting_id)
    disable(app, scene.admin.id, scene.worker.id)
    socket.emit("op", add_op(scene.meeting_id), callback=True)
    answer = facilitator.emit(
        "sync", {"meeting_id": scene.meeting_id, "since_rev": 0}, callback=True
    )
    assert answer["rev"] == 0


def test_disabled_user_cannot_reconnect(app, scene, staff_client, open_socket):
    browser = staff_client(scene.worker)
    with app.app_context():
        db.session.get(User, scene.worker.id).active = False
        db.session.commit()
    assert not open_socket(browser, scene.meeting_id).is_connected()


def test_user_removed_from_the_team_is_refused_on_the_next_event(
    app, scene, staff_client, open_socket
):
    socket = open_socket(staff_client(scene.worker), scene.meeting_id)
    with app.app_context():  # as the admin page does, but no socket is closed
        team = db.session.get(Team, scene.team_id)
        accounts.remove_member(team, db.session.get(User, scene.worker.id))
    ack = socket.emit("op", add_op(scene.meeting_id), callback=True)
    assert ack["error"]["code"] == "forbidden"


def test_user_removed_from_the_team_gets_no_stored_answer_to_a_resend(
    app, scene, staff_client, open_socket
):
    """A resend of an op this server committed is answered early from the log
    (writer.RecentOps), but only while its sender may still see the meeting."""
    socket = open_socket(staff_client(scene.worker), scene.meeting_id)
    sent = add_op(scene.meeting_id, "Uncle picks them up on Fridays")
    assert socket.emit("op", sent, callback=True)["ok"]
    with app.app_context():  # as the admin page does, but no socket is closed
        team = db.session.get(Team, scene.team_id)
        accounts.remove_member(team, db.session.get(User, scene.worker.id))
    ack = socket.emit("op", sent, callback=True)  # its ack was late: sent again
    assert ack["ok"] is False and ack["error"]["code"] == "forbidden", ack
    assert "event" not in ack


def test_admin_removing_a_member_from_the_team_closes_their_sockets(
    scene, staff_client, open_socket
):
    socket = open_socket(staff_client(scene.worker), scene.meeting_id)
    admin = staff_client(scene.admin)
    response = admin.post(f"/admin/teams/{scene.team_id}/members/{scene.worker.id}/remove")
    assert response.status_code == 302
    assert not socket.is_connected()
    assert [m["args"][0] for m in socket.queue if m["name"] == "closed"] == [
        {"reason": "access_changed"}
    ]


def test_signing_out_closes_that_persons_sockets(scene, staff_client, open_socket):
    browser = staff_client(scene.worker)
    socket = open_socket(browser, scene.meeting_id)
    assert browser.post("/logout").status_code == 302
    assert not socket.is_connected()


def test_signing_out_leaves_other_peoples_sockets_open(scene, staff_client, open_socket):
    stays = open_socket(staff_client(scene.supervisor), scene.meeting_id)
    browser = staff_client(scene.worker)
    open_socket(browser, scene.meeting_id)
    browser.post("/logout")
    assert stays.is_connected()


def test_closed_meeting_refuses_guests_at_connect(app, scene, guest_client, open_socket):
    browser = guest_client(scene.code)
    with app.app_context():
        db.session.get(
            Participant, guest_id(app, scene.meeting_id, "Mum")
        ).meeting.status = "closed"
        db.session.commit()
    assert not open_socket(browser, scene.meeting_id).is_connected()


def test_guest_of_a_meeting_closed_mid_meeting_is_signed_out_on_the_next_event(
    app, scene, guest_client, open_socket
):
    socket = open_socket(guest_client(scene.code), scene.meeting_id)
    with app.app_context():  # closed as the close op does (the epoch rises with it)
        db.session.get(Meeting, scene.meeting_id).status = "closed"
        access_epoch.raise_access_epoch()
        db.session.commit()
    ack = socket.emit("op", add_op(scene.meeting_id), callback=True)
    assert ack["error"]["code"] == "unauthenticated"
    assert not socket.is_connected()


def test_closed_meeting_refuses_ops_with_an_error_ack(app, scene, facilitator):
    with app.app_context():
        db.session.get(Meeting, scene.meeting_id).status = "closed"
        db.session.commit()
    ack = facilitator.emit("op", add_op(scene.meeting_id), callback=True)
    assert ack["error"]["code"] == "meeting_closed"


def test_signing_out_leaves_the_same_persons_other_browser_open(scene, staff_client, open_socket):
    phone = open_socket(staff_client(scene.worker), scene.meeting_id)
    laptop = staff_client(scene.worker)
    open_socket(laptop, scene.meeting_id)
    laptop.post("/logout")
    assert phone.is_connected()


def test_staff_cannot_be_removed_from_a_meeting(app, scene, staff_client, open_socket, facilitator):
    open_socket(staff_client(scene.worker), scene.meeting_id)
    with app.app_context():
        worker_id = db.session.scalar(
            select(Participant.id).filter_by(meeting_id=scene.meeting_id, user_id=scene.worker.id)
        )
    ack = facilitator.emit(
        "op", op(scene.meeting_id, "remove_participant", participant_id=worker_id), callback=True
    )
    assert ack["error"]["code"] == "forbidden"


def test_another_senders_op_id_is_not_replayed(app, scene, staff_client, open_socket, facilitator):
    sent = add_op(scene.meeting_id)
    assert facilitator.emit("op", sent, callback=True)["ok"]
    worker = open_socket(staff_client(scene.worker), scene.meeting_id)
    ack = worker.emit("op", sent, callback=True)
    assert ack["error"]["code"] == "invalid"


def test_an_access_change_reaches_a_socket_whose_identity_was_cached(
    app, scene, staff_client, open_socket
):
    from facilitator.services import access_epoch

    socket = open_socket(staff_client(scene.worker), scene.meeting_id)
    assert socket.emit("op", add_op(scene.meeting_id), callback=True)["ok"]  # now cached
    with app.app_context():
        db.session.get(User, scene.worker.id).active = False
        db.session.commit()
        access_epoch.access_changed()  # what every revocation does, in its own transaction
    ack = socket.emit("op", add_op(scene.meeting_id), callback=True)
    assert ack["error"]["code"] == "unauthenticated"
    assert not socket.is_connected()


def test_a_sockets_first_operation_reads_no_identity(app, scene, staff_client, open_socket):
    """The identity is read as the socket opens: its first op costs no joined read of the
    connection, neither in the handler nor in the writer's batch."""
    socket = open_socket(staff_client(scene.worker), scene.meeting_id)
    reads = []

    def note(_conn, _cursor, statement, *_args):
        if "FROM presence JOIN participants" in statement:
            reads.append(statement)

    with app.app_context():
        engine = db.engine
    event.listen(engine, "before_cursor_execute", note)
    try:
        assert socket.emit("op", add_op(scene.meeting_id), callback=True)["ok"]
    finally:
        event.remove(engine, "before_cursor_execute", note)
    assert reads == []


def test_a_team_removal_reaches_a_socket_whose_identity_was_cached(
    app, scene, staff_client, open_socket
):
    from facilitator.services import access_epoch

    socket = open_socket(staff_client(scene.worker), scene.meeting_id)
    assert socket.emit("op", add_op(scene.meeting_id), callback=True)["ok"]
    with app.app_context():
        db.session.execute(delete(TeamMember).filter_by(user_id=scene.worker.id))
        db.session.commit()
        access_epoch.access_changed()
    ack = socket.emit("op", add_op(scene.meeting_id), callback=True)
    assert ack["error"]["code"] == "forbidden"
