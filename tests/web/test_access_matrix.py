"""Every HTTP route against every kind of visitor: 0 unexpected allows.

The matrix lists each registered route and method; a new route that is missing from it
fails the build until someone decides who may use it.
"""

from __future__ import annotations

from typing import Any

import pytest
from builders import join_by_code, make_invite, make_user, op, sign_in, staff_in
from flask import Flask, url_for
from flask.testing import FlaskClient
from sqlalchemy import select

from facilitator.extensions import db
from facilitator.models import GuestInvite, Meeting, Participant, Team, User
from facilitator.services import board, display_links

ACTORS = (
    "anonymous",
    "guest",
    "waiting_guest",
    "removed_guest",
    "expired_guest",
    "outsider",
    "member",
    "supervisor",
    "admin",
    "display",  # a room display opened with the meeting's display link
)
NEW_USER = {
    "email": "new.worker@example.org",
    "display_name": "New Worker",
    "password": "another long passphrase",
    "role": "worker",
}


# a framework the matrix publishes (the edit's repeat changes nothing: the form again, 200)
FRAMEWORK = {
    "key": "matrix_map",
    "name": "Matrix map",
    "section-0-key": "only",
    "section-0-title": "Only section",
}


def answers(
    anonymous: int,
    guest: int,
    outsider: int,
    member: int,
    admin: int,
    waiting: int | None = None,
    supervisor: int | None = None,
    display: int | None = None,
) -> dict[str, int]:
    """Expected status per actor; a removed guest, or one whose invite expired, is a
    stranger again; a guest in the waiting room gets nothing a guest gets (404), unless
    told otherwise; a supervisor of the case's team who is not leading the meeting answers
    as a member. A display opened by display link is refused everything but the display
    (404 for a meeting's pages, the sign-in for staff pages), unless told otherwise."""
    refused = {401: 404, 404: 404}.get(anonymous, anonymous)
    return {
        "anonymous": anonymous,
        "guest": guest,
        "waiting_guest": (404 if guest == 200 else guest) if waiting is None else waiting,
        "removed_guest": anonymous,
        "expired_guest": anonymous,
        "outsider": outsider,
        "member": member,
        "supervisor": member if supervisor is None else supervisor,
        "admin": admin,
        "display": refused if display is None else display,
    }


def same_for_all(status: int) -> dict[str, int]:
    return dict.fromkeys(ACTORS, status)


