"""The case remembers: carry-over, comparing meetings, replaying a board, finding things."""

from __future__ import annotations

from datetime import date

import pytest
from builders import add_op, make_case, make_meeting, make_team, make_user, op, staff_in

from facilitator.domain.replay import replay
from facilitator.domain.visibility import item_for
from facilitator.extensions import db
from facilitator.identity import staff_actor
from facilitator.models import Item, Meeting, MeetingEvent, MeetingSnapshot
from facilitator.services import (
    board,
    board_state,
    carry_over,
    history,
    meetings,
    next_steps,
    search,
    trend,
)


@pytest.fixture
def first(ctx):
    """A closed first meeting: a danger with its goal, an agreed next step, a revealed scale."""
    team = make_team()
    lead = make_user("supervisor", team, name="Sam")
    case = make_case(team, lead, "K.L. (4)")
    meeting = make_meeting(case, lead)
    actor = staff_in(meeting, lead)

    def do(kind, **payload):
        return board.apply_operation(actor, op(meeting.id, kind, **payload)).event

    danger = do("add_item", section="danger", text="Dad drinks at night", view="agency")["item"]
    goal = do("add_item", section="goals", text="Dad sober at night", view="agency")["item"]
    do("link_items", item_id=goal["id"], link_id=danger["id"])
    step = do("add_item", section="next_steps", text="Call the school", view="agency")["item"]
    do("set_next_step", item_id=step["id"], owner="Gran", due_on="2026-01-05")
    do("set_next_step_status", item_id=step["id"], status="agreed")
    done = do("add_item", section="next_steps", text="Book a visit", view="agency")["item"]
    do("set_next_step_status", item_id=done["id"], status="agreed")
    gone = do("add_item", section="harm", text="A bruise", view="agency")["item"]
    do("delete_item", item_id=gone["id"])
    round_id = do("open_scale_round", danger_item_id=danger["id"])["scale_round"]["id"]
    do("rate", round_id=round_id, value=3, reason="still drinking")
    do("reveal_scale_round", round_id=round_id)
    do("close_meeting")
    return {"case": case, "lead": lead, "meeting": meeting, "ids": (danger, goal, step, done)}


def start_second(first, **options):
    return meetings.start_meeting(
        staff_actor(first["lead"]), first["case"], "group_supervision", "cisf", **options
    )


def live(meeting_id):
    return list(
        db.session.query(Item).filter_by(meeting_id=meeting_id, deleted=False).order_by(Item.id)
    )


def test_bringing_the_map_forward_copies_live_items_with_links_and_next_steps(first):
    second = start_second(first, bring_forward=True)
    copies = {item.text: item for item in live(second.id)}
    assert set(copies) == {"Dad drinks at night", "Dad sober at night", "Call the school",
                           "Book a visit"}  # fmt: skip
    step = first["ids"][2]
    assert copies["Dad sober at night"].link_id == copies["Dad drinks at night"].id
    assert copies["Call the school"].carried_from_id == step["id"]
    assert (copies["Call the school"].owner, copies["Call the school"].status) == ("Gran", "agreed")
    assert copies["Call the school"].due_on == date(2026, 1, 5)
    assert second.previous_meeting_id == first["meeting"].id
    assert second.agenda[0]["title"] != "Review next steps"


def test_reviewing_next_steps_adds_a_first_step_and_only_open_steps_when_blank(first):
    second = start_second(first, review_steps=True)
    assert second.agenda[0]["title"] == "Review next steps"
    assert second.agenda[0]["sections"] == ["next_steps"]
    assert [item.text for item in live(second.id)] == ["Call the school", "Book a visit"]


def test_a_blank_start_copies_nothing(first):
    second = start_second(first)
    assert live(second.id) == []
    assert second.rev == 0


def test_carried_items_are_dated_and_the_board_snapshot_includes_them(first):
    second = start_second(first, bring_forward=True)
    dates = carry_over.carried_from(second)
    held_on = first["meeting"].created_at.date().isoformat()
    assert set(dates.values()) == {("group_supervision", held_on)} and len(dates) == 4
    assert len(board_state.board_snapshot(second, None)["items"]) == 4


