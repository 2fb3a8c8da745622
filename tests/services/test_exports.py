"""Exports read back: every shown item, rating and next step is in each file; nothing
private is; spreadsheet formulas come out inert; JSON survives a round trip."""

from __future__ import annotations

import csv
import io
import json
import re
import shutil
import subprocess

import docx
import pypdf
import pytest
from artifacts import ARTIFACTS
from builders import INJECTIONS, fill_board, make_user, op, staff_in

from facilitator.exports import csv_export, docx_export, json_export, markdown, pdf, summary
from facilitator.exports.json_import import UnreadableExport, parse
from facilitator.services import board as board_service
from facilitator.services import case_import
from facilitator.services.exports import meeting_source


@pytest.fixture
def filled(board):
    rater = staff_in(board.meeting, make_user("worker", board.team))
    expected = fill_board(board.id, board.actor, rater)
    return board, expected


def _model(board, **options):
    return summary.build(meeting_source(board.meeting), **options)


def _flat(text: str) -> str:
    return " ".join(text.split())


def test_pdf_holds_every_item_rating_and_next_step(filled):
    board, expected = filled
    data = pdf.render(_model(board))
    reader = pypdf.PdfReader(io.BytesIO(data))
    text = _flat(" ".join(page.extract_text() for page in reader.pages))
    for wanted in [*expected["texts"], *expected["reasons"], "M.L.", "Dec 3, 2026", "Agreed"]:
        assert _flat(wanted) in text, wanted
    assert not [s for s in expected["secret"] if s in text]
    assert reader.pages[0].mediabox.width > reader.pages[0].mediabox.height  # landscape


def test_pdf_first_page_renders_to_an_image(filled):
    board, _ = filled
    if shutil.which("pdftoppm") is None:
        pytest.skip("pdftoppm (poppler-utils) is not installed")
    ARTIFACTS.mkdir(exist_ok=True)
    source = ARTIFACTS / "export-summary.pdf"
    source.write_bytes(pdf.render(_model(board)))
    subprocess.run(
        ["pdftoppm", "-png", "-r", "110", "-f", "1", "-l", "1", "-singlefile", str(source),
         str(ARTIFACTS / "export-summary")],
        check=True,
    )  # fmt: skip
    assert (ARTIFACTS / "export-summary.png").stat().st_size > 10_000


def test_docx_holds_every_item_rating_and_next_step(filled):
    board, expected = filled
    document = docx.Document(io.BytesIO(docx_export.render(_model(board))))
    parts = [p.text for p in document.paragraphs]
    parts += [c.text for t in document.tables for row in t.rows for c in row.cells]
    text = _flat(" ".join(parts))
    for wanted in [*expected["texts"], *expected["reasons"], "M.L.", "Dec 3, 2026", "Agreed"]:
        assert _flat(wanted) in text, wanted
    assert not [s for s in expected["secret"] if s in text]


def test_markdown_holds_every_item_and_no_secret(filled):
    board, expected = filled
    text = markdown.render(_model(board)).replace("\\", "")
    assert all(_flat(t) in text for t in [*expected["texts"], *expected["reasons"]])
    assert not [s for s in expected["secret"] if s in text]


def test_csv_formulas_come_out_inert(filled):
    board, _ = filled
    rows = list(csv.DictReader(io.StringIO(csv_export.render(_model(board)))))
    texts = [row["text"] for row in rows]
    for injection in INJECTIONS:
        assert "'" + injection in texts
    dangerous = ("=", "+", "-", "@", "\t", "\r")
    assert not [cell for row in rows for cell in row.values() if cell.startswith(dangerous)]


def test_csv_has_one_row_per_shown_item_with_next_step_fields(filled):
    board, expected = filled
    rows = list(csv.DictReader(io.StringIO(csv_export.render(_model(board)))))
    assert len(rows) == len(expected["texts"])
    step = next(r for r in rows if r["text"].startswith("Book a family"))
    assert (step["owner"], step["due_on"], step["status"]) == ("M.L.", "2026-12-03", "Agreed")


def test_anonymous_author_stays_hidden_and_names_become_initials(filled):
    board, expected = filled
    model = _model(board)
    item = next(i for i in model["items"] if i["id"] == expected["anonymous_item"])
    assert item["author"] == "Anonymous"  # the export's word, translated
    names = [name for group in model["participants"] for name in group["names"]]
    assert names and all(re.fullmatch(r"(\w\.)+", name) for name in names)
    full = _model(board, use_initials=False)
    assert board.user.display_name in [n for g in full["participants"] for n in g["names"]]


def test_danger_statement_is_paired_with_its_goal(filled):
    board, _ = filled
    (pair,) = _model(board)["pairs"]
    assert pair["goals"] == ["Mother will keep a sober adult present at every visit."]


def _normalised(document: dict) -> dict:
    """The document without ids and timestamps: references become positions in the file."""
    for meeting in document["meetings"]:
        meeting.pop("created_at"), meeting.pop("closed_at"), meeting.pop("id")
        meeting.pop("rev"), meeting.pop("events")  # test_import_history.py compares these
        people = {p.pop("id"): n for n, p in enumerate(meeting["participants"])}
        items = {i["id"]: n for n, i in enumerate(meeting["items"])}
        for item in meeting["items"]:
            item.pop("id"), item.pop("updated_at")
            item["author"] = people.get(item["author"]["id"])
            for key in ("merged_into_id", "link_id", "carried_from_id"):
                item[key] = items.get(item[key])
        for scale_round in meeting["scale_rounds"]:
            for key in ("id", "opened_at", "revealed_at"):
                scale_round.pop(key)
            scale_round["danger_item_id"] = items.get(scale_round["danger_item_id"])
            for rating in scale_round["ratings"]:
                rating["participant_id"] = people.get(rating["participant_id"])
    return document


def test_json_export_import_export_gives_the_same_document(filled):
    board, _ = filled
    board.apply(op(board.id, "close_meeting"))
    first = json_export.render([meeting_source(board.meeting)])
    case = case_import.import_case(board.actor, board.team, parse(first.encode()), second_case=True)
    (meeting,) = case.meetings
    assert meeting.status == "closed"
    again = json_export.render([meeting_source(meeting)])
    assert _normalised(json.loads(again)) == _normalised(json.loads(first))


def test_an_imported_meeting_is_read_only(filled):
    board, _ = filled
    first = json_export.render([meeting_source(board.meeting)])
    case = case_import.import_case(board.actor, board.team, parse(first.encode()), second_case=True)
    imported = staff_in(case.meetings[0], board.user)
    with pytest.raises(Exception, match="read-only"):
        raw = op(case.meetings[0].id, "add_item", section="harm", text="x", view="agency")
        board_service.apply_operation(imported, raw)


@pytest.mark.parametrize(
    "data",
    [b"not json", b"[]", b'{"format": "other"}',
     b'{"format": "facilitator.case", "version": 1, "case": {"label": "A"},'
     b' "meetings": [{"kind": "group_supervision", "framework": "cisf",'
     b' "items": [{"section": "nowhere", "text": "x", "position": "a0"}]}]}'],
)  # fmt: skip
def test_import_refuses_what_is_not_an_export(data):
    with pytest.raises(UnreadableExport):
        parse(data)
