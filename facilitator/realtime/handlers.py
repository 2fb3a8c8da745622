"""Socket events. Each handler: parse, who, may they, service, respond / publish."""

from __future__ import annotations

import functools
import json
import logging
from collections.abc import Callable
from typing import Any

from flask import current_app, request, session
from flask_babel import gettext
from flask_socketio import ConnectionRefusedError, join_room

from facilitator import access, identity
from facilitator.domain.errors import TEMPLATE, OperationError, fill
from facilitator.domain.limits import PAYLOAD_MAX_BYTES
from facilitator.domain.text import N_
from facilitator.extensions import db, socketio
from facilitator.identity import SESSION_KEY
from facilitator.models import Meeting, Participant
from facilitator.realtime import publisher, shutdown
from facilitator.realtime.flood import answered, throttle
from facilitator.realtime.flood import rate_limited as _rate_limited
from facilitator.realtime.rooms import guest_managers_room, meeting_room
from facilitator.realtime.writer import error_reply as _error
from facilitator.realtime.writer import writer
from facilitator.services import board, meetings, presence
from facilitator.write_health import counted

log = logging.getLogger(__name__)


def _unfit(raw: Any, extra: tuple[Any, ...]) -> dict[str, Any] | None:
    """An error ack for a message of the wrong shape or size; None when it may go on."""
    if extra:  # else the call itself would raise, unanswered
        return _error("invalid", N_("Send one object per event."))
    if _too_large(raw):
        return _error(
            "too_large",
            N_("Messages can be at most %(max)s bytes.") % {"max": PAYLOAD_MAX_BYTES},
        )
    return None


def _too_large(raw: Any) -> bool:
    try:
        # UTF-8 bytes: the default \uXXXX escaping counted an "é" as 6 bytes, refusing
        # items far below the 2,000-character limit in any language but English
        text = json.dumps(raw, allow_nan=False, ensure_ascii=False)
        return len(text.encode("utf-8", "surrogatepass")) > PAYLOAD_MAX_BYTES
    except (TypeError, ValueError):
        return True


def event_handler(func: Callable[..., Any]) -> Callable[..., Any]:
    """Check size and identity, turn refusals into error acks (in the sender's language),
    and close the DB session."""

    def answer(raw: Any, extra: tuple[Any, ...]) -> Any:
        try:
            refusal = _unfit(raw, extra)
            if refusal:
                return refusal
            actor = identity.connection_actor(request.sid)  # type: ignore[attr-defined]
            if actor.kind == "anonymous":
                publisher.close_sockets([request.sid], "signed_out")  # type: ignore[attr-defined]
                return _error(
                    "unauthenticated", N_("Your session has ended. Sign in or join again.")
                )
            return func(actor, raw)
        except OperationError as refused:
            return {"ok": False, "error": refused.as_dict()}
        except Exception as failure:
            if not counted(current_app._get_current_object(), failure):  # type: ignore[attr-defined]
                log.exception("socket event %s failed", func.__name__)
            return _error("server_error", N_("Something went wrong on the server. Try again."))

    @functools.wraps(func)
    def wrapper(raw: Any = None, *extra: Any) -> Any:
        sid = request.sid  # type: ignore[attr-defined]
        rate_limited = _rate_limited(sid)
        if rate_limited:  # answered first: no database, no translation
            return rate_limited
        try:
            return in_own_language(answer(raw, extra))
        finally:
            db.session.remove()
            answered(sid)  # last: a tripped connection is closed once this is answered

    return wrapper


def in_own_language(reply: Any) -> Any:
    """An error ack's message in the language of the person who sent the event (the
    browser shows it as it comes); anything else passes unchanged."""
    error = reply.get("error") if isinstance(reply, dict) else None
    if not isinstance(error, dict) or not isinstance(error.get("message"), str):
        return reply
    template, values = error.pop(TEMPLATE, None) or (error["message"], {})
    try:
        error["message"] = fill(gettext(template), values)
    except Exception:  # the English message still explains it
        db.session.rollback()
        log.exception("translating an error failed")
    return reply


def _meeting(meeting_id: Any) -> Meeting | None:
    """The meeting a client names; ids beyond what the database holds name none (not an error)."""
    if type(meeting_id) is not int or not 0 < meeting_id < 2**53:
        return None
    return db.session.get(Meeting, meeting_id)


