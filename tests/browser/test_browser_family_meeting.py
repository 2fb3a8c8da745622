"""A family team meeting: the display's QR code opens the join page on a guest's phone,
plain-language hints in family mode, and a next step on the family's action plan."""

from __future__ import annotations

import io
import re

import pytest
import zxingcpp
from browser_support import (
    DISPLAY_FULL_HD,
    PHONE,
    add_form,
    add_item,
    card,
    open_board,
    open_display,
    page_scrolls_sideways,
    sign_in,
    wait_connected,
)
from PIL import Image
from playwright.sync_api import expect

pytestmark = pytest.mark.browser


def test_family_team_meeting_joined_by_qr_code_with_a_plan_for_mum(browser, seed, server):
    team = seed.team()
    lead = seed.staff("supervisor", team, name="Fran Facilitator")
    meeting = seed.meeting(lead, seed.case(lead, team, "T.R. (3)"), "family_team", "family")
    code = seed.invite_code(lead, meeting.id)

    staff = browser.page("facilitator")
    sign_in(staff, lead)
    open_board(staff, meeting.id)
    expect(staff.get_by_role("heading", level=1)).to_have_text("T.R. (3) · Family team meeting")
    display = browser.page(
        "display", **DISPLAY_FULL_HD, storage_state=staff.context.storage_state()
    )
    open_display(display, meeting.id)

    # Before the start the display is the join screen: its QR code decodes to the join page
    # with the code in it.
    qr = display.locator("img.join-screen-qr")
    expect(qr).to_be_visible()
    expect(qr).to_have_attribute("src", f"/meetings/{meeting.id}/join-qr.svg")
    assert qr.evaluate("image => image.complete && image.naturalWidth > 0")
    found = zxingcpp.read_barcodes(Image.open(io.BytesIO(qr.screenshot())))
    assert [result.text for result in found] == [f"{server.url}/join?code={code}"]
    browser.screenshot(display, "family-01-display-with-qr")

    # The guest's phone opens the decoded address: the code is filled in.
    guest = browser.page("guest phone", **PHONE)
    guest.goto(found[0].text)
    expect(guest.get_by_label("Meeting code")).to_have_value(code)
    browser.screenshot(guest, "family-02-guest-join-code-filled")
    guest.get_by_role("button", name="Continue").click()
    guest.wait_for_url("**/join/name")
    guest.get_by_label("Your name").fill("Mum")
    guest.get_by_label("A parent or caregiver").check()
    guest.get_by_role("button", name="Join the meeting").click()
    guest.wait_for_url(re.compile(rf"/meetings/{meeting.id}$"))
    wait_connected(guest)
    expect(guest.locator(".board-title")).to_contain_text("You are Mum")
    expect(guest.locator(".board-title")).not_to_contain_text("T.R. (3)")
    expect(staff.locator("#people .person", has_text="Mum")).to_contain_text("here")

    # The facilitator starts; the guest adds a worry in her own words; it reaches the board
    # and the display (the first step shows the whole map).
    staff.locator('[data-action="step-next"]').click()
    expect(display.locator("img.join-screen-qr")).to_have_count(0)
    worry = "I worry T. gets scared when we argue at night."
    add_item(guest, "worries", worry)
    expect(card(staff, worry, "worries")).to_have_count(1)
    expect(card(display, worry, "worries")).to_have_count(1)
    expect(card(staff, worry).locator(".item-view")).to_have_text("Parent view")

    # Agency words get a plainer suggestion while typing; adding still works.
    box = add_form(guest, "questions")
    hint = box.locator(".jargon")
    box.locator("textarea").fill("What was the allegation exactly?")
    expect(hint).to_be_visible()
    expect(hint).to_have_text(
        "Plainer for \u201callegation\u201d: \u201cwhat someone reported\u201d."
    )
    browser.screenshot(guest, "family-03-guest-jargon-hint")
    box.get_by_role("button", name="Add").click()
    expect(card(guest, "What was the allegation exactly?", "questions")).to_have_count(1)
    expect(hint).to_be_hidden()  # the box is empty again
    box.locator("textarea").fill("Who else will be there?")
    expect(hint).to_be_hidden()

    # The facilitator adds a next step and sets who and by when.
    step = "Mum books the parenting class at the family centre."
    add_item(staff, "next", step)
    mine = card(staff, step, "next")
    expect(mine.locator(".status-chip")).to_have_text("Suggested")
    mine.hover()
    mine.get_by_role("button", name="Who and by when").click()
    mine.get_by_label("Who").fill("Mum")
    mine.get_by_label("By when").fill("2030-03-01")
    mine.get_by_role("button", name="Save").click()
    for page in (staff, guest):
        expect(card(page, step, "next").locator(".next-step-who")).to_have_text(
            "Mum · by Mar 1, 2030"
        )
    # on the projector who / by when is on the card's own line, never under 20 px
    shown = card(display, step, "next").locator(".card-meta")
    expect(shown).to_contain_text("Mum · by Mar 1, 2030")
    assert shown.evaluate("element => parseFloat(getComputedStyle(element).fontSize)") >= 20
    wait_connected(guest)
    assert not page_scrolls_sideways(guest), "the guest's board scrolls sideways on a phone"
    browser.screenshot(guest, "family-04-guest-board")
    browser.screenshot(guest, "family-04-guest-board-full", full_page=True)
    browser.screenshot(display, "family-05-display")

    # The guest opens the action plan on the phone: the step is under "Mum".
    guest.get_by_role("link", name="Action plan").click()
    guest.wait_for_url(f"**/meetings/{meeting.id}/plan")
    expect(guest.get_by_role("heading", level=1)).to_have_text("Our action plan")
    mum = guest.locator(".plan-person").filter(
        has=guest.get_by_role("heading", level=2, name="Mum", exact=True)
    )
    expect(mum.locator(".plan-text")).to_have_text([step])
    expect(mum.locator(".status-chip")).to_have_text("Suggested")
    expect(mum).to_contain_text("by Mar 1, 2030")
    expect(guest.locator("body")).not_to_contain_text("T.R. (3)")  # no case label for guests
    assert not page_scrolls_sideways(guest), "the action plan scrolls sideways on a phone"
    browser.screenshot(guest, "family-06-guest-action-plan")
