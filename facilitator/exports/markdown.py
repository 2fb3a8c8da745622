"""The export model as Markdown: headings per column and section, lists of items."""

from __future__ import annotations

import re
from typing import Any

_SPECIAL = re.compile(r"([\\`*_{}\[\]<>#|!])")


def _md(text: Any) -> str:
    """Escape Markdown so case text stays text (no links, no HTML), on one line."""
    return _SPECIAL.sub(r"\\\1", " ".join(str(text).split()))


def _item_line(item: dict[str, Any]) -> str:
    extras = [item["view"]] if item["view"] else []
    if item["owner"] or item["due_on"] or item["status"]:
        extras = [item["owner"] or "?", item["due_on"] or "?", item["status"]]
    line = f"- {_md(item['text'])}"
    if item.get("people"):
        line += f" [{_md(', '.join(item['people']))}]"
    return line + (f" ({_md(', '.join(e for e in extras if e))})" if extras else "")


def render(model: dict[str, Any]) -> str:
    """The whole summary as one Markdown document."""
    out = [f"# {_md(model['case_label'])}: {_md(model['kind'])}, {model['date']}", ""]
    out += [f"{_md(model['framework'])}. Meeting {model['meeting_id']}, {model['status']}.", ""]
    if model["question"]:
        out += [f"Question: {_md(model['question'])}", ""]
    out += ["## Participants", ""]
    out += [f"- {_md(p['role'])}: {_md(', '.join(p['names']))}" for p in model["participants"]]
    if model.get("involved"):
        out += ["", "## Who is involved", ""]
        out += [f"- {_md(p['name'])}" + (f" ({_md(p['about'])})" if p["about"] else "")
                for p in model["involved"]]  # fmt: skip
    for column in model["columns"]:
        out += ["", f"## {_md(column['question'])}"]
        for section in column["sections"]:
            out += ["", f"### {_md(section['title'])}", ""]
            out += [_item_line(i) for i in section["items"]] or ["- none"]
    out += ["", "## Scales", ""]
    out += [f"10 = {_md(model['anchors']['10'])} 0 = {_md(model['anchors']['0'])}", ""]
    for scale in model["scales"]:
        out += [f"### {_md(scale['about'] or 'Overall')} ({scale['revealed_at']})", ""]
        out += [f"- {r['value']}: {_md(r['reason'])} ({_md(r['who'])})" for r in scale["ratings"]]
        out += [""]
    out += ["## Next steps", ""]
    out += [
        f"- {_md(s['text'])}: {_md(s['owner'] or '?')}, by {s['due_on'] or '?'}, {_md(s['status'])}"
        for s in model["next_steps"]
    ] or ["- none"]
    return "\n".join(out) + "\n"