@socketio.on("connect")
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
        if presence.connect(sid, server_id, actor, meeting, read_only, session_key) is None:
            raise ConnectionRefusedError("removed")
        join_room(meeting_room(meeting.id))
        publisher.presence_soon(meeting.id)
        if not read_only and access.can(actor, "meeting.invite", meeting):
            join_room(guest_managers_room(meeting.id))
            publisher.waiting_changed(meeting.id, to=sid)
    except ConnectionRefusedError:
        raise
    except Exception as failure:
        if not counted(current_app._get_current_object(), failure):  # type: ignore[attr-defined]
            log.error("socket connect failed: %s", type(failure).__name__)
        raise ConnectionRefusedError("server_error") from failure
    finally:
        db.session.remove()


@socketio.on("disconnect")
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


@socketio.on("op")
def on_op(raw: Any = None, *extra: Any) -> dict[str, Any]:
    """A participant changes the board: the writer applies it (re-checking who sent it),
    publishes the event to the room, and the ack goes back once it is committed."""
    sid = request.sid  # type: ignore[attr-defined]
    rate_limited = _rate_limited(sid)
    if rate_limited:  # answered first: no database, no translation
        return rate_limited
    try:
        return in_own_language(_unfit(raw, extra) or writer().submit(sid, raw))
    finally:
        db.session.remove()
        answered(sid)  # last: a tripped connection is closed once this is answered


@socketio.on("sync")
@event_handler
def on_sync(actor: identity.Actor, raw: Any) -> dict[str, Any]:
    """A client catches up from the last revision it has: missed events or a snapshot."""
    raw = raw if isinstance(raw, dict) else {}
    since_rev = raw.get("since_rev")
    if since_rev is not None and (type(since_rev) is not int or since_rev < 0):
        return _error("invalid", N_("'since_rev' must be a whole number or null."))
    meeting = _meeting(raw.get("meeting_id"))
    if (
        meeting is None
        or meeting.id != actor.meeting_id
        or not access.can(actor, "meeting.view", meeting)
    ):
        return _error("forbidden", N_("You are not in that meeting."))
    synced = board.sync(meeting, since_rev, actor.participant_id)
    return {"ok": True, "you": actor.participant_id, **synced}


@socketio.on("editing")
@event_handler
def on_editing(actor: identity.Actor, raw: Any) -> dict[str, Any]:
    """A participant opened (item_id) or closed (done_item_id) an item's editor: the room sees
    who is editing what, as a hint and never a lock. Nothing is stored; no revision."""
    raw = raw if isinstance(raw, dict) else {}
    item_id, done_item_id = raw.get("item_id"), raw.get("done_item_id")
    ids = [value for value in (item_id, done_item_id) if value is not None]
    if len(ids) != 1 or type(ids[0]) is not int or not 0 < ids[0] < 2**53:
        return _error("invalid", N_("Send one of 'item_id' or 'done_item_id', a positive number."))
    meeting_id = raw.get("meeting_id")
    if type(meeting_id) is not int or meeting_id != actor.meeting_id:
        return _error("forbidden", N_("You are not in that meeting."))
    hint = presence.editing_hint(actor, item_id, done_item_id)
    if hint is None:
        return _error("forbidden", N_("You can't edit that item."))
    publisher.editing_changed(hint, request.sid)  # type: ignore[attr-defined]
    return {"ok": True}


@socketio.on("admit_guest")
@event_handler
def on_admit_guest(actor: identity.Actor, raw: Any) -> dict[str, Any]:
    """Staff who manage the meeting's guests let a waiting guest in (admit: true) or refuse
    them (admit: false). Not a board revision: the guest appears through `presence`."""
    raw = raw if isinstance(raw, dict) else {}
    participant_id, admit = raw.get("participant_id"), raw.get("admit")
    if type(participant_id) is not int or not 0 < participant_id < 2**53 or type(admit) is not bool:
        return _error(
            "invalid", N_("Send 'participant_id' (a number) and 'admit' (true or false).")
        )
    meeting = _meeting(raw.get("meeting_id"))
    if (
        meeting is None
        or meeting.id != actor.meeting_id
        or not access.can(actor, "meeting.invite", meeting)
    ):
        return _error("forbidden", N_("You can't let guests into this meeting."))
    guest = db.session.get(Participant, participant_id)
    if guest is None or guest.meeting_id != meeting.id or not guest.is_guest:
        return _error("not_found", N_("That person is not waiting to join this meeting."))
    if not guest.is_waiting:
        return _error("not_waiting", N_("That person is no longer waiting."))
    if not access.can(actor, "guest.admit", guest):
        return _error("forbidden", N_("You can't let guests into this meeting."))
    meetings.admit_guest(actor, guest, admit)
    publisher.waiting_changed(meeting.id)
    if admit:
        publisher.presence_changed(meeting.id)
    return {"ok": True}
