"""The one export model of a meeting's board: what the PDF, DOCX, Markdown and CSV show.

Built from the plain dict of services/exports.meeting_source. Left out: items merged into
another, privately collected items never revealed, and scale rounds not yet revealed.
"""

from __future__ import annotations

from typing import Any

from facilitator.domain.privacy import person_name_for

NEXT_STEP_SECTIONS = frozenset({"next_steps", "next"})
ANONYMOUS = "anonymous"


def initials(name: str) -> str:
    """'Maria Lopez' -> 'M.L.' (people named on a record by initials only)."""
    return "".join(f"{word[0].upper()}." for word in name.split() if word[:1].isalnum())


def _person(name: str, use_initials: bool) -> str:
    if not name:
        return ANONYMOUS
    return initials(name) or name if use_initials else name


def _shown(item: dict[str, Any]) -> bool:
    return not item.get("hidden") and not item.get("merged_into_id")


def _involved(source: dict[str, Any], use_initials: bool) -> list[dict[str, Any]]:
    """The people around the child still on the list: a name (initials on a record unless
    names were asked for) and what is known of them, without words to translate."""
    roles = source["labels"].get("network_roles", {})
    listed = [person for person in source.get("involved", []) if not person["removed"]]
    return [
        {
            "id": person["id"],
            "name": person_name_for(person["name"], use_initials),
            "about": ", ".join(str(part) for part in _known(person, roles) if part != ""),
        }
        for person in listed
    ]


def _known(person: dict[str, Any], roles: dict[str, str]) -> tuple[Any, ...]:
    role = roles.get(person["role"], person["role"])
    age = "" if person["age"] is None else person["age"]
    return (person["relationship"], age, person["household"], role)


def _named(item: dict[str, Any], source: dict[str, Any], use_initials: bool) -> list[str]:
    """The names of the people an item names (someone since removed included)."""
    people = {person["id"]: person for person in source.get("involved", [])}
    found = [people[i] for i in item.get("person_ids") or () if i in people]
    return [person_name_for(person["name"], use_initials) for person in found]


def _item(
    item: dict[str, Any], source: dict[str, Any], labels: dict[str, Any], use_initials: bool
) -> dict[str, Any]:
    status = item.get("status")
    return {
        "id": item["id"],
        "section": item["section"],
        "text": item["text"],
        "view": labels["views"].get(item["view"], item["view"]),
        "author": _person(item["author"]["name"], use_initials),
        "status": labels["statuses"].get(status, status) if status else "",
        "owner": item.get("owner") or "",
        "due_on": item.get("due_on") or "",
        "family_view": item.get("family_view") or "",
        "people": _named(item, source, use_initials),
    }


def _columns(source: dict[str, Any], items: list[dict[str, Any]]) -> list[dict[str, Any]]:
    framework = source["framework"]
    return [
        {
            "key": column["key"],
            "question": column["question"],
            "sections": [
                {
                    "key": section["key"],
                    "title": section["title"],
                    "items": [i for i in items if i["section"] == section["key"]],
                }
                for section in framework["sections"]
                if section["column"] == column["key"]
            ],
        }
        for column in framework["columns"]
    ]


def _participants(source: dict[str, Any], use_initials: bool) -> list[dict[str, Any]]:
    roles = source["labels"]["roles"]
    by_role: dict[str, list[str]] = {}
    for person in source["participants"]:
        by_role.setdefault(person["role"], []).append(_person(person["name"], use_initials))
    return [
        {"role": roles.get(role, role), "names": by_role[role]} for role in roles if role in by_role
    ]


def _scales(source: dict[str, Any], texts: dict[int, str], use_initials: bool) -> list[Any]:
    scales = []
    for scale_round in source["scale_rounds"]:
        if scale_round["status"] != "revealed":
            continue
        ratings = scale_round["ratings"] or []
        scales.append(
            {
                "id": scale_round["id"],
                "about": texts.get(scale_round["danger_item_id"] or 0, ""),
                "revealed_at": (scale_round["revealed_at"] or "")[:10],
                "spread": scale_round["spread"],
                "ratings": [
                    {
                        "who": _person(r["name"] or "", use_initials),
                        "value": r["value"],
                        "reason": r["reason"],
                    }
                    for r in ratings
                ],
            }
        )
    return scales


def _pairs(items: list[dict[str, Any]], source_items: list[dict[str, Any]]) -> list[Any]:
    """Each danger statement with the safety goals linked to it."""
    links = {i["id"]: i.get("link_id") for i in source_items}
    dangers = [i for i in items if i["section"] == "danger"]
    goals = [i for i in items if i["section"] == "goals"]
    return [
        {"danger": d["text"], "goals": [g["text"] for g in goals if links[g["id"]] == d["id"]]}
        for d in dangers
    ]


def build(source: dict[str, Any], use_initials: bool = True) -> dict[str, Any]:
    """The export model of one meeting (names as initials unless use_initials is False)."""
    labels = source["labels"]
    items = [_item(i, source, labels, use_initials) for i in source["items"] if _shown(i)]
    texts = {i["id"]: i["text"] for i in items}
    meeting = source["meeting"]
    scales = _scales(source, texts, use_initials)
    return {
        "case_label": source["case"]["label"],
        "meeting_id": meeting["id"],
        "date": (meeting["created_at"] or "")[:10],
        "kind": meeting["kind_label"],
        "framework": source["framework"]["name"],
        "layout": source["framework"].get("layout", "columns"),
        "child_words": source["framework"].get("child_words", False),
        "status": meeting["status"],
        "question": meeting["question"],
        "participants": _participants(source, use_initials),
        "involved": _involved(source, use_initials),
        "columns": _columns(source, items),
        "items": items,
        "next_steps": [i for i in items if i["section"] in NEXT_STEP_SECTIONS],
        "pairs": _pairs(items, source["items"]),
        "scales": scales,
        "anchors": _anchors(source),
        "counts": {"items": len(items), "ratings": sum(len(s["ratings"]) for s in scales)},
    }


def _anchors(source: dict[str, Any]) -> dict[str, str]:
    mode = source["framework"]["mode"]
    anchors = source["labels"]["anchors"]
    return {
        "10": anchors.get(f"scale_anchor_{mode}_10", ""),
        "0": anchors.get(f"scale_anchor_{mode}_0", ""),
    }


def filename(model: dict[str, Any], extension: str) -> str:
    """A file name without case text: meeting-12-2026-11-26.pdf."""
    return f"meeting-{model['meeting_id']}-{model['date']}.{extension}"
