"""Socket events. Each handler has one shape: parse, who, may they, service, publish,
ack (the first checks every event shares are socket_event's). register() binds them."""

from __future__ import annotations

import logging
from typing import Any

from flask import current_app, request, session
from flask_babel import gettext
from flask_socketio import ConnectionRefusedError, SocketIO, join_room

from facilitator import access, identity
from facilitator.domain.actor import Actor
from facilitator.domain.errors import forbidden
from facilitator.domain.text import N_
from facilitator.extensions import db
from facilitator.identity import SESSION_KEY
from facilitator.models import Meeting, Participant
from facilitator.realtime import packets, publisher, shutdown
from facilitator.realtime.flood import limit_connections, rate_limited, throttle
from facilitator.realtime.rooms import guest_managers_room, meeting_room
from facilitator.realtime.socket_event import error_reply, in_own_language, socket_event
from facilitator.realtime.writer import writer
from facilitator.services import board_state, meetings, presence
from facilitator.services.ops import parse
from facilitator.write_health import counted

log = logging.getLogger(__name__)


def _meeting(meeting_id: Any) -> Meeting | None:
    """The meeting a client names; ids beyond what the database holds name none (not an error)."""
    if type(meeting_id) is not int or not 0 < meeting_id < 2**53:
        return None
    return db.session.get(Meeting, meeting_id)


def on_connect(auth: Any = None) -> None:
    """A browser opens the socket of one meeting; refused unless it may see it."""
    try:
        auth = auth if isinstance(auth, dict) else {}
        meeting_id, read_only = auth.get("meeting_id"), auth.get("display") is True
        meeting = _meeting(meeting_id)
        actor = identity.request_actor()
        action = "meeting.display" if read_only else "meeting.view"
        if meeting is not None and not read_only and access.can(actor, "meeting.wait", meeting):
            raise ConnectionRefusedError("waiting")  # nothing of the board before admission
        if meeting is None or not access.can(actor, action, meeting):
            raise ConnectionRefusedError("unauthorized")
        server_id = current_app.config["SERVER_ID"]
        session_key = session.get(SESSION_KEY, "")
        sid = request.sid  # type: ignore[attr-defined]
        limit_connections(sid, actor, meeting)
        # asked before the commit below, which expires the meeting (read again on use)
        meeting_id = meeting.id
        manages = not read_only and access.can(actor, "meeting.invite", meeting)
        if presence.connect(sid, server_id, actor, meeting, read_only, session_key) is None:
            raise ConnectionRefusedError("removed")
        if not read_only:
            writer().remember(sid)  # its first operation then reads no identity
        join_room(meeting_room(meeting_id))
        publisher.presence_soon(meeting_id)
        if manages:
            join_room(guest_managers_room(meeting_id))
            publisher.waiting_changed(meeting_id, to=sid)
    except ConnectionRefusedError:
        throttle().forget(request.sid)  # type: ignore[attr-defined]
        raise
    except Exception as failure:
        throttle().forget(request.sid)  # type: ignore[attr-defined]
        if not counted(current_app._get_current_object(), failure):  # type: ignore[attr-defined]
            log.error("socket connect failed: %s", type(failure).__name__)
        raise ConnectionRefusedError("server_error") from failure
    finally:
        db.session.remove()


def on_disconnect(*_: Any) -> None:
    """A socket closed: update who is here (at shutdown, all at once: shutdown.finish)."""
    try:
        writer().forget(request.sid)  # type: ignore[attr-defined]
        throttle().forget(request.sid)  # type: ignore[attr-defined]
        if shutdown.is_draining(current_app):
            return  # a commit and a room message per socket made a 1,000-socket stop take 5 s
        meeting_id = presence.disconnect(request.sid)  # type: ignore[attr-defined]
        if meeting_id is not None:
            publisher.presence_soon(meeting_id)
    finally:
        db.session.remove()


@socket_event()
def on_sync(actor: Actor, raw: Any) -> dict[str, Any]:
    """A client catches up from the last revision it has: missed events or a snapshot."""
    raw = raw if isinstance(raw, dict) else {}
    since_rev = raw.get("since_rev")
    if since_rev is not None and (type(since_rev) is not int or since_rev < 0):
        return error_reply("invalid", N_("'since_rev' must be a whole number or null."))
    meeting = _meeting(raw.get("meeting_id"))
    if (
        meeting is None
        or meeting.id != actor.meeting_id
        or not (
            access.can(actor, "meeting.view", meeting)
            or access.can(actor, "meeting.display", meeting)  # a display by display link
        )
    ):
        return error_reply("forbidden", N_("You are not in that meeting."))
    synced = board_state.sync(meeting, since_rev, actor.participant_id)
    return {"ok": True, "you": actor.participant_id, **synced}


