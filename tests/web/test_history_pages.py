"""The case page remembers; compare, board history and search pages (staff only)."""

from __future__ import annotations

from builders import add_op, make_case, make_meeting, make_team, make_user, op, staff_in
from sqlalchemy import select

from facilitator.extensions import db
from facilitator.models import AuditEntry, Item, Meeting, MeetingSnapshot, User
from facilitator.services import board


def _lead(app, scene, meeting_id):
    with app.app_context():
        meeting = db.session.get(Meeting, meeting_id)
        return staff_in(meeting, db.session.get(User, scene.supervisor.id))


def _do(app, scene, meeting_id, raw):
    with app.app_context():
        return board.apply_operation(_lead(app, scene, meeting_id), raw).event


def test_case_page_shows_the_timeline_open_steps_and_trend_and_is_audited(app, scene, staff_client):
    step = _do(app, scene, scene.meeting_id, add_op(scene.meeting_id, "Call school", "next_steps"))
    _do(app, scene, scene.meeting_id,
        op(scene.meeting_id, "set_next_step", item_id=step["item"]["id"], owner="Gran",
           due_on="2020-01-01"))  # fmt: skip
    opened = _do(app, scene, scene.meeting_id, op(scene.meeting_id, "open_scale_round"))
    round_id = opened["scale_round"]["id"]
    _do(app, scene, scene.meeting_id, op(scene.meeting_id, "rate", round_id=round_id, value=4,
                                         reason="some worry"))  # fmt: skip
    _do(app, scene, scene.meeting_id, op(scene.meeting_id, "reveal_scale_round", round_id=round_id))
    page = staff_client(scene.worker).get(f"/cases/{scene.case_id}").get_data(as_text=True)
    assert "Call school" in page and "Overdue" in page and 'data-owner="Gran"' in page
    assert "<svg" in page and "Overall safety scale" in page and "some worry" in page
    assert "Bring the previous map forward" in page
    with app.app_context():
        entry = db.session.scalars(select(AuditEntry).where(AuditEntry.action == "case.view")).one()
        assert (entry.case_id, entry.user_id, entry.detail) == (scene.case_id, scene.worker.id, {})


def test_starting_with_the_previous_map_brings_it_forward(app, scene, staff_client):
    _do(app, scene, scene.other_meeting_id, add_op(scene.other_meeting_id, "Gran visits daily",
                                                   "strengths"))  # fmt: skip
    client = staff_client(scene.supervisor)
    response = client.post(
        f"/meetings/for-case/{scene.case_id}",
        data={"kind": "group_supervision", "framework": "cisf", "review_steps": "yes",
              "previous_map": "forward"},
    )  # fmt: skip
    new_id = int(response.headers["Location"].rsplit("/", 1)[1])
    with app.app_context():
        meeting = db.session.get(Meeting, new_id)
        assert meeting.previous_meeting_id == scene.other_meeting_id
        assert meeting.agenda[0]["title"] == "Review next steps"
        (copy,) = db.session.scalars(select(Item).where(Item.meeting_id == new_id))
        assert copy.text == "Gran visits daily"
    board_page = client.get(f"/meetings/{new_id}").get_data(as_text=True)
    assert '"carried_from_dates": {"' in board_page or "carried_from_dates" in board_page


def test_compare_lists_what_is_new_and_refuses_a_meeting_of_another_case(app, scene, staff_client):
    _do(app, scene, scene.other_meeting_id, add_op(scene.other_meeting_id, "New worry", "grey"))
    client = staff_client(scene.worker)
    url = f"/cases/{scene.case_id}/compare?a={scene.meeting_id}&b={scene.other_meeting_id}"
    page = client.get(url).get_data(as_text=True)
    assert "New worry" in page and "Grey areas" in page
    with app.app_context():
        lead = db.session.get(User, scene.supervisor.id)
        elsewhere = make_meeting(make_case(make_team(), make_user("admin")), lead).id
    bad = f"/cases/{scene.case_id}/compare?a={scene.meeting_id}&b={elsewhere}"
    assert client.get(bad).status_code == 404


def test_board_history_replays_a_revision_and_verifies_a_closed_meeting(app, scene, staff_client):
    _do(app, scene, scene.meeting_id, add_op(scene.meeting_id, "First thing", "harm"))
    _do(app, scene, scene.meeting_id, add_op(scene.meeting_id, "Second thing", "harm"))
    _do(app, scene, scene.meeting_id, op(scene.meeting_id, "close_meeting"))
    client = staff_client(scene.worker)
    at_one = client.get(f"/meetings/{scene.meeting_id}/history?rev=1").get_data(as_text=True)
    assert "First thing" in at_one and "Second thing" not in at_one
    assert "Verified" in at_one
    with app.app_context():
        snapshot = db.session.scalars(select(MeetingSnapshot)).one()
        snapshot.content = {**snapshot.content, "items": []}
        db.session.commit()
    tampered = client.get(f"/meetings/{scene.meeting_id}/history").get_data(as_text=True)
    assert "no longer matches" in tampered


def test_search_posts_its_words_and_finds_items_of_own_teams(app, scene, staff_client):
    _do(app, scene, scene.meeting_id, add_op(scene.meeting_id, "Uncle drinks 100% of days"))
    found = staff_client(scene.worker).post("/search", data={"q": "100%"})
    assert "Uncle drinks 100% of days" in found.get_data(as_text=True)
    assert "100" not in found.request.url
    nothing = staff_client(scene.outsider).post("/search", data={"q": "uncle"})
    assert "Uncle drinks" not in nothing.get_data(as_text=True)
    with app.app_context():
        entries = db.session.scalars(select(AuditEntry).where(AuditEntry.action == "case.search"))
        assert all("uncle" not in str(e.detail).lower() for e in entries)


def test_board_history_shows_who_was_involved_at_that_revision(app, scene, staff_client):
    meeting_id = scene.meeting_id
    aunt = op(meeting_id, "add_person", name="Q.R.", relationship="aunt", role="family")
    person = _do(app, scene, meeting_id, aunt)["person"]
    item = _do(app, scene, meeting_id, add_op(meeting_id, "Aunt visits on Sundays", "safety"))
    _do(app, scene, meeting_id, op(meeting_id, "set_item_people", item_id=item["item"]["id"],
                                   person_ids=[person["id"]]))  # fmt: skip
    _do(app, scene, meeting_id, op(meeting_id, "remove_person", person_id=person["id"]))
    client = staff_client(scene.worker)

    def at(rev):
        page = client.get(f"/meetings/{meeting_id}/history?rev={rev}").get_data(as_text=True)
        listed = page.split('class="involved-list replay-involved"', 1)
        return page, listed[1].split("</ul>", 1)[0] if len(listed) == 2 else ""

    page, listed = at(0)
    assert listed == "" and "Nobody on the list yet." in page
    page, listed = at(3)
    assert "Q.R." in listed and "aunt" in listed and "Family" in listed
    assert "[Q.R.]" in page
    page, listed = at(4)
    assert listed == "" and "[Q.R. (removed)]" in page
    assert "took someone off the list of who is involved" in page
