"""R3 in Chromium: a worker's laptop loses the network and they keep working. Everything
done offline (adds, an edit, a move, a delete) waits in the page's outbox, goes when the
network is back, and arrives exactly once on both boards and in the database; the status
says offline (with the count), then saving, then all changes saved."""

from __future__ import annotations

import re
from typing import Any

import pytest
from browser_support import add_form, add_item, card, open_board, sign_in, texts
from playwright.sync_api import expect

pytestmark = pytest.mark.browser

TO_EDIT = "Father says he has stopped drinking."
EDITED = "Father says he has stopped drinking; no test result yet."
TO_MOVE = "Neighbour checks on the children most evenings."
TO_DELETE = "Duplicate note: father drinking."
ADDED_OFFLINE = {
    "safety": "Grandmother will collect the children on Fridays.",
    "goals": "Father will do a breath test before every visit.",
}
ADDED_MEANWHILE = "School will tell the worker about any absence."

# Every text the #status element shows, in order, as the page writes it (a test-side
# observer: the page itself keeps no such list).
RECORD_STATUS = """() => {
  window.statusSeen = [document.getElementById('status').textContent];
  new MutationObserver((records) => {
    for (const record of records) {
      for (const node of record.addedNodes) window.statusSeen.push(node.textContent);
    }
  }).observe(document.getElementById('status'), { childList: true });
}"""


def in_order(seen: list[str], wanted: list[re.Pattern[str]]) -> bool:
    """Whether the statuses seen include one matching each pattern, in this order."""
    position = 0
    for text in seen:
        if position < len(wanted) and wanted[position].fullmatch(text):
            position += 1
    return position == len(wanted)


def test_everything_done_offline_arrives_exactly_once_when_the_network_is_back(browser, seed):
    team = seed.team()
    supervisor = seed.staff("supervisor", team)
    worker = seed.staff("worker", team)
    meeting = seed.meeting(supervisor, seed.case(supervisor, team))
    seed.add_items(meeting, [("harm", TO_EDIT), ("strengths", TO_MOVE), ("harm", TO_DELETE)])
    rev_before = seed.meeting_rev(meeting.id)

    away = browser.page("worker offline")
    confirms = browser.accept_confirms(away)
    sign_in(away, worker)
    open_board(away, meeting.id)
    # Chromium logs the socket's failed reconnection attempts while offline.
    browser.expect_problem(away, r"^console error: WebSocket connection to .* failed: .*")
    here = browser.page("supervisor online")
    sign_in(here, supervisor)
    open_board(here, meeting.id)

    status = away.locator("#status")
    away.evaluate(RECORD_STATUS)
    away.context.set_offline(True)
    expect(status).to_have_text("Offline: reconnecting…")

    for section, text in ADDED_OFFLINE.items():
        form = add_form(away, section)
        form.locator("textarea").fill(text)
        form.get_by_role("button", name="Add").click()
    editing = card(away, TO_EDIT)
    editing.focus()
    editing.get_by_role("button", name="Edit").click()
    editing.get_by_label("Edit item").fill(EDITED)
    editing.get_by_role("button", name="Save").click()
    expect(status).to_have_text("Offline: 3 changes waiting")
    moving = card(away, TO_MOVE)
    moving.focus()
    moving.get_by_label("Move to section").select_option("safety")
    expect(status).to_have_text("Offline: 4 changes waiting")
    deleting = card(away, TO_DELETE)
    deleting.focus()
    deleting.get_by_role("button", name="Delete").click()
    expect(status).to_have_text("Offline: 5 changes waiting")
    assert confirms == []  # a delete asks nothing (Undo is offered)
    # nothing typed is lost while it waits: every change is on the board at once, marked
    # as not saved yet (optimistic apply), and the boxes are free for the next one
    pending = re.compile(r"\bis-pending\b")
    for section, text in ADDED_OFFLINE.items():
        expect(add_form(away, section).locator("textarea")).to_have_value("")
        expect(card(away, text, section)).to_have_class(pending)
    expect(card(away, EDITED, "harm")).to_have_class(pending)
    expect(card(away, TO_MOVE, "safety")).to_have_class(pending)
    expect(card(away, TO_DELETE)).to_have_count(0)
    browser.screenshot(away, "offline-five-waiting")
    assert browser.leaving_warns(away)  # closing the tab now would lose them: it asks first

    add_item(here, "next_steps", ADDED_MEANWHILE)  # the meeting goes on meanwhile
    assert seed.meeting_rev(meeting.id) == rev_before + 1

    away.context.set_offline(False)
    expect(status).to_have_text("All changes saved", timeout=20_000)
    seen = away.evaluate("window.statusSeen")
    assert in_order(
        seen,
        [
            re.compile(r"Offline: 5 changes waiting"),
            re.compile(r"Saving…"),
            re.compile(r"All changes saved"),
        ],
    ), seen
    browser.screenshot(away, "back-online")

    expected = {
        "harm": [EDITED],
        "safety": [TO_MOVE, ADDED_OFFLINE["safety"]],
        "goals": [ADDED_OFFLINE["goals"]],
        "next_steps": [ADDED_MEANWHILE],
        "strengths": [],
    }
    for page in (away, here):
        for section, shown in expected.items():
            expect(texts(page, section)).to_have_text(shown)
    for section in ADDED_OFFLINE:
        expect(add_form(away, section).locator("textarea")).to_have_value("")
    expect(card(away, EDITED).locator(".edit-form")).to_have_count(0)
    expect(away.locator("li.item.is-pending")).to_have_count(0)

    # Exactly once: one revision per change, and the database holds what both boards show.
    away.wait_for_timeout(500)  # a late duplicate would have arrived by now
    assert seed.meeting_rev(meeting.id) == rev_before + 6
    stored = seed.live_items(meeting.id)
    assert sorted((i["section"], i["text"]) for i in stored) == sorted(
        (section, text) for section, shown in expected.items() for text in shown
    )
    assert next(i["version"] for i in stored if i["text"] == EDITED) == 2
    for page in (away, here):
        expect(page.locator("li.item")).to_have_count(len(stored))


