"""Board items: add, edit, move and delete, each one operation of the pipeline."""

import pytest
from builders import (
    add_op,
    make_meeting,
    op,
    staff_in,
    texts_in,
)

from facilitator.domain.limits import ITEM_TEXT_MAX
from facilitator.extensions import db
from facilitator.models import Item
from facilitator.services import board as board_service


def test_add_item_stores_the_item_and_returns_its_event(board):
    result = board.apply(add_op(board.id, "Bruise on the arm", "harm"))
    item = db.session.get(Item, result.event["item"]["id"])
    assert (item.text, item.section, item.view, item.version) == (
        "Bruise on the arm",
        "harm",
        "agency",
        1,
    )
    assert result.event["type"] == "item_added"
    assert result.event["item"]["text"] == "Bruise on the arm"
    assert not result.duplicate


def test_added_item_is_authored_by_the_actors_participant(board):
    result = board.apply(add_op(board.id))
    assert result.event["item"]["author"] == {
        "id": board.actor.participant_id,
        "name": board.user.display_name,
    }


def test_added_items_go_to_the_end_of_their_section(board):
    for text in ("first", "second", "third"):
        board.add(text, "strengths")
    assert texts_in(board.id, "strengths") == ["first", "second", "third"]


def test_item_text_is_stored_trimmed(board):
    item_id = board.add("  padded  ")
    assert db.session.get(Item, item_id).text == "padded"


def test_item_of_exactly_the_limit_is_stored(board):
    item_id = board.add("x" * ITEM_TEXT_MAX)
    assert len(db.session.get(Item, item_id).text) == ITEM_TEXT_MAX


@pytest.mark.parametrize(
    "text",
    [
        "<img src=x onerror=alert(1)>",
        "'; DROP TABLE items; --",
        '=HYPERLINK("http://evil.example")',
        "Ünïcödé, „quotes“, 子供, 🙂",
        "line one\nline two",
    ],
)
def test_item_text_is_stored_and_sent_exactly_as_typed(board, text):
    result = board.apply(add_op(board.id, text))
    assert result.event["item"]["text"] == text
    db.session.expire_all()
    assert db.session.get(Item, result.event["item"]["id"]).text == text


def test_edit_item_changes_text_and_bumps_version(board):
    item_id = board.add("before")
    result = board.apply(op(board.id, "edit_item", item_id=item_id, text="after", base_version=1))
    item = db.session.get(Item, item_id)
    assert (item.text, item.version) == ("after", 2)
    assert result.event["type"] == "item_edited"
    assert result.event["item"]["version"] == 2


def test_edit_item_can_change_whose_view_it_is(board):
    item_id = board.add()
    board.apply(
        op(board.id, "edit_item", item_id=item_id, text="same", base_version=1, view="parent")
    )
    assert db.session.get(Item, item_id).view == "parent"


def test_stale_edit_gets_a_conflict_with_the_current_text(board):
    item_id = board.add("original")
    board.apply(op(board.id, "edit_item", item_id=item_id, text="theirs", base_version=1))
    refused = board.refuse(op(board.id, "edit_item", item_id=item_id, text="mine", base_version=1))
    assert refused.code == "conflict"
    assert refused.as_dict()["item"]["text"] == "theirs"
    assert refused.as_dict()["item"]["version"] == 2


def test_stale_edit_never_overwrites(board):
    item_id = board.add("original")
    board.apply(op(board.id, "edit_item", item_id=item_id, text="theirs", base_version=1))
    board.refuse(op(board.id, "edit_item", item_id=item_id, text="mine", base_version=1))
    db.session.expire_all()
    assert db.session.get(Item, item_id).text == "theirs"


def test_move_with_after_id_places_the_item_right_after_it(board):
    ids = {text: board.add(text, "strengths") for text in ("a", "b", "c", "d")}
    board.apply(op(board.id, "move_item", item_id=ids["d"], section="strengths", after_id=ids["a"]))
    assert texts_in(board.id, "strengths") == ["a", "d", "b", "c"]


def test_move_after_the_last_item_places_it_at_the_end(board):
    ids = {text: board.add(text, "strengths") for text in ("a", "b", "c")}
    board.apply(op(board.id, "move_item", item_id=ids["a"], section="strengths", after_id=ids["c"]))
    assert texts_in(board.id, "strengths") == ["b", "c", "a"]


def test_move_without_after_id_places_the_item_at_the_top(board):
    ids = {text: board.add(text, "strengths") for text in ("a", "b", "c")}
    board.apply(op(board.id, "move_item", item_id=ids["c"], section="strengths", after_id=None))
    assert texts_in(board.id, "strengths") == ["c", "a", "b"]


def test_move_to_another_section_takes_the_item_there(board):
    moved = board.add("moves", "strengths")
    board.add("stays", "safety")
    result = board.apply(op(board.id, "move_item", item_id=moved, section="safety"))
    assert texts_in(board.id, "safety") == ["moves", "stays"]
    assert texts_in(board.id, "strengths") == []
    assert result.event["type"] == "item_moved"
    assert result.event["item"]["section"] == "safety"


def test_move_to_an_empty_section_works(board):
    moved = board.add("moves", "strengths")
    board.apply(op(board.id, "move_item", item_id=moved, section="grey"))
    assert texts_in(board.id, "grey") == ["moves"]


def test_many_moves_to_the_same_place_keep_the_order(board):
    first = board.add("first", "harm")
    last = board.add("last", "harm")
    for number in range(30):
        moved = board.add(f"n{number}", "harm")
        board.apply(op(board.id, "move_item", item_id=moved, section="harm", after_id=first))
    texts = texts_in(board.id, "harm")
    assert texts == ["first", *[f"n{n}" for n in reversed(range(30))], "last"]
    assert last


def test_move_after_an_item_of_another_section_is_invalid(board):
    moved = board.add("moves", "strengths")
    elsewhere = board.add("elsewhere", "safety")
    raw = op(board.id, "move_item", item_id=moved, section="strengths", after_id=elsewhere)
    assert board.refuse(raw).code == "invalid"


def test_move_after_itself_is_invalid(board):
    moved = board.add("moves", "strengths")
    raw = op(board.id, "move_item", item_id=moved, section="strengths", after_id=moved)
    assert board.refuse(raw).code == "invalid"


def test_delete_item_takes_it_off_the_board(board):
    item_id = board.add("goes")
    result = board.apply(op(board.id, "delete_item", item_id=item_id))
    assert texts_in(board.id, "harm") == []
    assert result.event == {**result.event, "type": "item_deleted", "item_id": item_id}


def test_deleted_item_can_no_longer_be_edited(board):
    item_id = board.add("goes")
    board.apply(op(board.id, "delete_item", item_id=item_id))
    raw = op(board.id, "edit_item", item_id=item_id, text="back", base_version=1)
    assert board.refuse(raw).code == "not_found"


def test_item_of_another_meeting_is_not_found(board):
    other = make_meeting(board.case, board.user, "consultation")
    foreign = board_service.apply_operation(staff_in(other, board.user), add_op(other.id))
    raw = op(board.id, "delete_item", item_id=foreign.event["item"]["id"])
    assert board.refuse(raw).code == "not_found"