def test_open_next_steps_show_only_the_newest_copy_overdue_first(first):
    start_second(first, bring_forward=True)
    steps = next_steps.open_next_steps(first["case"], date(2026, 2, 1))
    assert [(s.item.text, overdue) for s, overdue in steps] == [
        ("Call the school", True),
        ("Book a visit", False),
    ]


def test_scale_trend_follows_the_danger_statement_through_carry_over(first):
    second = start_second(first, bring_forward=True)
    lead = staff_in(second, first["lead"])
    danger = next(i for i in live(second.id) if i.section == "danger")
    opened = board.apply_operation(
        lead, op(second.id, "open_scale_round", danger_item_id=danger.id)
    )
    round_id = opened.event["scale_round"]["id"]
    board.apply_operation(lead, op(second.id, "rate", round_id=round_id, value=6, reason="calmer"))
    board.apply_operation(lead, op(second.id, "reveal_scale_round", round_id=round_id))
    (scale,) = trend.scale_trend(first["case"])
    assert scale.danger == "Dad drinks at night"
    assert [p["values"] for p in scale.points] == [[3], [6]]
    assert [c["spread"]["median"] for c in scale.chart["columns"]] == [3, 6]


def test_compare_lists_new_removed_changed_and_completed(first):
    second = start_second(first, bring_forward=True)
    lead = staff_in(second, first["lead"])
    by_text = {item.text: item for item in live(second.id)}
    board.apply_operation(lead, add_op(second.id, "Mum moved in", "strengths"))
    goal = by_text["Dad sober at night"]
    board.apply_operation(
        lead, op(second.id, "edit_item", item_id=goal.id, text="Dad sober every night",
                 base_version=goal.version)
    )  # fmt: skip
    board.apply_operation(lead, op(second.id, "delete_item", item_id=by_text["Call the school"].id))
    visit = by_text["Book a visit"]
    board.apply_operation(lead, op(second.id, "set_next_step_status", item_id=visit.id,
                                   status="done"))  # fmt: skip
    found = history.compare(first["case"], second, first["meeting"])  # either order
    assert [i["text"] for i in found.sections["strengths"].new] == ["Mum moved in"]
    assert [i["text"] for i in found.sections["next_steps"].removed] == ["Call the school"]
    ((old, new),) = found.sections["goals"].changed
    assert (old["text"], new["text"]) == ("Dad sober at night", "Dad sober every night")
    assert [i["text"] for i in found.completed] == ["Book a visit"]


def test_replay_at_each_revision_equals_the_live_board_then(ctx):
    team = make_team()
    lead = make_user("supervisor", team)
    meeting = make_meeting(make_case(team, lead), lead)
    actor = staff_in(meeting, lead)
    captured = {}

    def do(raw):
        result = board.apply_operation(actor, raw)
        db.session.expire_all()
        captured[result.rev] = board_state.board_snapshot(db.session.get(Meeting, meeting.id), None)
        return result.event

    a = do(add_op(meeting.id, "First", "harm"))["item"]
    b = do(add_op(meeting.id, "Second", "harm"))["item"]
    c = do(add_op(meeting.id, "Third", "grey"))["item"]
    do(op(meeting.id, "collect_privately", section="strengths", on=True))
    do(add_op(meeting.id, "Private strength", "strengths"))
    do(op(meeting.id, "edit_item", item_id=a["id"], text="First, edited", base_version=1))
    do(op(meeting.id, "move_item", item_id=c["id"], section="harm", after_id=a["id"]))
    do(op(meeting.id, "merge_items", item_id=b["id"], into_id=a["id"]))
    do(op(meeting.id, "collect_privately", section="strengths", on=False))
    do(op(meeting.id, "unmerge_item", item_id=b["id"]))
    do(op(meeting.id, "delete_item", item_id=c["id"]))
    do(op(meeting.id, "close_meeting"))
    events = [e.data for e in db.session.query(MeetingEvent).filter_by(meeting_id=meeting.id)]
    for rev, snapshot in captured.items():
        assert [item_for(i, None) for i in replay(events, rev)] == snapshot["items"], rev
    at = history.board_at(db.session.get(Meeting, meeting.id), 3)
    assert [i["text"] for i in at.items] == ["Third", "First", "Second"]  # grey, then harm


