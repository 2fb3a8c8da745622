"""Open next steps belong to the case: a group supervision, a family team meeting, then the
next group supervision; each meeting's review holds exactly the open steps, once each, in
its own map's words; a step closed in a meeting or from the case page stays closed."""

from __future__ import annotations

from datetime import date

import pytest
from builders import make_case, make_team, make_user, op, staff_in

from facilitator.domain.statements import status_words
from facilitator.extensions import db
from facilitator.identity import staff_actor
from facilitator.models import AuditEntry, Item
from facilitator.services import board, history, meetings, next_steps, trend


def live(meeting_id, section):
    return [
        item
        for item in db.session.query(Item)
        .filter_by(meeting_id=meeting_id, section=section, deleted=False)
        .order_by(Item.id)
    ]


def open_texts(case):
    return [step.item.text for step, _ in next_steps.open_next_steps(case, date.today())]


class Room:
    """A meeting of the case with its facilitator's hand on the board."""

    def __init__(self, meeting, lead):
        self.meeting, self.actor = meeting, staff_in(meeting, lead)

    def do(self, kind, **payload):
        return board.apply_operation(self.actor, op(self.meeting.id, kind, **payload)).event

    def step(self, section, text, status, owner=None, due_on=None):
        item = self.do("add_item", section=section, text=text, view="agency")["item"]
        if owner or due_on:
            self.do("set_next_step", item_id=item["id"], owner=owner, due_on=due_on)
        for move in {"agreed": ["agreed"], "done": ["agreed", "done"],
                     "dropped": ["dropped"]}.get(status, []):  # fmt: skip
            self.do("set_next_step_status", item_id=item["id"], status=move)
        return item

    def status(self, item, status):
        self.do("set_next_step_status", item_id=item.id, status=status)


def start(case, lead, kind, framework):
    meeting = meetings.start_meeting(
        staff_actor(lead), case, kind, framework, review_steps=True, bring_forward=True
    )
    return Room(meeting, lead)


@pytest.fixture
def case_of_three(ctx):
    """Group supervision -> family team meeting -> group supervision, steps opened, done
    and dropped along the way (one from the case page)."""
    team = make_team()
    lead = make_user("supervisor", team, name="Sam")
    case = make_case(team, lead, "K.L. (4)")
    first = start(case, lead, "group_supervision", "cisf")
    danger = first.do("add_item", section="danger", text="Dad drinks at night", view="agency")
    round_id = first.do("open_scale_round", danger_item_id=danger["item"]["id"])["scale_round"][
        "id"
    ]
    first.do("rate", round_id=round_id, value=3, reason="still drinking")
    first.do("reveal_scale_round", round_id=round_id)
    first.do("add_item", section="strengths", text="Gran visits daily", view="agency")
    first.step("next_steps", "Call the school", "agreed", owner="Gran", due_on="2026-01-05")
    first.step("next_steps", "Book a visit", "agreed")
    first.step("next_steps", "Find a sitter", "proposed")
    first.step("next_steps", "Ask the GP", "done")
    first.do("close_meeting")
    family = start(case, lead, "family_team", "family")
    return {"case": case, "lead": lead, "first": first, "family": family}


def test_the_family_meeting_reviews_every_open_step_in_family_words(case_of_three):
    family = case_of_three["family"].meeting
    assert family.agenda[0]["title"] == "Look back at our steps"
    assert family.agenda[0]["sections"] == ["next"]
    steps = {item.text: item for item in live(family.id, "next") if item.status != "done"}
    assert set(steps) == {"Call the school", "Book a visit", "Find a sitter"}
    school = steps["Call the school"]
    assert (school.owner, school.due_on, school.status) == ("Gran", date(2026, 1, 5), "agreed")
    assert status_words("family")["dropped"] == "Not needed any more"
    # the rest of the map came to the family's own questions
    assert [i.text for i in live(family.id, "worries")] == ["Dad drinks at night"]
    assert [i.text for i in live(family.id, "working_well")] == ["Gran visits daily"]


def then_the_next_supervision(case_of_three):
    """In the family meeting: one step done, one dropped, two new; one new step marked done
    from the case page afterwards; then the next group supervision starts."""
    family, lead, case = case_of_three["family"], case_of_three["lead"], case_of_three["case"]
    by_text = {item.text: item for item in live(family.meeting.id, "next")}
    family.status(by_text["Book a visit"], "done")
    family.status(by_text["Find a sitter"], "dropped")
    family.step("next", "Mum calls the nurse", "agreed", owner="Mum")
    paid = family.step("next", "Pay the rent", "agreed")
    next_steps.mark_step(staff_actor(lead), case, paid["id"], "done")
    return start(case, lead, "group_supervision", "cisf").meeting


def test_the_next_supervision_reviews_exactly_the_open_steps_once(case_of_three):
    second = then_the_next_supervision(case_of_three)
    assert second.agenda[0]["title"] == "Review next steps"
    assert second.agenda[0]["sections"] == ["next_steps"]
    open_here = [
        i.text for i in live(second.id, "next_steps") if i.status in ("proposed", "agreed")
    ]
    assert sorted(open_here) == ["Call the school", "Mum calls the nurse"]
    found = next_steps.open_next_steps(case_of_three["case"], date(2026, 2, 1))
    assert [(s.item.text, s.item.meeting_id, overdue) for s, overdue in found] == [
        ("Call the school", second.id, True),
        ("Mum calls the nurse", second.id, False),
    ]
    (school, _overdue), (nurse, _) = found
    assert school.origin.kind == "group_supervision" and nurse.origin.kind == "family_team"


