"""S8: several hundred naughty strings (tests/naughty.py) in every text field, rendered in
every view and export: no script runs and the text is shown exactly as typed.

The bulk goes in through the operation pipeline (as the socket would apply it); a
representative few are typed through the real pages (an item by staff and by a guest, a
guest's name, the search box). Every page gets a sentinel before its own scripts run: a
payload that executes sets window.__xss, and a dialog fails the test (browser_support).
"""

from __future__ import annotations

import csv
import io
import re
import subprocess
from typing import Any

import pytest
from browser_support import (
    add_item,
    join_as_guest,
    open_board,
    open_display,
    run_ops,
    sign_in,
    texts,
)
from naughty import SENTINEL_SCRIPT, corpus, markup_corpus
from playwright.sync_api import expect

pytestmark = pytest.mark.browser

# Elements or attributes that only an injected payload could have made: the templates have
# no inline handlers (the CSP forbids them) and no javascript: links.
INJECTED = """() => {
  const all = [...document.querySelectorAll('*')];
  const handlers = all.filter(e => [...e.attributes].some(a => a.name.startsWith('on')));
  const scripts = [...document.scripts].filter(
    s => !s.src && s.type !== 'application/json' && s.type !== 'importmap');
  const links = [...document.querySelectorAll('[href^="javascript:" i], [src^="javascript:" i]')];
  const embeds = [...document.querySelectorAll(
    'iframe, object, embed, frame, base, meta[http-equiv]')];
  return [...handlers, ...scripts, ...links, ...embeds].map(e => e.outerHTML.slice(0, 120));
}"""


def armed(page: Any) -> Any:
    page.add_init_script(SENTINEL_SCRIPT)
    return page


def assert_nothing_ran(page: Any, where: str) -> None:
    page.wait_for_timeout(50)  # let any onerror of a broken image fire
    assert page.evaluate("window.__xss") is None, f"a payload ran on {where}"
    assert page.evaluate(INJECTED) == [], f"injected markup on {where}"


def live_texts(seed: Any, meeting_id: int) -> dict[str, list[str]]:
    by_section: dict[str, list[str]] = {}
    for item in seed.live_items(meeting_id):
        by_section.setdefault(item["section"], []).append(item["text"])
    return by_section


def next_step(owner: str) -> Any:
    return lambda ev: {"item_id": ev[-1]["item"]["id"], "owner": owner, "due_on": "2026-12-03"}


def family_view(text: str) -> Any:
    return lambda ev: {"item_id": ev[-1]["item"]["id"], "text": text}


def rating(reason: str) -> Any:
    return lambda ev: {"round_id": ev[-1]["scale_round"]["id"], "value": 5, "reason": reason}


def reveal(events: list[Any]) -> dict[str, Any]:
    return {"round_id": events[-2]["scale_round"]["id"]}


def agenda_with(seed: Any, meeting_id: int, titles: list[str]) -> list[dict[str, Any]]:
    """The meeting's agenda with these step titles (and purposes)."""
    from facilitator.extensions import db
    from facilitator.models import Meeting

    with seed.context():
        steps = [dict(step) for step in db.session.get(Meeting, meeting_id).agenda]
    for step, title in zip(steps, titles, strict=False):
        step.update(title=title, purpose=title)
    return steps


