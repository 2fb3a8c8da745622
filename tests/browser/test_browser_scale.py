"""A scaling round in real browsers: private ratings, one reveal, follow-ups on the map."""

from __future__ import annotations

import pytest
from browser_support import PHONE, join_as_guest, open_board, open_display, sign_in
from playwright.sync_api import expect

pytestmark = pytest.mark.browser


def test_private_ratings_are_revealed_at_once_as_a_labelled_plot(browser, seed):
    team = seed.team()
    supervisor = seed.staff("supervisor", team, name="Sam Supervisor")
    meeting = seed.meeting(supervisor, seed.case(supervisor, team))
    code = seed.invite_code(supervisor, meeting.id)

    staff = browser.page("supervisor")
    sign_in(staff, supervisor)
    open_board(staff, meeting.id)
    guest = browser.page("guest phone", **PHONE)
    join_as_guest(guest, code, "Grandma Rose")
    display = browser.page("display", storage_state=staff.context.storage_state())
    open_display(display, meeting.id)

    scale = staff.locator("#scale")
    scale.get_by_role("button", name="Open safety scale").click()
    expect(scale.get_by_role("button", name="Reveal")).to_be_visible()
    expect(scale.get_by_role("button", name="Reopen")).to_be_hidden()
    expect(scale.get_by_role("button", name="Open safety scale")).to_be_hidden()
    guest_scale = guest.locator("#scale")
    expect(guest_scale).to_contain_text("10")
    expect(guest_scale).to_contain_text("close the case")  # the anchors, 10 first
    anchors = guest_scale.locator(".scale-anchors dt").all_inner_texts()
    assert anchors == ["10", "0"]

    # The guest rates by keyboard: focus a number, move with the arrow keys.
    guest_scale.locator('input[name="value"][value="5"]').focus()
    guest.keyboard.press("ArrowRight")
    guest.keyboard.press("ArrowRight")
    expect(guest_scale.locator('input[name="value"][value="7"]')).to_be_checked()
    guest_scale.get_by_label("Why this number? (one line)").fill("Rose-looks-after-him")
    guest_scale.get_by_role("button", name="Save my rating").click()
    expect(guest_scale).to_contain_text("Your rating is saved")
    browser.screenshot(guest, "01-guest-rated")

    expect(scale).to_contain_text("1 of 2 have rated")
    expect(staff.locator("body")).not_to_contain_text("Rose-looks-after-him")
    expect(display.locator("body")).not_to_contain_text("Rose-looks-after-him")

    scale.get_by_role("button", name="Reveal").click()
    for page in (staff, guest):
        result = page.locator("#scale .scale-result")
        expect(result).to_be_visible()
        expect(result).to_contain_text("Grandma Rose: 7")
        expect(result).to_contain_text("Rose-looks-after-him")
        expect(result.locator(".scale-dot")).to_have_count(1)
        expect(result.locator("svg")).to_contain_text("median 7")  # a text label, not colour
    shown = display.locator(".scale-screen")  # the room sees the plot and every reason
    expect(shown).to_contain_text("Grandma Rose: 7")
    expect(shown).to_contain_text("Rose-looks-after-him")
    expect(shown.locator(".scale-plot circle")).to_have_count(1)
    expect(shown.locator(".scale-summary")).to_contain_text("median 7")  # text, not colour
    expect(display.locator("button")).to_have_count(0)
    expect(scale.get_by_role("button", name="Reveal")).to_be_hidden()
    browser.screenshot(staff, "02-revealed")
    browser.screenshot(display, "03-display")

    # Follow-up: the strengths box is prefilled and focused, one Enter adds the item.
    scale.get_by_role("button", name="What makes it this high?").click()
    box = staff.locator('form.add-form[data-section="strengths"] textarea')
    expect(box).to_be_focused()
    expect(box).to_have_value("Scale 7: ")
    box.type("Grandmother every weekend")
    box.press("Enter")
    expect(staff.locator('ul.items[data-section="strengths"]')).to_contain_text(
        "Scale 7: Grandmother every weekend"
    )

    # Reopened: values hidden again; the guest can revise.
    scale.get_by_role("button", name="Reopen").click()
    expect(guest.locator("#scale .scale-result")).to_be_hidden()
    expect(guest_scale.locator('input[name="value"][value="7"]')).to_be_checked()
