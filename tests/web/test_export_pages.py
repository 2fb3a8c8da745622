"""Export downloads: staff only, each one audited, files named without case text."""

from __future__ import annotations

import io
import json

import pytest
from builders import count, sign_in
from sqlalchemy import select

from facilitator.extensions import db
from facilitator.models import AuditEntry, Case

FORMATS = ("pdf", "docx", "md", "csv", "json")


def _url(meeting_id: int, fmt: str) -> str:
    return f"/meetings/{meeting_id}/export.{fmt}"


def _audit_count(app) -> int:
    with app.app_context():
        return count(AuditEntry)


@pytest.mark.parametrize("fmt", FORMATS)
def test_staff_export_is_an_attachment_named_without_case_text_and_audited(
    app, scene, staff_client, fmt
):
    response = staff_client(scene.worker).get(_url(scene.meeting_id, fmt))
    assert response.status_code == 200
    disposition = response.headers["Content-Disposition"]
    assert disposition.startswith(f'attachment; filename="meeting-{scene.meeting_id}-')
    assert "J.M." not in disposition
    assert response.headers["Cache-Control"] == "no-store"
    with app.app_context():
        (entry,) = db.session.scalars(select(AuditEntry).filter_by(action=f"export.{fmt}"))
        assert (entry.user_id, entry.case_id, entry.meeting_id) == (
            scene.worker.id, scene.case_id, scene.meeting_id,
        )  # fmt: skip
        assert "J.M." not in json.dumps(entry.detail)


def test_guest_cannot_export_board(app, scene, guest_client):
    guest = guest_client(scene.code)
    joined = _audit_count(app)  # the join itself is audited ("guest.joined")
    statuses = {guest.get(_url(scene.meeting_id, fmt)).status_code for fmt in FORMATS}
    assert statuses == {404}
    assert _audit_count(app) == joined


def test_display_offers_no_export(scene, staff_client):
    """The projector page runs in a staff browser; it shows no export links (and its
    read-only socket actor may not export: tests/services/test_access.py)."""
    page = staff_client(scene.worker).get(f"/meetings/{scene.meeting_id}/display")
    assert page.status_code == 200
    assert b"export." not in page.data


def test_staff_of_another_team_cannot_export_and_nothing_is_audited(app, scene, staff_client):
    outsider = staff_client(scene.outsider)
    assert {outsider.get(_url(scene.meeting_id, fmt)).status_code for fmt in FORMATS} == {404}
    assert _audit_count(app) == 0


def _import(client, team_id: int, exported: bytes, **extra: str):
    return client.post(
        "/cases/import",
        data={"team_id": team_id, "file": (io.BytesIO(exported), "meeting.json"), **extra},
        content_type="multipart/form-data",
    )


def test_staff_import_rebuilds_a_case_in_their_team(app, scene, staff_client):
    """The case's own label is in the team already: the import asks first (409, the form
    again with the warning and a box to tick), and goes on once the box is ticked."""
    worker = staff_client(scene.worker)
    exported = worker.get(_url(scene.meeting_id, "json")).data
    asked = _import(worker, scene.team_id, exported)
    assert asked.status_code == 409 and asked.mimetype == "text/html"
    page = asked.data.decode()
    assert "already has a case with this label" in page and 'name="second_case"' in page
    with app.app_context():
        assert count(Case) == 1 and count(AuditEntry, action="import.json") == 0
    response = _import(worker, scene.team_id, exported, second_case="yes")
    assert response.status_code == 302
    with app.app_context():
        case = db.session.scalars(select(Case).order_by(Case.id.desc())).first()
        assert case.id != scene.case_id and case.team_id == scene.team_id
        assert [m.status for m in case.meetings] == ["closed"]
        assert count(AuditEntry, action="import.json") == 1


def test_import_needs_a_csrf_token(make_app, scene):
    app = make_app(WTF_CSRF_ENABLED=True)
    client = app.test_client()
    sign_in(client, scene.worker.id)
    response = client.post("/cases/import", data={"team_id": scene.team_id})
    assert response.status_code == 400


def test_import_of_a_file_that_is_not_an_export_is_refused_with_a_message(scene, staff_client):
    worker = staff_client(scene.worker)
    response = worker.post(
        "/cases/import",
        data={"team_id": scene.team_id, "file": (io.BytesIO(b'{"format": "x"}'), "x.json")},
        content_type="multipart/form-data",
        follow_redirects=True,
    )
    assert b"not a Facilitator export" in response.data


def test_an_imported_meeting_shows_its_own_history_and_date(app, scene, staff_client):
    """The issue's "Revision 0 / 0 · The board was empty" over a full board: the imported
    meeting's history page replays it, revision by revision, with the original times."""
    from builders import add_op, staff_in

    from facilitator.models import Meeting, User
    from facilitator.services import board

    with app.app_context():
        meeting = db.session.get(Meeting, scene.meeting_id)
        lead = staff_in(meeting, db.session.get(User, scene.supervisor.id))
        for text in ("First thing", "Second thing"):
            board.apply_operation(lead, add_op(scene.meeting_id, text, "harm"))
        rev, created = meeting.rev, meeting.created_at
    worker = staff_client(scene.worker)
    exported = worker.get(_url(scene.meeting_id, "json")).data
    _import(worker, scene.team_id, exported, second_case="yes")
    with app.app_context():
        imported = db.session.scalars(select(Meeting).order_by(Meeting.id.desc())).first()
        assert (imported.rev, imported.created_at) == (rev, created.replace(microsecond=0))
        imported_id = imported.id
    page = worker.get(f"/meetings/{imported_id}/history").get_data(as_text=True)
    assert f"</output> / {rev}</label>" in page
    assert "First thing" in page and "Second thing" in page
    assert "The board was empty." not in page
    first = worker.get(f"/meetings/{imported_id}/history?rev={rev - 1}").get_data(as_text=True)
    assert "First thing" in first and "Second thing" not in first