# (endpoint, method) -> (form data, expected status per actor)
# 302 for a stranger on staff pages is the redirect to sign in; 404 hides what exists.
MATRIX: dict[tuple[str, str], tuple[dict[str, Any], dict[str, int]]] = {
    ("auth.home", "GET"): ({}, same_for_all(302)),
    ("auth.login", "GET"): ({}, same_for_all(200)),
    ("auth.login", "POST"): ({"email": "x@example.org", "password": "wrong"}, same_for_all(200)),
    ("auth.logout", "POST"): ({}, same_for_all(302)),
    ("auth.code", "GET"): ({}, same_for_all(302)),  # nobody is between password and code
    ("auth.code", "POST"): ({"code": "123456"}, same_for_all(302)),
    ("account.index", "GET"): ({}, answers(302, 404, 200, 200, 200)),
    ("account.enrol", "GET"): ({}, answers(302, 404, 200, 200, 200)),
    ("account.enrol", "POST"): ({"code": "000000"}, answers(302, 404, 200, 200, 200)),
    ("account.change_password", "POST"): (
        {"current_password": "wrong", "new_password": "x"},
        answers(302, 404, 200, 200, 200),
    ),
    ("account.disable_mfa", "POST"): ({"password": "wrong"}, answers(302, 404, 200, 200, 200)),
    ("account.confirm", "GET"): ({}, answers(302, 404, 200, 200, 200)),
    ("account.confirm", "POST"): ({"secret": "wrong"}, answers(302, 404, 200, 200, 200)),
    ("admin.reset_mfa", "POST"): ({}, answers(302, 404, 404, 404, 302)),
    ("auth.setup", "GET"): ({}, same_for_all(404)),
    ("auth.setup", "POST"): (NEW_USER, same_for_all(404)),
    ("cases.index", "GET"): ({}, answers(302, 404, 200, 200, 200)),
    ("cases.new", "GET"): ({}, answers(302, 404, 200, 200, 200)),
    ("cases.new", "POST"): (
        {"team_id": "{team_id}", "label": "K.L. (4)"},
        answers(302, 404, 404, 302, 302),
    ),
    ("cases.show", "GET"): ({}, answers(302, 404, 404, 200, 200)),
    # record keeping: a supervisor of the case's team or an admin (a worker is refused)
    ("cases.close", "POST"): ({}, answers(302, 404, 404, 404, 302, supervisor=302)),
    ("cases.reopen", "POST"): ({}, answers(302, 404, 404, 404, 302, supervisor=302)),
    ("cases.hold", "POST"): ({"on": "no"}, answers(302, 404, 404, 404, 302, supervisor=302)),
    ("cases.keep_for", "POST"): ({"years": "5"}, answers(302, 404, 404, 404, 302, supervisor=302)),
    # marking a next step from the case page: staff who see the case (no such step here)
    ("cases.mark_next_step", "POST"): ({"status": "done"}, answers(302, 404, 404, 302, 302)),
    ("meetings.start", "POST"): (
        {"kind": "group_supervision", "framework": "cisf"},
        answers(401, 404, 404, 302, 302),
    ),
    # a guest in the waiting room is sent back to the waiting page
    ("meetings.board", "GET"): ({}, answers(401, 200, 404, 200, 200, waiting=302)),
    ("meetings.display", "GET"): ({}, answers(401, 404, 404, 200, 200, display=200)),
    ("meetings.invite", "POST"): ({}, answers(401, 404, 404, 200, 200)),
    ("plan.page", "GET"): ({}, answers(401, 200, 404, 200, 200)),
    ("plan.as_pdf", "GET"): ({}, answers(401, 200, 404, 200, 200)),
    # the meeting is live: nobody may withdraw its plan yet (tests/web/test_kept_plan.py)
    ("plan.withdraw", "POST"): ({}, answers(401, 404, 404, 404, 404)),
    ("meetings.reopen", "POST"): ({}, answers(401, 404, 404, 404, 404)),  # live: nothing to reopen
    ("meetings.join_qr", "GET"): ({}, answers(401, 404, 404, 200, 200, display=200)),
    # display links: made and ended by staff who run the meeting; opened by anyone who has
    # one (the matrix's token is no display link: everyone is sent to sign in)
    ("display_links.create", "POST"): ({}, answers(401, 404, 404, 200, 200)),
    ("display_links.open_link", "GET"): ({}, same_for_all(302)),
    # before the meeting: staff of the case make links and end them; a link's page opens
    # only with a working link's token in the session (the matrix's token is none: 404)
    ("pre_meeting.create", "POST"): (
        {"name": "Jay", "who": "young_person"},
        answers(401, 404, 404, 200, 200),
    ),
    ("pre_meeting.end", "POST"): ({}, answers(401, 404, 404, 302, 302)),
    ("pre_meeting.open_link", "GET"): ({}, same_for_all(302)),
    ("pre_meeting.page", "GET"): ({}, same_for_all(404)),
    ("pre_meeting.page", "POST"): ({"kind": "know", "text": "Hello"}, same_for_all(404)),
    **{
        (f"exports.export_{fmt}", "GET"): ({}, answers(401, 404, 404, 200, 200))
        for fmt in ("pdf", "docx", "md", "csv", "json")
    },
    ("exports.import_case", "POST"): ({"team_id": "{team_id}"}, answers(302, 404, 404, 302, 302)),
    ("join.by_code", "GET"): ({}, same_for_all(200)),
    ("join.by_code", "POST"): ({"code": "WRONGCODE"}, same_for_all(200)),
    ("join.by_link", "GET"): ({}, same_for_all(302)),
    ("join.name", "GET"): ({}, same_for_all(302)),
    ("join.name", "POST"): ({"display_name": "Someone"}, same_for_all(302)),
    # the waiting page: only a waiting guest stays; everyone else is sent on (302)
    ("join.waiting", "GET"): ({}, {**same_for_all(302), "waiting_guest": 200}),
    ("join.wait_status", "GET"): ({}, same_for_all(200)),  # JSON: only where *you* stand
    # anyone switches their own language; the display's is chosen by staff who may open it
    ("language.choose", "POST"): ({"language": "es"}, same_for_all(302)),
    ("language.choose_for_display", "POST"): (
        {"language": "es"},
        answers(401, 404, 404, 302, 302),
    ),
    # probes for a balancer or process manager: no case data, the same for everyone
    ("health.healthz", "GET"): ({}, same_for_all(200)),
    ("health.readyz", "GET"): ({}, same_for_all(200)),
    ("history.compare", "GET"): ({}, answers(302, 404, 404, 200, 200)),
    ("history.board_history", "GET"): ({}, answers(302, 404, 404, 200, 200)),
    ("history.find", "GET"): ({}, answers(302, 404, 200, 200, 200)),
    ("history.find", "POST"): ({"q": "J.M."}, answers(302, 404, 200, 200, 200)),
    ("admin.index", "GET"): ({}, answers(302, 404, 404, 404, 200)),
    ("admin.create_user", "POST"): (NEW_USER, answers(302, 404, 404, 404, 302)),
    ("admin.create_team", "POST"): ({"name": "New team"}, answers(302, 404, 404, 404, 302)),
    ("admin.add_member", "POST"): (
        {"user_id": "{outsider_id}"},
        answers(302, 404, 404, 404, 302),
    ),
    ("admin.remove_member", "POST"): ({}, answers(302, 404, 404, 404, 302)),
    ("admin.save_texts", "POST"): ({"jargon": ""}, answers(302, 404, 404, 404, 302)),
    ("admin.save_plan_days", "POST"): ({"plan_days": "30"}, answers(302, 404, 404, 404, 302)),
    ("admin.audit_trail", "GET"): ({}, answers(302, 404, 404, 404, 200, supervisor=200)),
    ("admin.retention_page", "GET"): ({}, answers(302, 404, 404, 404, 200)),
    ("admin.purge", "POST"): ({"confirm_label": "not it"}, answers(302, 404, 404, 404, 302)),
    ("admin.change_role", "POST"): ({"role": "worker"}, answers(302, 404, 404, 404, 302)),
    ("admin.end_sessions", "POST"): ({}, answers(302, 404, 404, 404, 302)),
    ("admin.disable_user", "POST"): ({}, answers(302, 404, 404, 404, 302)),
    ("admin.enable_user", "POST"): ({}, answers(302, 404, 404, 404, 302)),
    # the agency's frameworks: admins only (a refused publication shows the form again)
    ("framework_admin.index", "GET"): ({}, answers(302, 404, 404, 404, 200)),
    ("framework_admin.new", "GET"): ({}, answers(302, 404, 404, 404, 200)),
    ("framework_admin.new", "POST"): (FRAMEWORK, answers(302, 404, 404, 404, 302)),
    ("framework_admin.edit", "GET"): ({}, answers(302, 404, 404, 404, 200)),
    ("framework_admin.edit", "POST"): (FRAMEWORK, answers(302, 404, 404, 404, 200)),
    # last: it withdraws the scene's code, which join_qr needs
    ("meetings.withdraw_invite", "POST"): ({}, answers(401, 404, 404, 302, 302)),
    ("display_links.end", "POST"): ({}, answers(401, 404, 404, 302, 302)),
}


