"""Run long CPU-bound work off the server's event loop when the server runs one.

`wsgi.py` (the only module that knows eventlet) puts `eventlet.tpool.execute` into
`app.extensions["blocking_call"]`; elsewhere (threading mode, tests, the CLI) the work
simply runs in the calling thread. Only pure work goes through here: no database session,
no socket, no Flask context (the function gets plain values and returns bytes or text).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from flask import current_app

T = TypeVar("T")


def run_blocking(work: Callable[..., T], *args: Any) -> T:
    """Return work(*args), computed in a real thread under eventlet."""
    call = current_app.extensions.get("blocking_call")
    return call(work, *args) if call else work(*args)
