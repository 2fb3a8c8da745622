"""The export model as a Word document: landscape, headings, a table per column group."""

from __future__ import annotations

import io
from typing import Any

from docx import Document
from docx.enum.section import WD_ORIENT
from docx.shared import Cm, Pt

from facilitator.exports.summary import NEXT_STEP_SECTIONS, person_line


def _landscape(document: Any) -> None:
    section = document.sections[0]
    section.orientation = WD_ORIENT.LANDSCAPE
    section.page_width, section.page_height = Cm(27.94), Cm(21.59)  # US Letter
    for side in ("left_margin", "right_margin", "top_margin", "bottom_margin"):
        setattr(section, side, Cm(1.5))
    document.styles["Normal"].font.size = Pt(10)


def _item_text(item: dict[str, Any], t: dict[str, str]) -> str:
    text = item["text"]
    if item["section"] in NEXT_STEP_SECTIONS:
        text += f" ({item['owner'] or t['who_unknown']}, {item['due_label']}, {item['status']})"
    elif item.get("by_child"):
        text += f" ({item['author']})"
    elif item["view"] and item["view_key"] != "agency":
        text += f" ({item['view']})"
    return text


def _column_table(document: Any, column: dict[str, Any], t: dict[str, str]) -> None:
    document.add_heading(column["question"], level=2)
    table = document.add_table(rows=0, cols=2)
    table.style = "Table Grid"
    for section in column["sections"]:
        cells = table.add_row().cells
        cells[0].text = section["title"]
        cells[0].paragraphs[0].runs[0].bold = True
        people = [person_line(p) for p in section.get("people", [])]
        texts = [*people, *(_item_text(i, t) for i in section["items"])] or ["—"]
        cells[1].text = texts[0]
        for text in texts[1:]:
            cells[1].add_paragraph(text)
    for row in table.rows:
        row.cells[0].width, row.cells[1].width = Cm(5), Cm(19.9)


def _scales(document: Any, model: dict[str, Any]) -> None:
    document.add_heading(model["t"]["scaling"], level=2)
    anchors = model["anchors"]
    document.add_paragraph(f"10 = {anchors['10']}  0 = {anchors['0']}")
    for scale in model["scales"]:
        about = scale["about"] or model["t"]["overall"]
        document.add_paragraph(f"{about} ({scale['revealed_shown']})").runs[0].bold = True
        for rating in scale["ratings"]:
            document.add_paragraph(
                f"{rating['value']}: {rating['reason']} ({rating['who']})", style="List Bullet"
            )


def render(model: dict[str, Any]) -> bytes:
    """The whole summary as a .docx file."""
    document = Document()
    _landscape(document)
    t = model["t"]
    heading = f"{model['case_label']}: {model['kind']}, {model['date_shown']}"
    document.add_heading(heading, level=1)
    document.add_paragraph(f"{model['framework']}. {t['meeting_number']}.")
    if model["question"]:
        document.add_paragraph(f"{t['question']}: {model['question']}")
    if model.get("consent"):
        document.add_paragraph(model["consent"])
    people = "; ".join(f"{p['role']}: {', '.join(p['names'])}" for p in model["participants"])
    document.add_paragraph(f"{t['participants']}: {people}")
    if model.get("involved") and not model.get("involved_in_map"):
        listed = "; ".join(person_line(p) for p in model["involved"])
        document.add_paragraph(f"{t['involved']}: {listed}")
    for column in model["columns"]:
        _column_table(document, column, t)
    _scales(document, model)
    document.add_paragraph(t["footer"])
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()
