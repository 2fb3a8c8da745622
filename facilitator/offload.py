"""Render exports (PDF, DOCX) in separate worker processes, so no render stalls a meeting.

A WeasyPrint layout is seconds of pure-Python CPU work; in the serving process it held the
interpreter and every other meeting's live p99 went up ~20x (docs/performance.md). Here it
runs in a small pool of worker processes (`python -m facilitator.render_worker`, started
with subprocess: fork + exec, never a bare fork of the serving process), each speaking a
length-prefixed pickle protocol over its stdin and stdout:

- at most `RENDER_WORKERS` renders at once, and `RENDER_QUEUE` more waiting; another one is
  refused at once with `RenderBusy` (the page: 503 with Retry-After);
- each render has `RENDER_TIMEOUT_SECONDS` (waiting for a worker not counted); a worker
  that runs over is killed and the render fails with `RenderFailed("timeout")`;
- each worker has an address-space cap of `RENDER_MEMORY_MB` (RLIMIT_AS, set in the
  worker); one that dies (the cap, a crash, killed) fails the render with
  `RenderFailed("crashed")`; an exception in the render with `RenderFailed("failed")`;
- a worker that failed is replaced by a new one at the next render; the server stays up.

The render function gets plain values (an HTML string, the export model) and returns
bytes: no database session, no Flask context crosses the process boundary. The worker
imports the function by its module and name. Waiting for a worker's answer never blocks
the server: the parent waits on the pipe with `app.extensions["wait_for_fd"]`, which
wsgi.py sets to eventlet's hub (the only module that knows eventlet); elsewhere (threading
mode, tests, the CLI) `select` waits in the calling thread. Workers are real processes in
every mode, so the tests prove the same thing production runs.
"""

from __future__ import annotations

import logging
import os
import pickle
import select
import struct
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from typing import Any

from flask import Flask, current_app

log = logging.getLogger(__name__)

HEADER = struct.Struct("!Q")  # every message: its length, then its pickle
WaitForFd = Callable[[int, bool, float], bool]  # (fd, for writing, seconds) -> ready


class RenderBusy(Exception):
    """Every worker is rendering and the queue is full: try again in a minute."""


class RenderFailed(Exception):
    """A render ran over its time ("timeout"), its worker died ("crashed") or the render
    raised ("failed"). Carries no case text: the reason and a class name at most."""

    def __init__(self, reason: str, detail: str = "") -> None:
        super().__init__(reason, detail)
        self.reason, self.detail = reason, detail


def select_wait(fd: int, write: bool, seconds: float) -> bool:
    """Wait until fd is ready (True) or the time is up (False), in this thread."""
    ready = select.select([], [fd], [], seconds) if write else select.select([fd], [], [], seconds)
    return any(ready)


class _Worker:
    """One worker process and the parent's ends of its pipes."""

    def __init__(self, memory_mb: int) -> None:
        env = dict(os.environ, PYTHONPATH=os.pathsep.join(p for p in sys.path if p))
        self.proc = subprocess.Popen(  # fork + exec: a fresh interpreter, no eventlet in it
            [sys.executable, "-m", "facilitator.render_worker", str(memory_mb)],
            stdin=subprocess.PIPE, stdout=subprocess.PIPE, env=env, close_fds=True,
        )  # fmt: skip
        assert self.proc.stdin is not None and self.proc.stdout is not None
        self.to_worker, self.from_worker = self.proc.stdin.fileno(), self.proc.stdout.fileno()
        os.set_blocking(self.to_worker, False)
        os.set_blocking(self.from_worker, False)

    def alive(self) -> bool:
        return self.proc.poll() is None

    def run(self, job: bytes, seconds: float, wait: WaitForFd) -> Any:
        """Send the job and read the answer within `seconds`, or raise RenderFailed."""
        deadline = time.monotonic() + seconds
        message = HEADER.pack(len(job)) + job
        sent = 0
        while sent < len(message):
            self._ready(wait, self.to_worker, True, deadline)
            try:
                sent += os.writev(self.to_worker, [message[sent : sent + 65536]])
            except BlockingIOError:
                continue
            except BrokenPipeError:
                raise RenderFailed("crashed") from None
        header = self._read(HEADER.size, wait, deadline)
        return pickle.loads(self._read(HEADER.unpack(header)[0], wait, deadline))

    # os.writev and os.readv, not os.write and os.read: eventlet's monkey-patching makes
    # those two wait on the hub with no time limit, and a write to a dead worker's pipe
    # (EPIPE) would retry forever; these are the plain system calls on a non-blocking pipe.

    def _read(self, size: int, wait: WaitForFd, deadline: float) -> bytes:
        chunks, left = [], size
        while left:
            self._ready(wait, self.from_worker, False, deadline)
            chunk = bytearray(min(left, 1 << 20))
            try:
                got = os.readv(self.from_worker, [chunk])
            except BlockingIOError:
                continue
            if not got:  # the worker is gone
                raise RenderFailed("crashed")
            chunks.append(bytes(chunk[:got]))
            left -= got
        return b"".join(chunks)

    @staticmethod
    def _ready(wait: WaitForFd, fd: int, write: bool, deadline: float) -> None:
        left = deadline - time.monotonic()
        if left <= 0 or not wait(fd, write, left):
            raise RenderFailed("timeout")

    def stop(self) -> int | None:
        """Kill the process (if still running) and reap it; its exit status."""
        if self.proc.poll() is None:
            self.proc.kill()
        try:
            code = self.proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            code = None
        for pipe in (self.proc.stdin, self.proc.stdout):
            if pipe is not None:
                pipe.close()
        return code


