"""Error pages in the app's own look, saying what happened and what to do next."""

from __future__ import annotations

import logging

from flask import Flask, render_template
from flask_babel import gettext as _
from werkzeug.exceptions import HTTPException

from facilitator.domain.text import N_
from facilitator.extensions import db
from facilitator.offload import RenderBusy, RenderFailed
from facilitator.write_health import STORAGE_ERRORS, write_health

log = logging.getLogger(__name__)

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
    410: (
        N_("This is no longer here"),
        N_("What was on this page can no longer be read here. If you need it, ask your worker."),
    ),
    413: (N_("Too much at once"), N_("What you sent is too large. Shorten it and try again.")),
    500: (
        N_("Something went wrong"),
        N_("The problem is on our side. Try again in a moment; nothing you saved is lost."),
    ),
    503: (
        N_("Saving is not possible right now"),
        N_(
            "The server cannot write to its storage at the moment, so nothing was changed."
            " Try again in a few minutes; if it keeps happening, tell your administrator."
        ),
    ),
}
STORAGE_RETRY_SECONDS = 60
# The export render pool (facilitator/offload.py): every worker busy and the queue full, or
# a render that ran over its time, died or failed in its worker.
RENDER_BUSY = (
    N_("Busy making other files"),
    N_("Other files are being prepared right now. Try again in a minute."),
)
RENDER_FAILED = (
    N_("The file could not be made"),
    N_(
        "Preparing this file took too long or failed. Nothing on the board is lost."
        " Try again; if it keeps failing, tell your administrator."
    ),
)
RENDER_RETRY_SECONDS = 60


def install(app: Flask) -> None:
    @app.errorhandler(HTTPException)
    def _http_error(error: HTTPException) -> tuple[str, int]:
        status = error.code or 500
        title, advice = MESSAGES.get(status, MESSAGES[400 if status < 500 else 500])
        return render_template(
            "error.html", status=status, title=_(title), advice=_(advice)
        ), status

    def _storage_error(error: Exception) -> tuple[str, int, dict[str, str]]:
        """Disk full or a read-only database: a plain 503, logged once per spell."""
        db.session.rollback()
        write_health(app).failed(error)
        title, advice = MESSAGES[503]
        headers = {"Retry-After": str(STORAGE_RETRY_SECONDS)}
        try:
            page = render_template("error.html", status=503, title=_(title), advice=_(advice))
        except Exception as failure:  # the page itself may need the database
            log.error("the storage error page failed: %s", type(failure).__name__)
            db.session.rollback()
            page, headers["Content-Type"] = f"{title}\n\n{advice}\n", "text/plain; charset=utf-8"
        return page, 503, headers

    for storage_error in STORAGE_ERRORS:
        app.register_error_handler(storage_error, _storage_error)

    @app.errorhandler(RenderBusy)
    def _render_busy(_error: RenderBusy) -> tuple[str, int, dict[str, str]]:
        title, advice = RENDER_BUSY
        page = render_template("error.html", status=503, title=_(title), advice=_(advice))
        return page, 503, {"Retry-After": str(RENDER_RETRY_SECONDS)}

    @app.errorhandler(RenderFailed)
    def _render_failed(_error: RenderFailed) -> tuple[str, int]:
        # logged by the pool (which render, why, the worker's exit status): no case text
        title, advice = RENDER_FAILED
        return render_template("error.html", status=500, title=_(title), advice=_(advice)), 500
