"""The people around the child in the case-file exports: the list, and the names on items;
on a record, full names become initials unless names were asked for."""

from __future__ import annotations

import io
import json

import docx
import pypdf
import pytest
from builders import count, make_meeting, op, staff_in
from sqlalchemy import select

from facilitator.exports import docx_export, json_export, markdown, pdf, summary
from facilitator.exports.json_import import UnreadableExport, parse
from facilitator.extensions import db
from facilitator.models import InvolvedPerson, Item
from facilitator.services import board as board_service
from facilitator.services import case_import
from facilitator.services.exports import meeting_source


def _family_board(board):
    meeting = make_meeting(board.case, board.user, "family_team", "family")
    lead = staff_in(meeting, board.user)

    def apply(kind, **payload):
        return board_service.apply_operation(lead, op(meeting.id, kind, **payload)).event

    nana = apply("add_person", name="Rosa Diaz", relationship="grandmother", age=68,
                 household="Nana's house", role="family")["person"]  # fmt: skip
    apply("add_person", name="Jo", age=6, household="Mum's flat", role="child")
    gone = apply("add_person", name="Old Neighbour", role="network")["person"]
    item = apply("add_item", section="working_well", text="Nana picks Jo up every day.")
    apply("set_item_people", item_id=item["item"]["id"], person_ids=[nana["id"]])
    apply("remove_person", person_id=gone["id"])
    return meeting


def test_the_summary_lists_who_is_involved_and_who_each_item_names(board):
    model = summary.build(meeting_source(_family_board(board)), use_initials=False)
    assert [p["name"] for p in model["involved"]] == ["Rosa Diaz", "Jo"]
    assert model["involved"][0]["about"] == "grandmother, 68, Nana's house, Family"
    (named,) = [i for i in model["items"] if i["people"]]
    assert named["people"] == ["Rosa Diaz"]


def test_a_record_shows_full_names_as_initials_unless_names_are_asked_for(board):
    model = summary.build(meeting_source(_family_board(board)))
    assert [p["name"] for p in model["involved"]] == ["R.D.", "Jo"]
    assert [i["people"] for i in model["items"] if i["people"]] == [["R.D."]]


def test_pdf_markdown_and_docx_hold_the_list(board):
    model = summary.build(meeting_source(_family_board(board)))
    text = " ".join(
        page.extract_text() for page in pypdf.PdfReader(io.BytesIO(pdf.render(model))).pages
    )
    assert "R.D. (grandmother, 68, Nana's house, Family)" in " ".join(text.split())
    assert "Old Neighbour" not in text and "Rosa" not in text
    written = markdown.render(model)
    section = written.split("### Who is here / who is in the family")[1].split("###")[0]
    assert "- R.D. (grandmother, 68, Nana's house, Family)" in section
    assert "Nana picks Jo up every day. [R.D.]" in written
    document = docx.Document(io.BytesIO(docx_export.render(model)))
    (row,) = [r for t in document.tables for r in t.rows if r.cells[0].text.startswith("Who is")]
    assert row.cells[1].text.startswith("R.D. (grandmother, 68")


def test_who_is_involved_appears_once_with_the_people_in_it(board):
    """The map's "Who is involved" section holds the list: no second list beside it, and
    no "None recorded" under listed people."""
    meeting = _family_board(board)
    model = summary.build(meeting_source(meeting))
    for text in (
        " ".join(p.extract_text() for p in pypdf.PdfReader(io.BytesIO(pdf.render(model))).pages),
        markdown.render(model),
    ):
        flat = " ".join(text.split())
        assert "Who is here / who is in the family" in flat
        assert "People around the child" not in flat
        after = flat.split("Who is here / who is in the family")[-1][:200]
        assert "R.D." in after and "None recorded" not in after.split("R.D.")[0]


def _people_and_references(document: dict) -> tuple[list, list]:
    """The document's people without ids, and each item's people as positions in that list."""
    people = document["case"]["people"]
    where = {person["id"]: n for n, person in enumerate(people)}
    listed = [{k: v for k, v in person.items() if k != "id"} for person in people]
    named = [
        (item["text"], [where[i] for i in item["person_ids"] or []])
        for meeting in document["meetings"]
        for item in meeting["items"]
    ]
    return listed, named


def test_json_carries_the_people_and_whom_items_name_into_a_new_case(board):
    meeting = _family_board(board)
    first = json.loads(json_export.render([meeting_source(meeting)]))
    assert first["version"] == 3
    assert [p["name"] for p in first["case"]["people"]] == ["Rosa Diaz", "Jo", "Old Neighbour"]
    case = case_import.import_case(
        board.actor, board.team, parse(json.dumps(first).encode()), second_case=True
    )
    assert case.id != board.case.id
    stored = db.session.scalars(select(InvolvedPerson).where(InvolvedPerson.case_id == case.id))
    assert [(p.name, p.removed) for p in stored] == [
        ("Rosa Diaz", False), ("Jo", False), ("Old Neighbour", True),
    ]  # fmt: skip
    (imported,) = case.meetings
    again = json.loads(json_export.render([meeting_source(imported)]))
    assert _people_and_references(again) == _people_and_references(first)
    assert ("Nana picks Jo up every day.", [0]) in _people_and_references(again)[1]


def test_a_version_1_file_without_people_still_imports(board):
    document = json.loads(json_export.render([meeting_source(_family_board(board))]))
    document["version"] = 1
    del document["case"]["people"]
    for item in document["meetings"][0]["items"]:
        del item["person_ids"]
    case = case_import.import_case(
        board.actor, board.team, parse(json.dumps(document).encode()), second_case=True
    )
    assert count(InvolvedPerson) == 3  # the exported case's only
    items = list(db.session.scalars(select(Item).where(Item.meeting_id == case.meetings[0].id)))
    assert "Nana picks Jo up every day." in [item.text for item in items]
    assert [item.text for item in items if item.person_ids] == []


def test_an_item_naming_someone_not_in_the_file_keeps_the_others(board):
    document = json.loads(json_export.render([meeting_source(_family_board(board))]))
    (named,) = [i for i in document["meetings"][0]["items"] if i["person_ids"]]
    named["person_ids"] = [*named["person_ids"], 999999]
    parsed = parse(json.dumps(document).encode())
    (item,) = [i for i in parsed["meetings"][0]["items"] if i["person_ids"]]
    assert item["person_ids"] == named["person_ids"][:1]


@pytest.mark.parametrize(
    "change",
    [
        {"name": "Rosa 12/03/1990"},  # a date of birth
        {"name": "Case 1234567"},  # a case number
        {"name": ""},
        {"role": "uncle"},
        {"age": 300},
        {"age": "6"},
        {"relationship": "x" * 61},
        {"id": "1"},
    ],
)
def test_import_refuses_a_person_a_meeting_would_refuse(board, change):
    document = json.loads(json_export.render([meeting_source(_family_board(board))]))
    document["case"]["people"][0].update(change)
    with pytest.raises(UnreadableExport):
        parse(json.dumps(document).encode())


def test_import_refuses_people_that_are_not_a_list_or_repeat_an_id(board):
    document = json.loads(json_export.render([meeting_source(_family_board(board))]))
    people = document["case"]["people"]
    for wrong in ({"0": people[0]}, [people[0], people[0]], "Rosa"):
        document["case"]["people"] = wrong
        with pytest.raises(UnreadableExport):
            parse(json.dumps(document).encode())
