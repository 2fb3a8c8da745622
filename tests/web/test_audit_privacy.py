"""What the audit page shows: a supervisor sees their teams' cases only, whoever acted on
them (S11); the author of an anonymous item is never on it, and the chain stays intact."""

from __future__ import annotations

from builders import add_op, guest_in, make_case, make_guest, make_team, make_user, staff_in
from sqlalchemy import select

from facilitator.extensions import db
from facilitator.identity import staff_actor
from facilitator.models import AuditEntry, Meeting, Team, User
from facilitator.services import audit
from facilitator.services.board import apply_operation


def test_a_supervisor_does_not_see_another_teams_case_an_admin_of_their_team_acted_on(
    app, scene, staff_client
):
    with app.app_context():
        both = make_user("admin", db.session.get(Team, scene.team_id))
        other_team = make_team()
        other_case = make_case(other_team, make_user("supervisor", other_team)).id
        audit.log(staff_actor(both), "case.view", case_id=other_case)
        audit.log(staff_actor(both), "account.view")  # no case: their own, so shown
        visible = audit.browse(frozenset({scene.team_id}), audit.Filters()).entries
        assert other_case not in {e.case_id for e in visible}
        assert "account.view" in {e.action for e in visible}
    supervisor = staff_client(scene.supervisor)
    supervisor.get(f"/cases/{scene.case_id}")
    body = supervisor.get("/admin/audit").get_data(as_text=True)
    assert f'case.view</td>\n      <td class="mono">{other_case}</td>' not in body
    assert f'case.view</td>\n      <td class="mono">{scene.case_id}</td>' in body


def _anonymous_items(app, scene) -> tuple[int, int]:
    """A guest and the worker each add an anonymous item; returns the guest's participant id."""
    with app.app_context():
        meeting = db.session.get(Meeting, scene.meeting_id)
        supervisor = db.session.get(User, scene.supervisor.id)
        guest = make_guest(meeting, supervisor, "Gran")
        apply_operation(guest_in(guest), add_op(meeting.id, "Worried.", anonymous=True))
        worker = staff_in(meeting, db.session.get(User, scene.worker.id))
        apply_operation(worker, add_op(meeting.id, "Me too.", anonymous=True))
        named = apply_operation(worker, add_op(meeting.id, "Signed."))
        return guest.id, named.event["item"]["id"]


def test_the_audit_page_never_shows_who_wrote_an_anonymous_item(app, scene, staff_client):
    guest_id, named_item = _anonymous_items(app, scene)
    admin = staff_client(scene.admin)
    body = admin.get("/admin/audit?action=board.").get_data(as_text=True)
    assert body.count("board.add_item") == 3
    assert f"guest #{guest_id}" not in body
    assert body.count(f"<td>{scene.worker.name}</td>") == 1  # the signed item only
    by_worker = admin.get(f"/admin/audit?user_id={scene.worker.id}").get_data(as_text=True)
    assert by_worker.count("board.add_item") == 1 and f"item_id={named_item}" in by_worker
    with app.app_context():
        rows = db.session.scalars(select(AuditEntry).where(AuditEntry.action == "board.add_item"))
        assert sum(1 for row in rows if row.detail.get("anonymous")) == 2
        assert audit.verify() is None


def test_the_board_history_never_names_who_wrote_an_anonymous_item(app, scene, staff_client):
    _anonymous_items(app, scene)  # Gran's only action is an anonymous item
    page = staff_client(scene.supervisor).get(f"/meetings/{scene.meeting_id}/history")
    assert page.status_code == 200 and "Gran" not in page.get_data(as_text=True)