SERVER_ERROR = '{"ok":false,"error":{"code":"server_error","message":"Something went wrong."}}'


def test_a_change_answered_with_a_server_error_is_resent_and_saved_once(browser, seed):
    """The server may have committed a change it answers `server_error` for (docs/protocol.md
    §10): the page sends it again with the same op_id, and it is saved exactly once.
    The first answer to an operation is replaced on its way to the page."""
    team = seed.team()
    supervisor = seed.staff("supervisor", team)
    meeting = seed.meeting(supervisor, seed.case(supervisor, team))
    page = browser.page("supervisor")
    replaced: list[str] = []

    def answer_the_first_op_with_a_server_error(route: Any) -> None:
        server = route.connect_to_server()

        def to_page(message: str | bytes) -> None:
            op_ack = re.match(r'^43(\d+)\[\{"ok":\s*true,.*"duplicate":\s*false', str(message))
            if op_ack and not replaced:
                replaced.append(str(message))
                route.send(f"43{op_ack.group(1)}[{SERVER_ERROR}]")
            else:
                route.send(message)

        server.on_message(to_page)

    page.route_web_socket(re.compile(r"/socket\.io/"), answer_the_first_op_with_a_server_error)
    sign_in(page, supervisor)
    open_board(page, meeting.id)
    rev_before = seed.meeting_rev(meeting.id)

    form = add_form(page, "safety")
    form.locator("textarea").fill(ADDED_OFFLINE["safety"])
    form.get_by_role("button", name="Add").click()
    expect(texts(page, "safety")).to_have_text([ADDED_OFFLINE["safety"]])
    expect(form.locator("textarea")).to_have_value("")
    expect(form.locator(".form-error")).to_be_hidden()
    expect(page.locator("#status")).to_have_text("All changes saved")
    assert len(replaced) == 1, "the fault was never injected"
    page.wait_for_timeout(500)  # a late duplicate would have arrived by now
    assert seed.meeting_rev(meeting.id) == rev_before + 1
    assert [i["text"] for i in seed.live_items(meeting.id)] == [ADDED_OFFLINE["safety"]]
