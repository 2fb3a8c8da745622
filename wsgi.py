"""Run Facilitator on eventlet: the only module that imports eventlet."""

import warnings

warnings.filterwarnings("ignore", message=r"\s*Eventlet is deprecated")

import eventlet  # noqa: E402

eventlet.monkey_patch()  # must come before every other import (STACK.md pitfall 1)

import gc  # noqa: E402
import os  # noqa: E402
import socket  # noqa: E402

import eventlet.tpool  # noqa: E402
import eventlet.wsgi  # noqa: E402

os.environ.setdefault("FACILITATOR_ASYNC_MODE", "eventlet")

from facilitator import create_app  # noqa: E402
from facilitator.extensions import db  # noqa: E402
from facilitator.services import accounts, presence  # noqa: E402

app = create_app()
# Long CPU-bound work that touches no database or socket (rendering an export) runs in a
# real thread, so the hub keeps serving every meeting meanwhile (facilitator/offload.py).
app.extensions["blocking_call"] = eventlet.tpool.execute

BACKLOG = 1024
MAX_CONNECTIONS = 10_000  # eventlet's default of 1,024 hangs the next client silently


def serve() -> None:
    """Listen with TCP_NODELAY and a large backlog, then serve until stopped."""
    host, port = app.config["HOST"], app.config["PORT"]
    listener = eventlet.listen((host, port), backlog=BACKLOG)
    listener.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
    with app.app_context():
        presence.clear_server(app.config["SERVER_ID"])
        first_start = not accounts.has_users()
        db.session.remove()
    # Everything imported and built so far lives as long as the process. Freezing it keeps
    # the collector's full passes from walking it: unfrozen, each full pass held the hub
    # (every meeting) for ~150 ms every few seconds under load (docs/performance.md).
    gc.collect()
    gc.freeze()
    print(f"Facilitator is running on http://{host}:{port}  (Ctrl+C stops it)", flush=True)
    if first_start:
        print(f"First start: create the admin at http://{host}:{port}/setup", flush=True)
    eventlet.wsgi.server(listener, app, max_size=MAX_CONNECTIONS, log_output=False)


if __name__ == "__main__":
    serve()