class RenderPool:
    """At most `size` worker processes, started when first needed and kept for the next
    render; `queue` more renders may wait for one; a render gets `timeout` seconds."""

    def __init__(self, size: int, queue: int, timeout: float, memory_mb: int) -> None:
        self.size, self.queue, self.timeout, self.memory_mb = size, queue, timeout, memory_mb
        self._lock = threading.Lock()  # green under eventlet: only greenthreads touch it
        self._slots = threading.BoundedSemaphore(size)
        self._admitted = 0
        self._idle: list[_Worker] = []
        self._closed = False

    def run(self, work: Callable[..., bytes], *args: Any, wait: WaitForFd = select_wait) -> bytes:
        """work(*args), computed in a worker process."""
        with self._lock:
            if self._closed or self._admitted >= self.size + self.queue:
                raise RenderBusy()
            self._admitted += 1
        try:
            with self._slots:
                return self._render(work, args, wait)
        finally:
            with self._lock:
                self._admitted -= 1

    def _render(self, work: Callable[..., bytes], args: tuple[Any, ...], wait: WaitForFd) -> bytes:
        job = pickle.dumps((work.__module__, work.__qualname__, args), pickle.HIGHEST_PROTOCOL)
        name = f"{work.__module__}.{work.__qualname__}"  # for the log: never an argument
        worker = self._take()
        try:
            outcome, value = worker.run(job, self.timeout, wait)
        except RenderFailed as failure:
            code = worker.stop()
            log.error("render %s: %s (worker exit status %s), worker replaced",
                      name, failure.reason, code)  # fmt: skip
            raise
        except BaseException:  # interrupted (the server stopping): the worker's state is unknown
            worker.stop()
            raise
        if outcome != "ok":  # the render raised in the worker; value is the class name
            if outcome == "error":
                self._give_back(worker)  # the worker is fine
            else:
                worker.stop()  # "fatal": out of memory, the worker exits
            log.error("render %s failed in the worker: %s%s", name, value,
                      ", worker replaced" if outcome != "error" else "")  # fmt: skip
            raise RenderFailed("failed", str(value))
        self._give_back(worker)
        return bytes(value)

    def _take(self) -> _Worker:
        with self._lock:
            while self._idle:
                worker = self._idle.pop()
                if worker.alive():
                    return worker
                worker.stop()
        return _Worker(self.memory_mb)

    def _give_back(self, worker: _Worker) -> None:
        with self._lock:
            if not self._closed:
                self._idle.append(worker)
                return
        worker.stop()

    def close(self) -> None:
        """Stop the idle workers; one rendering stops when its render ends."""
        with self._lock:
            self._closed = True
            idle, self._idle = self._idle, []
        for worker in idle:
            worker.stop()


def install(app: Flask) -> None:
    """The app's render pool (no process starts until the first render)."""
    app.extensions["render_pool"] = RenderPool(
        app.config["RENDER_WORKERS"],
        app.config["RENDER_QUEUE"],
        app.config["RENDER_TIMEOUT_SECONDS"],
        app.config["RENDER_MEMORY_MB"],
    )


def render(work: Callable[..., bytes], *args: Any) -> bytes:
    """work(*args) in the app's render pool; RenderBusy or RenderFailed if it cannot be."""
    pool: RenderPool = current_app.extensions["render_pool"]
    return pool.run(work, *args, wait=current_app.extensions.get("wait_for_fd", select_wait))
