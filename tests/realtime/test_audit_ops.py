"""Operations over sockets are audited: one entry per accepted change, with the socket
event's own request id, in the same chain as page views (S11)."""

from builders import add_op
from sqlalchemy import select

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