def test_a_step_closed_in_a_later_meeting_is_closed_for_the_case(case_of_three):
    second = then_the_next_supervision(case_of_three)
    room = Room(second, case_of_three["lead"])
    school = next(i for i in live(second.id, "next_steps") if i.text == "Call the school")
    room.status(school, "done")
    found = next_steps.open_next_steps(case_of_three["case"], date(2026, 2, 1))
    assert [s.item.text for s, _ in found] == ["Mum calls the nurse"]
    third = meetings.start_meeting(
        staff_actor(case_of_three["lead"]), case_of_three["case"], "family_team", "family",
        review_steps=True,
    )  # fmt: skip
    assert [i.text for i in live(third.id, "next")] == ["Mum calls the nurse"]


def test_marking_from_the_case_page_is_audited_and_refused_twice(case_of_three):
    case, lead = case_of_three["case"], case_of_three["lead"]
    step = next(s for s, _ in next_steps.open_next_steps(case, date.today())
                if s.item.text == "Book a visit")  # fmt: skip
    next_steps.mark_step(staff_actor(lead), case, step.item.id, "dropped")
    entry = db.session.query(AuditEntry).filter_by(action="next_step.mark").one()
    assert (entry.case_id, entry.user_id) == (case.id, lead.id)
    assert entry.detail["status"] == "dropped" and entry.detail["was"] == "agreed"
    with pytest.raises(next_steps.StepError):
        next_steps.mark_step(staff_actor(lead), case, step.item.id, "done")
    with pytest.raises(next_steps.StepError):
        next_steps.mark_step(staff_actor(lead), case, step.item.id, "agreed")
    sitter = next(s for s, _ in next_steps.open_next_steps(case, date.today())
                  if s.item.text == "Find a sitter")  # fmt: skip
    with pytest.raises(next_steps.StepError, match="agreed in a meeting"):
        next_steps.mark_step(staff_actor(lead), case, sitter.item.id, "done")  # only suggested


def test_a_later_meeting_change_outweighs_an_earlier_mark(case_of_three):
    """The latest word on a step wins: reopened on the board after a case-page mark."""
    case, lead, family = case_of_three["case"], case_of_three["lead"], case_of_three["family"]
    visit = next(i for i in live(family.meeting.id, "next") if i.text == "Book a visit")
    next_steps.mark_step(staff_actor(lead), case, visit.id, "done")
    assert "Book a visit" not in [
        s.item.text for s, _ in next_steps.open_next_steps(case, date.today())
    ]
    assert db.session.get(Item, visit.id).status == "done"  # its board, under way, says so
    family.status(db.session.get(Item, visit.id), "agreed")  # the room reopens it afterwards
    assert "Book a visit" in [
        s.item.text for s, _ in next_steps.open_next_steps(case, date.today())
    ]


def test_comparing_a_supervision_with_a_family_meeting_matches_by_meaning(case_of_three):
    then_the_next_supervision(case_of_three)
    first, family = case_of_three["first"].meeting, case_of_three["family"].meeting
    found = history.compare(case_of_three["case"], first, family)
    assert found.by_meaning
    assert not any(d.removed for d in found.sections.values())
    assert set(found.sections) == {"needs"}  # the worries and strengths came across unchanged
    needs = found.sections["needs"]
    assert sorted(i["text"] for i in needs.new) == ["Mum calls the nurse", "Pay the rent"]
    assert sorted(new["status"] for _old, new in needs.changed) == ["done", "dropped"]
    # "Pay the rent" was marked done from the case page while the family meeting was on
    assert [i["text"] for i in found.completed] == ["Book a visit", "Pay the rent"]


def test_a_danger_statement_keeps_its_scale_through_the_family_meeting(case_of_three):
    """Carried as a worry into the family's map and back: one scale, its newest words."""
    first, family = case_of_three["first"].meeting, case_of_three["family"]
    danger = next(i for i in live(first.id, "danger"))
    worry = next(i for i in live(family.meeting.id, "worries"))
    assert worry.carried_from_id == danger.id
    family.do("edit_item", item_id=worry.id, text="Dad drinks most nights", base_version=1)
    second = then_the_next_supervision(case_of_three)
    (back,) = live(second.id, "danger")  # a danger statement again, not harm
    room = Room(second, case_of_three["lead"])
    round_id = room.do("open_scale_round", danger_item_id=back.id)["scale_round"]["id"]
    room.do("rate", round_id=round_id, value=6, reason="calmer")
    room.do("reveal_scale_round", round_id=round_id)
    (scale,) = [s for s in trend.scale_trend(case_of_three["case"]) if s.danger is not None]
    assert scale.danger == "Dad drinks most nights"
    assert [p["values"] for p in scale.points] == [[3], [6]]
