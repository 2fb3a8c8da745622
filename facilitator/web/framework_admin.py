"""Admin: the agency's own frameworks. Add one (blank or from a built-in), edit one; each
publication is a new version, and meetings keep the version they were held on."""

from __future__ import annotations

import math
from typing import Any

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import login_required
from werkzeug.datastructures import MultiDict
from werkzeug.wrappers import Response

from facilitator.domain import framework_definition as definition
from facilitator.domain.agenda import STEP_MINUTES_MAX
from facilitator.domain.framework_shape import LAYOUTS
from facilitator.domain.frameworks import FRAMEWORKS, in_words
from facilitator.services import frameworks
from facilitator.web.guards import require

bp = Blueprint("framework_admin", __name__, url_prefix="/admin/frameworks")

SECTION_FIELDS = ("key", "title", "help", "family", "group")
STEP_FIELDS = ("title", "minutes", "purpose", "sections")
BLANK_ROWS = 3  # empty rows offered for new sections and steps


@bp.get("")
@login_required
def index() -> str:
    require("framework.manage")
    return render_template(
        "admin/frameworks.html",
        built_in=[in_words(f, _) for f in FRAMEWORKS.values()],
        agency=frameworks.agency_frameworks(),
    )


@bp.route("/new", methods=["GET", "POST"])
@login_required
def new() -> Response | str:
    """A new agency framework: blank, or starting from a built-in one (?from=key)."""
    actor = require("framework.manage")
    if request.method == "GET":
        start = FRAMEWORKS.get(request.args.get("from", ""))
        raw = definition.as_form(start) if start else {"sections": [], "agenda": []}
        if start:
            # a name of its own, so the new-meeting list does not show two alike
            raw["key"] = f"{start.key}_agency"
            raw["name"] = _("%(name)s (our agency)", name=_(start.name))
        return _form(raw, key=None)
    raw = read_form(request.form)
    return _publish(actor, raw, key=None)


@bp.route("/<key>", methods=["GET", "POST"])
@login_required
def edit(key: str) -> Response | str:
    """Edit the agency framework `key`: publishing makes its next version."""
    actor = require("framework.manage")
    current = frameworks.latest(key) if key not in FRAMEWORKS else None
    if current is None:
        abort(404)
    if request.method == "GET":
        return _form(definition.as_form(current), key=key)
    return _publish(actor, read_form(request.form), key=key)


def _publish(actor: Any, raw: dict[str, Any], key: str | None) -> Response | str:
    try:
        published = frameworks.publish(actor, raw, key=key)
    except definition.DefinitionError as refused:  # the form again, as typed, with why
        return _form(raw, key=key, problems=refused.problems)
    except frameworks.FrameworkError as refused:
        flash(_(refused.message, **refused.params), "error")
        return _form(raw, key=key)
    flash(
        _("%(name)s version %(version)s is published; new meetings use it, earlier meetings "
          "keep theirs.", name=published.name, version=published.version),
        "info",
    )  # fmt: skip
    return redirect(url_for("framework_admin.index"))


def _form(raw: dict[str, Any], key: str | None, problems: list[Any] | None = None) -> str:
    shown = {p.field: _(p.message, **p.params) for p in problems or []}
    return render_template(
        "admin/framework.html",
        raw=raw,
        key=key,
        versions=frameworks.versions(key) if key else [],
        sections=[*raw.get("sections", []), *({} for _ in range(BLANK_ROWS))],
        steps=[*raw.get("agenda", []), *({} for _ in range(BLANK_ROWS))],
        layouts=LAYOUTS,
        problems=shown,
        minutes_max=STEP_MINUTES_MAX,
    )


def read_form(form: MultiDict[str, str]) -> dict[str, Any]:
    """The admin's form as a definition: section rows in the order asked for, step rows."""
    sections = _rows(form, "section", SECTION_FIELDS)
    orders = [_order(form.get(f"section-{i}-order"), i) for i in range(len(sections))]
    ordered = [row for _, row in sorted(zip(orders, sections, strict=True), key=lambda p: p[0])]
    steps = _rows(form, "step", STEP_FIELDS)
    for index, step in enumerate(steps):
        step["scaling"] = form.get(f"step-{index}-scaling") == "yes"
    # the empty rows offered for more are left out (the form offers new ones each time)
    ordered = [row for row in ordered if any(row.values())]
    steps = [step for step in steps if any(v for k, v in step.items() if k != "scaling")]
    return {
        "key": form.get("key", ""),
        "name": form.get("name", ""),
        "mode": form.get("mode", ""),
        "layout": form.get("layout", ""),
        "child_words": form.get("child_words") == "yes",
        "sections": ordered,
        "agenda": steps,
    }


def _rows(form: MultiDict[str, str], prefix: str, fields: tuple[str, ...]) -> list[dict[str, Any]]:
    count = 0
    while any(f"{prefix}-{count}-{name}" in form for name in fields) and count < 100:
        count += 1
    return [{name: form.get(f"{prefix}-{i}-{name}", "") for name in fields} for i in range(count)]


def _order(raw: str | None, index: int) -> tuple[float, int]:
    """A row's place: the number the admin gave it, else where it stands."""
    try:
        number = float(raw or "")
    except ValueError:
        number = math.nan
    return (number if math.isfinite(number) else float(index + 1), index)
