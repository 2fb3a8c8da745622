"""SQLite connections whose commit can run off the server's event loop.

With synchronous=FULL every commit waits for the disk (about 0.5 ms here), and on one
eventlet hub that wait would freeze every meeting (STACK.md pitfall 3). The server
runner hands in a function that runs a call in a real thread (eventlet.tpool.execute);
without one, commits run where they are called.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from typing import Any

_run_blocking: Callable[[Callable[[], None]], Any] | None = None


def run_commits_with(run_blocking: Callable[[Callable[[], None]], Any] | None) -> None:
    """Set how a blocking commit is run (None: in the caller)."""
    global _run_blocking
    _run_blocking = run_blocking


class CommitOffloadingConnection(sqlite3.Connection):
    """A sqlite3 connection whose commit goes through the configured runner."""

    def commit(self) -> None:
        if _run_blocking is None:
            super().commit()
        else:
            _run_blocking(super().commit)


def sqlite_connect_args() -> dict[str, Any]:
    # check_same_thread off: the commit may run in the runner's thread, while the
    # connection is still used by one greenlet at a time
    return {"timeout": 15, "factory": CommitOffloadingConnection, "check_same_thread": False}
