"""Each person sees Facilitator in their own language, chosen where they are and kept on
the server: a guest at the join screen (before and after joining), staff on their account,
the projector per meeting; before sign-in the browser's Accept-Language decides. What
people write stays as written."""

from __future__ import annotations

import re

from sqlalchemy import select

from facilitator.extensions import db
from facilitator.models import Meeting, Participant, User

SPANISH = {"Accept-Language": "es-MX,es;q=0.9,en;q=0.4"}


def _lang(response) -> str:
    return re.search(r'<html lang="([^"]+)"', response.get_data(as_text=True)).group(1)


def _text(response) -> str:
    return response.get_data(as_text=True)


def test_before_sign_in_the_browser_language_decides_among_the_catalogs(client):
    assert _lang(client.get("/login", headers=SPANISH)) == "es"
    assert "Iniciar sesión" in _text(client.get("/login", headers=SPANISH))
    assert _lang(client.get("/login", headers={"Accept-Language": "fr, de"})) == "en"
    assert _lang(client.get("/login")) == "en"


def test_the_switch_is_kept_in_the_session_and_beats_the_browser(client):
    answer = client.post("/language", data={"language": "es", "next": "/login"})
    assert answer.headers["Location"] == "/login"
    page = client.get("/login", headers={"Accept-Language": "en"})
    assert _lang(page) == "es" and "Correo electrónico" in _text(page)


def test_a_language_without_a_catalog_is_refused_with_a_message(client):
    client.post("/language", data={"language": "xx", "next": "/login"})
    page = client.get("/login")
    assert _lang(page) == "en"
    assert "That language is not available." in _text(page)


def test_the_switch_goes_back_only_to_this_site(client):
    answer = client.post("/language", data={"language": "es", "next": "https://evil.example/"})
    assert answer.headers["Location"] == "/"


def test_a_guest_switches_on_the_code_page_and_keeps_the_typed_code(client, scene):
    page = client.post("/join", data={"code": scene.code, "language": "es"})
    assert page.status_code == 200  # the same page, not a join
    assert _lang(page) == "es" and "Código de la reunión" in _text(page)
    assert f'value="{scene.code}"' in _text(page)


def test_a_guest_switches_on_the_name_page_keeps_the_name_and_joins_in_spanish(app, client, scene):
    client.post("/join", data={"code": scene.code})
    page = client.post("/join/name", data={"display_name": "Abuela Rosa", "language": "es"})
    assert page.status_code == 200 and _lang(page) == "es"
    assert 'value="Abuela Rosa"' in _text(page)
    joined = client.post("/join/name", data={"display_name": "Abuela Rosa"})
    assert joined.status_code == 302
    with app.app_context():
        guest = db.session.scalar(select(Participant).filter_by(display_name="Abuela Rosa"))
        assert guest.language == "es"  # kept on the guest's place in the meeting


def test_one_meeting_shows_each_person_their_own_language(app, scene, staff_client, guest_client):
    guest = guest_client(scene.code, "Mum")
    guest.post("/language", data={"language": "es", "next": f"/meetings/{scene.meeting_id}"})
    staff = staff_client(scene.supervisor)
    guest_board = guest.get(f"/meetings/{scene.meeting_id}")
    staff_board = staff.get(f"/meetings/{scene.meeting_id}")
    assert (_lang(guest_board), _lang(staff_board)) == ("es", "en")
    assert "Plan de acción" in _text(guest_board) and "Action plan" in _text(staff_board)
    assert "Todos los cambios guardados" in _text(guest_board)  # the browser's strings too
    with app.app_context():
        guest_row = db.session.scalar(select(Participant).filter_by(display_name="Mum"))
        assert guest_row.language == "es"


