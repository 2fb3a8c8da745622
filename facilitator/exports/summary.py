"""The one export model of a meeting's board: what the PDF, DOCX, Markdown and CSV show.

Built from the plain dict of services/exports.meeting_source. Left out: items merged into
another, privately collected items never revealed, and scale rounds not yet revealed.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from babel.dates import format_date
from babel.numbers import format_decimal

from facilitator.domain.person_labels import CHILD_LABEL, CHILD_VIEW, Person, labels
from facilitator.domain.privacy import person_name_for

NEXT_STEP_SECTIONS = frozenset({"next_steps", "next"})
ANONYMOUS = "anonymous"  # when the source carries no translated word for it


def initials(name: str) -> str:
    """'Maria Lopez' -> 'M.L.' (people named on a record by initials only)."""
    return "".join(f"{word[0].upper()}." for word in name.split() if word[:1].isalnum())


class Names:
    """Each person's one label in this file (domain/person_labels.py): participants by id,
    scribes by the name items carry ("via"), people around the child by id."""

    def __init__(self, source: dict[str, Any], use_initials: bool) -> None:
        texts = source.get("texts") or {}
        self.anonymous: str = texts.get("anonymous", ANONYMOUS)
        self.via: str = texts.get("via", "%(name)s, via %(scribe)s")
        people = source.get("people") or source["participants"]
        listed = source.get("involved", [])
        shown = {p["id"]: person_name_for(p["name"], use_initials) for p in listed}
        everyone = [
            *(Person(("participant", p["id"]), p["name"], p.get("view") == CHILD_VIEW)
              for p in people),
            *(Person(("involved", p["id"]), p["name"], as_written=shown[p["id"]] == p["name"])
              for p in listed),
        ]  # fmt: skip
        found = labels(everyone, source["case"]["label"], use_initials,
                       texts.get("child", CHILD_LABEL))  # fmt: skip
        self.participants: dict[int, str] = {
            key[1]: v for key, v in found.items() if key[0] == "participant"
        }
        self.involved: dict[int, str] = {
            key[1]: v for key, v in found.items() if key[0] == "involved"
        }
        self.children = {p["id"] for p in people if p.get("view") == CHILD_VIEW}
        self.by_name: dict[str, str] = {}
        for p in people:
            if p["id"] in self.participants:
                self.by_name.setdefault(p["name"], self.participants[p["id"]])
        self.use_initials = use_initials

    def of(self, participant_id: Any, name: str | None) -> str:
        if participant_id in self.participants:
            return self.participants[participant_id]
        if name and name in self.by_name:
            return self.by_name[name]
        if not name:
            return self.anonymous
        return initials(name) or name if self.use_initials else name

    def speaker(self, who: dict[str, Any]) -> str:
        """Whose an item or rating is; "Rosa, via Sam" when a scribe wrote it for them."""
        name = self.of(who.get("id", who.get("participant_id")), who.get("name"))
        if not who.get("via"):
            return name
        return self.via % {"name": name, "scribe": self.of(None, who["via"])}


def _shown(item: dict[str, Any]) -> bool:
    return not item.get("hidden") and not item.get("merged_into_id")


def person_line(person: dict[str, Any]) -> str:
    """'Ab.R. (grandmother, 64, household 1, Safety network)'."""
    return f"{person['name']} ({person['about']})" if person["about"] else person["name"]


def _involved(source: dict[str, Any], names: Names) -> list[dict[str, Any]]:
    """The people around the child still on the list: a name (initials on a record unless
    names were asked for) and what is known of them, without words to translate."""
    roles = source["labels"].get("network_roles", {})
    listed = [person for person in source.get("involved", []) if not person["removed"]]
    return [
        {
            "id": person["id"],
            "name": names.involved[person["id"]],
            "about": ", ".join(str(part) for part in _known(person, roles) if part != ""),
        }
        for person in listed
    ]


def _known(person: dict[str, Any], roles: dict[str, str]) -> tuple[Any, ...]:
    role = roles.get(person["role"], person["role"])
    age = "" if person["age"] is None else person["age"]
    return (person["relationship"], age, person["household"], role)


def _named(item: dict[str, Any], names: Names) -> list[str]:
    """The names of the people an item names (someone since removed included)."""
    return [names.involved[i] for i in item.get("person_ids") or () if i in names.involved]


def shown_date(iso: str | None, language: str) -> str:
    """An ISO date ('2026-12-03') as the language writes it ('3 dic 2026'); '' if none."""
    if not iso:
        return ""
    try:
        return format_date(date.fromisoformat(iso[:10]), "medium", locale=language)
    except ValueError:
        return iso


def _by_date(texts: dict[str, str], shown: str) -> str:
    """'by 3 Dec 2026' in the file's words, or its 'when?' when there is no date."""
    if not shown:
        return texts.get("when_unknown", "?")
    return texts.get("by_date", "%(date)s") % {"date": shown}


