"""Private family time and the child's consent, in Chromium: the facilitator starts the
family's own time; Mum and Gran write on their phones and see each other's words; the
facilitator's laptop and the room's screen show only that the family is talking on its
own, until Gran shares with the team. A child's words in Three Houses reach the others once
staff record who agreed."""

from __future__ import annotations

import pytest
from axe import assert_no_violations
from browser_support import (
    PHONE,
    add_item,
    card,
    join_as_guest,
    open_board,
    open_display,
    sign_in,
)
from playwright.sync_api import expect

pytestmark = pytest.mark.browser

LAPTOP = {"viewport": {"width": 1280, "height": 720}}
WISH = "We would like Gran to have the children on Sundays."


def test_private_family_time_is_the_familys_until_it_shares(browser, seed):
    team = seed.team()
    lead = seed.staff("supervisor", team, name="Fran Facilitator")
    meeting = seed.meeting(lead, seed.case(lead, team, "T.R. (3)"), "family_team", "family")
    code = seed.invite_code(lead, meeting.id)

    staff = browser.page("facilitator laptop", **LAPTOP)
    sign_in(staff, lead)
    open_board(staff, meeting.id)
    display = browser.page("display", **LAPTOP, storage_state=staff.context.storage_state())
    open_display(display, meeting.id)
    mum, gran = browser.page("mum phone", **PHONE), browser.page("gran phone", **PHONE)
    join_as_guest(mum, code, "Mum", "parent")
    join_as_guest(gran, code, "Gran", "relative")
    staff.locator('[data-action="step-next"]').click()  # the display leaves the join screen

    staff.get_by_text("Facilitator controls").click()
    staff.get_by_role("button", name="Start private family time").click()
    expect(staff.get_by_role("button", name="End private family time")).to_be_visible()
    for phone in (mum, gran):
        expect(phone.locator("[data-family-banner]")).to_contain_text(
            "Private family time: only your family sees what you add."
        )
    expect(staff.locator("[data-family-time-panel]")).to_contain_text(
        "The family is talking on their own."
    )
    expect(display.locator(".family-time-screen h2")).to_have_text("Private family time")

    add_item(mum, "worries", WISH)
    expect(card(gran, WISH, "worries")).to_have_count(1)
    expect(card(gran, WISH).locator(".family-note")).to_have_text("Only your family sees this")
    expect(gran.get_by_role("button", name="Share with the team")).to_be_visible()
    # what staff and the room receive holds neither the words nor a card for them
    staff.wait_for_timeout(300)
    expect(card(staff, WISH)).to_have_count(0)
    assert WISH not in staff.content() and WISH not in display.content()
    expect(display.locator("#stage li.card")).to_have_count(0)

    staff.get_by_text("Facilitator controls").click()  # closed: the panel is seen whole
    browser.screenshot(staff, "family-time-staff-laptop")
    browser.screenshot(display, "family-time-display")
    browser.screenshot(mum, "family-time-mum-phone")
    assert_no_violations(staff)
    assert_no_violations(mum)
    assert_no_violations(display)

    # Gran shares for the family, once they agree: the team sees it; ending the time
    # gives the room's screen back its board.
    said = browser.accept_confirms(gran)
    gran.get_by_role("button", name="Share with the team").click()
    expect(card(staff, WISH, "worries")).to_have_count(1)
    assert said and "with the team" in said[0]
    expect(gran.locator("[data-family-banner] [data-action='share-family']")).to_be_hidden()
    expect(card(mum, WISH).locator(".family-note")).to_have_count(0)
    staff.get_by_text("Facilitator controls").click()
    staff.get_by_role("button", name="End private family time").click()
    expect(staff.locator("[data-family-time-panel]")).to_be_hidden()
    expect(mum.locator("[data-family-banner]")).to_be_hidden()
    expect(card(display, WISH, "worries")).to_have_count(1)


def test_a_childs_words_are_shown_once_consent_is_recorded(browser, seed):
    team = seed.team()
    lead = seed.staff("supervisor", team, name="Fran Facilitator")
    worker = seed.staff("worker", team, name="Wes Worker")
    meeting = seed.meeting(lead, seed.case(lead, team, "J.M. (8)"), "family_team", "three_houses")
    code = seed.invite_code(lead, meeting.id)

    facilitator = browser.page("facilitator")
    sign_in(facilitator, lead)
    open_board(facilitator, meeting.id)
    colleague = browser.page("worker")
    sign_in(colleague, worker)
    open_board(colleague, meeting.id)
    child, mum = browser.page("child phone", **PHONE), browser.page("mum phone", **PHONE)
    join_as_guest(child, code, "Jo", "child")
    join_as_guest(mum, code, "Mum", "parent")

    words = "I feel safe when Gran reads to me."
    add_item(child, "house_good", words)
    expect(card(facilitator, words).locator(".consent-note")).to_contain_text("Waiting for consent")
    waiting = "The child's words: shown once consent is recorded"
    for page in (colleague, mum):
        expect(card(page, waiting, "house_good")).to_have_count(1)
        assert words not in page.content()
    card(mum, waiting).scroll_into_view_if_needed()
    browser.screenshot(mum, "consent-waiting-mum-phone")

    colleague.get_by_text("The child's words: consent").click()
    colleague.get_by_label("Who agreed").fill("Maria, mother")
    colleague.get_by_role("button", name="Record consent").click()
    expect(colleague.locator("[data-consent-recorded]")).to_contain_text(
        "Shown with the consent of Maria, mother"
    )
    browser.screenshot(colleague, "consent-recorded-worker")
    for page in (colleague, mum, facilitator):
        expect(card(page, words, "house_good")).to_have_count(1)
    expect(card(facilitator, words).locator(".consent-note")).to_have_count(0)
