"""An agency's framework text is shown as written and escaped on every page and export:
stored text never passes through the translation call (Jinja marks what that returns safe)."""

import pytest
from builders import add_op, make_invite, make_meeting, staff_in
from flask import Flask
from flask_babel import gettext

from facilitator.exports import pdf, summary
from facilitator.extensions import db
from facilitator.models import Case, Meeting, User
from facilitator.services import exports
from facilitator.services.board import apply_operation

MARKUP = '<b id="stored-markup">'
FORM = {
    "key": "marked_up",
    "name": f"Review{MARKUP}name</b>",
    "mode": "family",
    "layout": "columns",
    "section-0-key": "worries",
    "section-0-title": f"Worries{MARKUP}title</b>",
    "section-0-help": f"Help{MARKUP}help</b>",
    "section-0-family": f"Family{MARKUP}family</b>",
    "section-0-group": f"Question{MARKUP}group</b>",
    "section-1-key": "good",
    "section-1-title": "Going well",
}


@pytest.fixture
def marked_up(app: Flask, scene, staff_client) -> tuple[int, int, str]:
    """Two meetings on a framework whose every text holds markup; the guest code of one."""
    assert staff_client(scene.admin).post("/admin/frameworks/new", data=FORM).status_code == 302
    with app.app_context():
        case = db.session.get(Case, scene.case_id)
        supervisor = db.session.get(User, scene.supervisor.id)
        first = make_meeting(case, supervisor, "family_team", "marked_up")
        apply_operation(staff_in(first, supervisor), add_op(first.id, "Dad worries.", "worries"))
        second = make_meeting(case, supervisor, "family_team", "marked_up")
        invite, _token = make_invite(first, supervisor)
        return first.id, second.id, invite.code


def _pages(scene, marked_up) -> list[str]:
    first, second, _code = marked_up
    return [
        f"/meetings/{first}",
        f"/meetings/{first}/display",
        f"/meetings/{first}/history",
        f"/meetings/{first}/plan",
        f"/cases/{scene.case_id}",
        f"/cases/{scene.case_id}/compare?a={first}&b={second}",
        f"/meetings/{first}/export.md",
    ]


def test_framework_text_is_escaped_on_every_staff_page(scene, staff_client, marked_up):
    supervisor = staff_client(scene.supervisor)
    for page in _pages(scene, marked_up):
        answer = supervisor.get(page)
        assert answer.status_code == 200, page
        text = answer.get_data(as_text=True)
        assert MARKUP not in text, page
    case_page = supervisor.get(f"/cases/{scene.case_id}").get_data(as_text=True)
    assert "Review&lt;b id=&#34;stored-markup&#34;&gt;name" in case_page


def test_framework_text_is_escaped_on_the_guest_board(scene, guest_client, marked_up):
    guest = guest_client(marked_up[2])
    text = guest.get(f"/meetings/{marked_up[0]}").get_data(as_text=True)
    assert MARKUP not in text
    assert "Family&lt;b id=&#34;stored-markup&#34;&gt;family" in text


def test_framework_text_is_escaped_in_the_pdf_summary(app, marked_up):
    with app.test_request_context():
        source = exports.meeting_source(db.session.get(Meeting, marked_up[0]), gettext)
        shown = pdf.html(summary.build(source))
    assert MARKUP not in shown and "stored-markup" in shown
