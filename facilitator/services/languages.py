"""Each person's language, kept on the server: a staff member's account, a guest's place
in the meeting, a meeting's projector. Items stay as written; only the UI follows this."""

from __future__ import annotations

from facilitator import languages
from facilitator.domain.actor import Actor
from facilitator.domain.errors import UserError
from facilitator.domain.text import N_
from facilitator.extensions import db
from facilitator.models import Meeting, Participant, User


class LanguageError(UserError):
    """A language Facilitator has no catalog for."""


def _checked(code: str) -> str:
    found = languages.known(code)
    if found is None:
        raise LanguageError(N_("That language is not available."))
    return found


def remember(actor: Actor, code: str) -> str:
    """Store the actor's choice: on their account (staff) or their place in the meeting
    (a guest, waiting, admitted, or reading the plan after the meeting closed). Anyone
    else keeps it in their session only."""
    chosen = _checked(code)
    if actor.is_staff and actor.user_id is not None:
        user = db.session.get(User, actor.user_id)
        if user is not None:
            user.language = chosen
    elif (actor.is_guest or actor.is_past_guest) and actor.participant_id is not None:
        guest = db.session.get(Participant, actor.participant_id)
        if guest is not None:
            guest.language = chosen
    db.session.commit()
    return chosen


def set_display_language(meeting: Meeting, code: str) -> str:
    """The language the meeting's projector display shows."""
    meeting.display_language = _checked(code)
    db.session.commit()
    return meeting.display_language
