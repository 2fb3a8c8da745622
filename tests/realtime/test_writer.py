"""The writer's batching: every queued operation is written once, in order."""

import errno
import os
import queue
import sqlite3
import threading
from contextlib import closing
from typing import Any

import pytest
from builders import add_op, events_named, op
from sqlalchemy import event, text

from facilitator.extensions import db, socketio
from facilitator.realtime.writer import BATCH_MAX, OperationWriter, RecentOps, _Job
from facilitator.services import durability
from facilitator.services.ops.record import OpResult


def test_a_full_batch_leaves_the_next_operation_queued(app, monkeypatch):
    """The operation taken after a batch filled up went nowhere: its sender never had an ack."""
    writer = OperationWriter(app)
    batches: list[list[Any]] = []
    monkeypatch.setattr(writer, "_write", lambda jobs, _shard, _syncing: batches.append(list(jobs)))
    waiting: queue.Queue[Any] = queue.Queue()
    for number in range(2 * BATCH_MAX + 1):
        waiting.put(number)
    waiting.put(None)
    writer._run(waiting, 0, None)
    assert [len(batch) for batch in batches] == [BATCH_MAX, BATCH_MAX, 1]
    assert [job for batch in batches for job in batch] == list(range(2 * BATCH_MAX + 1))


def test_operations_go_to_the_writer_of_their_meeting(app):
    app.config["WRITERS"] = 4
    writer = OperationWriter(app)
    assert [writer._shard_of({"meeting_id": n}) for n in (1, 2, 3, 4, 5, 8)] == [1, 2, 3, 0, 1, 0]
    for malformed in (None, "x", {"meeting_id": "7"}, {"meeting_id": True}, {}, [7]):
        assert writer._shard_of(malformed) == 0


def test_with_several_writers_a_meetings_operations_keep_their_order(
    app, scene, staff_client, open_socket
):
    app.config["WRITERS"] = 3
    socket = open_socket(staff_client(scene.supervisor), scene.meeting_id)
    added = socket.emit("op", add_op(scene.meeting_id, "First words"), callback=True)
    item = added["event"]["item"]
    edited = socket.emit(
        "op",
        op(scene.meeting_id, "edit_item", item_id=item["id"], base_version=item["version"],
           text="Second words"),
        callback=True,
    )  # fmt: skip
    assert (added["ok"], edited["ok"]) == (True, True)
    running = app.extensions["facilitator_writer"]._tasks
    assert set(running) == {scene.meeting_id % 3}


def _sqlite_only(app) -> None:
    if durability.wal_path(app.config["SQLALCHEMY_DATABASE_URI"]) is None:
        pytest.skip("PostgreSQL's commit waits on a socket, not on the hub: nothing to sync")


def _events_on_disk(app, meeting_id: int) -> int:
    """Events of the meeting as another connection reads them (not the writer's session)."""
    path = app.config["SQLALCHEMY_DATABASE_URI"].removeprefix("sqlite:///")
    with closing(sqlite3.connect(path)) as other:
        query = "SELECT count(*) FROM meeting_events WHERE meeting_id = ?"
        return int(other.execute(query, (meeting_id,)).fetchone()[0])


def test_on_sqlite_an_ack_comes_after_the_batch_committed_and_its_wal_was_fsynced_off_the_writer(
    app, scene, staff_client, open_socket
):
    """The writer commits without the fsync; the syncer fsyncs the WAL through run_off_hub
    (a real thread under eventlet), and only then is the sender told."""
    _sqlite_only(app)
    seen: list[tuple[str, int]] = []

    def off_hub(function: Any, wal: str) -> None:
        seen.append((wal, _events_on_disk(app, scene.meeting_id)))  # committed already
        function(wal)

    app.extensions["run_off_hub"] = off_hub
    socket = open_socket(staff_client(scene.supervisor), scene.meeting_id)
    levels: list[int] = []  # PRAGMA synchronous at each commit: 1 NORMAL (no fsync), 2 FULL

    def committing(connection: Any) -> None:
        levels.append(connection.exec_driver_sql("PRAGMA synchronous").scalar())

    with app.app_context():
        engine = db.engine
    event.listen(engine, "commit", committing)
    try:
        ack = socket.emit("op", add_op(scene.meeting_id, "Dad drinks at night"), callback=True)
    finally:
        event.remove(engine, "commit", committing)
    assert ack["ok"] is True
    assert levels == [1]  # the batch's commit did not wait for the disk
    wal = durability.wal_path(app.config["SQLALCHEMY_DATABASE_URI"])
    assert seen == [(wal, 1)]  # one fsync, after the commit, before the ack
    assert os.path.exists(wal)
    with app.app_context():  # and the connection is back to waiting for the disk
        assert db.session.connection().exec_driver_sql("PRAGMA synchronous").scalar() == 2


