"""The board's one writer per process: operations from every socket, applied in batches.

SQLite has one writer at a time, and each commit waits for an fsync (STACK.md pitfalls 3
and 15). So the `op` handler does not write: `committed()` hands the operation to this
queue and returns once the batch holding it has committed (or failed); the handler then
publishes the event and acks. One background task takes everything waiting (up to
BATCH_MAX), re-checks the senders' identities (one query for the access epoch; sockets
are re-read when it changed, see identity.ConnectionCache), applies the batch in one
transaction (`board.apply_operations`) and commits once. On an idle server a batch is one
operation and nothing waits; under load the batches grow, so the commits per operation
fall instead of queueing up. The senders publish in the order their batches committed
(each waits for the one before it), so a room sees a meeting's events in revision order.

On SQLite the batch commits without waiting for the disk, and a second task per writer,
the syncer, makes it durable off the hub: one fsync of the WAL in a real thread
(`run_off_hub`, which wsgi.py sets to eventlet's thread pool) for every batch committed
meanwhile (group commit), and a checkpoint now and then (services/durability.py). Only
then are its senders told: an ack still means on the disk. The hub serves every other
meeting, and the writer applies the next batch, while the disk works.

On PostgreSQL a batch mostly waits for the database's answers (the hub serves everyone
else meanwhile, wsgi.py's green wait), so one writer caps a worker's throughput at what
those round trips allow. There, WRITERS (default 4) writers run side by side, each with
its own share of the meetings (meeting id modulo WRITERS): a meeting's operations still
go through one writer in the order they came, so a participant's add is committed before
their edit of it, and rows are locked in meeting order within each batch as before.
"""

from __future__ import annotations

import logging
import threading
from collections import deque
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, replace
from typing import Any

from flask import Flask, current_app

from facilitator import identity
from facilitator.domain.actor import Actor
from facilitator.domain.errors import OperationError, SignedOut
from facilitator.domain.text import N_
from facilitator.extensions import db, socketio
from facilitator.services import audit, board, durability
from facilitator.services.ops.record import OpResult
from facilitator.write_health import counted, write_health

log = logging.getLogger(__name__)

# Operations in one transaction. Small on purpose: the hub runs nothing else while a batch
# is applied, so its length is every other meeting's wait; 8 kept the p99 near the relay's
# where 64 let bursts after a pause hold the hub 30-50 ms (docs/performance.md).
BATCH_MAX = 8
ACK_WAIT_SECONDS = 60  # a sender waits this long for its batch before giving up
TURN_WAIT_SECONDS = 5  # ... and this long for the sender before it in the batch to publish
# Operations this process committed that a client may still send again (its answer was late
# or lost): about three minutes at the county rate, ~100 bytes each.
RECENT_OPS = 50_000


def _failed() -> OperationError:
    return OperationError("server_error", N_("Something went wrong. Try again."))


def _busy() -> OperationError:
    return OperationError("server_error", N_("The server is busy. Your change will be resent."))


@dataclass
class _Job:
    sid: str
    raw: Any
    done: Any  # the async mode's Event: set once the batch has committed or failed
    published: Any  # set once this job's sender has published (the next sender's turn)
    origin: audit.Origin  # the socket event's request id and address, for the audit entry
    turn: Any = None  # the published Event of the job released before this one
    outcome: OpResult | Exception | None = None


def _call(function: Any, *args: Any) -> Any:
    return function(*args)


class RecentOps:
    """The operations this process committed lately, by meeting and op_id (a hash of both:
    a clash only costs a look-up). A client resends an operation whose answer did not come
    within its time-out, and after a reconnect; answering those from the log keeps them out
    of the batches, where each one found by its UNIQUE clash cost a rollback and a second
    run of the batch (a restart's burst of resends slowed the writer into more of them)."""

    def __init__(self, limit: int = RECENT_OPS) -> None:
        self._held: set[int] = set()
        self._order: deque[int] = deque()
        self._limit = limit

    @staticmethod
    def _key(raw: Any) -> int | None:
        if not isinstance(raw, dict):
            return None
        meeting_id, op_id = raw.get("meeting_id"), raw.get("op_id")
        if type(meeting_id) is not int or not isinstance(op_id, str):
            return None
        return hash((meeting_id, op_id))

    def add(self, raw: Any) -> None:
        key = self._key(raw)
        if key is None or key in self._held:
            return
        self._held.add(key)
        self._order.append(key)
        if len(self._order) > self._limit:
            self._held.discard(self._order.popleft())

    def __contains__(self, raw: Any) -> bool:
        key = self._key(raw)
        return key is not None and key in self._held