def fill(seed: Any, meeting: Any, lead: Any, strings: list[str]) -> dict[str, list[str]]:
    """Every text field of a board, through the pipeline; returns what went where."""
    from facilitator.domain.frameworks import get_framework

    sections = [s for s in get_framework("cisf").section_keys if s != "next_steps"]
    add = lambda section, text, **extra: (  # noqa: E731
        "add_item",
        {"section": section, "text": text, "view": "agency", **extra},
    )
    ops: list[tuple[str, Any]] = [
        add(sections[i % len(sections)], s) for i, s in enumerate(strings)
    ]
    owners = markup_corpus(80)[:12]
    for owner in owners:
        ops += [add("next_steps", f"Step for {len(ops)}"), ("set_next_step", next_step(owner))]
    parts = markup_corpus(300)[:3]
    guided = {"caregiver": parts[0], "act": parts[1], "impact": parts[2]}
    ops.append(add("harm", "", parts=guided))
    family = markup_corpus(500)[3:6]
    for text in family:
        ops += [add("harm", f"Family view {text[:5]}"), ("set_family_view", family_view(text))]
    reasons = markup_corpus(200)[6:10]
    for reason in reasons:
        ops += [("open_scale_round", {}), ("rate", rating(reason)), ("reveal_scale_round", reveal)]
    titles = markup_corpus(80)[24:27]
    ops.append(("set_agenda", {"steps": agenda_with(seed, meeting.id, titles)}))
    question = markup_corpus(500)[10]
    ops.append(("set_question", {"text": question}))
    run_ops(seed, meeting.id, lead, ops)
    return {"owners": owners, "parts": parts, "family": family, "reasons": reasons,
            "question": [question], "titles": titles}  # fmt: skip


def save_agency_anchors(seed: Any, admin: Any, anchors: list[str]) -> None:
    from facilitator.extensions import db
    from facilitator.identity import staff_actor
    from facilitator.models import User
    from facilitator.services import agency

    with seed.context():
        actor = staff_actor(db.session.get(User, admin.id))
        agency.save(actor, dict(zip(agency.ANCHOR_KEYS, anchors, strict=False)))


def export_html(seed: Any, meeting_id: int) -> str:
    """The HTML WeasyPrint turns into the PDF, built as the export route builds it."""
    from facilitator.exports import pdf, summary
    from facilitator.extensions import db
    from facilitator.models import Meeting
    from facilitator.services import exports

    with seed.context():
        source = exports.meeting_source(db.session.get(Meeting, meeting_id))
        return pdf.html(summary.build(source, use_initials=False))


def flat(text: str) -> str:
    return " ".join(text.split())


