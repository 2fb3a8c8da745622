"""The writer's batching: every queued operation is written once, in order."""

import queue
from typing import Any

from builders import add_op, op

from facilitator.realtime.writer import BATCH_MAX, OperationWriter


def test_a_full_batch_leaves_the_next_operation_queued(app, monkeypatch):
    """The operation taken after a batch filled up went nowhere: its sender never had an ack."""
    writer = OperationWriter(app)
    batches: list[list[Any]] = []
    monkeypatch.setattr(writer, "_write", lambda jobs: batches.append(list(jobs)))
    waiting: queue.Queue[Any] = queue.Queue()
    for number in range(2 * BATCH_MAX + 1):
        waiting.put(number)
    waiting.put(None)
    writer._run(waiting, 0)
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
