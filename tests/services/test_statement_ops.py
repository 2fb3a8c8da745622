"""Next steps, statement links and the family's view, through the operation pipeline."""

from datetime import date

from builders import add_op, guest_in, make_guest, make_user, op, staff_in

from facilitator.extensions import db
from facilitator.models import Item


def test_a_next_step_starts_proposed_and_gets_someone_and_a_date(board):
    step_id = board.add("Call the school nurse", "next_steps")
    assert db.session.get(Item, step_id).status == "proposed"
    result = board.apply(
        op(board.id, "set_next_step", item_id=step_id, owner="Worker W.", due_on="2026-12-03")
    )
    assert result.event["item"]["owner"] == "Worker W."
    assert result.event["item"]["due_on"] == "2026-12-03"
    assert db.session.get(Item, step_id).due_on == date(2026, 12, 3)


def test_only_the_facilitator_or_a_supervisor_agrees_a_next_step(board):
    step_id = board.add("Call the school nurse", "next_steps")
    worker = staff_in(board.meeting, make_user("worker", board.team))
    refused = board.refuse(
        op(board.id, "set_next_step_status", item_id=step_id, status="agreed"), worker
    )
    assert refused.code == "forbidden"
    board.apply(op(board.id, "set_next_step_status", item_id=step_id, status="agreed"))
    done = board.apply(op(board.id, "set_next_step_status", item_id=step_id, status="done"), worker)
    assert done.event["item"]["status"] == "done"


def test_a_next_step_cannot_skip_agreement(board):
    step_id = board.add("Call the school nurse", "next_steps")
    refused = board.refuse(op(board.id, "set_next_step_status", item_id=step_id, status="done"))
    assert refused.code == "invalid"


def test_only_next_steps_have_someone_and_a_date(board):
    item_id = board.add("A worry", "harm")
    assert board.refuse(op(board.id, "set_next_step", item_id=item_id, owner="x")).code == "invalid"


def test_a_safety_goal_is_paired_with_one_danger_statement(board):
    danger = board.add("If mother drinks, J. could be hurt.", "danger")
    goal = board.add("Mother will be sober when caring for J.", "goals")
    second_goal = board.add("Another goal", "goals")
    linked = board.apply(op(board.id, "link_items", item_id=goal, link_id=danger))
    assert linked.event["item"]["link_id"] == danger
    refused = board.refuse(op(board.id, "link_items", item_id=second_goal, link_id=danger))
    assert refused.code == "invalid"


def test_a_goal_cannot_link_to_a_strength(board):
    strength = board.add("Loves J.", "strengths")
    goal = board.add("A goal", "goals")
    assert (
        board.refuse(op(board.id, "link_items", item_id=goal, link_id=strength)).code == "invalid"
    )


def test_a_guided_danger_statement_keeps_its_parts(board):
    parts = {"who_worried": "The school is worried", "behaviour": "mother drinks",
             "context": "when alone with J.", "impact": "J. could be hurt"}  # fmt: skip
    result = board.apply(add_op(board.id, "", "danger", parts=parts))
    assert result.event["item"]["parts"] == parts
    assert result.event["item"]["text"].startswith("The school is worried")


def test_the_family_may_record_that_they_see_a_statement_differently(board):
    danger = board.add("If mother drinks, J. could be hurt.", "danger")
    mum = guest_in(make_guest(board.meeting, board.user, "Mum"))
    text = "I don't drink when J. is home."
    result = board.apply(op(board.id, "set_family_view", item_id=danger, text=text), mum)
    assert result.event["item"]["family_view"] == text