def test_a_closed_meetings_snapshot_is_verified_and_a_changed_one_is_not(first):
    snapshot, intact = history.verify_snapshot(first["meeting"])
    assert intact
    snapshot.content = {**snapshot.content, "items": []}
    db.session.commit()
    assert history.verify_snapshot(db.session.get(Meeting, first["meeting"].id))[1] is False
    assert db.session.query(MeetingSnapshot).count() == 1


def test_search_finds_labels_and_item_text_in_own_teams_only(first):
    outsider = make_user("worker", make_team())
    member = staff_actor(first["lead"])
    assert [c.label for c in search.search(member, "k.l.").cases] == ["K.L. (4)"]
    assert [i.text for i, _m, _c in search.search(member, "SCHOOL").items] == ["Call the school"]
    assert search.search(staff_actor(outsider), "school").items == []
    assert search.search(staff_actor(make_user("admin")), "school").items


def test_search_treats_wildcards_literally(first):
    member = staff_actor(first["lead"])
    assert search.search(member, "%").items == []
    assert search.search(member, "_").cases == []
    assert search.like_pattern("50%_a\\b") == "%50\\%\\_a\\\\b%"


def test_search_skips_privately_held_and_deleted_items(first):
    member = staff_actor(first["lead"])
    assert search.search(member, "bruise").items == []


def test_scale_changes_give_each_meetings_spread(first):
    second = start_second(first, bring_forward=True)
    ((scale, before, after),) = trend.scale_changes(first["case"], first["meeting"], second)
    assert scale.danger == "Dad drinks at night"
    assert (before["median"], after) == (3, None)


def test_replaying_a_board_gives_the_people_around_the_child_as_they_were_then(ctx):
    """The list belongs to the case: at each revision of a supervision meeting, the replay
    shows what its board showed then, with what another meeting had changed by that time and
    nothing it changed later; names as the supervision meeting shows them (initials)."""
    team = make_team()
    lead = make_user("supervisor", team)
    case = make_case(team, lead)
    family = make_meeting(case, lead, "family_team", "family")
    family_lead = staff_in(family, lead)
    board.apply_operation(
        family_lead, op(family.id, "add_person", name="Maria Lopez", age=34, role="parent")
    )
    meeting = make_meeting(case, lead)
    actor = staff_in(meeting, lead)
    captured = {0: board_state.board_snapshot(meeting, None)["involved"]}

    def do(kind, **payload):
        result = board.apply_operation(actor, op(meeting.id, kind, **payload))
        db.session.expire_all()
        snapshot = board_state.board_snapshot(db.session.get(Meeting, meeting.id), None)
        captured[result.rev] = snapshot["involved"]
        return result.event

    maria = captured[0][0]
    child = do("add_person", name="B.", age=6, role="child")["person"]
    do("edit_person", person_id=maria["id"], base_version=1, age=35, household="Home 1")
    item = do("add_item", section="safety", text="Mum keeps the rule", view="agency")["item"]
    do("set_item_people", item_id=item["id"], person_ids=[maria["id"], child["id"]])
    do("remove_person", person_id=child["id"])
    board.apply_operation(family_lead, op(family.id, "add_person", name="Rosa Diaz", role="family"))
    assert [p["name"] for p in captured[0]] == ["M.L."]
    assert len(captured) == 6 and captured[5][1]["removed"]
    for rev, shown in captured.items():
        assert history.board_at(db.session.get(Meeting, meeting.id), rev).people == shown, rev
    at = history.board_at(db.session.get(Meeting, meeting.id), 4)
    (named,) = [i for i in at.items if i["person_ids"]]
    assert named["person_ids"] == [maria["id"], child["id"]]
