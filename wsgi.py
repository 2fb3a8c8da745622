"""Run Facilitator on eventlet: the only module that imports eventlet."""

import warnings

warnings.filterwarnings("ignore", message=r"\s*Eventlet is deprecated")

import eventlet  # noqa: E402

# Must come before every other import (STACK.md pitfall 1). psycopg2 is left alone here:
# the app installs its own wait callback below, and only on PostgreSQL.
eventlet.monkey_patch(psycopg=False)

import gc  # noqa: E402
import logging  # noqa: E402
import os  # noqa: E402
import signal  # noqa: E402
import socket  # noqa: E402
import sys  # noqa: E402
from contextlib import suppress  # noqa: E402
from typing import Any  # noqa: E402

import eventlet.event  # noqa: E402
import eventlet.hubs  # noqa: E402
import eventlet.tpool  # noqa: E402
import eventlet.websocket  # noqa: E402
import eventlet.wsgi  # noqa: E402
import psycopg2  # noqa: E402
import psycopg2.extensions  # noqa: E402
from greenlet import GreenletExit  # noqa: E402

os.environ.setdefault("FACILITATOR_ASYNC_MODE", "eventlet")

from facilitator import create_app  # noqa: E402
from facilitator.extensions import db  # noqa: E402
from facilitator.realtime import liveness, packets, shutdown  # noqa: E402
from facilitator.services import accounts, presence  # noqa: E402
from facilitator.write_health import STORAGE_ERRORS, describe  # noqa: E402

# Incoming websocket frames unmasked as one integer XOR, not a byte at a time in Python.
eventlet.websocket.RFC6455WebSocket._apply_mask = staticmethod(packets.unmask)


def green_wait(connection: Any) -> None:
    """psycopg2's wait callback on eventlet: while PostgreSQL works on a query (or waits
    for a lock another worker holds), this greenthread parks on the connection's socket
    and the hub serves every other meeting meanwhile (STACK.md pitfall 3). A greenthread
    interrupted mid-query (killed, a timeout) first has the server cancel the query, so
    no statement runs on, holding locks, for a caller that has gone."""
    interrupted: BaseException | None = None
    while True:
        try:
            state = connection.poll()
        except psycopg2.extensions.QueryCanceledError:
            if interrupted is not None:
                raise interrupted from None
            raise
        if state == psycopg2.extensions.POLL_OK:
            if interrupted is not None:
                raise interrupted
            return
        try:
            if state == psycopg2.extensions.POLL_READ:
                eventlet.hubs.trampoline(connection.fileno(), read=True)
            elif state == psycopg2.extensions.POLL_WRITE:
                eventlet.hubs.trampoline(connection.fileno(), write=True)
            else:
                raise psycopg2.OperationalError(f"unexpected poll state {state}")
        except BaseException as stop:
            if interrupted is not None or isinstance(stop, psycopg2.Error):
                raise
            interrupted = stop
            try:
                connection.cancel()  # the server ends the query; poll() then reports it
            except psycopg2.Error:  # nothing to cancel yet (still connecting): just stop
                raise stop from None


app = create_app(commands=False)
if app.config["SQLALCHEMY_DATABASE_URI"].startswith("postgresql"):
    psycopg2.extensions.set_wait_callback(green_wait)  # connections made from now on
    with app.app_context():
        db.engine.dispose()  # none made before it stays blocking


def green_wait_for_fd(fd: int, write: bool, seconds: float) -> bool:
    """Park this greenthread until a render worker's pipe is ready (True) or the time is up
    (False): the render itself runs in another process (facilitator/offload.py), and the
    hub serves every meeting meanwhile."""
    try:
        eventlet.hubs.trampoline(fd, read=not write, write=write, timeout=seconds,
                                 timeout_exc=TimeoutError)  # fmt: skip
    except TimeoutError:
        return False
    return True


app.extensions["wait_for_fd"] = green_wait_for_fd
# The board's writer fsyncs SQLite's WAL in a real thread: the hub serves every meeting
# while the disk works, and only then are the batch's operations acknowledged
# (facilitator/services/durability.py).
app.extensions["run_off_hub"] = eventlet.tpool.execute

BACKLOG = 1024
# Young collections every 50,000 allocations instead of Python's 700. At 700, an operation's
# short-lived objects (its job, event, waiting greenthread) outlived two young passes and
# were promoted, so full passes came every ~5 s under county load, each walking every
# connection's objects: ~250 ms with 3,000 connected, the hub (every meeting) held
# meanwhile. Now they die young and full passes are rare (docs/performance.md).
GC_THRESHOLDS = (50_000, 10, 10)
MAX_CONNECTIONS = 10_000  # eventlet's default of 1,024 hangs the next client silently

log = logging.getLogger("facilitator.server")


