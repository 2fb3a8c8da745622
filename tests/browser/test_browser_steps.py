"""The facilitator leads the steps; a member and the display follow, with one timer."""

from __future__ import annotations

import re

import pytest
from browser_support import (
    DISPLAY_FULL_HD,
    add_item,
    card,
    contrast_failures,
    join_as_guest,
    open_board,
    open_display,
    sign_in,
    texts,
)
from playwright.sync_api import expect

pytestmark = pytest.mark.browser


def test_facilitator_leads_steps_collects_privately_spotlights_and_closes(browser, seed):
    team = seed.team()
    lead = seed.staff("supervisor", team, name="Sam Supervisor")
    member = seed.staff("worker", team, name="Wes Worker")
    meeting = seed.meeting(lead, seed.case(lead, team, "K.L. (4)"))
    code = seed.invite_code(lead, meeting.id)

    staff = browser.page("facilitator")
    sign_in(staff, lead)
    open_board(staff, meeting.id)
    colleague = browser.page("member")
    sign_in(colleague, member)
    open_board(colleague, meeting.id)
    display = browser.page(
        "display", **DISPLAY_FULL_HD, storage_state=staff.context.storage_state()
    )
    open_display(display, meeting.id)

    # Not started: the agenda's first step is announced; only the facilitator has controls.
    expect(staff.locator("[data-step-label]")).to_have_text("Not started yet")
    expect(colleague.get_by_role("button", name="Start")).to_be_hidden()
    staff.get_by_role("button", name="Start").click()
    for page in (staff, colleague):
        expect(page.locator("[data-step-title]")).to_have_text("Agreements")
        expect(page.locator("[data-step-label]")).to_have_text("Step 1 of 9")
        expect(page.locator("[data-timer]")).to_have_text(re.compile(r"^[23]:\d\d$"))
    expect(display.locator("#projector-title")).to_have_text("Step 1 of 9: Agreements")
    expect(display.locator("#projector-timer")).to_have_text(re.compile(r"^[23]:\d\d$"))

    # Next, next: the mapping step's sections are marked for everyone.
    for title in (
        "Presenter's question",
        "Overview and who is involved",
        "Clarifying questions",
        "Mapping",
    ):
        staff.get_by_role("button", name="Next step", exact=True).click()
        expect(staff.locator("[data-step-title]")).to_have_text(title)
    for page in (staff, colleague):
        expect(page.locator("[data-step-title]")).to_have_text("Mapping")
    expect(display.locator("#projector-title")).to_have_text("Step 5 of 9: Mapping")
    expect(colleague.locator('section.section[data-section="harm"]')).to_have_class(
        re.compile("in-step")
    )
    staff.get_by_role("button", name="+2 min").click()
    expect(colleague.locator("[data-timer]")).to_have_text(re.compile(r"^(19|20):\d\d$"))

    # The presenter's question sits on top of every view (the display's first page).
    staff.locator(".lead-panel summary").click()
    staff.get_by_label("Presenter's question").fill("Is it safe to increase visits?")
    staff.get_by_role("button", name="Save question").click()
    expect(colleague.locator("[data-question-text]")).to_have_text("Is it safe to increase visits?")
    expect(card(display, "Is it safe to increase visits?", "question")).to_have_count(1)

    # Collect grey areas privately: the member's text stays hidden until revealed.
    grey = staff.locator('section.section[data-section="grey"]')
    grey.get_by_role("button", name="Collect privately").click()
    secret = "We don't know who else lives there."
    add_item(colleague, "grey", secret)
    expect(texts(staff, "grey")).to_have_text(
        ["Written privately: shown when the facilitator reveals this section"]
    )
    expect(texts(display, "grey")).to_have_text(
        ["Written privately: shown when the facilitator reveals this section"]
    )
    browser.screenshot(staff, "steps-01-private-collection")
    grey.get_by_role("button", name="Reveal").click()
    for page in (staff, display):
        expect(texts(page, "grey")).to_have_text([secret])

    # Spotlight: large on the display.
    worry = "If mother drinks when alone with K., K. could be hurt."
    add_item(staff, "danger", worry)
    card(staff, worry).hover()
    card(staff, worry).get_by_role("button", name="Spotlight").click()
    expect(display.locator(".spotlight-text")).to_have_text(worry)
    browser.screenshot(display, "steps-02-display-spotlight")
    card(staff, worry).hover()
    card(staff, worry).get_by_role("button", name="End spotlight").click()
    expect(display.locator(".spotlight")).to_have_count(0)

    # Signals: a raised hand is counted for the facilitator.
    colleague.get_by_role("button", name="Raise hand").click()
    expect(staff.locator("[data-signal-count]")).to_have_text(
        re.compile(r"^Hands up: Wes Worker · Ready: 0 of \d+$")
    )  # the names are the hands', never read as the ready ones
    browser.screenshot(staff, "steps-03-facilitator")
    browser.screenshot(display, "steps-04-display")
    assert contrast_failures(display, ".projector-head *, #stage *") == []
    assert contrast_failures(staff, ".meeting-bar *, .question *") == []

    # A guest joins, the facilitator closes: the board freezes and the guest is told.
    guest = browser.page("guest", viewport={"width": 390, "height": 844})
    join_as_guest(guest, code, "Aunt May")
    confirms = browser.accept_confirms(staff)
    staff.get_by_role("button", name="Close the meeting").click()
    expect(staff.locator("[data-closed-banner]")).to_be_visible()
    expect(colleague.locator("[data-closed-banner]")).to_be_visible()
    expect(colleague.locator(".add-form").first).to_be_hidden()
    expect(guest.locator("#status")).to_have_text(
        "The meeting has ended. Thank you for taking part."
    )
    assert confirms and "Close this meeting for everyone?" in confirms[0]
    browser.screenshot(staff, "steps-05-closed")
