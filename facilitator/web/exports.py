"""Exports for the case file (staff only, each one audited) and importing a case."""

from __future__ import annotations

import logging
import time
from typing import Any

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import force_locale
from flask_babel import gettext as _
from flask_login import login_required
from werkzeug.wrappers import Response

from facilitator import access, languages, offload
from facilitator.domain.privacy import LabelError
from facilitator.domain.text import N_
from facilitator.exports import csv_export, docx_export, json_export, markdown, pdf, summary
from facilitator.exports.json_import import UnreadableExport, parse
from facilitator.models import Meeting
from facilitator.services import accounts, case_import, cases, frameworks
from facilitator.services import exports as export_service
from facilitator.web.guards import load, require, step_up_needed
from facilitator.web.language import current_language

bp = Blueprint("exports", __name__)
log = logging.getLogger(__name__)

# extension -> (media type, renderer of the summary model or, for JSON, of the sources)
FORMATS: dict[str, tuple[str, Any]] = {
    "pdf": ("application/pdf", pdf.render),
    "docx": (
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        docx_export.render,
    ),
    "md": ("text/markdown; charset=utf-8", markdown.render),
    "csv": ("text/csv; charset=utf-8", csv_export.render),
    "json": ("application/json", lambda source: json_export.render([source])),
}

RENDERED_APART = ("pdf", "docx")  # in the render pool (facilitator/offload.py); busy: 503


def export(meeting_id: int, fmt: str) -> Response:
    """A meeting's board as a file for the case file; names as initials unless names=full."""
    meeting = load(Meeting, meeting_id)
    actor = require("export.meeting", meeting)
    step_up = step_up_needed(request.full_path)
    if step_up is not None:
        return step_up
    chosen = languages.parse_export_choice(request.args.get("lang") or current_language())
    if chosen is None:
        abort(400, _("That language is not available."))
    source, model = _in_languages(
        meeting, chosen, request.args.get("names") != "full", with_events=fmt == "json"
    )
    media_type, render = FORMATS[fmt]
    started = time.perf_counter()
    if fmt in RENDERED_APART:  # seconds of CPU: in a worker process, other meetings stay live
        body = offload.render(render, model)
    else:
        body = render(source if fmt == "json" else model)
    log.info("export %s of meeting %s took %.2fs", fmt, meeting.id, time.perf_counter() - started)
    export_service.record_export(actor, meeting, fmt, source)
    return Response(body, content_type=media_type, headers=_download(summary.filename(model, fmt)))


def _in_languages(
    meeting: Meeting, codes: tuple[str, ...], use_initials: bool, with_events: bool = False
) -> tuple[dict[str, Any], dict[str, Any]]:
    """The source (in the first language) and the export model: in one language, or with
    its labels in two side by side and what people wrote once."""
    built = []
    for code in codes:
        with force_locale(code):
            source = export_service.meeting_source(meeting, _, with_events and not built)
        built.append((source, summary.build(source, use_initials=use_initials, language=code)))
    first_source, model = built[0]
    for _source, other in built[1:]:
        model = summary.bilingual(model, other)
    return first_source, model


def _view_for(fmt: str) -> Any:
    """A named view function per format (CSRF and other extensions look views up by name)."""

    def view(meeting_id: int) -> Response:
        return export(meeting_id, fmt)

    view.__name__ = view.__qualname__ = f"export_{fmt}"
    return view


for _extension in FORMATS:  # one endpoint per format, so the access matrix lists each
    bp.add_url_rule(
        f"/meetings/<int:meeting_id>/export.{_extension}",
        f"export_{_extension}",
        _view_for(_extension),
    )


def _download(filename: str) -> dict[str, str]:
    return {"Content-Disposition": f'attachment; filename="{filename}"',
            "Cache-Control": "no-store"}  # fmt: skip


@bp.post("/cases/import")
@login_required
def import_case() -> Response:
    """A staff member rebuilds an exported case in one of their teams."""
    actor = require("case.list")
    team_id = request.form.get("team_id", type=int)
    require("case.create", team_id)
    teams = accounts.teams_of(actor.user_id or 0, access.files_under_any_team(actor))
    team = next((t for t in teams if t.id == team_id), None)
    upload = request.files.get("file")
    second_case = request.form.get("second_case") == "yes"
    try:
        if team is None or upload is None:
            raise UnreadableExport(N_("Choose a team and a file."))
        parsed = parse(upload.read(), frameworks.resolve)
        case = case_import.import_case(actor, team, parsed, second_case=second_case)
    except case_import.SameLabel as warned:
        # the confirmation step: the form again, with the warning and the choice to go on
        page = render_template(
            "cases/index.html", cases=cases.cases_for(actor), teams=teams,
            same_label=_(warned.message), import_team=team_id,
        )  # fmt: skip
        return Response(page, status=409, mimetype="text/html")
    except (UnreadableExport, LabelError) as refused:
        flash(_(refused.message, **refused.params), "error")
        return redirect(url_for("cases.index"))
    return redirect(url_for("cases.show", case_id=case.id))