def serve() -> None:
    """Listen with TCP_NODELAY and a large backlog, then serve until stopped."""
    host, port = app.config["HOST"], app.config["PORT"]
    listener = _listen(host, port)
    listener.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
    first_start = _first_writes()
    # Everything imported and built so far lives as long as the process. Freezing it keeps
    # the collector's full passes from walking it: unfrozen, each full pass held the hub
    # (every meeting) for ~150 ms every few seconds under load (docs/performance.md).
    gc.collect()
    gc.freeze()
    gc.set_threshold(*GC_THRESHOLDS)
    print(f"Facilitator is running on http://{host}:{port}  (Ctrl+C stops it)", flush=True)
    if first_start:
        print(f"First start: create the admin at http://{host}:{port}/setup", flush=True)
    stop_asked = eventlet.event.Event()

    def on_signal(signum: int, _frame: Any) -> None:
        # runs on whichever greenlet the signal interrupts: only wake the main one
        if not stop_asked.ready():
            stop_asked.send(signum)

    signal.signal(signal.SIGTERM, on_signal)
    signal.signal(signal.SIGINT, on_signal)
    eventlet.spawn(_wake_on_signals)
    eventlet.spawn(liveness.keep_alive, app)  # this worker's beat; a dead one's presence goes
    server = eventlet.spawn(_accept, listener)
    signum = stop_asked.wait()
    code = stop(server, listener, signal.Signals(signum).name)
    logging.shutdown()
    sys.stdout.flush()
    os._exit(code)  # the hub's leftover greenthreads (pings, timers) have nothing to finish


# The exit status when the database cannot be written at start (docs/deploy.md).
EXIT_NOT_WRITABLE = 3
# The exit status when another process already listens on the port (docs/deploy.md).
EXIT_PORT_BUSY = 4


def _listen(host: str, port: int) -> Any:
    """The listening socket, never shared: eventlet's default SO_REUSEPORT let a second
    server start on a busy port and take half the connections (a sign-in form from one
    process posted to the other). A busy port ends the start with one line saying so."""
    try:
        return eventlet.listen((host, port), backlog=BACKLOG, reuse_port=False)
    except OSError as failure:
        print(
            f"Facilitator cannot start: {host}:{port} is already in use ({failure.strerror})."
            " Another Facilitator (or another program) is listening there: stop it, or set"
            " FACILITATOR_PORT to a free port.",
            file=sys.stderr, flush=True,
        )  # fmt: skip
        sys.exit(EXIT_PORT_BUSY)


def _first_writes() -> bool:
    """This worker's first write (its old presence rows go); True when nobody has an account
    yet. A database that cannot be written (read-only, disk full) ends the start here with
    one line saying so, not a traceback."""
    try:
        with app.app_context():
            try:
                presence.clear_server(app.config["SERVER_ID"])
                return not accounts.has_users()
            finally:
                db.session.remove()
    except STORAGE_ERRORS as failure:
        print(
            f"Facilitator cannot start: its database cannot be written ({describe(failure)})."
            " Check that the disk has space and that the database file, its directory and"
            " the database user are writable.",
            file=sys.stderr, flush=True,
        )  # fmt: skip
        sys.exit(EXIT_NOT_WRITABLE)


def _wake_on_signals() -> None:
    """An idle hub sleeps in epoll for up to a minute, and a Python signal handler runs
    without waking it: the stop would wait that long. The C handler also writes a byte to
    this pipe, which the hub watches, so a signal always wakes it at once."""
    wake_read, wake_write = os.pipe()
    os.set_blocking(wake_read, False)
    os.set_blocking(wake_write, False)
    signal.set_wakeup_fd(wake_write)
    while True:
        eventlet.hubs.trampoline(wake_read, read=True)
        with suppress(BlockingIOError):
            os.read(wake_read, 64)


class Protocol(eventlet.wsgi.HttpProtocol):
    """eventlet's HTTP connection, freed as soon as it closes.

    Each request's environ holds `eventlet.set_idle`, a closure over the protocol, and the
    protocol keeps its last request's environ: a reference cycle that only a full
    collection frees, and GC_THRESHOLDS make those rare. Every closed connection (each
    reconnecting phone's polling and websocket requests) then stayed in memory with its
    socket and buffers, ~4.5 KB each, and the server grew all day (docs/performance.md).
    Dropping the environ when the connection ends lets reference counting free it."""

    def finish(self) -> None:
        try:
            super().finish()
        finally:
            self.environ = None


def _accept(listener: Any) -> None:
    """Serve until stopped (then until the requests under way have ended)."""
    with suppress(OSError):  # the listener closed under accept(): serving has stopped
        eventlet.wsgi.server(
            listener, app, max_size=MAX_CONNECTIONS, log_output=False, protocol=Protocol
        )


def _drain(server: Any, listener: Any) -> None:
    shutdown.begin_draining(app)  # /readyz answers 503 from here on
    listener.close()  # new connections are refused; the open ones carry on
    closed = shutdown.finish(app)  # queued ops committed and acked, clients told to reconnect
    log.info("shutdown: %d sockets asked to reconnect", closed)
    # accept() still waits on the closed socket: end the loop; it then closes what is left
    # open (idle keep-alive connections) and waits for the requests under way
    server.kill()
    with suppress(GreenletExit):  # how a killed greenthread ends
        server.wait()


def stop(server: Any, listener: Any, why: str) -> int:
    """Drain within SHUTDOWN_SECONDS: 0 when everything finished, 1 when time ran out."""
    seconds = app.config["SHUTDOWN_SECONDS"]
    print(f"{why}: stopping within {seconds} s", flush=True)
    draining = eventlet.spawn(_drain, server, listener)
    finished = False
    with eventlet.Timeout(seconds, False):  # bounds this wait only, never a database call
        try:
            draining.wait()
            finished = True
        except Exception:
            log.exception("shutdown failed")
            return 1
    if not finished:
        log.warning("shutdown: not finished after %s s, exiting anyway", seconds)
        return 1
    print("Facilitator stopped", flush=True)
    return 0


if __name__ == "__main__":
    serve()
