"""Operations over sockets are audited: one entry per accepted change, with the socket
event's own request id, in the same chain as page views (S11)."""

from builders import add_op
from sqlalchemy import func, select

from facilitator.extensions import db
from facilitator.models import AuditEntry
from facilitator.services import audit


def test_each_accepted_socket_op_has_one_entry_with_its_own_request_id(app, scene, staff_client,
                                                                       open_socket):  # fmt: skip
    client = staff_client(scene.supervisor)
    client.get(f"/meetings/{scene.meeting_id}")  # a view: one entry
    socket = open_socket(client, scene.meeting_id)
    first = add_op(scene.meeting_id, "Bruise on the arm")
    second = add_op(scene.meeting_id, "Grandmother helps", "strengths")
    acks = [
        socket.emit("op", first, callback=True),
        socket.emit("op", first, callback=True),  # a retry: no entry
        socket.emit("op", second, callback=True),
        socket.emit("op", {"op_id": "x", "meeting_id": scene.meeting_id, "type": "nope"},
                    callback=True),  # refused: no entry
    ]  # fmt: skip
    assert [ack["ok"] for ack in acks] == [True, True, True, False]
    with app.app_context():
        entries = list(db.session.scalars(select(AuditEntry).order_by(AuditEntry.id)))
        assert [e.action for e in entries] == ["meeting.view", "board.add_item", "board.add_item"]
        ops = entries[1:]
        assert [e.detail["rev"] for e in ops] == [1, 2]
        assert all(e.user_id == scene.supervisor.id and e.actor_role == "supervisor" for e in ops)
        assert ops[0].request_id and ops[0].request_id != ops[1].request_id
        assert audit.check() == (None, 3)


def test_after_a_meeting_the_trail_is_exactly_its_changes_views_and_exports(
    app, scene, staff_client, guest_client, open_socket
):
    """S11: a short meeting by a supervisor and a guest, with retries and refusals; then
    the trail holds one entry per accepted change, per view and per export, no more, the
    chain verifies, and changing any one row is found."""
    from builders import op, tamper_audit

    supervisor = staff_client(scene.supervisor)
    guest = guest_client(scene.code)
    with app.app_context():
        before = db.session.scalar(select(func.count(AuditEntry.id)))  # the joins
    views = 0
    for page in (f"/cases/{scene.case_id}", f"/meetings/{scene.meeting_id}"):
        assert supervisor.get(page).status_code == 200
        views += 1
    staff_socket = open_socket(supervisor, scene.meeting_id)
    guest_socket = open_socket(guest, scene.meeting_id)
    accepted = 0
    for n in range(3):
        for socket in (staff_socket, guest_socket):
            sent = add_op(scene.meeting_id, f"Worry {n}")
            for _attempt in range(2):  # the second is a retry of the same op_id
                ack = socket.emit("op", sent, callback=True)
                assert ack["ok"]
                accepted += 0 if ack["duplicate"] else 1
        item_id = ack["event"]["item"]["id"]  # the guest's; the one before is the staff's
        # a guest may not delete the supervisor's item: refused, not audited
        refused = guest_socket.emit(
            "op", op(scene.meeting_id, "delete_item", item_id=item_id - 1), callback=True
        )
        assert not refused["ok"]
    moved = staff_socket.emit(
        "op", op(scene.meeting_id, "move_item", item_id=item_id, section="grey"), callback=True
    )
    assert moved["ok"]
    accepted += 1
    exported = supervisor.get(f"/meetings/{scene.meeting_id}/export.md")
    assert exported.status_code == 200
    with app.app_context():
        entries = list(db.session.scalars(select(AuditEntry).order_by(AuditEntry.id)))[before:]
        actions = [entry.action for entry in entries]
        assert sum(a.startswith("board.") for a in actions) == accepted == 7
        assert sum(a.endswith(".view") for a in actions) == views
        assert sum(a.startswith("export.") for a in actions) == 1
        assert len(actions) == accepted + views + 1, actions
        broken, count = audit.check()
        assert broken is None and count == before + len(actions)
        victim = entries[3].id
        tamper_audit(
            "UPDATE audit_entries SET detail = :detail WHERE id = :id",
            detail='{"rev": 99}',
            id=victim,
        )
        assert audit.check()[0] == victim