def test_when_the_wal_cannot_be_fsynced_the_sender_is_told_to_resend_and_the_log_answers_it(
    app, scene, staff_client, open_socket
):
    _sqlite_only(app)
    failures = [OSError(errno.EIO, "Input/output error")]
    synced: list[str] = []

    def off_hub(function: Any, wal: str) -> None:
        if failures:
            raise failures.pop()
        function(wal)
        synced.append(wal)

    app.extensions["run_off_hub"] = off_hub
    socket = open_socket(staff_client(scene.supervisor), scene.meeting_id)
    raw = add_op(scene.meeting_id, "Mum keeps the kids safe at school runs")
    first = socket.emit("op", raw, callback=True)
    assert first["ok"] is False and first["error"]["code"] == "server_error"
    again = socket.emit("op", raw, callback=True)  # the client resends with the same op_id
    assert again["ok"] is True and again["event"]["rev"] == 1
    assert _events_on_disk(app, scene.meeting_id) == 1  # committed once, answered from the log
    assert len(synced) == 1  # ... and only once the disk has it (its first fsync failed)


def test_batches_are_released_in_the_order_they_committed(app, scene, staff_client, open_socket):
    watcher = open_socket(staff_client(scene.worker), scene.meeting_id)
    socket = open_socket(staff_client(scene.supervisor), scene.meeting_id)
    watcher.get_received()
    acks = [
        socket.emit("op", add_op(scene.meeting_id, f"Worry {number}"), callback=True)
        for number in range(5)
    ]
    assert [ack["event"]["rev"] for ack in acks] == [1, 2, 3, 4, 5]
    assert [event["rev"] for event in events_named(watcher.get_received(), "event")] == [
        1, 2, 3, 4, 5
    ]  # fmt: skip


def test_the_checkpointer_copies_the_wal_into_the_database_without_waiting(tmp_path):
    path = tmp_path / "board.sqlite3"
    with closing(sqlite3.connect(path, isolation_level=None)) as writer:
        writer.execute("PRAGMA journal_mode=WAL")
        writer.execute("PRAGMA wal_autocheckpoint=0")
        writer.execute("CREATE TABLE worry (words TEXT)")
        writer.executemany("INSERT INTO worry VALUES (?)", [("x" * 500,)] * 200)
        checkpointer = durability.Checkpointer(f"{path}-wal")
        assert not checkpointer.due()  # at most once a second
        checkpointer.run()
        busy, frames, copied = writer.execute("PRAGMA wal_checkpoint(PASSIVE)").fetchone()
        assert (busy, copied) == (0, frames) and frames > 0
        checkpointer.close()
    with closing(sqlite3.connect(f"file:{path}?immutable=1", uri=True)) as reader:
        assert reader.execute("SELECT count(*) FROM worry").fetchone()[0] == 200


def test_syncing_a_wal_that_is_gone_is_nothing_to_do(tmp_path):
    durability.sync_wal(str(tmp_path / "gone.sqlite3-wal"))


def test_only_a_sqlite_file_has_a_wal_to_sync():
    assert (
        durability.wal_path("sqlite:////srv/facilitator.sqlite3") == "/srv/facilitator.sqlite3-wal"
    )
    assert durability.wal_path("sqlite://") is None
    assert durability.wal_path("sqlite:///:memory:") is None
    assert durability.wal_path("postgresql://facilitator@db/facilitator") is None


def _events_logged(app, meeting_id: int) -> int:
    with app.app_context():
        try:
            query = text("SELECT count(*) FROM meeting_events WHERE meeting_id = :m")
            return int(db.session.execute(query, {"m": meeting_id}).scalar_one())
        finally:
            db.session.remove()


class _Statements:
    """The SQL the app sends while it is watched, by how each statement starts."""

    def __init__(self, app) -> None:
        self.seen: list[str] = []
        with app.app_context():
            self._engine = db.engine
        event.listen(self._engine, "before_cursor_execute", self._saw)

    def _saw(self, _conn: Any, _cursor: Any, statement: str, *_: Any) -> None:
        self.seen.append(" ".join(statement.split()).upper())

    def starting(self, prefix: str) -> int:
        return sum(1 for statement in self.seen if statement.startswith(prefix))

    def close(self) -> None:
        event.remove(self._engine, "before_cursor_execute", self._saw)


def test_an_operation_sent_again_is_answered_from_the_log_without_being_applied_again(
    app, scene, staff_client, open_socket
):
    """A resend (its answer came too late) of what this server committed is read from the
    event log: no second insert to fail on UNIQUE(meeting_id, op_id), no batch to undo."""
    socket = open_socket(staff_client(scene.supervisor), scene.meeting_id)
    raw = add_op(scene.meeting_id, "Dad collects the children on time")
    first = socket.emit("op", raw, callback=True)
    watched = _Statements(app)
    try:
        again = socket.emit("op", raw, callback=True)
    finally:
        watched.close()
    assert (again["ok"], again["duplicate"]) == (True, True)
    assert again["event"] == first["event"] and again["rev"] == first["rev"]
    assert watched.starting("INSERT") == 0, watched.seen
    assert watched.starting("SELECT") >= 1  # the event, from the log
    assert _events_logged(app, scene.meeting_id) == 1