def _item(
    item: dict[str, Any],
    labels: dict[str, Any],
    names: Names,
    language: str,
    texts: dict[str, str],
) -> dict[str, Any]:
    status = item.get("status")
    return {
        "id": item["id"],
        "section": item["section"],
        # a child's words waiting for consent come without their text (domain/consent.py)
        "text": texts.get("awaiting_consent", "") if item.get("awaiting_consent") else item["text"],
        "awaiting_consent": bool(item.get("awaiting_consent")),
        "view": labels["views"].get(item["view"], item["view"]),
        "view_key": item["view"],
        "author": names.speaker(item["author"]),
        # the child's own words: every file signs them as the child's
        "by_child": item["author"].get("id") in names.children,
        "status": labels["statuses"].get(status, status) if status else "",
        "owner": item.get("owner") or "",
        "due_on": item.get("due_on") or "",  # ISO, for spreadsheets
        "due_shown": shown_date(item.get("due_on"), language),
        "due_label": _by_date(texts, shown_date(item.get("due_on"), language)),
        "family_view": item.get("family_view") or "",
        "people": _named(item, names),
    }


INVOLVED_SECTION = "involved"  # the map's "Who is involved": the people list shows there


def _columns(
    source: dict[str, Any], items: list[dict[str, Any]], involved: list[dict[str, Any]]
) -> list[dict[str, Any]]:
    """The map's columns and sections with their items; the people around the child go in
    the "Who is involved" section (once: not a second list beside it)."""
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
                    "people": involved if section["key"] == INVOLVED_SECTION else [],
                }
                for section in framework["sections"]
                if section["column"] == column["key"]
            ],
        }
        for column in framework["columns"]
    ]


def _participants(source: dict[str, Any], names: Names) -> list[dict[str, Any]]:
    roles = source["labels"]["roles"]
    by_role: dict[str, list[str]] = {}
    for person in source["participants"]:
        name = names.of(person["id"], person["name"])
        by_role.setdefault(person["role"], []).append(name)
    return [
        {"role": roles.get(role, role), "names": by_role[role]} for role in roles if role in by_role
    ]


def _scales(
    source: dict[str, Any], texts: dict[int, str], names: Names, language: str
) -> list[Any]:
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
                "revealed_shown": shown_date(scale_round["revealed_at"], language),
                "spread": scale_round["spread"],
                "spread_label": _spread(source.get("texts") or {}, scale_round["spread"], language),
                "ratings": [
                    {
                        "who": names.speaker(r),
                        "value": r["value"],
                        "reason": r["reason"],
                    }
                    for r in ratings
                ],
            }
        )
    return scales


def _spread(texts: dict[str, str], spread: dict[str, Any] | None, language: str) -> str:
    """'2 ratings, 4 to 7, median 5.5', numbers as the language writes them ('5,5')."""
    if not spread or not spread.get("count"):
        return ""
    numbers = {key: format_decimal(value, locale=language) for key, value in spread.items()
               if isinstance(value, int | float)}  # fmt: skip
    return texts.get("spread", "") % {**spread, **numbers}


