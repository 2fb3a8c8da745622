"""Error pages in the app's own look, saying what happened and what to do next."""

from __future__ import annotations

from flask import Flask, render_template
from flask_babel import gettext as _
from werkzeug.exceptions import HTTPException

from facilitator.domain.text import N_

MESSAGES = {
    400: (
        N_("That request didn't work"),
        N_("The form may have expired. Go back, reload the page and try again."),
    ),
    401: (
        N_("Please sign in"),
        N_("Staff sign in to see this page. Family members and guests join with the meeting code."),
    ),
    404: (N_("Nothing here"), N_("This page doesn't exist, or you don't have access to it.")),
    405: (N_("That request didn't work"), N_("Go back and try again.")),
    413: (N_("Too much at once"), N_("What you sent is too large. Shorten it and try again.")),
    500: (
        N_("Something went wrong"),
        N_("The problem is on our side. Try again in a moment; nothing you saved is lost."),
    ),
}


def install(app: Flask) -> None:
    @app.errorhandler(HTTPException)
    def _http_error(error: HTTPException) -> tuple[str, int]:
        status = error.code or 500
        title, advice = MESSAGES.get(status, MESSAGES[400 if status < 500 else 500])
        return render_template(
            "error.html", status=status, title=_(title), advice=_(advice)
        ), status