def test_a_resend_in_a_batch_leaves_the_batch_to_run_once(app, scene, staff_client, open_socket):
    """A batch holding a resend and new operations applies the new ones in one run: the
    resend found by its clash used to roll the whole batch back and run it again."""
    socket = open_socket(staff_client(scene.supervisor), scene.meeting_id)
    resent = add_op(scene.meeting_id, "Grandma visits on Sundays")
    first = socket.emit("op", resent, callback=True)
    writer = app.extensions["facilitator_writer"]
    sid = socketio.server.manager.sid_from_eio_sid(socket.eio_sid, "/")
    fresh = [add_op(scene.meeting_id, f"New worry {n}") for n in range(3)]
    jobs = [_Job(sid, raw, threading.Event(), threading.Event(), None) for raw in [resent, *fresh]]
    watched = _Statements(app)
    try:
        with app.app_context():
            writer._apply(jobs)
            db.session.remove()
    finally:
        watched.close()
    outcomes = [job.outcome for job in jobs]
    assert outcomes[0].duplicate and outcomes[0].rev == first["rev"], outcomes
    assert [o.rev for o in outcomes[1:]] == [first["rev"] + n for n in (1, 2, 3)], outcomes
    assert watched.starting("INSERT INTO MEETING_EVENTS") == 3, watched.seen  # once each
    assert watched.starting("ROLLBACK") == 0, watched.seen
    assert _events_logged(app, scene.meeting_id) == 4


def test_a_resend_naming_another_meeting_goes_through_every_check(
    app, scene, staff_client, open_socket
):
    """Only the connection's own meeting is answered early; a resend naming another one (here
    a recent op of the same person in their other meeting) is refused as any operation would
    be (docs/protocol.md §10): `forbidden`, not that meeting's stored answer."""
    client = staff_client(scene.supervisor)
    there = open_socket(client, scene.other_meeting_id)
    made_there = add_op(scene.other_meeting_id, "Aunt drives them to school")
    assert there.emit("op", made_there, callback=True)["ok"]
    here = open_socket(client, scene.meeting_id)
    writer = app.extensions["facilitator_writer"]
    assert made_there in writer._recent
    sid = socketio.server.manager.sid_from_eio_sid(here.eio_sid, "/")
    job = _Job(sid, made_there, threading.Event(), threading.Event(), None)
    with app.app_context():
        writer._apply([job])
        db.session.remove()
    assert getattr(job.outcome, "code", None) == "forbidden", job.outcome


def test_the_recent_operations_are_bounded_and_keyed_by_meeting_and_op_id():
    recent = RecentOps(limit=2)
    for op_id in ("a", "b", "c"):
        recent.add({"meeting_id": 1, "op_id": op_id})
    assert {"meeting_id": 1, "op_id": "a"} not in recent  # the oldest went
    assert {"meeting_id": 1, "op_id": "c"} in recent
    assert {"meeting_id": 2, "op_id": "c"} not in recent  # another meeting's op_id
    for malformed in (None, [], {"meeting_id": "1", "op_id": "c"}, {"meeting_id": 1}):
        assert malformed not in recent
        recent.add(malformed)  # ignored
    assert {"meeting_id": 1, "op_id": "b"} in recent


def test_an_operation_sent_again_on_its_socket_while_queued_waits_for_the_first_copy(
    app, monkeypatch
):
    """A late ack makes the client send the same op again on the same socket; the copy is
    not queued a second time (a slow writer would get slower with every resend): it gets
    the first copy's outcome, as a duplicate, once that has committed."""
    writer = OperationWriter(app)
    queued: queue.Queue[Any] = queue.Queue()
    monkeypatch.setattr(writer, "_started", lambda _shard: queued)
    raw = add_op(7, "Mum walks them to school")
    answers: dict[str, Any] = {}

    def send(name: str, sent: dict[str, Any], sid: str = "sid-1") -> None:
        with app.app_context():
            try:
                with writer.committed(sid, sent) as result:
                    answers[name] = result
            except Exception as refused:
                answers[name] = refused

    first = threading.Thread(target=send, args=("first", raw))
    first.start()
    job = queued.get(timeout=5)
    again = threading.Thread(target=send, args=("again", dict(raw)))
    again.start()
    other_socket = threading.Thread(target=send, args=("elsewhere", raw, "sid-2"))
    other_socket.start()  # after a reconnect: a new socket, queued as any op
    elsewhere = queued.get(timeout=5)
    assert elsewhere.sid == "sid-2"
    job.outcome = OpResult(5, {"rev": 5, "op_id": raw["op_id"]})
    job.done.set()
    first.join(5)
    again.join(5)
    assert answers["first"] == OpResult(5, {"rev": 5, "op_id": raw["op_id"]})
    assert answers["again"] == OpResult(5, {"rev": 5, "op_id": raw["op_id"]}, duplicate=True)
    assert "elsewhere" not in answers  # still waiting for its own batch
    assert queued.empty()  # the copy on the same socket was never queued
    assert list(writer._in_flight) == [("sid-2", raw["op_id"])]  # the first copy's went
    elsewhere.outcome = OpResult(5, {"rev": 5, "op_id": raw["op_id"]}, duplicate=True)
    elsewhere.done.set()
    other_socket.join(5)
    assert answers["elsewhere"].duplicate and not writer._in_flight
