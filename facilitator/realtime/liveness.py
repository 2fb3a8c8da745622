"""Each worker's sign of life, and the cleanup after a dead one (docs/deploy.md, scale-out).

Presence rows belong to the worker holding the socket. A worker that stops gracefully, or
starts again, clears its own; one that is killed for good cannot. So every worker renews
its beat every PRESENCE_BEAT_SECONDS and removes the presence rows of workers silent for
SILENT_BEATS beats, then tells those meetings who is here now (their people who reconnected
elsewhere are listed again at once; those who left are no longer listed).
"""

from __future__ import annotations

import logging
from datetime import timedelta

from flask import Flask

from facilitator.extensions import db, socketio
from facilitator.realtime import publisher
from facilitator.realtime.shutdown import RESTARTING, connected_sids
from facilitator.services import presence
from facilitator.write_health import counted, write_health

log = logging.getLogger(__name__)

SILENT_BEATS = 6  # a worker stalled this long is as good as dead to its clients anyway


def keep_alive(app: Flask) -> None:
    """Beat and sweep for the life of the worker (wsgi.py starts it)."""
    seconds = app.config["PRESENCE_BEAT_SECONDS"]
    while True:
        beat_once(app, timedelta(seconds=seconds * SILENT_BEATS))
        socketio.sleep(seconds)


def beat_once(app: Flask, silent_for: timedelta) -> None:
    with app.app_context():
        try:
            if not presence.beat(app.config["SERVER_ID"]):
                # taken for dead while stalled (or just started): whatever sockets this
                # worker holds lost their rows; reconnecting records them again
                publisher.ask_to_reconnect(connected_sids(), RESTARTING)
            write_health(app).succeeded()  # the beat is also the storage's probe
            for meeting_id in presence.sweep_silent_servers(silent_for):
                publisher.presence_changed(meeting_id)
        except Exception as failure:
            db.session.rollback()
            if not counted(app, failure):  # a storage failure: logged once per spell
                log.error("presence beat failed: %s", type(failure).__name__)
        finally:
            db.session.remove()
