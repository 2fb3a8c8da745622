"""Which language each request is shown in, and the switch that changes it.

The choice lives on the server: a staff member's account, a guest's participant row, or
(before sign-in or joining) the session. Without a choice, the browser's Accept-Language
decides among the catalogs present; then English.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

from flask import Blueprint, flash, has_request_context, redirect, request, session
from flask_babel import force_locale, format_date, get_locale, gettext
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import inspect
from werkzeug.wrappers import Response

from facilitator import languages
from facilitator.extensions import db
from facilitator.identity import GUEST_SESSION_KEY, request_actor
from facilitator.models import Meeting, Participant, User
from facilitator.realtime.publisher import display_language_changed
from facilitator.services import languages as language_service
from facilitator.web.guards import SESSION_LANGUAGE, load, require, safe_next

bp = Blueprint("language", __name__)


def _stored_choice() -> str | None:
    if current_user.is_authenticated:
        user = current_user._get_current_object()
        state = inspect(user)
        if state.detached:  # a service ended the session mid-request (sign-out everywhere)
            user = db.session.get(User, state.identity[0]) if state.identity else None
        return languages.known(user.language) if user is not None else None
    guest_id = session.get(GUEST_SESSION_KEY)
    if isinstance(guest_id, int):
        guest = db.session.get(Participant, guest_id)
        if guest is not None and guest.language:
            return languages.known(guest.language)
    return None


def select_locale() -> str:
    """Flask-Babel's locale selector for every request."""
    if not has_request_context():
        return languages.SOURCE
    chosen = _stored_choice() or languages.known(session.get(SESSION_LANGUAGE))
    return chosen or request.accept_languages.best_match(languages.available()) or "en"


def keep_choice(code: str) -> bool:
    """Remember a choice made on a page (the join screens switch in place, keeping what
    was typed); False when that language is not available."""
    try:
        chosen = language_service.remember(request_actor(), code)
    except language_service.LanguageError as refused:
        flash(_(refused.message), "error")
        return False
    session[SESSION_LANGUAGE] = chosen
    return True


@bp.post("/language")
def choose() -> Response:
    """Anyone, signed in or not, switches their own language and goes back where they were."""
    keep_choice(request.form.get("language", ""))
    return redirect(safe_next(request.form.get("next"), default="/"))


@bp.post("/meetings/<int:meeting_id>/display-language")
def choose_for_display(meeting_id: int) -> Response:
    """Staff who may open the projector display choose the language it shows."""
    meeting = load(Meeting, meeting_id)
    require("meeting.display_language", meeting)
    try:
        chosen = language_service.set_display_language(meeting, request.form.get("language", ""))
    except language_service.LanguageError as refused:
        flash(_(refused.message), "error")
    else:
        display_language_changed(meeting.id, chosen)  # the other open displays follow
    return redirect(safe_next(request.form.get("next"), default=f"/meetings/{meeting.id}/display"))


def current_language() -> str:
    """The language this request is shown in, as a catalog code ('en', 'es')."""
    return str(get_locale() or languages.SOURCE)


def dated(codes: tuple[str, ...], day: date) -> str:
    """A date as each of these languages writes it ('Dec 6, 2026 / 6 dic 2026')."""
    written = []
    for code in codes:
        with force_locale(code):
            written.append(format_date(day))
    return " / ".join(dict.fromkeys(written))


def speaking(codes: tuple[str, ...]) -> Callable[..., str]:
    """A gettext for a page printed in one language or several side by side ('Overdue /
    Atrasado'); dates among its values are written as each language writes them."""

    def say(message: str, **values: Any) -> str:
        said = []
        for code in codes:
            with force_locale(code):
                shown = {k: format_date(v) if isinstance(v, date) else v for k, v in values.items()}
                said.append(gettext(message, **shown))
        return " / ".join(dict.fromkeys(said))

    return say
