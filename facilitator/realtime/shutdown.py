"""Graceful shutdown, the app's side: draining, finishing queued operations, and asking
every connected client to reconnect. wsgi.py (the only module that knows eventlet) calls
these after it has stopped accepting connections."""

from __future__ import annotations

import logging

from flask import Flask

from facilitator.extensions import db, socketio
from facilitator.realtime import publisher
from facilitator.realtime.writer import writer
from facilitator.services import presence

log = logging.getLogger(__name__)

DRAINING = "facilitator_draining"
RESTARTING = "server_restarting"


def begin_draining(app: Flask) -> None:
    """From now on /readyz answers 503, so a balancer sends no new clients here."""
    app.extensions[DRAINING] = True


def is_draining(app: Flask) -> bool:
    return bool(app.extensions.get(DRAINING))


def connected_sids() -> list[str]:
    """The Socket.IO sessions this process holds in the default namespace."""
    return [sid for sid, _eio_sid in socketio.server.manager.get_participants("/", None)]


def finish(app: Flask) -> int:
    """Commit every queued operation (their acks go out), tell each socket of this process
    to reconnect elsewhere and close it, then commit whatever arrived meanwhile. Returns
    how many sockets were closed."""
    begin_draining(app)
    with app.app_context():
        try:
            writer().stop()
            sids = connected_sids()
            publisher.ask_to_reconnect(sids, RESTARTING)
            writer().stop()  # an op that came in while the sockets closed
            # the closing sockets left their presence rows (see is_draining in on_disconnect):
            # gone in one statement, and each meeting told once, not once per socket
            for meeting_id in presence.clear_server(app.config["SERVER_ID"]):
                publisher.presence_changed(meeting_id)
            return len(sids)
        finally:
            db.session.remove()
