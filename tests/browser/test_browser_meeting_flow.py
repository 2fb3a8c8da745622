"""A whole group supervision, as the issue tells it: supervisor, guest on a phone, display."""

from __future__ import annotations

import re

import pytest
from browser_support import (
    DISPLAY_FULL_HD,
    PHONE,
    add_item,
    arrow_until,
    card,
    contrast_failures,
    join_as_guest,
    page_scrolls_sideways,
    sign_in,
    texts,
    wait_connected,
)
from playwright.sync_api import expect

pytestmark = pytest.mark.browser


def test_supervisor_guest_and_display_share_one_live_board(browser, seed):
    team = seed.team()
    supervisor = seed.staff("supervisor", team, name="Sam Supervisor")

    # The supervisor signs in and creates a case.
    staff = browser.page("supervisor")
    staff.goto("/login")
    browser.screenshot(staff, "01-login")
    sign_in(staff, supervisor)
    browser.screenshot(staff, "02-case-list-empty")
    staff.get_by_role("link", name="New case").click()
    staff.get_by_label("Case label").fill("A.B. (7)")
    browser.screenshot(staff, "03-new-case")
    staff.get_by_role("button", name="Create case").click()
    expect(staff.get_by_role("heading", level=1)).to_have_text("A.B. (7)")
    browser.screenshot(staff, "04-case-page")

    # ...starts a group supervision on the CISF map from the case page...
    staff.get_by_label("Kind of meeting").select_option(label="Group supervision")
    expect(staff.get_by_label("Map")).to_have_value("cisf")
    staff.get_by_role("button", name="Start meeting").click()
    staff.wait_for_url(re.compile(r"/meetings/\d+$"))
    meeting_id = int(staff.url.rsplit("/", 1)[1])
    wait_connected(staff)
    expect(staff.get_by_role("heading", level=1)).to_have_text("A.B. (7) · Group supervision")
    expect(staff.locator("#people")).to_contain_text("Sam Supervisor (you)")
    browser.screenshot(staff, "05-board-empty")

    # ...and invites guests: the code is big on the invite page and stays on the board.
    staff.get_by_label("Let guests in directly").check()  # the waiting room: its own test
    staff.get_by_role("button", name="Invite guests").click()
    code = staff.locator(".join-code").inner_text().strip()
    assert re.fullmatch(r"[A-HJ-NP-Z2-9]{8}", code), code
    expect(staff.locator(".qr img")).to_be_visible()
    browser.screenshot(staff, "06-invite")
    staff.get_by_role("link", name="Back to the board").click()
    wait_connected(staff)
    expect(staff.locator(".code-chip")).to_contain_text(code)
    expect(staff.get_by_role("button", name="New invite link")).to_be_visible()

    # A guest joins from a phone with the code and a name.
    guest = browser.page("guest phone", **PHONE)
    guest.goto("/join")
    browser.screenshot(guest, "07-guest-join-code")
    join_as_guest(guest, code.lower(), "Grandma Rose")  # typed in lower case on a phone
    expect(guest.locator(".board-title")).to_contain_text("You are Grandma Rose")
    expect(guest.locator(".board-title")).not_to_contain_text("A.B. (7)")  # no case label
    assert not page_scrolls_sideways(guest), "the guest's board scrolls sideways on a phone"
    expect(staff.locator("#people")).to_contain_text("Grandma Rose")
    expect(staff.locator("#people .person", has_text="Grandma Rose")).to_contain_text("here")

    # The display follows, signed in as the supervisor.
    display = browser.page(
        "display", **DISPLAY_FULL_HD, storage_state=staff.context.storage_state()
    )
    display.goto(f"/meetings/{meeting_id}/display")
    wait_connected(display)
    expect(display.locator("#status")).to_have_text("Live")
    expect(display.locator(".join-screen-code")).to_contain_text(code)  # not started yet
    expect(display.locator("textarea, input, select, button")).to_have_count(0)
    staff.get_by_role("button", name="Start").click()  # the display follows the first step
    expect(display.locator(".corner-code")).to_contain_text(code)

    # The guest adds a strength: it appears on the facilitator's board and the display.
    strength = "Rose picks J. up from school every Tuesday and Thursday."
    add_item(guest, "strengths", strength)
    for page in (staff, display):
        expect(card(page, strength, "strengths")).to_have_count(1)
    expect(card(staff, strength).locator(".item-author")).to_have_text("Grandma Rose")
    expect(card(staff, strength).locator(".item-view")).to_have_text("Parent view")

    # The facilitator decides it is existing safety and moves it with the keyboard.
    moving = card(staff, strength)
    moving.focus()
    moving.get_by_label("Move to section").select_option(label="Existing safety")
    for page in (staff, guest, display):
        expect(card(page, strength, "safety")).to_have_count(1)
        expect(card(page, strength, "strengths")).to_have_count(0)

    # A second safety item, then the facilitator puts it first with the ↑ button, reached
    # from the card with → (roving focus: a card's buttons are not Tab stops).
    second = "Grandmother has looked after J. every weekend for three months."
    add_item(staff, "safety", second)
    for page in (guest, display):
        expect(texts(page, "safety")).to_have_text([strength, second])
    up = card(staff, second).get_by_role("button", name="Move up")
    card(staff, second).focus()
    arrow_until(staff, up)
    staff.keyboard.press("Enter")
    for page in (staff, guest, display):
        expect(texts(page, "safety")).to_have_text([second, strength])

    # A worry from the facilitator, so every view has some content for the screenshots.
    add_item(staff, "danger", "If mother drinks when she is alone with J., J. could be hurt again.")
    add_item(staff, "grey", "We don't know who else lives in the home.")
    expect(texts(guest, "grey")).to_have_count(1)
    expect(texts(display, "grey")).to_have_count(1)
    wait_connected(staff)
    wait_connected(guest)
    browser.screenshot(staff, "08-facilitator-board")
    browser.screenshot(staff, "08-facilitator-board-full", full_page=True)
    browser.screenshot(guest, "09-guest-board")
    browser.screenshot(guest, "09-guest-board-full", full_page=True)
    browser.screenshot(display, "10-display-1920x1080")

    # Readable: text on every view meets WCAG AA contrast (the display is for a projector).
    text = ".item-text, .item-meta span, .section-head h3, .column-question, .count, .status"
    assert (
        contrast_failures(display, ".card-text, .card-meta, .block-title, .projector-head *") == []
    )
    assert contrast_failures(staff, f"{text}, .person-name, .person-role, .board-head *") == []
    assert contrast_failures(guest, f"{text}, .jump a, .board-head *") == []

    # What the server holds is what everyone sees.
    stored = seed.live_items(meeting_id)
    assert [(i["section"], i["text"]) for i in stored if i["section"] == "safety"] == [
        ("safety", second),
        ("safety", strength),
    ]
    assert len(stored) == 4

    # The tab icon resolves (no 404 for /favicon.ico in a real browser).
    icon = staff.locator('link[rel="icon"]').get_attribute("href")
    assert icon and staff.request.get(icon).status == 200
