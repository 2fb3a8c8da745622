"""The admin's framework editor, and a meeting held on v1 after the admin publishes v2."""

import io
import json

import pytest
from builders import add_op, make_meeting, staff_in, texts_in
from sqlalchemy import func, select

from facilitator.extensions import db
from facilitator.models import Case, Meeting, User
from facilitator.services.board import apply_operation

FORM_V1 = {
    "key": "strengths_first",
    "name": "Strengths first",
    "mode": "family",
    "layout": "houses",
    "section-0-order": "2",
    "section-0-key": "worries",
    "section-0-title": "Worries we hold",
    "section-0-help": "What worries everyone.",
    "section-1-order": "1",
    "section-1-key": "good",
    "section-1-title": "What's going well",
    "section-1-family": "Good things at home",
    "step-0-title": "Good things first",
    "step-0-minutes": "10",
    "step-0-sections": "good",
}
# v2 renames "good" and removes "worries"
FORM_V2 = {
    "key": "strengths_first",
    "name": "Strengths first",
    "section-0-key": "good",
    "section-0-title": "Strengths renamed",
    "section-1-key": "plans",
    "section-1-title": "Plans",
}


def test_admin_publishes_a_framework_in_the_order_asked(app, scene, staff_client):
    admin = staff_client(scene.admin)
    assert admin.post("/admin/frameworks/new", data=FORM_V1).status_code == 302
    page = admin.get("/admin/frameworks").get_data(as_text=True)
    assert "Strengths first" in page and "What&#39;s going well, Worries we hold" in page
    edit = admin.get("/admin/frameworks/strengths_first").get_data(as_text=True)
    assert "Good things at home" in edit and 'value="Good things first"' in edit


def test_a_refused_form_says_what_is_wrong_and_keeps_everything_typed(scene, staff_client):
    admin = staff_client(scene.admin)
    typed = {**FORM_V1, "section-1-key": "worries", "step-0-minutes": "500",
             "step-0-purpose": "Kept, as typed ✓"}  # fmt: skip
    answer = admin.post("/admin/frameworks/new", data=typed)
    page = answer.get_data(as_text=True)
    assert answer.status_code == 200
    assert "Nothing was published" in page
    assert "Two sections have this key." in page
    assert "A step lasts 1 to 120 minutes." in page
    for value in ("Worries we hold", "What worries everyone.", "Good things at home", "500",
                  "Kept, as typed ✓"):  # fmt: skip
        assert f"{value}" in page, value
    assert admin.get("/admin/frameworks/strengths_first").status_code == 404


def test_a_built_in_framework_fills_the_form_to_start_from(scene, staff_client):
    page = staff_client(scene.admin).get("/admin/frameworks/new?from=three_houses")
    text = page.get_data(as_text=True)
    assert 'value="three_houses_agency"' in text and 'value="House of Dreams"' in text


def test_a_worker_cannot_open_the_editor(scene, staff_client):
    assert staff_client(scene.worker).get("/admin/frameworks").status_code == 404


@pytest.fixture
def v1_meeting(app, scene, staff_client):
    """A meeting held on v1 with an item in the section v2 removes; then v2 is published."""
    admin = staff_client(scene.admin)
    assert admin.post("/admin/frameworks/new", data=FORM_V1).status_code == 302
    with app.app_context():
        case = db.session.get(Case, scene.case_id)
        supervisor = db.session.get(User, scene.supervisor.id)
        meeting = make_meeting(case, supervisor, "family_team", "strengths_first")
        me = staff_in(meeting, supervisor)
        apply_operation(me, add_op(meeting.id, "Dad worries about money.", "worries"))
        apply_operation(me, add_op(meeting.id, "Mum walks them to school.", "good"))
        meeting_id = meeting.id
    assert admin.post("/admin/frameworks/strengths_first", data=FORM_V2).status_code == 302
    return meeting_id


@pytest.mark.parametrize("page", ["", "/display", "/history"])
def test_a_v1_meeting_still_renders_with_v1_after_v2(scene, staff_client, v1_meeting, page):
    prefix = "/meetings"
    answer = staff_client(scene.supervisor).get(f"{prefix}/{v1_meeting}{page}")
    text = answer.get_data(as_text=True)
    assert answer.status_code == 200
    assert "Worries we hold" in text and "s going well" in text
    assert "Strengths renamed" not in text


def test_a_v1_meeting_history_shows_the_item_of_the_removed_section(
    scene, staff_client, v1_meeting
):
    text = staff_client(scene.supervisor).get(f"/meetings/{v1_meeting}/history").get_data(True)
    assert "Dad worries about money." in text