class OperationWriter:
    def __init__(self, app: Flask) -> None:
        self._app = app
        self._shards: int = app.config.get("WRITERS", 1)
        self._queues: dict[int, Any] = {}  # shard -> its queue, while its task runs
        self._tasks: dict[int, Any] = {}
        self._syncers: dict[int, tuple[Any, Any]] = {}  # shard -> its syncer's queue, task
        self._start_lock = threading.Lock()
        self._identities = identity.ConnectionCache()
        self._recent = RecentOps()
        self._in_flight: dict[tuple[str, str], _Job] = {}  # (sid, op_id) -> its queued job
        self._last_published: dict[int, Any] = {}  # shard -> its last released job's Event
        # SQLite: the WAL each batch's commit is made durable in, off the hub (else None)
        self._wal = durability.wal_path(app.config["SQLALCHEMY_DATABASE_URI"])
        self._checkpointer = durability.Checkpointer(self._wal) if self._wal else None
        self._checkpointing: Any = None  # the task of the checkpoint under way
        self._off_hub = app.extensions.get("run_off_hub", _call)

    def remember(self, sid: str) -> None:
        """A socket that may send operations opened: cache its identity now."""
        identity.remember_connection(sid, self._identities)

    def forget(self, sid: str) -> None:
        """A socket closed: drop its cached identity."""
        self._identities.forget(sid)

    def sender(self, sid: str) -> Actor:
        """Who sends on this socket: its cached identity (the batch re-checks it before
        writing), else read from the database now."""
        return self._identities.held(sid) or identity.connection_actor(sid)

    @contextmanager
    def committed(self, sid: str, raw: Any) -> Iterator[OpResult]:
        """Queue one operation; give its result once the batch holding it has committed, and
        the sender's turn to publish (raise its refusal instead: OperationError, SignedOut)."""
        # The sender holds no pooled connection while it waits (its identity may have been
        # read): 15 ops in flight took the whole pool and the batch could never get one
        # (tests/realtime/test_flood_close.py sends 30 at once on one socket).
        db.session.remove()
        op_id = raw.get("op_id") if isinstance(raw, dict) else None
        key = (sid, op_id) if isinstance(op_id, str) else None
        first = self._in_flight.get(key) if key is not None else None
        if first is not None and first.raw == raw:
            yield self._answer_of(first)  # sent again on this socket while still on its way
            return
        events = socketio.server.eio
        job = _Job(sid, raw, events.create_event(), events.create_event(), audit.current_origin())
        if key is not None:
            self._in_flight[key] = job
        try:
            self._started(self._shard_of(raw)).put(job)
            if not job.done.wait(timeout=ACK_WAIT_SECONDS) or job.outcome is None:
                raise _busy()
            if isinstance(job.outcome, Exception):
                raise job.outcome
            if job.turn is not None:
                job.turn.wait(timeout=TURN_WAIT_SECONDS)
            yield job.outcome
        finally:
            job.published.set()
            if key is not None and self._in_flight.get(key) is job:
                del self._in_flight[key]

    def _answer_of(self, first: _Job) -> OpResult:
        """The answer to an operation its socket sent again while the first copy still
        waited for its batch (its ack was late: the client's time-out is 8 s): the first
        copy's outcome, as a duplicate. Nothing more is queued, so a slow writer does not get
        slower with every resend."""
        if not first.done.wait(timeout=ACK_WAIT_SECONDS) or first.outcome is None:
            raise _busy()
        if isinstance(first.outcome, Exception):
            raise first.outcome
        return replace(first.outcome, duplicate=True)

    def stop(self) -> None:
        """Finish what is queued, then end the tasks (at shutdown, and after each test)."""
        with self._start_lock:
            running = [(self._queues[shard], self._tasks[shard]) for shard in self._queues]
            syncing = list(self._syncers.values())
        for queue, _task in running:
            queue.put(None)
        for _queue, task in running:
            task.join()
        for queue, _task in syncing:
            queue.put(None)
        for _queue, task in syncing:
            task.join()
        checkpointing = self._checkpointing
        if checkpointing is not None:
            checkpointing.join()
        if self._checkpointer is not None:
            self._checkpointer.close()

    def _shard_of(self, raw: Any) -> int:
        """Which writer takes this operation: by its meeting (a malformed one: the first)."""
        meeting_id = raw.get("meeting_id") if isinstance(raw, dict) else None
        return meeting_id % self._shards if type(meeting_id) is int else 0

    def _started(self, shard: int) -> Any:
        with self._start_lock:
            if shard not in self._queues:
                syncing = None
                if self._wal is not None:
                    syncing = socketio.server.eio.create_queue()
                    task = socketio.start_background_task(self._sync, syncing, shard)
                    self._syncers[shard] = (syncing, task)
                queue = socketio.server.eio.create_queue()
                self._queues[shard] = queue
                self._tasks[shard] = socketio.start_background_task(
                    self._run, queue, shard, syncing
                )
            return self._queues[shard]

    def _run(self, queue: Any, shard: int, syncing: Any) -> None:
        empty = socketio.server.eio.get_queue_empty_exception()
        running = True
        while running:
            jobs: list[_Job] = []
            item = queue.get()
            socketio.sleep(0)  # let the operations already on their way join this batch
            while item is not None:
                jobs.append(item)
                if len(jobs) == BATCH_MAX:
                    break  # the rest stays queued for the next batch
                try:
                    item = queue.get_nowait()
                except empty:
                    break
            running = item is not None
            if jobs:
                self._write(jobs, shard, syncing)
        with self._start_lock:
            self._queues.pop(shard, None)
            self._tasks.pop(shard, None)

    def _write(self, jobs: list[_Job], shard: int, syncing: Any) -> None:
        healthy = False  # a change committed and no write failed on the storage
        try:
            with self._app.app_context():
                try:
                    healthy = self._apply(jobs)
                finally:
                    db.session.remove()
            if healthy and syncing is None:
                write_health(self._app).succeeded()
        except Exception as failure:
            if not counted(self._app, failure):  # disk full, read-only: once per spell
                log.exception("a batch of %d operations failed", len(jobs))
        finally:
            for job in jobs:
                if job.outcome is None:
                    job.outcome = _failed()
            if syncing is None:
                self._release(jobs, shard)
            else:  # told once the disk has it (a batch that wrote nothing: its turn still)
                syncing.put((jobs, healthy))

    def _sync(self, syncing: Any, shard: int) -> None:
        """Make committed batches durable, all that are waiting with one fsync off the hub,
        then let their senders publish and ack, in the order the batches committed."""
        empty = socketio.server.eio.get_queue_empty_exception()
        assert self._wal is not None
        running = True
        while running:
            batches = [syncing.get()]
            while batches[-1] is not None:
                try:
                    batches.append(syncing.get_nowait())
                except empty:
                    break
            running = batches[-1] is not None
            waiting = [batch for batch in batches if batch is not None]
            if not waiting:
                continue
            # a duplicate's answer is an event committed earlier, whose fsync may have failed
            # (its sender was told to resend): it too is only told once the disk has it
            committed = any(
                isinstance(job.outcome, OpResult) for jobs, _healthy in waiting for job in jobs
            )
            try:
                if committed:
                    self._off_hub(durability.sync_wal, self._wal)
                if any(healthy for _jobs, healthy in waiting):
                    write_health(self._app).succeeded()
            except Exception as failure:  # the commits may not be on the disk: say so
                if not counted(self._app, failure):
                    log.exception("the fsync of %d batches failed", len(waiting))
                for jobs, _healthy in waiting:
                    for job in jobs:
                        if isinstance(job.outcome, OpResult):
                            job.outcome = _failed()  # the sender resends; the log answers
            for jobs, _healthy in waiting:
                self._release(jobs, shard)
            self._checkpoint_now_and_then()
        with self._start_lock:
            self._syncers.pop(shard, None)

    def _checkpoint_now_and_then(self) -> None:
        """A checkpoint off the hub when one is due, beside the syncs (never before an ack)."""
        checkpointer = self._checkpointer
        if checkpointer is None or not checkpointer.due() or self._checkpointing is not None:
            return
        checkpointer.started()
        self._checkpointing = socketio.start_background_task(self._checkpoint, checkpointer)

    def _checkpoint(self, checkpointer: durability.Checkpointer) -> None:
        try:
            self._off_hub(checkpointer.run)
        except Exception:  # a checkpoint left for later changes no one's answer
            log.warning("a checkpoint failed; SQLite's own will follow", exc_info=True)
        finally:
            self._checkpointing = None

    def _release(self, jobs: list[_Job], shard: int) -> None:
        """Let the batch's senders go: each publishes after the one before it has."""
        for job in jobs:
            job.turn, self._last_published[shard] = self._last_published.get(shard), job.published
            job.done.set()

    def _apply(self, jobs: list[_Job]) -> bool:
        """Apply the jobs, set their outcomes; True when a change was committed and no write
        failed on the storage (what ends a spell of failures, write_health.py)."""
        actors = identity.cached_connection_actors([job.sid for job in jobs], self._identities)
        for job in jobs:
            if actors[job.sid].kind == "anonymous":
                job.outcome = SignedOut()
            elif job.raw in self._recent:  # sent again: answered from the log
                job.outcome = board.answer_retry(actors[job.sid], job.raw)
        admitted = [job for job in jobs if job.outcome is None]
        if not admitted:
            return False
        outcomes = board.apply_operations(
            [(actors[job.sid], job.raw) for job in admitted],
            [job.origin for job in admitted],
            flush=self._wal is None,  # SQLite: the syncer makes it durable, off the hub
        )
        wrote, storage_failed = False, False
        for job, outcome in zip(admitted, outcomes, strict=True):
            if isinstance(outcome, Exception) and not isinstance(outcome, OperationError):
                if counted(self._app, outcome):  # disk full, read-only: once per spell
                    storage_failed = True
                else:
                    log.error("an operation failed: %s", type(outcome).__name__)
                outcome = _failed()
            elif isinstance(outcome, OpResult) and not outcome.duplicate:
                wrote = True
                self._recent.add(job.raw)
            job.outcome = outcome
        return wrote and not storage_failed


def writer() -> OperationWriter:
    """This app's writer (each app, as each test's, has its own)."""
    app = current_app._get_current_object()  # type: ignore[attr-defined]
    return app.extensions.setdefault("facilitator_writer", OperationWriter(app))  # type: ignore[no-any-return]
