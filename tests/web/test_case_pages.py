"""Case pages: a team sees its own cases, files new ones, and starts meetings."""

from builders import count, make_case, make_team
from sqlalchemy import select

from facilitator.extensions import db
from facilitator.models import Case, Meeting, Team


def test_case_list_shows_only_the_teams_cases(app, scene, staff_client):
    with app.app_context():
        make_case(make_team(), label="Other team's case")
    page = staff_client(scene.worker).get("/cases")
    assert b"J.M. (6)" in page.data
    assert b"Other team" not in page.data


def test_case_list_of_a_worker_in_no_team_is_empty(scene, staff_client):
    page = staff_client(scene.outsider).get("/cases")
    assert page.status_code == 200
    assert b"J.M. (6)" not in page.data


def test_case_page_shows_its_meetings(scene, staff_client):
    page = staff_client(scene.worker).get(f"/cases/{scene.case_id}")
    assert f'href="/meetings/{scene.meeting_id}"'.encode() in page.data


def test_new_case_is_filed_under_the_chosen_team(app, scene, staff_client):
    response = staff_client(scene.worker).post(
        "/cases/new", data={"team_id": scene.team_id, "label": "K.L. (4)"}
    )
    assert response.status_code == 302
    with app.app_context():
        case = db.session.scalar(select(Case).where(Case.label == "K.L. (4)"))
        assert case.team_id == scene.team_id
        assert response.headers["Location"] == f"/cases/{case.id}"


def test_new_case_with_a_date_is_refused(app, scene, staff_client):
    response = staff_client(scene.worker).post(
        "/cases/new", data={"team_id": scene.team_id, "label": "K.L. 04/05/2019"}
    )
    assert response.status_code == 200
    assert b"date" in response.data
    with app.app_context():
        assert db.session.scalar(select(Case).where(Case.label.like("K.L.%"))) is None


def test_new_case_with_a_full_name_asks_for_confirmation(app, scene, staff_client):
    worker = staff_client(scene.worker)
    form = {"team_id": scene.team_id, "label": "Maria Lopez"}
    asked = worker.post("/cases/new", data=form)
    assert asked.status_code == 200
    assert b'name="confirm"' in asked.data
    confirmed = worker.post("/cases/new", data={**form, "confirm": "yes"})
    assert confirmed.status_code == 302


def test_worker_cannot_file_a_case_under_another_team(app, scene, staff_client):
    with app.app_context():
        other_team = make_team().id
    response = staff_client(scene.worker).post(
        "/cases/new", data={"team_id": other_team, "label": "K.L. (4)"}
    )
    assert response.status_code == 404
    with app.app_context():
        assert db.session.scalar(select(Case).where(Case.team_id == other_team)) is None


def test_new_case_form_offers_only_the_users_teams(app, scene, staff_client):
    with app.app_context():
        make_team("Somebody else's team")
    page = staff_client(scene.worker).get("/cases/new")
    assert b"Somebody else" not in page.data
    with app.app_context():
        team_name = db.session.get(Team, scene.team_id).name
    assert team_name.encode() in page.data


def test_starting_a_meeting_opens_its_board(app, scene, staff_client):
    response = staff_client(scene.worker).post(
        f"/meetings/for-case/{scene.case_id}", data={"kind": "family_team", "framework": "family"}
    )
    with app.app_context():
        newest = db.session.scalar(select(Meeting).order_by(Meeting.id.desc()))
        assert (newest.kind, newest.framework_key) == ("family_team", "family")
    assert response.headers["Location"] == f"/meetings/{newest.id}"


def test_starting_a_meeting_of_an_unknown_kind_is_refused(app, scene, staff_client):
    response = staff_client(scene.worker).post(
        f"/meetings/for-case/{scene.case_id}", data={"kind": "party", "framework": "cisf"}
    )
    assert response.headers["Location"] == f"/cases/{scene.case_id}"
    with app.app_context():
        assert count(Meeting) == 2


def test_board_page_carries_the_meeting_and_framework_for_the_browser(scene, staff_client):
    page = staff_client(scene.worker).get(f"/meetings/{scene.meeting_id}")
    assert page.status_code == 200
    assert b"Danger statements" in page.data


def test_staff_board_shows_the_guest_code_and_guest_board_does_not(
    scene, staff_client, guest_client
):
    staff_page = staff_client(scene.worker).get(f"/meetings/{scene.meeting_id}")
    guest_page = guest_client(scene.code).get(f"/meetings/{scene.meeting_id}")
    assert scene.code.encode() in staff_page.data
    assert scene.code.encode() not in guest_page.data


def test_invite_page_shows_a_new_code_and_link(scene, staff_client):
    page = staff_client(scene.supervisor).post(f"/meetings/{scene.meeting_id}/invites")
    assert page.status_code == 200
    assert b"/join/link/" in page.data


def test_case_page_lists_who_is_involved_with_full_names_as_initials(app, scene, staff_client):
    from builders import make_meeting, op, staff_in

    from facilitator.models import User
    from facilitator.services import board

    with app.app_context():
        lead = db.session.get(User, scene.supervisor.id)
        family = make_meeting(db.session.get(Case, scene.case_id), lead, "family_team", "family")
        actor = staff_in(family, lead)
        for name, role in (("Maria Lopez", "parent"), ("Former Neighbour", "network")):
            raw = op(family.id, "add_person", name=name, relationship="mother", role=role)
            person = board.apply_operation(actor, raw).event["person"]
        board.apply_operation(actor, op(family.id, "remove_person", person_id=person["id"]))
    page = staff_client(scene.worker).get(f"/cases/{scene.case_id}").get_data(as_text=True)
    assert "M.L." in page and "mother, Parent or caregiver" in page
    assert "Lopez" not in page and "Neighbour" not in page