@pytest.mark.parametrize("fmt", ["md", "csv", "json", "docx", "pdf"])
def test_a_v1_meeting_still_exports_after_v2(scene, staff_client, v1_meeting, fmt):
    answer = staff_client(scene.supervisor).get(f"/meetings/{v1_meeting}/export.{fmt}")
    assert answer.status_code == 200
    if fmt in ("md", "csv", "json"):
        text = answer.get_data(as_text=True)
        assert "Dad worries about money." in text
        assert ('"framework_version": 1' if fmt == "json" else "Worries we hold") in text


def test_the_case_page_names_each_meetings_framework_version(scene, staff_client, v1_meeting):
    text = staff_client(scene.supervisor).get(f"/cases/{scene.case_id}").get_data(as_text=True)
    assert "Strengths first" in text


def test_the_safety_plan_page_lists_each_rule_with_its_keeper_for_the_family(
    app, scene, staff_client
):
    with app.app_context():
        case = db.session.get(Case, scene.case_id)
        supervisor = db.session.get(User, scene.supervisor.id)
        meeting = make_meeting(case, supervisor, "family_team", "safety_plan")
        me = staff_in(meeting, supervisor)
        parts = {"rule": "No drinking at home", "keeper": "Gran", "phone": "555 0100"}
        apply_operation(me, add_op(meeting.id, "", "plan_rules", parts=parts))
        apply_operation(me, add_op(meeting.id, "Dad shouts at night.", "warning_signs"))
        meeting_id = meeting.id
    text = staff_client(scene.supervisor).get(f"/meetings/{meeting_id}/plan").get_data(True)
    assert "Our safety plan" in text
    assert "No drinking at home" in text and "Kept by: Gran" in text
    assert 'href="tel:5550100"' in text
    assert "How we know things are getting worse" in text and "Dad shouts at night." in text


def test_a_meeting_not_drawn_as_a_list_has_no_safety_plan_on_its_plan_page(scene, staff_client):
    text = staff_client(scene.supervisor).get(f"/meetings/{scene.meeting_id}/plan").get_data(True)
    assert "Our safety plan" not in text and "Our action plan" in text


def _import(client, team_id, data):
    return client.post(
        "/cases/import",
        data={"team_id": team_id, "file": (io.BytesIO(data), "meeting.json"),
              "second_case": "yes"},  # the team has the case: a second one, confirmed
        content_type="multipart/form-data",
    )  # fmt: skip


def test_a_v1_meeting_exported_and_imported_keeps_version_1(app, scene, staff_client, v1_meeting):
    supervisor = staff_client(scene.supervisor)
    exported = supervisor.get(f"/meetings/{v1_meeting}/export.json").data
    assert _import(supervisor, scene.team_id, exported).status_code == 302
    with app.app_context():
        imported = db.session.scalars(select(Meeting).order_by(Meeting.id.desc())).first()
        assert (imported.framework_key, imported.framework_version) == ("strengths_first", 1)
        assert texts_in(imported.id, "worries") == ["Dad worries about money."]


def test_an_import_naming_a_version_this_agency_lacks_is_refused(app, scene, staff_client):
    supervisor = staff_client(scene.supervisor)
    exported = json.loads(supervisor.get(f"/meetings/{scene.meeting_id}/export.json").data)
    exported["meetings"][0].update(framework="strengths_first", framework_version=7)
    answer = _import(supervisor, scene.team_id, json.dumps(exported).encode())
    assert answer.status_code == 302
    page = supervisor.get(answer.headers["Location"]).get_data(as_text=True)
    assert "does not have" in page
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(Case)) == 1


def test_bringing_a_v1_map_forward_onto_v2_leaves_the_removed_sections_items_on_v1(
    app, scene, staff_client, v1_meeting
):
    supervisor = staff_client(scene.supervisor)
    form = {"kind": "family_team", "framework": "strengths_first", "previous_map": "forward"}
    answer = supervisor.post(f"/meetings/for-case/{scene.case_id}", data=form)
    assert answer.status_code == 302
    board = supervisor.get(answer.headers["Location"]).get_data(as_text=True)
    assert "1 items of the last meeting are in sections this map does not have" in board
    with app.app_context():
        new = db.session.scalars(select(Meeting).order_by(Meeting.id.desc())).first()
        assert new.framework_version == 2
        assert texts_in(new.id, "good") == ["Mum walks them to school."]
        assert texts_in(v1_meeting, "worries") == ["Dad worries about money."]
    compare = supervisor.get(f"/cases/{scene.case_id}/compare?a={v1_meeting}&b={new.id}").get_data(
        as_text=True
    )
    assert "Worries we hold" in compare  # the removed section keeps its v1 title
