"""Issue 6: optimistic apply. A change shows on the board the moment it is made, marked as
not saved yet, while the page is offline too; once the server has it the mark goes and the
change is there exactly once. A change the server refuses is taken back, the user is told,
and the words they typed are given back."""

from __future__ import annotations

import re

import pytest
from browser_support import add_form, card, open_board, run_ops, sign_in, texts
from playwright.sync_api import expect

pytestmark = pytest.mark.browser

PENDING = re.compile(r"\bis-pending\b")
TO_EDIT = "Mother missed two contact visits."
EDITED = "Mother missed two contact visits (bus strike both times)."
TO_MOVE = "Uncle drives J. to school."
TO_DELETE = "Old note: uncle unknown."
ADDED = "Grandmother phones every evening at seven."
ADDED_MEANWHILE = "School nurse sees J. weekly."
WEBSOCKET_FAILED = r"^console error: WebSocket connection to .* failed: .*"


def test_changes_made_offline_show_at_once_and_are_saved_exactly_once(browser, seed):
    team = seed.team()
    supervisor = seed.staff("supervisor", team)
    worker = seed.staff("worker", team)
    meeting = seed.meeting(supervisor, seed.case(supervisor, team))
    seed.add_items(meeting, [("harm", TO_EDIT), ("strengths", TO_MOVE), ("harm", TO_DELETE)])
    rev_before = seed.meeting_rev(meeting.id)

    away = browser.page("worker offline")
    browser.accept_confirms(away)
    sign_in(away, worker)
    open_board(away, meeting.id)
    browser.expect_problem(away, WEBSOCKET_FAILED)
    here = browser.page("supervisor online")
    sign_in(here, supervisor)
    open_board(here, meeting.id)

    status = away.locator("#status")
    away.context.set_offline(True)
    expect(status).to_have_text("Offline: reconnecting…")

    # add: on the board at once, last in its section, marked, with nothing to change on it yet
    form = add_form(away, "safety")
    form.locator("textarea").fill(ADDED)
    form.locator("textarea").press("Enter")
    added = card(away, ADDED, "safety")
    expect(added).to_have_class(PENDING)
    expect(added).to_have_class(re.compile(r"\bis-provisional\b"))
    expect(added.locator(".item-pending")).to_have_text("Not saved yet")
    expect(added.locator(".item-pending")).to_be_visible()  # offline: everyone sees the label
    expect(added.locator(".item-actions")).to_be_hidden()
    expect(form.locator("textarea")).to_have_value("")
    expect(form.locator("textarea")).to_be_focused()  # typing goes on in the same box
    expect(status).to_have_text("Offline: 1 change waiting")

    # edit: the card shows the new words as soon as Save is pressed
    editing = card(away, TO_EDIT, "harm")
    editing.focus()
    editing.get_by_role("button", name="Edit").click()
    editing.get_by_label("Edit item").fill(EDITED)
    editing.get_by_role("button", name="Save").click()
    edited = card(away, EDITED, "harm")
    expect(edited).to_have_class(PENDING)
    expect(edited.locator(".edit-form")).to_have_count(0)
    expect(status).to_have_text("Offline: 2 changes waiting")

    # move: into another section, after its last saved item; the provisional one has no id
    # to name, so with none saved the move says "first", and the board shows what the
    # server will do with it
    moving = card(away, TO_MOVE, "strengths")
    moving.focus()
    moving.get_by_label("Move to section").select_option("safety")
    expect(texts(away, "safety")).to_have_text([TO_MOVE, ADDED])
    expect(card(away, TO_MOVE, "safety")).to_have_class(PENDING)
    expect(texts(away, "strengths")).to_have_count(0)
    expect(status).to_have_text("Offline: 3 changes waiting")

    # delete: gone from the board at once
    deleting = card(away, TO_DELETE, "harm")
    deleting.focus()
    deleting.get_by_role("button", name="Delete").click()
    expect(card(away, TO_DELETE)).to_have_count(0)
    expect(status).to_have_text("Offline: 4 changes waiting")
    expect(texts(away, "harm")).to_have_text([EDITED])
    browser.screenshot(away, "offline-desktop")
    away.set_viewport_size({"width": 320, "height": 900})
    card(away, ADDED, "safety").scroll_into_view_if_needed()
    browser.screenshot(away, "offline-phone-320")
    away.set_viewport_size({"width": 1366, "height": 900})

    # nothing of it has reached the server or the other board
    assert seed.meeting_rev(meeting.id) == rev_before
    expect(card(here, ADDED)).to_have_count(0)
    expect(card(here, TO_DELETE)).to_have_count(1)
    # the meeting goes on meanwhile: the supervisor adds to the same section
    here_form = add_form(here, "safety")
    here_form.locator("textarea").fill(ADDED_MEANWHILE)
    here_form.get_by_role("button", name="Add").click()
    expect(card(here, ADDED_MEANWHILE, "safety")).to_have_count(1)
    expect(card(here, ADDED_MEANWHILE, "safety")).not_to_have_class(PENDING)

    away.context.set_offline(False)
    expect(status).to_have_text("All changes saved", timeout=20_000)
    expect(away.locator("li.item.is-pending")).to_have_count(0)
    expect(away.locator(".item-pending")).to_have_count(0)
    expected = {
        "harm": [EDITED],
        "safety": [TO_MOVE, ADDED_MEANWHILE, ADDED],
        "strengths": [],
    }
    for page in (away, here):
        for section, shown in expected.items():
            expect(texts(page, section)).to_have_text(shown)
    # the saved item is a real one now: it has an id and can be changed
    saved = card(away, ADDED, "safety")
    expect(saved).to_have_attribute("data-item-id", re.compile(r"^\d+$"))
    saved.focus()
    expect(saved.get_by_role("button", name="Edit")).to_be_visible()
    browser.screenshot(away, "back-online-desktop")

    # exactly once: one revision per change, and the database holds what the boards show
    away.wait_for_timeout(500)  # a late duplicate would have arrived by now
    assert seed.meeting_rev(meeting.id) == rev_before + 5
    stored = seed.live_items(meeting.id)
    assert sorted((i["section"], i["text"]) for i in stored) == sorted(
        (section, text) for section, shown in expected.items() for text in shown
    )
    for page in (away, here):
        expect(page.locator("li.item")).to_have_count(len(stored))
    shown_ids = away.locator("li.item").evaluate_all("cards => cards.map(c => c.dataset.itemId)")
    assert sorted(shown_ids) == sorted(str(i["id"]) for i in stored)


