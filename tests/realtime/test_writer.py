"""The writer's batching: every queued operation is written once, in order."""

import queue
from typing import Any

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
    writer._run(waiting)
    assert [len(batch) for batch in batches] == [BATCH_MAX, BATCH_MAX, 1]
    assert [job for batch in batches for job in batch] == list(range(2 * BATCH_MAX + 1))