@socket_event()
def on_editing(actor: Actor, raw: Any) -> dict[str, Any]:
    """A participant opened (item_id) or closed (done_item_id) an item's editor: the room sees
    who is editing what, as a hint and never a lock. Nothing is stored; no revision."""
    raw = raw if isinstance(raw, dict) else {}
    item_id, done_item_id = raw.get("item_id"), raw.get("done_item_id")
    ids = [value for value in (item_id, done_item_id) if value is not None]
    if len(ids) != 1 or type(ids[0]) is not int or not 0 < ids[0] < 2**53:
        return error_reply(
            "invalid", N_("Send one of 'item_id' or 'done_item_id', a positive number.")
        )
    meeting_id = raw.get("meeting_id")
    if type(meeting_id) is not int or meeting_id != actor.meeting_id:
        return error_reply("forbidden", N_("You are not in that meeting."))
    hint = presence.editing_hint(actor, item_id, done_item_id)
    if hint is None:
        return error_reply("forbidden", N_("You can't edit that item."))
    publisher.editing_changed(hint, request.sid)  # type: ignore[attr-defined]
    return {"ok": True}


@socket_event()
def on_admit_guest(actor: Actor, raw: Any) -> dict[str, Any]:
    """Staff who manage the meeting's guests let a waiting guest in (admit: true) or refuse
    them (admit: false). Not a board revision: the guest appears through `presence`."""
    raw = raw if isinstance(raw, dict) else {}
    participant_id, admit = raw.get("participant_id"), raw.get("admit")
    if type(participant_id) is not int or not 0 < participant_id < 2**53 or type(admit) is not bool:
        return error_reply(
            "invalid", N_("Send 'participant_id' (a number) and 'admit' (true or false).")
        )
    meeting = _meeting(raw.get("meeting_id"))
    if (
        meeting is None
        or meeting.id != actor.meeting_id
        or not access.can(actor, "meeting.invite", meeting)
    ):
        return error_reply("forbidden", N_("You can't let guests into this meeting."))
    guest = db.session.get(Participant, participant_id)
    if guest is None or guest.meeting_id != meeting.id or not guest.is_guest:
        return error_reply("not_found", N_("That person is not waiting to join this meeting."))
    if not guest.is_waiting:
        return error_reply("not_waiting", N_("That person is no longer waiting."))
    if not access.can(actor, "guest.admit", guest):
        return error_reply("forbidden", N_("You can't let guests into this meeting."))
    meetings.admit_guest(actor, guest, admit)
    publisher.waiting_changed(meeting.id)
    if admit:
        publisher.presence_changed(meeting.id)
    return {"ok": True}


def _op_sender(sid: str) -> Actor:
    return writer().sender(sid)


@socket_event(who=_op_sender)
def on_op(actor: Actor, raw: Any) -> dict[str, Any]:
    """A participant changes the board: everyone in the meeting gets the event, the sender
    the ack, once it is committed (docs/protocol.md §4.1)."""
    sid = request.sid  # type: ignore[attr-defined]
    envelope = parse.envelope(raw)
    if not access.can(actor, "board.send", envelope.meeting_id):
        raise forbidden()
    with writer().committed(sid, raw) as result:  # the batch holding it has committed
        if not result.duplicate:
            publisher.publish_committed(result.event, skip_sid=sid)
    event = board_state.event_seen_by(result.event, actor.participant_id)
    return {"ok": True, "rev": result.rev, "event": event, "duplicate": result.duplicate}


def on_malformed(*_: Any) -> dict[str, Any]:
    """A frame that is not a well-formed Socket.IO event but asked for an ack (realtime/
    packets.py): answered `invalid`, logged with the socket's id only, nothing else."""
    sid = request.sid  # type: ignore[attr-defined]
    try:
        limited = rate_limited(sid)
        if limited:
            return limited
        log.warning("a malformed frame from socket %s", sid)
        return in_own_language(
            error_reply("invalid", N_("That message is not a well-formed event."))
        )
    finally:
        db.session.remove()


def on_op_without_ack(*_: Any) -> None:
    """An `op` sent without asking for an ack: never applied (its sender could not learn
    whether it was); the sender gets an `error` event instead (docs/protocol.md §4)."""
    sid = request.sid  # type: ignore[attr-defined]
    try:
        if rate_limited(sid) is None:
            message = gettext(
                "Send each operation with an acknowledgement; this one was not applied."
            )
            publisher.error_to(sid, {"code": "ack_required", "event": "op", "message": message})
    finally:
        db.session.remove()


_registered = False


def register(socketio: SocketIO) -> None:
    """Bind the handlers to Flask-SocketIO, once per process, before its first init_app
    (handlers added later would bind to the first app's server only)."""
    global _registered
    if _registered:
        return
    for event, handler in (
        ("connect", on_connect),
        ("disconnect", on_disconnect),
        ("op", on_op),
        ("sync", on_sync),
        ("editing", on_editing),
        ("admit_guest", on_admit_guest),
        (packets.MALFORMED, on_malformed),
        (packets.OP_WITHOUT_ACK, on_op_without_ack),
    ):
        socketio.on_event(event, handler)
    _registered = True
