"""The export model as CSV: one row per item, safe to open in a spreadsheet."""

from __future__ import annotations

import csv
import io
from typing import Any

COLUMNS = ("section", "text", "view", "author", "status", "owner", "due_on")
# A cell starting with these is a formula to Excel, LibreOffice and Sheets (OWASP "CSV
# injection"); a leading apostrophe makes it text.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def neutralise(value: Any) -> str:
    text = str(value)
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def render(model: dict[str, Any]) -> str:
    """The header row, then one row per shown item, in the board's order."""
    titles = {s["key"]: s["title"] for c in model["columns"] for s in c["sections"]}
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(COLUMNS)
    for column in model["columns"]:
        for section in column["sections"]:
            for item in section["items"]:
                row = {**item, "section": titles[item["section"]]}
                writer.writerow([neutralise(row[key]) for key in COLUMNS])
    return out.getvalue()
