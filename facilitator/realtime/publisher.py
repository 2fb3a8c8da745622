"""The one place that emits: events go out only after their transaction committed."""

from __future__ import annotations

import logging
import time
from collections import deque
from typing import Any

from flask import Flask, current_app
from socketio import Manager

from facilitator.domain.visibility import public_event
from facilitator.extensions import db, socketio
from facilitator.models import Meeting
from facilitator.presenters import people_json
from facilitator.realtime.rooms import guest_managers_room, meeting_room
from facilitator.services import board_state, meetings, presence

log = logging.getLogger(__name__)


def publish(event: dict[str, Any], skip_sid: str | None = None) -> None:
    """Send a committed board event to everyone in its meeting (but the sender's socket,
    which has it in its ack)."""
    each = board_state.event_for_each(event)
    if each is None:  # everyone sees it alike
        room = meeting_room(event["meeting_id"])
        socketio.emit("event", public_event(event), to=room, skip_sid=skip_sid)
    else:  # the family's own items, a child's words: each socket as its viewer sees it
        for sid, shown in each:
            if sid != skip_sid:
                socketio.emit("event", shown, to=sid)
    if event["type"] == "participant_removed":
        close_participant(event["participant_id"], "removed")
        waiting_changed(event["meeting_id"])  # they may have been removed while waiting
    if event["type"] == "meeting_closed":
        close_guests(event["meeting_id"], "meeting_closed")


def publish_committed(event: dict[str, Any], skip_sid: str | None = None) -> None:
    """Publish an event whose change is already committed: a failure here must not turn
    the sender's ack into an error, since the change is saved (others catch up by sync)."""
    try:
        publish(event, skip_sid)
    except Exception as failure:
        log.error("publishing rev %s failed: %s", event.get("rev"), type(failure).__name__)


def error_to(sid: str, error: dict[str, Any]) -> None:
    """Tell one socket that an event it sent without an ack was refused (docs/protocol.md §6.6)."""
    socketio.emit("error", error, to=sid)


def editing_changed(hint: dict[str, Any], sid: str) -> None:
    """Tell the room who is editing which item now (a hint, never a lock)."""
    socketio.emit("editing", hint, to=meeting_room(hint["meeting_id"]), skip_sid=sid)


def presence_changed(meeting_id: int) -> None:
    """Tell the meeting who is here now (not part of the board's revisions)."""
    participants = presence.participants_of(meeting_id)  # the meeting's own row unread
    people = people_json(participants, presence.online_ids(meeting_id))
    socketio.emit(
        "presence", {"meeting_id": meeting_id, "participants": people}, to=meeting_room(meeting_id)
    )


# A restart makes every socket of a worker reconnect within seconds, and each connect told
# its meeting who is here: ten members coming back made 55 presence messages, each built
# from the database. Past BURST_SOCKETS sockets coming or going within BURST_WINDOW_SECONDS
# on this worker, a meeting is told once per BURST_SETTLE_SECONDS instead, with everyone
# then here.
BURST_SOCKETS = 20
BURST_WINDOW_SECONDS = 1.0
BURST_SETTLE_SECONDS = 0.5


class _Burst:
    def __init__(self) -> None:
        self.recent: deque[float] = deque()  # when sockets came or went, in the window
        self.pending: set[int] = set()  # meetings to tell once the burst settles
        self.telling = False  # a task waits to tell them


def presence_soon(meeting_id: int) -> None:
    """A socket came or went: tell its meeting who is here now, or, during a burst of
    them, together with the others once it settles."""
    app: Flask = current_app._get_current_object()  # type: ignore[attr-defined]
    burst: _Burst = app.extensions.setdefault("facilitator_presence_burst", _Burst())
    now = time.monotonic()
    burst.recent.append(now)
    while now - burst.recent[0] > BURST_WINDOW_SECONDS:
        burst.recent.popleft()
    if len(burst.recent) <= BURST_SOCKETS and meeting_id not in burst.pending:
        presence_changed(meeting_id)
        return
    burst.pending.add(meeting_id)
    if not burst.telling:
        burst.telling = True
        try:
            socketio.start_background_task(_tell_after_burst, app, burst)
        except BaseException:
            burst.telling = False
            raise


def _tell_after_burst(app: Flask, burst: _Burst) -> None:
    try:
        socketio.sleep(BURST_SETTLE_SECONDS)
        with app.app_context():
            while burst.pending:
                try:
                    presence_changed(burst.pending.pop())
                except Exception as failure:  # a courtesy: the board is unaffected
                    log.error("telling who is here failed: %s", type(failure).__name__)
                finally:
                    db.session.remove()
    finally:
        burst.telling = False


def display_language_changed(meeting_id: int, language: str) -> None:
    """Tell the meeting's open displays the language chosen for them (committed): each one
    shows itself again in it. Boards ignore it (they follow their viewer's language)."""
    payload = {"meeting_id": meeting_id, "language": language}
    socketio.emit("display_language", payload, to=meeting_room(meeting_id))


