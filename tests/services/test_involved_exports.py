"""The people around the child in the case-file exports: the list, and the names on items;
on a record, full names become initials unless names were asked for."""

from __future__ import annotations

import io

import docx
import pypdf
from builders import make_meeting, op, staff_in

from facilitator.exports import docx_export, markdown, pdf, summary
from facilitator.services import board as board_service
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
    assert (
        "## People around the child" in written
        and "- R.D. (grandmother, 68, Nana's house, Family)" in written
    )
    assert "Nana picks Jo up every day. [R.D.]" in written
    document = docx.Document(io.BytesIO(docx_export.render(model)))
    assert any("People around the child: R.D." in p.text for p in document.paragraphs)
