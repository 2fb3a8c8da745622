"""Two people edit the same item: the second save is a conflict, never a silent overwrite."""

from __future__ import annotations

import re

import pytest
from browser_support import open_board, sign_in, wait_connected
from playwright.sync_api import expect

pytestmark = pytest.mark.browser

ORIGINAL = "Mother drinks at weekends."
FROM_A = "Mother drinks most weekends (school report, March)."
FROM_B = "Mother drinks at weekends; father disputes this."


@pytest.fixture
def two_editors(browser, seed):
    """A supervisor (A) and a worker (B) on one board, both editing the same item."""
    team = seed.team()
    supervisor = seed.staff("supervisor", team, name="Sam Supervisor")
    worker = seed.staff("worker", team, name="Wren Worker")
    meeting = seed.meeting(supervisor, seed.case(supervisor, team))
    [item_id] = seed.add_items(meeting, [("complicating", ORIGINAL)])
    pages = []
    for user, label in ((supervisor, "A supervisor"), (worker, "B worker")):
        page = browser.page(label)
        sign_in(page, user)
        open_board(page, meeting.id)
        item = page.locator(f'li.item[data-item-id="{item_id}"]')
        item.focus()
        item.get_by_role("button", name="Edit").click()
        expect(item.get_by_label("Edit item")).to_have_value(ORIGINAL)
        pages.append((page, item))
    return meeting, item_id, pages


def test_second_save_gets_the_conflict_panel_and_can_save_over(browser, seed, two_editors):
    meeting, _item_id, [(a, item_a), (b, item_b)] = two_editors

    item_a.get_by_label("Edit item").fill(FROM_A)
    item_a.get_by_role("button", name="Save").click()
    expect(item_a.locator(".item-text")).to_have_text(FROM_A)
    expect(item_b).to_have_class(re.compile(r"\bis-stale\b"))  # B sees it changed meanwhile
    expect(item_b.get_by_label("Edit item")).to_have_value(ORIGINAL)  # B's editor untouched

    item_b.get_by_label("Edit item").fill(FROM_B)
    item_b.get_by_role("button", name="Save").click()
    conflict = item_b.locator(".conflict")
    expect(conflict).to_be_visible()
    expect(conflict).to_contain_text("Someone changed this item while you were editing.")
    expect(conflict.locator("blockquote")).to_have_text(FROM_A)
    expect(item_b.get_by_label("Edit item")).to_have_value(FROM_B)  # B's text is kept
    browser.screenshot(b, "conflict-panel")
    assert seed.live_items(meeting.id)[0]["text"] == FROM_A  # nothing overwritten yet

    item_b.get_by_role("button", name="Save mine over it").click()
    for page, item in ((a, item_a), (b, item_b)):
        expect(item.locator(".item-text")).to_have_text(FROM_B)
        expect(item.locator(".edit-form")).to_have_count(0)
        expect(item).not_to_have_class(re.compile(r"\bis-stale\b"))
        expect(page.locator("#status")).to_have_text("All changes saved")
    [stored] = seed.live_items(meeting.id)
    assert (stored["text"], stored["version"]) == (FROM_B, 3)
    browser.screenshot(a, "after-save-over")


def test_second_editor_can_take_the_other_version(seed, two_editors):
    meeting, _item_id, [(_a, item_a), (_b, item_b)] = two_editors
    item_a.get_by_label("Edit item").fill(FROM_A)
    item_a.get_by_role("button", name="Save").click()
    item_b.get_by_label("Edit item").fill(FROM_B)
    item_b.get_by_role("button", name="Save").click()
    item_b.get_by_role("button", name="Use their version").click()
    expect(item_b.locator(".edit-form")).to_have_count(0)
    expect(item_b.locator(".item-text")).to_have_text(FROM_A)
    expect(item_b).not_to_have_class(re.compile(r"\bis-stale\b"))
    expect(item_b).to_be_focused()
    [stored] = seed.live_items(meeting.id)
    assert (stored["text"], stored["version"]) == (FROM_A, 2)


def test_an_edit_saved_offline_meets_the_newer_version_with_both_texts_and_a_choice(
    browser, seed, two_editors
):
    """B saves while offline; A saves meanwhile; when B's page is back online the outbox
    sends B's edit, the server refuses it as stale, and B is shown both texts to choose."""
    meeting, _item_id, [(a, item_a), (b, item_b)] = two_editors
    browser.expect_problem(b, r"^console error: WebSocket connection to .* failed: .*")
    b.context.set_offline(True)
    expect(b.locator("#status")).to_have_text("Offline: reconnecting…")
    item_b.get_by_label("Edit item").fill(FROM_B)
    item_b.get_by_role("button", name="Save").click()
    expect(b.locator("#status")).to_have_text("Offline: 1 change waiting")

    item_a.get_by_label("Edit item").fill(FROM_A)
    item_a.get_by_role("button", name="Save").click()
    expect(item_a.locator(".item-text")).to_have_text(FROM_A)
    wait_connected(a)  # the board shows a change before the server has it: wait for it
    assert seed.live_items(meeting.id)[0]["text"] == FROM_A

    b.context.set_offline(False)
    conflict = item_b.locator(".conflict")
    expect(conflict).to_be_visible(timeout=20_000)
    expect(conflict.locator("blockquote")).to_have_text(FROM_A)  # theirs
    expect(item_b.get_by_label("Edit item")).to_have_value(FROM_B)  # mine, kept
    browser.screenshot(b, "offline-edit-conflict")
    [stored] = seed.live_items(meeting.id)
    assert (stored["text"], stored["version"]) == (FROM_A, 2)  # not overwritten silently
    # B's words are not saved: the status must not say they are, and leaving warns
    expect(b.locator("#status")).to_have_text("Not saved: 1 change needs your choice")
    expect(b.locator("#status")).to_have_class(re.compile(r"\bstatus-unsaved\b"))
    assert browser.leaving_warns(b)

    item_b.get_by_role("button", name="Save mine over it").click()
    for item in (item_a, item_b):
        expect(item.locator(".item-text")).to_have_text(FROM_B)
    expect(b.locator("#status")).to_have_text("All changes saved")
    [stored] = seed.live_items(meeting.id)
    assert (stored["text"], stored["version"]) == (FROM_B, 3)
    assert not browser.leaving_warns(b)  # everything saved: the tab just closes
