"""The export model as Markdown: headings per column and section, lists of items."""

from __future__ import annotations

import re
from typing import Any

from facilitator.exports.summary import person_line

_SPECIAL = re.compile(r"([\\`*_{}\[\]<>#|!])")


def _md(text: Any) -> str:
    """Escape Markdown so case text stays text (no links, no HTML), on one line."""
    return _SPECIAL.sub(r"\\\1", " ".join(str(text).split()))


def _item_line(item: dict[str, Any], t: dict[str, str]) -> str:
    extras = [item["author"]] if item.get("by_child") else [item["view"]] if item["view"] else []
    if item["owner"] or item["due_on"] or item["status"]:
        extras = [item["owner"] or t["who_unknown"], item["due_label"], item["status"]]
    line = f"- {_md(item['text'])}"
    if item.get("people"):
        line += f" [{_md(', '.join(item['people']))}]"
    return line + (f" ({_md(', '.join(e for e in extras if e))})" if extras else "")


def render(model: dict[str, Any]) -> str:
    """The whole summary as one Markdown document."""
    t = model["t"]
    out = [f"# {_md(model['case_label'])}: {_md(model['kind'])}, {_md(model['date_shown'])}", ""]
    draft = f" {_md(t['draft'])}." if model["status"] == "live" else ""
    out += [f"{_md(model['framework'])}. {_md(t['meeting_number'])}.{draft}", ""]
    if model["question"]:
        out += [f"{_md(t['question'])}: {_md(model['question'])}", ""]
    if model.get("consent"):
        out += [_md(model["consent"]), ""]
    out += [f"## {_md(t['participants'])}", ""]
    out += [f"- {_md(p['role'])}: {_md(', '.join(p['names']))}" for p in model["participants"]]
    if model.get("involved") and not model.get("involved_in_map"):
        out += ["", f"## {_md(t['involved'])}", ""]
        out += [f"- {_md(p['name'])}" + (f" ({_md(p['about'])})" if p["about"] else "")
                for p in model["involved"]]  # fmt: skip
    for column in model["columns"]:
        out += ["", f"## {_md(column['question'])}"]
        for section in column["sections"]:
            out += ["", f"### {_md(section['title'])}", ""]
            lines = [f"- {_md(person_line(p))}" for p in section.get("people", [])]
            lines += [_item_line(i, t) for i in section["items"]]
            out += lines or [f"- {_md(t['none_recorded'])}"]
    out += ["", f"## {_md(t['scaling'])}", ""]
    out += [f"10 = {_md(model['anchors']['10'])} 0 = {_md(model['anchors']['0'])}", ""]
    for scale in model["scales"]:
        out += [f"### {_md(scale['about'] or t['overall'])} ({_md(scale['revealed_shown'])})", ""]
        out += [f"- {r['value']}: {_md(r['reason'])} ({_md(r['who'])})" for r in scale["ratings"]]
        out += [""]
    out += [f"## {_md(t['next_steps'])}", ""]
    out += [
        f"- {_md(s['text'])}: {_md(s['owner'] or t['who_unknown'])}, {_md(s['due_label'])}, "
        f"{_md(s['status'])}"
        for s in model["next_steps"]
    ] or [f"- {_md(t['none_recorded'])}"]
    out += ["", _md(t["footer"])]
    return "\n".join(out) + "\n"
