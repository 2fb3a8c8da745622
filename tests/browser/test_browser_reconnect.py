"""A guest's phone drops off the network mid-meeting: the item waits, then is saved once."""

from __future__ import annotations

import re

import pytest
from browser_support import PHONE, add_form, add_item, card, join_as_guest, open_board, sign_in
from playwright.sync_api import expect

pytestmark = pytest.mark.browser

OFFLINE_ITEM = "My sister can have J. after school on Wednesdays."
MISSED_ITEM = "Worker will call the sister before Friday."


def test_item_added_offline_is_saved_exactly_once_after_reconnecting(browser, seed):
    team = seed.team()
    supervisor = seed.staff("supervisor", team)
    meeting = seed.meeting(supervisor, seed.case(supervisor, team))
    code = seed.invite_code(supervisor, meeting.id)
    staff = browser.page("supervisor")
    sign_in(staff, supervisor)
    open_board(staff, meeting.id)
    guest = browser.page("guest phone", **PHONE)
    join_as_guest(guest, code, "Aunt May")
    # Chromium logs the socket's failed reconnection attempts while the phone is offline.
    browser.expect_problem(guest, r"^console error: WebSocket connection to .* failed: .*")

    status = guest.locator("#status")
    guest.context.set_offline(True)
    expect(status).to_have_class(re.compile(r"\bstatus-offline\b"))
    expect(status).to_have_text("Offline: reconnecting…")

    form = add_form(guest, "safety")
    form.locator("textarea").fill(OFFLINE_ITEM)
    form.get_by_role("button", name="Add").click()
    expect(status).to_have_text(re.compile(r"^Offline: 1 changes? waiting$"))
    # on the board at once, marked as not saved yet; the box is free for the next one
    waiting = card(guest, OFFLINE_ITEM, "safety")
    expect(waiting).to_have_class(re.compile(r"\bis-pending\b"))
    expect(waiting.locator(".item-pending")).to_have_text("Not saved yet")
    expect(form.locator("textarea")).to_have_value("")
    expect(status).to_be_in_viewport()  # seen where the guest is typing, not only at the top
    browser.screenshot(guest, "offline-waiting")

    # Meanwhile the meeting goes on without the guest.
    add_item(staff, "next_steps", MISSED_ITEM)
    expect(card(staff, OFFLINE_ITEM)).to_have_count(0)
    assert [i["text"] for i in seed.live_items(meeting.id)] == [MISSED_ITEM]

    guest.context.set_offline(False)
    expect(status).to_have_text("All changes saved", timeout=20_000)
    expect(form.locator("textarea")).to_have_value("")
    expect(card(staff, OFFLINE_ITEM)).to_have_count(1)
    expect(card(guest, OFFLINE_ITEM)).to_have_count(1)
    expect(card(guest, OFFLINE_ITEM)).not_to_have_class(re.compile(r"\bis-pending\b"))
    expect(card(guest, MISSED_ITEM, "next_steps")).to_have_count(1)  # caught up on return
    browser.screenshot(guest, "back-online")

    # Exactly once, on both boards and in the database, even after a settling moment.
    staff.wait_for_timeout(500)
    expect(card(staff, OFFLINE_ITEM)).to_have_count(1)
    expect(card(guest, OFFLINE_ITEM)).to_have_count(1)
    texts = [i["text"] for i in seed.live_items(meeting.id)]
    assert sorted(texts) == sorted([OFFLINE_ITEM, MISSED_ITEM])
    # The staff board's presence list saw the guest come back.
    expect(staff.locator("#people .person", has_text="Aunt May")).to_contain_text("here")
