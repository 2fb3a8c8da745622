"""One cleaning of text at the edge: every form and query value loses its control and bidi
characters before any service, query or row sees it, the same on SQLite and PostgreSQL
(which refuses NUL); a file to import that no parser can read is refused, never a 500."""

import io

import pytest
from sqlalchemy import select

from facilitator.extensions import db
from facilitator.models import Case, Team, User

DIRTY = "\x00\x1b\u202e"  # NUL, ESC, right-to-left override


@pytest.mark.parametrize(
    ("who", "method", "url", "data"),
    [
        (None, "post", "/login", {"email": f"a{DIRTY}@example.org", "password": "x" * 16}),
        ("supervisor", "post", "/search", {"q": f"J{DIRTY}M"}),
        ("admin", "get", f"/admin/audit?action=case{DIRTY}", None),
        ("admin", "get", "/admin/audit?action=case%00.view", None),
    ],
)
def test_nul_and_controls_in_a_queried_field_get_an_answer_not_a_500(
    client, scene, staff_client, who, method, url, data
):
    browser = staff_client(getattr(scene, who)) if who else client
    answer = getattr(browser, method)(url, data=data)
    assert answer.status_code in (200, 302)


def test_a_case_label_is_stored_without_controls_and_exports_to_word(app, scene, staff_client):
    supervisor = staff_client(scene.supervisor)
    form = {"team_id": scene.team_id, "label": f"K{DIRTY}.T. (4)", "confirm": "yes"}
    assert supervisor.post("/cases/new", data=form).status_code == 302
    with app.app_context():
        case = db.session.scalars(select(Case).order_by(Case.id.desc())).first()
        assert case.label == "K.T. (4)"
        meeting_form = {"kind": "consultation", "framework": "cisf"}
    started = supervisor.post(f"/meetings/for-case/{case.id}", data=meeting_form)
    meeting_id = int(started.headers["Location"].rstrip("/").split("/")[-1])
    assert supervisor.get(f"/meetings/{meeting_id}/export.docx").status_code == 200
    markdown = supervisor.get(f"/meetings/{meeting_id}/export.md").get_data(as_text=True)
    assert "K.T. (4)" in markdown and not any(c in markdown for c in DIRTY)


def test_a_staff_name_and_a_team_name_are_stored_without_controls(app, scene, staff_client):
    admin = staff_client(scene.admin)
    user = {"email": f"ada{DIRTY}@example.org", "display_name": "Ada\u202enimdA\x00",
            "password": "a long passphrase for ada", "role": "worker"}  # fmt: skip
    assert admin.post("/admin/users", data=user).status_code == 302
    assert admin.post("/admin/teams", data={"name": f"North{DIRTY} team"}).status_code == 302
    with app.app_context():
        ada = db.session.scalar(select(User).where(User.email == "ada@example.org"))
        assert ada is not None and ada.display_name == "AdanimdA"
        assert db.session.scalar(select(Team).where(Team.name == "North team")) is not None


def test_a_deeply_nested_file_to_import_is_refused_with_a_message(scene, staff_client):
    supervisor = staff_client(scene.supervisor)
    nested = b"[" * 20_000 + b"]" * 20_000  # 40 KB of brackets
    answer = supervisor.post(
        "/cases/import",
        data={"team_id": scene.team_id, "file": (io.BytesIO(nested), "case.json")},
        content_type="multipart/form-data",
    )
    assert answer.status_code == 302
    page = supervisor.get(answer.headers["Location"]).get_data(as_text=True)
    assert "This file is not a Facilitator export." in page
