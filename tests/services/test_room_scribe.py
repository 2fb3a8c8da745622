"""Whose view and the room's scribe: a guest's answer sets their view; a facilitator or
scribe writes an item, a rating or a next step for someone in the room without a device,
and it counts as that person's in the record, the scale, the exports and the audit."""

from __future__ import annotations

import csv
import io
import json

import docx
import pypdf
import pytest
from builders import add_op, make_guest, make_user, op, staff_in
from sqlalchemy import select

from facilitator.exports import csv_export, docx_export, json_export, markdown, pdf, summary
from facilitator.extensions import db
from facilitator.identity import guest_actor
from facilitator.models import AuditEntry, Item, Participant, Rating
from facilitator.services import meetings
from facilitator.services.exports import meeting_source


def _room_person(board, name="Rosa", view="child", actor=None) -> int:
    event = board.apply(op(board.id, "add_room_person", name=name, view=view), actor).event
    return event["participant"]["id"]


def _unviewed_add(meeting_id: int, text: str, section: str = "harm", **extra):
    return op(meeting_id, "add_item", section=section, text=text, **extra)


def test_a_guests_answer_on_joining_sets_the_view_they_write_in(board):
    invite, _ = meetings.create_invite(board.actor, board.meeting, waiting_room=False)
    gran = meetings.join_as_guest(invite, "Gran", view="network")
    db.session.commit()
    event = board.apply(_unviewed_add(board.id, "She keeps the kids on Fridays"), guest_actor(gran))
    assert event.event["item"]["view"] == "network"


def test_staff_write_in_the_agencys_view_unless_they_say_otherwise(board):
    event = board.apply(_unviewed_add(board.id, "Bruise on the arm")).event
    assert event["item"]["view"] == "agency"


def test_a_scribed_item_is_the_named_persons_with_their_view(board):
    rosa = _room_person(board, "Rosa", "child")
    event = board.apply(_unviewed_add(board.id, "I feel safe at Gran's", on_behalf_of=rosa)).event
    item = db.session.get(Item, event["item"]["id"])
    scribe = board.actor.participant_id
    assert (item.author_id, item.scribe_id, item.view) == (rosa, scribe, "child")
    assert event["item"]["author"] == {"id": rosa, "name": "Rosa", "via": board.user.display_name}


def test_a_scribed_change_is_audited_with_the_person_it_was_written_for(board):
    rosa = _room_person(board)
    board.apply(_unviewed_add(board.id, "I feel safe at Gran's", on_behalf_of=rosa))
    entry = db.session.scalars(select(AuditEntry).order_by(AuditEntry.id.desc())).first()
    assert entry.action == "board.add_item"
    assert entry.detail["on_behalf_of"] == rosa
    assert entry.user_id == board.user.id  # who typed it stays the actor


def test_a_member_may_not_write_for_someone_in_the_room(board):
    rosa = _room_person(board)
    member = staff_in(board.meeting, make_user("worker", board.team))
    refused = board.refuse(_unviewed_add(board.id, "Mine", on_behalf_of=rosa), member)
    assert refused.code == "forbidden"
    assert board.refuse(op(board.id, "add_room_person", name="Ana"), member).code == "forbidden"


def test_only_someone_named_as_in_the_room_can_be_written_for(board):
    guest = make_guest(board.meeting, board.user, "Mum")
    refused = board.refuse(_unviewed_add(board.id, "Not hers", on_behalf_of=guest.id))
    assert refused.code == "not_found"


def test_a_scribe_may_change_what_they_wrote_for_someone(board):
    rosa = _room_person(board)
    item = board.apply(_unviewed_add(board.id, "Typo hre", on_behalf_of=rosa)).event["item"]
    edited = board.apply(op(board.id, "edit_item", item_id=item["id"], text="Typo here",
                            base_version=1)).event["item"]  # fmt: skip
    assert edited["author"]["via"] == board.user.display_name


def _scribed_board(board):
    """An item, a next step and a revealed rating, each written by the facilitator for Rosa."""
    rosa = _room_person(board, "Rosa Diaz", "parent")
    board.apply(add_op(board.id, "Rosa walks them to school", "strengths", on_behalf_of=rosa))
    board.apply(add_op(board.id, "Rosa calls Gran on Fridays", "next_steps", on_behalf_of=rosa))
    scale = board.apply(op(board.id, "open_scale_round")).event["scale_round"]["id"]
    rating = {"round_id": scale, "value": 6, "reason": "Gran helps", "on_behalf_of": rosa}
    board.apply(op(board.id, "rate", **rating))
    board.apply(op(board.id, "reveal_scale_round", round_id=scale))
    return rosa, scale


def test_a_scribed_rating_counts_as_the_persons_on_the_scale(board):
    rosa, scale = _scribed_board(board)
    rating = db.session.scalar(select(Rating).where(Rating.round_id == scale))
    assert (rating.participant_id, rating.scribe_id) == (rosa, board.actor.participant_id)
    event = board.apply(op(board.id, "reopen_scale_round", round_id=scale)).event
    assert rosa in event["scale_round"]["rated"]


def test_a_scribed_rating_is_seen_by_its_scribe_before_the_reveal_and_by_no_one_else(board):
    from facilitator.domain.visibility import event_for

    rosa = _room_person(board)
    scale = board.apply(op(board.id, "open_scale_round")).event["scale_round"]["id"]
    event = board.apply(op(board.id, "rate", round_id=scale, value=3, on_behalf_of=rosa)).event
    assert event_for(event, board.actor.participant_id)["rating"]["value"] == 3
    assert "value" not in event_for(event, rosa + 1000)["rating"]


@pytest.fixture
def model(board):
    _scribed_board(board)
    return summary.build(meeting_source(board.meeting), use_initials=False)


def test_every_export_names_the_person_via_their_scribe(board, model):
    via = f"Rosa Diaz, via {board.user.display_name}"
    steps = [i for i in model["items"] if i["section"] == "next_steps"]
    assert [s["author"] for s in steps] == [via]
    (scale,) = model["scales"]
    assert [r["who"] for r in scale["ratings"]] == [via]
    reader = pypdf.PdfReader(io.BytesIO(pdf.render(model)))
    assert via in " ".join(" ".join(p.extract_text().split()) for p in reader.pages)
    document = docx.Document(io.BytesIO(docx_export.render(model)))
    cells = [c.text for t in document.tables for row in t.rows for c in row.cells]
    assert via in " ".join([p.text for p in document.paragraphs] + cells)
    assert via in markdown.render(model).replace("\\", "")
    rows = list(csv.DictReader(io.StringIO(csv_export.render(model))))
    assert {row["author"] for row in rows} == {via}


def test_the_json_export_keeps_who_wrote_it_for_whom(board):
    rosa, _ = _scribed_board(board)
    document = json.loads(json_export.render([meeting_source(board.meeting)]))
    (item, _step) = document["meetings"][0]["items"]
    assert item["author"] == {"id": rosa, "name": "Rosa Diaz", "via": board.user.display_name}


def test_someone_in_the_room_is_a_participant_who_can_never_connect(board):
    rosa = _room_person(board)
    person = db.session.get(Participant, rosa)
    assert (person.role, person.invite_id, person.user_id) == ("in_room", None, None)