def test_staff_choose_on_their_account_and_it_follows_them_to_a_new_sign_in(
    app, scene, staff_client
):
    first = staff_client(scene.worker)
    account = first.get("/account")
    assert 'name="language" value="es"' in _text(account)
    first.post("/language", data={"language": "es", "next": "/account"})
    with app.app_context():
        assert db.session.get(User, scene.worker.id).language == "es"
    elsewhere = staff_client(scene.worker)  # another browser, English Accept-Language
    page = elsewhere.get("/cases", headers={"Accept-Language": "en"})
    assert _lang(page) == "es" and "Casos" in _text(page)


def test_a_choice_made_before_sign_in_survives_signing_in(client, scene, app):
    client.post("/language", data={"language": "es", "next": "/login"})
    from facilitator.web.guards import fresh_session

    with app.test_request_context():
        from flask import session

        session["language"] = "es"
        fresh_session()
        assert session["language"] == "es"


def test_the_display_shows_the_meeting_display_language(app, scene, staff_client):
    staff = staff_client(scene.supervisor)
    assert _lang(staff.get(f"/meetings/{scene.meeting_id}/display")) == "en"
    chosen = staff.post(
        f"/meetings/{scene.meeting_id}/display-language",
        data={"language": "es", "next": f"/meetings/{scene.meeting_id}/display"},
    )
    assert chosen.status_code == 302
    display = staff.get(f"/meetings/{scene.meeting_id}/display")
    assert _lang(display) == "es" and "Únase desde su teléfono" in _text(display)
    assert _lang(staff.get(f"/meetings/{scene.meeting_id}")) == "en"  # the board stays theirs
    with app.app_context():
        assert db.session.get(Meeting, scene.meeting_id).display_language == "es"


def test_a_guest_cannot_choose_the_display_language(app, scene, guest_client):
    guest = guest_client(scene.code)
    refused = guest.post(f"/meetings/{scene.meeting_id}/display-language", data={"language": "es"})
    assert refused.status_code == 404
    with app.app_context():
        assert db.session.get(Meeting, scene.meeting_id).display_language is None


def test_dates_follow_the_language(app, scene, staff_client):
    staff = staff_client(scene.supervisor)
    staff.post("/language", data={"language": "es", "next": "/"})
    case_page = _text(staff.get(f"/cases/{scene.case_id}"))
    months = "ene|feb|mar|abr|may|jun|jul|ago|sept|oct|nov|dic"
    assert re.search(rf"\b\d{{1,2}} (?:{months}) \d{{4}}", case_page)


def _plan_with_a_step(app, scene) -> None:
    from builders import add_op, op, staff_in

    from facilitator.services import board

    with app.app_context():
        meeting = db.session.get(Meeting, scene.meeting_id)
        facilitator = staff_in(meeting, db.session.get(User, scene.supervisor.id))
        added = board.apply_operation(
            facilitator, add_op(scene.meeting_id, "Call the school nurse", "next_steps")
        ).event
        item_id = added["item"]["id"]
        for raw in (
            op(
                scene.meeting_id, "set_next_step", item_id=item_id, owner="Mum", due_on="2026-12-01"
            ),
            op(scene.meeting_id, "set_next_step_status", item_id=item_id, status="agreed"),
        ):
            board.apply_operation(facilitator, raw)


def test_the_family_action_plan_prints_in_spanish_or_both_with_steps_once(app, scene, guest_client):
    _plan_with_a_step(app, scene)
    guest = guest_client(scene.code)
    spanish = guest.get(f"/meetings/{scene.meeting_id}/plan?lang=es")
    text = _text(spanish)
    assert _lang(spanish) == "es"
    assert "Nuestro plan de acción" in text and "para el 1 dic 2026" in text
    assert "Acordado" in text and "Our action plan" not in text
    both = guest.get(f"/meetings/{scene.meeting_id}/plan?lang=en%2Bes")
    text = _text(both)
    assert "Our action plan / Nuestro plan de acción" in text
    assert "by Dec 1, 2026 / para el 1 dic 2026" in text
    assert "Agreed / Acordado" in text
    assert text.count("Call the school nurse") == 1  # what was written, once
    assert guest.get(f"/meetings/{scene.meeting_id}/plan?lang=xx").status_code == 400
