"""Jargon hints for every reader: a family member reading "CWS substantiated ..." on a phone
sees the agency words marked, and a tap (or Enter) tells their plain meaning; the card's
text stays as written."""

from __future__ import annotations

import pytest
from browser_support import (
    PHONE,
    add_item,
    card,
    join_as_guest,
    open_board,
    page_scrolls_sideways,
    sign_in,
)
from playwright.sync_api import expect

pytestmark = pytest.mark.browser

TEXT = "CWS substantiated the report about the bruise."


def test_a_family_member_taps_an_agency_word_on_a_phone(browser, seed):
    team = seed.team()
    lead = seed.staff("supervisor", team, name="Fran Facilitator")
    meeting = seed.meeting(lead, seed.case(lead, team, "T.R. (3)"), "family_team", "family")
    code = seed.invite_code(lead, meeting.id)
    staff = browser.page("facilitator")
    sign_in(staff, lead)
    open_board(staff, meeting.id)
    guest = browser.page("guest phone", **PHONE)
    join_as_guest(guest, code, "Mum")
    staff.locator('[data-action="step-next"]').click()
    add_item(staff, "worries", TEXT)

    shown = card(guest, TEXT, "worries")
    expect(shown).to_have_count(1)
    terms = shown.locator(".item-text button.jargon-term")
    expect(terms).to_have_text(["CWS", "substantiated"])
    expect(shown.locator(".jargon-meaning")).to_have_count(0)

    terms.first.tap()
    meaning = shown.locator(".jargon-meaning")
    expect(meaning).to_have_text("Plainer for \u201cCWS\u201d: \u201cchild welfare services\u201d.")
    expect(terms.first).to_have_attribute("aria-expanded", "true")
    assert not page_scrolls_sideways(guest)
    browser.screenshot(guest, "jargon-01-guest-phone-meaning")

    # the keyboard reaches it too: Enter on the other word shows its meaning instead
    terms.nth(1).focus()
    guest.keyboard.press("Enter")
    expect(meaning).to_contain_text("\u201csubstantiated\u201d")
    guest.keyboard.press("Enter")
    expect(meaning).to_have_count(0)

    # the staff board marks it as well (every reader's own device)
    expect(card(staff, TEXT, "worries").locator("button.jargon-term")).to_have_count(2)
