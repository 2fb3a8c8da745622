"""A connection over its rate (throttle.py holds the buckets): every event is answered
`rate_limited` before anything else is done, and one that keeps going over is logged,
audited and closed.

The close waits until every event the connection had been allowed has been answered: an
`op` taken within the burst is applied and acknowledged (or refused for its own reason),
never turned into `unauthenticated` because its socket went away while it waited for the
writer. From the trip on, the connection's events are all refused `rate_limited`; the
close then ends the Engine.IO connection too, so an event still on its way gets no answer
at all rather than a malformed one (docs/protocol.md, 6.3)."""

from __future__ import annotations

import logging
import time
from typing import Any

from flask import Flask, current_app, request
from flask_socketio import ConnectionRefusedError

from facilitator import identity
from facilitator.domain.actor import Actor
from facilitator.domain.text import N_
from facilitator.extensions import db, socketio
from facilitator.models import Meeting
from facilitator.realtime import publisher
from facilitator.realtime.throttle import TRIP_REFUSALS, SocketThrottle, Verdict, owner_limits
from facilitator.realtime.writer import ACK_WAIT_SECONDS
from facilitator.services import audit

log = logging.getLogger(__name__)

ANSWERED_POLL_SECONDS = 0.02


def throttle() -> SocketThrottle:
    """This app's per-connection rate limits (each app, as each test's, has its own)."""
    app = current_app._get_current_object()  # type: ignore[attr-defined]
    found = app.extensions.get("facilitator_throttle")
    if found is None:
        found = app.extensions.setdefault(
            "facilitator_throttle",
            SocketThrottle(
                app.config.get("SOCKET_RATE", 20.0),
                app.config.get("SOCKET_BURST", 50),
                app.config.get("SOCKET_TRIP_REFUSALS", TRIP_REFUSALS),
                owners=owner_limits(app.config),
            ),
        )
    return found  # type: ignore[no-any-return]


def limit_connections(sid: str, actor: Actor, meeting: Meeting) -> None:
    """Refuse a socket past its person's or its address's cap (audited once a minute per
    owner, ids and counts only)."""
    person = f"user:{actor.user_id}" if actor.is_staff else f"guest:{actor.participant_id}"
    over = throttle().attach(sid, person, request.remote_addr or "")
    if over is None:
        return
    if throttle().first_refusal_in_a_while(over):
        scope = "address" if over.startswith("address:") else "person"
        log.warning("socket cap reached: %s meeting=%s", scope, meeting.id)
        audit.log(actor, "socket.too_many", case_id=meeting.case_id, meeting_id=meeting.id,
                  detail={"limit": scope})  # fmt: skip
    raise ConnectionRefusedError("too_many_connections")


def rate_limited(sid: str, hold: bool = False) -> dict[str, Any] | None:
    """The error ack for an event over this connection's rate; None when it may go on (with
    `hold`, the caller then calls `answered(sid)` once it has its answer). In memory, O(1),
    no database: it runs before anything else on every event."""
    verdict = throttle().take(sid, hold)
    if verdict.allowed:
        return None
    if verdict.tripped:
        _trip(sid, verdict)
    message = N_("Too many messages at once. Wait a moment and send again.")
    error = {"code": "rate_limited", "message": message, "retry_after_ms": verdict.retry_after_ms}
    return {"ok": False, "error": error}


def answered(sid: str) -> None:
    """An allowed event of this connection has its answer."""
    throttle().answered(sid)


def _trip(sid: str, verdict: Verdict) -> None:
    """A connection that keeps going over: log and audit it (ids and counts only), and close
    it once what it was allowed has been answered."""
    try:
        actor = identity.connection_actor(sid)
        meeting = db.session.get(Meeting, actor.meeting_id) if actor.meeting_id else None
        log.warning(
            "socket rate limit tripped: participant=%s user=%s meeting=%s refused=%d events=%d",
            actor.participant_id, actor.user_id, actor.meeting_id, verdict.refused, verdict.events,
        )  # fmt: skip
        audit.log(
            actor, "socket.rate_limited",
            case_id=meeting.case_id if meeting else None,
            meeting_id=meeting.id if meeting else None,
            detail={"refused": verdict.refused, "events": verdict.events},
        )  # fmt: skip
    except Exception as failure:
        db.session.rollback()
        log.error("recording a flooding socket failed: %s", type(failure).__name__)
    finally:
        db.session.remove()
    limits = throttle()
    if limits.in_flight(sid) == 0:
        _close(sid)
    else:
        app = current_app._get_current_object()  # type: ignore[attr-defined]
        socketio.start_background_task(_close_when_answered, app, limits, sid)


def _close_when_answered(app: Flask, limits: SocketThrottle, sid: str) -> None:
    """Wait (at most as long as an op waits for its ack) until the connection's allowed
    events are answered, then close it."""
    deadline = time.monotonic() + ACK_WAIT_SECONDS
    while limits.in_flight(sid) and time.monotonic() < deadline:
        socketio.sleep(ANSWERED_POLL_SECONDS)
    socketio.sleep(ANSWERED_POLL_SECONDS)  # the last answer's ack is queued after its handler
    with app.app_context():
        try:
            _close(sid)
        finally:
            db.session.remove()


def _close(sid: str) -> None:
    try:
        publisher.end_connection(sid, "rate_limited")
    except Exception as failure:
        log.error("closing a flooding socket failed: %s", type(failure).__name__)
