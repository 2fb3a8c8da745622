"""When a commit is on the disk: SQLite's commits made durable without holding the hub.

The embedded database runs in WAL mode with `synchronous=FULL`: each commit waits for
the WAL's fsync. On eventlet's one hub that wait stopped every meeting at once, and one
slow fsync (up to a quarter of a second on a busy disk) set the county's p99
(docs/performance.md). So the board's writer commits its batches without the fsync
(`not_waiting_for_the_disk`: `synchronous=NORMAL` for that transaction, which still
writes the WAL frames, in order) and then, off the hub (a real thread; realtime/writer.py
runs it), `sync_wal` fsyncs the WAL file once for every batch committed meanwhile. Only
then are the operations acknowledged and published: an ack still means on the disk.

A checkpoint (the WAL copied back into the database file, two more fsyncs) would land on
whichever commit crossed SQLite's automatic threshold, on the hub again. A `Checkpointer`
runs one off the hub, at most once a second, on a connection of its own; it is PASSIVE,
so it never waits for a reader or writer (the automatic one stays as the net).

What a power cut can take: nothing acknowledged. Between a batch's commit and its fsync,
another connection may already read the batch (a resync); a power cut in those
milliseconds loses it with the acks never sent, and the senders resend it.

PostgreSQL: the wait for its commit is a wait on a socket, which the hub does not hold
(wsgi.py's green wait); `wal_path` is None there and every commit waits as usual.
"""

from __future__ import annotations

import os
import sqlite3
import time
from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy.engine import make_url

from facilitator.extensions import db

CHECKPOINT_EVERY_SECONDS = 1.0


def wal_path(database_url: str) -> str | None:
    """The WAL file of this SQLite database; None when there is no file to sync
    (PostgreSQL, an in-memory database)."""
    url = make_url(database_url)
    if url.get_backend_name() != "sqlite" or url.database in (None, "", ":memory:"):
        return None
    if url.query.get("mode") == "memory":
        return None
    return f"{url.database}-wal"


@contextmanager
def not_waiting_for_the_disk() -> Iterator[None]:
    """The session's commit inside does not wait for the disk to confirm it: the log is
    written in order, so the next fsync of it (sync_wal, or any commit that waits) makes
    it durable too. SQLite (WAL): synchronous NORMAL on the connection, set before its
    transaction begins (the level of a transaction under way is fixed: it commits as
    usual) and FULL again once it has ended. PostgreSQL: synchronous_commit off for this
    transaction only."""
    connection = db.session.connection()
    if connection.dialect.name != "sqlite":
        connection.exec_driver_sql("SET LOCAL synchronous_commit = off")
        yield
        return
    driver = connection.connection.dbapi_connection
    if driver is None or driver.in_transaction:
        yield
        return
    driver.execute("PRAGMA synchronous=NORMAL")
    try:
        yield
    finally:
        if driver.in_transaction:  # it failed with the transaction open: void it, so the
            driver.rollback()  # level can be set back before anyone commits on this
        driver.execute("PRAGMA synchronous=FULL")


def sync_wal(path: str) -> None:
    """fsync the WAL file: every commit written to it so far is on the disk. (Opened with
    the built-in open: the file's data is the inode's, whichever descriptor wrote it.) No
    WAL file: the last connection checkpointed it into the database, with its own fsync."""
    try:
        with open(path, "rb") as wal:
            os.fdatasync(wal.fileno())
    except FileNotFoundError:
        return


class Checkpointer:
    """PASSIVE checkpoints on a connection of its own, at most once a second (call it off
    the hub: it reads and writes pages and fsyncs twice)."""

    def __init__(self, wal: str) -> None:
        self._database = wal.removesuffix("-wal")
        self._connection: sqlite3.Connection | None = None
        self._last = time.monotonic()

    def due(self) -> bool:
        return time.monotonic() - self._last >= CHECKPOINT_EVERY_SECONDS

    def started(self) -> None:
        self._last = time.monotonic()

    def run(self) -> None:
        if self._connection is None:
            self._connection = sqlite3.connect(
                self._database, isolation_level=None, check_same_thread=False
            )
        self._connection.execute("PRAGMA wal_checkpoint(PASSIVE)").fetchall()

    def close(self) -> None:
        if self._connection is not None:
            self._connection.close()
            self._connection = None
