"""Markup typed into the board is shown as text everywhere, and never runs."""

from __future__ import annotations

import pytest
from browser_support import (
    DISPLAY_FULL_HD,
    PHONE,
    add_item,
    join_as_guest,
    open_board,
    open_display,
    sign_in,
    texts,
)
from playwright.sync_api import expect

pytestmark = pytest.mark.browser

PAYLOADS = [
    "<img src=x onerror=alert(1)>",
    "<script>alert(1)</script>",
    '"><svg onload=alert(document.domain)>',
    "<a href=\"javascript:alert(1)\">click me</a> & 'quotes' &amp; {{7*7}} ${7*7}",
    "</textarea><img src=/x onerror=window.__pwned=1>",
]
LABEL = "<i>A.B.</i> {{7*7}} (7)"
GUEST_NAME = "<b onmouseover=alert(1)>Rose</b>"


def test_markup_is_shown_literally_on_board_guest_phone_and_display(browser, seed):
    team = seed.team()
    supervisor = seed.staff("supervisor", team)
    meeting = seed.meeting(supervisor, seed.case(supervisor, team, LABEL))
    code = seed.invite_code(supervisor, meeting.id)

    staff = browser.page("supervisor")
    sign_in(staff, supervisor)
    open_board(staff, meeting.id)
    guest = browser.page("guest phone", **PHONE)
    join_as_guest(guest, code, GUEST_NAME)
    display = browser.page(
        "display", **DISPLAY_FULL_HD, storage_state=staff.context.storage_state()
    )
    open_display(display, meeting.id)
    staff.get_by_role("button", name="Start").click()  # the display leaves the join screen

    for payload in PAYLOADS[:3]:
        add_item(staff, "harm", payload)
    for payload in PAYLOADS[3:]:
        add_item(guest, "strengths", payload)

    pages = {"board": staff, "guest": guest, "display": display}
    for name, page in pages.items():
        expect(texts(page, "harm")).to_have_text(PAYLOADS[:3])
        expect(texts(page, "strengths")).to_have_text(PAYLOADS[3:])
        # exact textContent, not just "contains": nothing was parsed or dropped
        shown = (
            texts(page, "harm").all_text_contents() + texts(page, "strengths").all_text_contents()
        )
        assert shown == PAYLOADS, name
        assert page.locator(":is(.items, .cards) :is(img, script, svg, a, b)").count() == 0
        assert page.evaluate("window.__pwned") is None, name
        browser.screenshot(page, name)

    # The case label and the guest's name come through the server's templates and JSON.
    expect(staff.get_by_role("heading", level=1)).to_have_text(f"{LABEL} · Group supervision")
    # the projector shows the meeting kind, never the case label (minimal data in the room)
    expect(display.get_by_role("heading", level=1)).to_have_text("Step 1 of 9: Agreements")
    expect(display.locator("body")).not_to_contain_text("A.B.")
    expect(staff.locator("#people")).to_contain_text(GUEST_NAME)
    expect(guest.locator(".board-title")).to_contain_text(f"You are {GUEST_NAME}")
    expect(staff.locator(".items .item-author").filter(has_text=GUEST_NAME)).to_have_count(2)
    assert staff.locator("#people b, .board-title i, h1 i").count() == 0
    assert display.locator("h1 i").count() == 0

    # The screen-reader announcement of the guest's items is text too.
    expect(staff.locator("#announcer")).to_contain_text(f"{GUEST_NAME} added to Strengths:")
    expect(staff.locator("#announcer")).to_contain_text(PAYLOADS[-1])
    assert staff.locator("#announcer *").count() == 0
    staff.goto("/cases")
    expect(staff.get_by_role("link", name=LABEL)).to_be_visible()
    # No dialog opened anywhere: the watcher fails the test on any alert/confirm/prompt.
