"""What every socket event passes through around its handler: the connection's rate, the
frame's shape and size, who sent it, refusals as error acks in the sender's language, and
the database session closed afterwards (Flask's teardown does not run for sockets)."""

from __future__ import annotations

import functools
import json
import logging
from collections.abc import Callable
from typing import Any

from flask import current_app, request
from flask_babel import gettext

from facilitator import identity
from facilitator.domain.actor import Actor
from facilitator.domain.errors import TEMPLATE, OperationError, SignedOut, fill
from facilitator.domain.limits import PAYLOAD_MAX_BYTES
from facilitator.domain.text import N_
from facilitator.extensions import db
from facilitator.realtime import publisher
from facilitator.realtime.flood import answered, rate_limited
from facilitator.write_health import counted

log = logging.getLogger(__name__)


def error_reply(code: str, message: str) -> dict[str, Any]:
    return {"ok": False, "error": {"code": code, "message": message}}


def _unfit(raw: Any, extra: tuple[Any, ...]) -> dict[str, Any] | None:
    """An error ack for a message of the wrong shape or size; None when it may go on."""
    if extra:  # else the call itself would raise, unanswered
        return error_reply("invalid", N_("Send one object per event."))
    if _too_large(raw):
        return error_reply(
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


Handler = Callable[[Actor, Any], Any]


def socket_event(
    who: Callable[[str], Actor] = identity.connection_actor,
) -> Callable[[Handler], Callable[..., Any]]:
    """Wrap a handler(actor, raw): rate, one argument within the size limit, who sent it
    (who(sid): re-read from the database unless the handler's reader says otherwise), and
    refusals as error acks; SignedOut closes the socket."""

    def wrap(func: Handler) -> Callable[..., Any]:
        def answer(sid: str, raw: Any, extra: tuple[Any, ...]) -> Any:
            try:
                refusal = _unfit(raw, extra)
                if refusal:
                    return refusal
                actor = who(sid)
                if actor.kind == "anonymous":
                    raise SignedOut()
                return func(actor, raw)
            except SignedOut as signed_out:
                publisher.close_sockets([sid], "signed_out")
                return {"ok": False, "error": signed_out.as_dict()}
            except OperationError as refused:
                return {"ok": False, "error": refused.as_dict()}
            except Exception as failure:
                if not counted(current_app._get_current_object(), failure):  # type: ignore[attr-defined]
                    log.exception("socket event %s failed", func.__name__)
                return error_reply(
                    "server_error", N_("Something went wrong on the server. Try again.")
                )

        @functools.wraps(func)
        def wrapper(raw: Any = None, *extra: Any) -> Any:
            sid = request.sid  # type: ignore[attr-defined]
            held = False
            try:
                limited = rate_limited(sid, hold=True)
                if limited:  # answered first: no database, no translation
                    return limited
                held = True
                return in_own_language(answer(sid, raw, extra))
            finally:
                db.session.remove()
                if held:
                    answered(sid)  # last: a tripped connection is closed once this is answered

        return wrapper

    return wrap


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