def waiting_json(meeting: Meeting) -> dict[str, Any]:
    """Who is in the meeting's waiting room, by display name (for the staff who admit)."""
    guests = [{"id": p.id, "name": p.display_name} for p in meetings.waiting_guests(meeting)]
    return {"meeting_id": meeting.id, "guests": guests}


def waiting_changed(meeting_id: int, to: str | None = None) -> None:
    """Tell the staff who manage this meeting's guests (or one socket of theirs) who waits."""
    meeting = db.session.get(Meeting, meeting_id)
    if meeting is not None:
        socketio.emit("waiting", waiting_json(meeting), to=to or guest_managers_room(meeting_id))


def close_sockets(sids: list[str], reason: str) -> None:
    """Tell these sockets why, then close them at once. (The service that took the access
    away raised the access epoch in its transaction: cached identities are stale already.)"""
    # Each socket's disconnect handler runs here, inside the caller's request, and ends its
    # database session when done: in an app context of their own they end their own. (In
    # the caller's, a sign-in that closed the browser's guest board failed: the user it had
    # loaded could no longer be read.)
    with current_app.app_context():
        for sid in sids:
            socketio.emit("closed", {"reason": reason}, to=sid)
            socketio.server.disconnect(sid, namespace="/")


# How long the closed sockets, all together, may take to send their last messages.
RECONNECT_FLUSH_SECONDS = 2.0


def ask_to_reconnect(sids: list[str], reason: str) -> None:
    """Tell these sockets to reconnect (to this server once restarted, or another one), then
    drop their transport. Access has not changed, so no identity is made stale; and the
    close is the Engine.IO connection's, not a Socket.IO DISCONNECT, so socket.io clients
    reconnect by themselves and resync (docs/protocol.md, 6.3). No socket is waited on by
    itself (STACK.md pitfall 17): a dead one's queue is never taken, and waiting on it held
    the whole stop; they are all closed first, then given RECONNECT_FLUSH_SECONDS together
    to send what they were told."""
    manager, eio = socketio.server.manager, socketio.server.eio
    closing: list[Any] = []
    for sid in sids:
        try:
            # sent straight to this process's socket, never through a message queue: from
            # there it would arrive after the close below
            Manager.emit(manager, "closed", {"reason": reason}, namespace="/", to=sid)
            eio_sid = manager.eio_sid_from_sid(sid, "/")
            socket = eio.sockets.pop(eio_sid, None) if eio_sid is not None else None
            if socket is not None:
                socket.close(wait=False, reason=eio.reason.SERVER_DISCONNECT)
                closing.append(socket)
        except Exception as failure:
            log.error("closing a socket at shutdown failed: %s", type(failure).__name__)
    _wait_sent(closing, RECONNECT_FLUSH_SECONDS)


def _wait_sent(sockets: list[Any], seconds: float) -> None:
    """Until every socket's queue has been sent, or the time is up (a dead connection's
    never is)."""
    deadline = time.monotonic() + seconds
    waiting = sockets
    while waiting and time.monotonic() < deadline:
        waiting = [s for s in waiting if not taken(s)]
        if waiting:
            socketio.sleep(0.02)


def taken(socket: Any) -> bool:
    """Has the socket's writer taken every packet queued for it? Only the end-of-queue
    marker (None) may be left: engineio's poll() puts it back for the next poll, which a
    closed connection's writer never makes. (Counting unfinished tasks waited for that
    marker too, and so every stop waited the full RECONNECT_FLUSH_SECONDS.)"""
    return all(packet is None for packet in list(socket.queue.queue))


def end_connection(sid: str, reason: str) -> None:
    """Tell this process's socket why, send it a Socket.IO DISCONNECT (the client does not
    reconnect by itself), and close its Engine.IO connection: nothing more reaches it, so an
    event it sent meanwhile gets no answer rather than a malformed one."""
    manager, eio = socketio.server.manager, socketio.server.eio
    eio_sid = manager.eio_sid_from_sid(sid, "/")
    if eio_sid is None:
        return  # gone already
    Manager.emit(manager, "closed", {"reason": reason}, namespace="/", to=sid)
    socketio.server.disconnect(sid, namespace="/", ignore_queue=True)
    socket = eio.sockets.pop(eio_sid, None)
    if socket is not None:
        socket.close(wait=False, reason=eio.reason.SERVER_DISCONNECT)


def close_participant(participant_id: int, reason: str) -> None:
    close_sockets(presence.sids_of(participant_id), reason)


def close_session(session_key: str, reason: str) -> None:
    """Close the sockets of one browser (at its sign-out)."""
    close_sockets(presence.sids_of_session(session_key), reason)


def close_signed_out(user_id: int) -> None:
    """Close the user's sockets whose signed-in session has ended (sessions.end_sessions)."""
    close_sockets(presence.sids_of_ended_sessions(user_id), "signed_out")


def close_revoked(user_id: int, reason: str) -> None:
    """Close the user's sockets in meetings they may no longer see."""
    close_sockets(presence.sids_without_access(user_id), reason)


def close_guests(meeting_id: int, reason: str) -> None:
    """Close the guests' sockets of a meeting (it has closed: their access ended with it)."""
    close_sockets(presence.guest_sids(meeting_id), reason)