def registered_routes(app: Flask) -> set[tuple[str, str]]:
    return {
        (rule.endpoint, method)
        for rule in app.url_map.iter_rules()
        if rule.endpoint != "static"
        for method in rule.methods - {"HEAD", "OPTIONS"}
    }


def test_every_route_is_in_the_matrix(app):
    assert registered_routes(app) == set(MATRIX)


def session_cookie_of(app: Flask, scene: Any, actor: str) -> str | None:
    """Sign in or join as this actor once; return the session cookie to reuse per request."""
    if actor == "anonymous":
        return None
    client = app.test_client()
    if actor == "display":
        with app.app_context():
            meeting = db.session.get(Meeting, scene.meeting_id)
            supervisor = staff_in(meeting, db.session.get(User, scene.supervisor.id))
            _link, token = display_links.create(supervisor, meeting)
        assert client.get(f"/display/{token}").status_code == 302
        return client.get_cookie("session").value
    if actor == "waiting_guest":
        with app.app_context():
            meeting = db.session.get(Meeting, scene.meeting_id)
            invite, _ = make_invite(
                meeting, db.session.get(User, scene.supervisor.id), waiting_room=True
            )
            code = invite.code
        join_by_code(client, code, name=actor)
    elif actor in ("guest", "removed_guest", "expired_guest"):
        join_by_code(client, scene.code, name=actor)
        if actor == "expired_guest":
            with app.app_context():
                guest = db.session.scalar(select(Participant).filter_by(display_name=actor))
                invite = db.session.get(GuestInvite, guest.invite_id)
                invite.expires_at = guest.meeting.created_at
                db.session.commit()
        if actor == "removed_guest":
            with app.app_context():
                guest = db.session.scalar(select(Participant).filter_by(display_name=actor))
                meeting = db.session.get(Meeting, scene.meeting_id)
                facilitator = staff_in(meeting, db.session.get(User, scene.supervisor.id))
                raw = op(scene.meeting_id, "remove_participant", participant_id=guest.id)
                board.apply_operation(facilitator, raw)
    else:
        if actor == "supervisor":
            with app.app_context():
                team = db.session.get(Team, scene.team_id)
                sign_in(client, make_user("supervisor", team).id)
            return client.get_cookie("session").value
        person = {"outsider": scene.outsider, "member": scene.worker, "admin": scene.admin}
        sign_in(client, person[actor].id)
    return client.get_cookie("session").value


