"""Renders that go wrong, for the render pool's tests (facilitator/offload.py).

The worker process imports these by module and name, as it imports pdf.render: a test
puts one in place of a real renderer (monkeypatching web/exports.FORMATS) and the worker,
a real process, runs it. Each takes the export model and ignores it.
"""

from __future__ import annotations

import os
import time
from typing import Any


def hang(_model: Any) -> bytes:
    """Never finishes (the pool's timeout must kill it)."""
    while True:
        time.sleep(3600)


def die(_model: Any) -> bytes:
    """The worker process ends without answering (a crash, the kernel's OOM killer)."""
    os._exit(3)


def hog(_model: Any) -> bytes:
    """Asks for more memory than the worker's cap allows."""
    return bytes(bytearray(8 * 1024**3))


def fail(_model: Any) -> bytes:
    """Raises, with case text in the message (which must never reach a log or the page)."""
    raise ValueError("J.M. was alone for two evenings")