def test_a_refused_change_is_taken_back_and_the_words_are_given_back(browser, seed):
    """The worker writes while offline; meanwhile the facilitator lets only scribes write
    and deletes the item the worker is changing. Back online the server refuses both: the
    new item leaves the board, and both texts are back in the add boxes with the reason."""
    team = seed.team()
    supervisor = seed.staff("supervisor", team)
    worker = seed.staff("worker", team)
    meeting = seed.meeting(supervisor, seed.case(supervisor, team))
    [to_edit] = seed.add_items(meeting, [("harm", TO_EDIT)])

    page = browser.page("worker", viewport={"width": 320, "height": 800})
    sign_in(page, worker)
    open_board(page, meeting.id)
    browser.expect_problem(page, WEBSOCKET_FAILED)
    status = page.locator("#status")
    page.context.set_offline(True)
    expect(status).to_have_text("Offline: reconnecting…")

    form = add_form(page, "safety")
    form.locator("textarea").fill(ADDED)
    form.get_by_role("button", name="Add").click()
    expect(card(page, ADDED, "safety")).to_have_class(PENDING)
    editing = card(page, TO_EDIT, "harm")
    editing.focus()
    editing.get_by_role("button", name="Edit").click()
    editing.get_by_label("Edit item").fill(EDITED)
    editing.get_by_role("button", name="Save").click()
    expect(card(page, EDITED, "harm")).to_have_class(PENDING)
    expect(status).to_have_text("Offline: 2 changes waiting")

    run_ops(
        seed,
        meeting.id,
        supervisor,
        [("set_write_policy", {"policy": "scribes"}), ("delete_item", {"item_id": to_edit})],
    )
    rev_after = seed.meeting_rev(meeting.id)

    page.context.set_offline(False)
    # the add is refused: gone from the board, the words back in the box, the reason shown
    expect(form.locator("textarea")).to_have_value(ADDED, timeout=20_000)
    expect(form.locator(".form-error")).to_be_visible()
    expect(form.locator(".form-error")).to_contain_text("Not saved:")
    expect(card(page, ADDED)).to_have_count(0)
    # the edit's item is gone: its words go to the section's add box, and it says so
    harm = add_form(page, "harm")
    expect(harm.locator("textarea")).to_have_value(EDITED)
    expect(harm.locator(".form-error")).to_contain_text("Your text is back in the box.")
    expect(card(page, EDITED)).to_have_count(0)
    expect(page.locator("li.item")).to_have_count(0)
    expect(status).to_have_text("All changes saved")
    form.scroll_into_view_if_needed()
    browser.screenshot(page, "refused-phone-320")

    assert seed.meeting_rev(meeting.id) == rev_after  # nothing was written
    assert seed.live_items(meeting.id) == []