def request_as(app: Flask, cookie: str | None) -> FlaskClient:
    client = app.test_client()
    if cookie is not None:
        client.set_cookie("session", cookie)
    return client


def path_values(scene: Any) -> dict[str, Any]:
    """The scene's value of each route parameter."""
    return {
        "case_id": scene.case_id,
        "meeting_id": scene.meeting_id,
        "team_id": scene.team_id,
        "user_id": scene.worker.id,
        "token": scene.token,
        "key": "matrix_map",
        "item_id": 999999,
        "invite_id": 1,
    }


def url_of(app: Flask, endpoint: str, scene: Any) -> str:
    rule = next(r for r in app.url_map.iter_rules() if r.endpoint == endpoint)
    values = path_values(scene)
    query = (
        {"a": scene.meeting_id, "b": scene.other_meeting_id}
        if endpoint == "history.compare"
        else {}
    )
    with app.test_request_context():
        return url_for(endpoint, **{name: values[name] for name in rule.arguments}, **query)


def form_of(data: dict[str, Any], scene: Any) -> dict[str, Any]:
    fields = {"team_id": scene.team_id, "outsider_id": scene.outsider.id}
    return {key: str(value).format(**fields) for key, value in data.items()}


@pytest.mark.parametrize("actor", ACTORS)
def test_each_route_answers_each_actor_as_the_matrix_says(app, scene, actor):
    cookie = session_cookie_of(app, scene, actor)
    unexpected = []
    # signing out ends the session the cookie names (a copy of it stops working): last
    routes = sorted(MATRIX.items(), key=lambda route: route[0] == ("auth.logout", "POST"))
    for (endpoint, method), (data, expected) in routes:
        client = request_as(app, cookie)
        url = url_of(app, endpoint, scene)
        response = client.open(url, method=method, data=form_of(data, scene))
        if response.status_code != expected[actor]:
            unexpected.append(f"{method} {url}: {response.status_code}, not {expected[actor]}")
    assert not unexpected, "\n".join(unexpected)


def test_guest_gets_404_for_another_meetings_pages(scene, guest_client):
    guest = guest_client(scene.code)
    assert guest.get(f"/meetings/{scene.other_meeting_id}").status_code == 404
    assert guest.get(f"/meetings/{scene.other_meeting_id}/display").status_code == 404


def test_outsider_gets_the_same_404_for_a_case_that_exists_and_one_that_does_not(
    scene, staff_client
):
    outsider = staff_client(scene.outsider)
    existing = outsider.get(f"/cases/{scene.case_id}")
    missing = outsider.get("/cases/99999")
    assert (existing.status_code, missing.status_code) == (404, 404)
    assert existing.data == missing.data


def test_guest_gets_404_on_the_case_page(scene, guest_client):
    assert guest_client(scene.code).get(f"/cases/{scene.case_id}").status_code == 404


def test_stranger_is_sent_to_sign_in_from_a_staff_page(scene, client):
    response = client.get(f"/cases/{scene.case_id}")
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/login")
