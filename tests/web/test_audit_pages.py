"""The audit page, request ids, audited views, and the retention pages (S11, S14)."""

from __future__ import annotations

from datetime import timedelta

from builders import make_case, make_team, make_user, tamper_audit
from sqlalchemy import select

from facilitator.extensions import db
from facilitator.identity import staff_actor
from facilitator.models import AuditEntry, Case, Meeting
from facilitator.services import audit


def entries(app, action=None):
    with app.app_context():
        query = select(AuditEntry).order_by(AuditEntry.id)
        if action:
            query = query.where(AuditEntry.action == action)
        found = list(db.session.scalars(query))
        db.session.expunge_all()
        return found


def test_each_request_has_an_id_that_its_audit_entry_carries(app, scene, staff_client):
    response = staff_client(scene.worker).get(f"/cases/{scene.case_id}")
    assert response.status_code == 200
    request_id = response.headers["X-Request-Id"]
    assert len(request_id) == 32
    (entry,) = entries(app, "case.view")
    assert (entry.request_id, entry.address, entry.actor_role) == (
        request_id,
        "127.0.0.1",
        "worker",
    )
    assert entry.user_id == scene.worker.id
    other = staff_client(scene.worker).get(f"/cases/{scene.case_id}")
    assert other.headers["X-Request-Id"] != request_id


def test_meeting_views_are_audited_for_staff_and_guests(app, scene, staff_client, guest_client):
    staff = staff_client(scene.worker)
    staff.get(f"/meetings/{scene.meeting_id}")
    staff.get(f"/meetings/{scene.meeting_id}/display")
    staff.get(f"/meetings/{scene.meeting_id}/plan")
    guest_client(scene.code).get(f"/meetings/{scene.meeting_id}")
    seen = [
        (e.action, e.actor_role, e.meeting_id)
        for e in entries(app)
        if e.action.startswith("meeting.")
    ]
    assert seen == [
        ("meeting.view", "worker", scene.meeting_id),
        ("meeting.display", "worker", scene.meeting_id),
        ("meeting.plan", "worker", scene.meeting_id),
        ("meeting.view", "guest", scene.meeting_id),
    ]
    with app.app_context():
        assert audit.verify() is None


def test_admin_browses_filters_and_the_view_is_audited(app, scene, staff_client):
    admin = staff_client(scene.admin)
    staff_client(scene.worker).get(f"/cases/{scene.case_id}")
    page = admin.get("/admin/audit")
    assert page.status_code == 200
    body = page.get_data(as_text=True)
    assert "Chain intact" in body and "case.view" in body
    assert entries(app)[-1].action == "audit.view"
    filtered = admin.get("/admin/audit?action=export").get_data(as_text=True)
    assert "No entries match." in filtered
    by_case = admin.get(f"/admin/audit?case_id={scene.case_id}&since=2000-01-01&until=2999-01-01")
    assert "case.view" in by_case.get_data(as_text=True)
    assert "case.view" not in admin.get("/admin/audit?until=2000-01-01").get_data(as_text=True)


def test_a_broken_chain_is_shown(app, scene, staff_client):
    staff_client(scene.worker).get(f"/cases/{scene.case_id}")
    staff_client(scene.worker).get(f"/cases/{scene.case_id}")
    first = entries(app)[0].id
    with app.app_context():
        tamper_audit("UPDATE audit_entries SET action = 'case.list' WHERE id = :id", id=first)
    body = staff_client(scene.admin).get("/admin/audit").get_data(as_text=True)
    assert f"Chain broken at entry #{first}" in body


def test_a_supervisor_sees_only_their_teams_entries(app, scene, staff_client):
    with app.app_context():
        other_team = make_team()
        stranger = make_user("supervisor", other_team)
        other_case = make_case(other_team, stranger)
        other_case_id, stranger_name = other_case.id, stranger.display_name
        audit.log(staff_actor(stranger), "case.view", case_id=other_case_id)
    staff_client(scene.worker).get(f"/cases/{scene.case_id}")
    with app.app_context():
        visible = audit.browse(frozenset({scene.team_id}), audit.Filters()).entries
        assert {e.case_id for e in visible} == {scene.case_id}
    body = staff_client(scene.supervisor).get("/admin/audit").get_data(as_text=True)
    assert f'<td class="mono">{scene.case_id}</td>' in body
    assert stranger_name not in body  # neither their entry nor in the list of people
    assert other_case_id != scene.case_id
    assert staff_client(scene.worker).get("/admin/audit").status_code == 404


def test_a_supervisor_closes_holds_and_reopens_a_case(app, scene, staff_client):
    supervisor = staff_client(scene.supervisor)
    url = f"/cases/{scene.case_id}"
    assert "Close case" in supervisor.get(url).get_data(as_text=True)
    supervisor.post(f"{url}/close")
    refused = supervisor.post(
        f"{url}/hold", data={"on": "yes", "reason": " "}, follow_redirects=True
    )
    assert "Give the reason" in refused.get_data(as_text=True)
    supervisor.post(f"{url}/hold", data={"on": "yes", "reason": "Court order 12"})
    supervisor.post(f"{url}/retention", data={"years": "7"})
    page = supervisor.get(url).get_data(as_text=True)
    assert "On hold: Court order 12" in page and "7 years after closing" in page
    supervisor.post(f"{url}/reopen")
    actions = [
        e.action for e in entries(app) if e.action.startswith("case.") and e.action != "case.view"
    ]
    assert actions == ["case.close", "case.hold", "case.retention", "case.reopen"]
    assert "Close case" not in staff_client(scene.worker).get(url).get_data(as_text=True)


def test_admin_purges_a_due_case_after_typing_its_label(app, scene, staff_client):
    with app.app_context():
        case = db.session.get(Case, scene.case_id)
        case.closed_at = case.created_at - timedelta(days=4 * 366)
        label = case.label
        db.session.commit()
    admin = staff_client(scene.admin)
    assert label in admin.get("/admin/retention").get_data(as_text=True)
    wrong = admin.post(f"/admin/retention/{scene.case_id}/purge", data={"confirm_label": "nope"},
                       follow_redirects=True)  # fmt: skip
    assert "label exactly to confirm" in wrong.get_data(as_text=True)
    done = admin.post(f"/admin/retention/{scene.case_id}/purge", data={"confirm_label": label},
                      follow_redirects=True)  # fmt: skip
    assert "The case was purged" in done.get_data(as_text=True)
    with app.app_context():
        assert db.session.get(Case, scene.case_id) is None
        assert db.session.scalar(select(Meeting).where(Meeting.case_id == scene.case_id)) is None
        assert audit.verify() is None
    assert entries(app, "case.purged")[0].user_id == scene.admin.id
    assert "No case is due for purge." in admin.get("/admin/retention").get_data(as_text=True)
