"""Whether this process can write to its database now: a spell of failed writes (disk
full, a read-only file system or database) is noticed by whatever write fails first (an
operation batch, the worker's beat, a page that saves), makes /readyz answer 503, is
logged once when it begins and once, with its count, when a write succeeds again. The
worker's beat (realtime/liveness.py) writes every few seconds, so readiness comes back
within one beat of the storage coming back, traffic or not (docs/deploy.md)."""

from __future__ import annotations

import logging
import threading
import time

from flask import Flask
from sqlalchemy.exc import InternalError, OperationalError

log = logging.getLogger(__name__)

# What a full disk or a read-only database raise (SQLite: "database or disk is full",
# "attempt to write a readonly database"; PostgreSQL: DiskFull, ReadOnlySqlTransaction).
STORAGE_ERRORS = (OperationalError, InternalError)


def is_storage_error(error: BaseException) -> bool:
    return isinstance(error, STORAGE_ERRORS)


def describe(error: BaseException) -> str:
    """The driver's own words (the error's class and first line: never the statement or its
    values, which may hold case text)."""
    cause = getattr(error, "orig", None) or error
    first = str(cause).splitlines()[0][:120] if str(cause) else ""
    return f"{type(cause).__name__}: {first}" if first else type(cause).__name__


class WriteHealth:
    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._since: float | None = None  # when the current spell of failures began
        self._failures = 0

    @property
    def failing(self) -> bool:
        return self._since is not None

    def failed(self, error: BaseException) -> None:
        """A write failed: the first of a spell is logged, the others counted."""
        with self._lock:
            first = self._since is None
            if first:
                self._since = time.monotonic()
            self._failures += 1
        if first:
            log.error(
                "writes to the database fail (%s): not ready until one succeeds", describe(error)
            )

    def succeeded(self) -> None:
        """A write committed: a spell of failures, if any, has ended."""
        if self._since is None:
            return
        with self._lock:
            if self._since is None:
                return
            seconds, failures = time.monotonic() - self._since, self._failures
            self._since, self._failures = None, 0
        log.warning(
            "writes to the database work again, after %d failed writes in %.0f s",
            failures, seconds,
        )  # fmt: skip


def write_health(app: Flask) -> WriteHealth:
    """This app's write health (each app, as each test's, has its own)."""
    return app.extensions.setdefault("facilitator_write_health", WriteHealth())  # type: ignore[no-any-return]


def counted(app: Flask, failure: BaseException) -> bool:
    """A failure on the storage joins the app's spell (logged once) and True; any other
    failure False, for the caller to log as it does."""
    if not is_storage_error(failure):
        return False
    write_health(app).failed(failure)
    return True