def _filled(texts: dict[str, str], meeting_id: int, exported_on: str) -> dict[str, str]:
    """The file's words with what fills them already in, so that two languages side by
    side each say it whole ('Meeting 12 / Reunión 12')."""
    return {
        **texts,
        "meeting_number": texts.get("meeting_number", "%(num)s") % {"num": meeting_id},
        "footer": texts.get("footer", "%(date)s") % {"date": exported_on},
    }


def _consent(texts: dict[str, str], consent: dict[str, Any] | None, language: str) -> str:
    """The record's line on the consent for showing the child's words ("" if none)."""
    if not consent:
        return ""
    shown = shown_date(consent.get("at"), language)
    return texts.get("consent_given", "%(name)s %(date)s") % {"name": consent["by"], "date": shown}


def _pairs(items: list[dict[str, Any]], source_items: list[dict[str, Any]]) -> list[Any]:
    """Each danger statement with the safety goals linked to it."""
    links = {i["id"]: i.get("link_id") for i in source_items}
    dangers = [i for i in items if i["section"] == "danger"]
    goals = [i for i in items if i["section"] == "goals"]
    return [
        {"danger": d["text"], "goals": [g["text"] for g in goals if links[g["id"]] == d["id"]]}
        for d in dangers
    ]


def build(
    source: dict[str, Any], use_initials: bool = True, language: str = "en"
) -> dict[str, Any]:
    """The export model of one meeting (names as initials unless use_initials is False),
    its labels in the language the source was translated to, dates as that language
    writes them."""
    labels = source["labels"]
    words = source.get("texts") or {}
    names = Names(source, use_initials)
    involved = _involved(source, names)
    items = [_item(i, labels, names, language, words) for i in source["items"] if _shown(i)]
    texts = {i["id"]: i["text"] for i in items}
    meeting = source["meeting"]
    scales = _scales(source, texts, names, language)
    exported_on = shown_date(date.today().isoformat(), language)
    return {
        "case_label": source["case"]["label"],
        "meeting_id": meeting["id"],
        "date": (meeting["created_at"] or "")[:10],
        "date_shown": shown_date(meeting["created_at"], language),
        "exported_on": exported_on,
        "language": language,
        "t": _filled(words, meeting["id"], exported_on),
        "kind": meeting["kind_label"],
        "framework": source["framework"]["name"],
        "layout": source["framework"].get("layout", "columns"),
        "child_words": source["framework"].get("child_words", False),
        "status": meeting["status"],
        "question": meeting["question"],
        "consent": _consent(words, meeting.get("child_consent"), language),
        "participants": _participants(source, names),
        "involved": involved,
        "involved_in_map": any(
            s["key"] == INVOLVED_SECTION for s in source["framework"]["sections"]
        ),
        "columns": _columns(source, items, involved),
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


def side_by_side(first: Any, second: Any) -> Any:
    """Two models of the same meeting in two languages as one: every label that differs
    reads "first / second"; what people wrote is the same in both, so it appears once."""
    if isinstance(first, dict) and isinstance(second, dict):
        return {key: side_by_side(value, second.get(key, value)) for key, value in first.items()}
    if isinstance(first, list) and isinstance(second, list) and len(first) == len(second):
        return [side_by_side(a, b) for a, b in zip(first, second, strict=True)]
    if isinstance(first, str) and isinstance(second, str) and first != second:
        return f"{first} / {second}"
    return first


def bilingual(first: dict[str, Any], second: dict[str, Any]) -> dict[str, Any]:
    """The model with labels in both languages (the first one leads)."""
    merged: dict[str, Any] = side_by_side(first, second)
    merged["language"] = first["language"]
    merged["date"] = first["date"]
    return merged


def filename(model: dict[str, Any], extension: str) -> str:
    """A file name without case text: meeting-12-2026-11-26.pdf."""
    return f"meeting-{model['meeting_id']}-{model['date']}.{extension}"