def test_naughty_strings_never_run_and_show_exactly_as_typed(browser, seed, tmp_path):
    strings = corpus()
    assert len(strings) >= 250
    names = markup_corpus(40)
    team = seed.team(markup_corpus(80)[23])
    lead = seed.staff("supervisor", team, name=markup_corpus(80)[20])
    admin = seed.staff("admin", team, name=markup_corpus(80)[21])
    label = markup_corpus(60)[22]
    case = seed.case(lead, team, label)
    meeting = seed.meeting(lead, case)
    fields = fill(seed, meeting, lead, strings)
    save_agency_anchors(seed, admin, markup_corpus(300)[30:34])
    code = seed.invite_code(lead, meeting.id)

    # through the real pages: staff and a guest type items, the guest's name is a payload
    staff = armed(browser.page("staff"))
    sign_in(staff, lead)
    open_board(staff, meeting.id)
    typed = markup_corpus(2000)[40:46]
    for text in typed[:3]:
        add_item(staff, "harm", text)
    guest = armed(browser.page("guest"))
    join_as_guest(guest, code, names[0])
    for text in typed[3:]:
        add_item(guest, "strengths", text)
    display = armed(browser.page("display", storage_state=staff.context.storage_state()))
    open_display(display, meeting.id)

    stored = live_texts(seed, meeting.id)
    everything = [text for section in stored.values() for text in section]
    for text in strings + typed:
        assert text in everything, f"not stored as typed: {text!r}"
    staff.reload()
    open_board(staff, meeting.id)
    for name, page in {"staff board": staff, "guest board": guest, "display": display}.items():
        assert_nothing_ran(page, name)
    for section, expected in stored.items():
        # exact textContent of every item, in order: nothing parsed, dropped or changed
        assert texts(staff, section).all_text_contents() == expected, section
    body = staff.locator("body").text_content()
    shown = [*fields["owners"], *fields["family"], *fields["question"], *fields["reasons"]]
    shown += fields["titles"]
    for text in [*shown, label, names[0]]:
        assert text in body, f"not shown as typed on the board: {text!r}"
    guest_body = guest.locator("body").text_content()
    assert all(text in guest_body for text in stored["harm"][:20])

    # the case's pages, history, compare and search
    second = seed.meeting(lead, case)
    pages = {
        "case page": f"/cases/{case}",
        "history": f"/meetings/{meeting.id}/history",
        "compare": f"/cases/{case}/compare?a={meeting.id}&b={second.id}",
        "plan": f"/meetings/{meeting.id}/plan",
    }
    for name, path in pages.items():
        staff.goto(path)
        assert_nothing_ran(staff, name)
    staff.goto(f"/meetings/{meeting.id}/history")
    history = staff.locator("main").text_content()
    assert sum(text in history for text in strings) >= len(strings) * 0.9
    staff.goto("/search")
    query = typed[0]
    staff.locator('input[name="q"]').fill(query)
    staff.locator('input[name="q"]').press("Enter")
    staff.wait_for_load_state()
    assert_nothing_ran(staff, "search results")
    expect(staff.locator("main")).to_contain_text(query)
    # a case label typed into the new-case form comes back as typed
    typed_label = markup_corpus(60)[25]
    staff.goto("/cases/new")
    staff.locator('input[name="label"]').fill(typed_label)
    staff.get_by_role("button", name="Create case").click()
    staff.wait_for_url(re.compile(r"/cases/\d+$"))
    assert_nothing_ran(staff, "new case page")
    expect(staff.get_by_role("heading", level=1)).to_have_text(typed_label)
    adminpage = armed(browser.page("admin"))
    sign_in(adminpage, admin)
    adminpage.goto("/admin")
    assert_nothing_ran(adminpage, "admin page")

    # every export
    wanted = [text for text in everything if not text.startswith("Family view")]
    files = {}
    for fmt in ("pdf", "docx", "md", "csv", "json"):
        answer = staff.context.request.get(f"/meetings/{meeting.id}/export.{fmt}?names=full")
        assert answer.ok, fmt
        files[fmt] = answer.body()

    import json

    exported = json.loads(files["json"])
    json_texts = {i["text"] for m in exported["meetings"] for i in m["items"]}
    assert set(wanted) <= json_texts

    rows = list(csv.reader(io.StringIO(files["csv"].decode("utf-8"))))
    cells = [cell for row in rows for cell in row]
    starts = ("=", "+", "-", "@", "\t", "\r")
    formula = [c for c in cells if c.startswith(starts)]
    assert formula == [], "CSV cells a spreadsheet would run"
    unneutralised = {c[1:] if c.startswith("'") and c[1:].startswith(starts) else c for c in cells}
    assert set(wanted) <= unneutralised

    markdown = files["md"].decode("utf-8")
    assert re.search(r"(?<!\\)[<>]", markdown.split("\n", 1)[1]) is None, "raw markup in MD"
    plain = flat(re.sub(r"\\([\\`*_{}\[\]<>#|!])", r"\1", markdown))
    missing = [t for t in wanted if flat(t) not in plain]
    assert missing == [], missing[:5]

    import docx

    document = docx.Document(io.BytesIO(files["docx"]))
    paragraphs = [p.text for p in document.paragraphs]
    for table in document.tables:
        paragraphs += [cell.text for row in table.rows for cell in row.cells]
    word = flat("\n".join(paragraphs))
    missing = [t for t in wanted if flat(t) not in word]
    assert missing == [], missing[:5]

    assert files["pdf"].startswith(b"%PDF")
    (tmp_path / "export.pdf").write_bytes(files["pdf"])
    pdf_text = subprocess.run(
        ["pdftotext", "-layout", str(tmp_path / "export.pdf"), "-"],
        capture_output=True, text=True, check=True,
    ).stdout  # fmt: skip
    assert "<script>" in pdf_text  # the payloads are printed as text, not taken as markup
    # the HTML WeasyPrint renders: no payload became markup or ran in a browser either
    printed = armed(browser.page("pdf html"))
    printed.set_content(export_html(seed, meeting.id))
    assert_nothing_ran(printed, "the PDF's HTML")
    assert flat(label) in flat(printed.locator("body").text_content())
