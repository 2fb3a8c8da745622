"""The other SOP tools in Chromium: a meeting on each built-in tool (items typed on the
board appear on the display, drawn as the tool is), and the admin's framework editor."""

from __future__ import annotations

import pytest
from browser_support import (
    DESKTOP,
    DISPLAY_FULL_HD,
    PHONE,
    add_form,
    add_item,
    open_board,
    open_display,
    page_scrolls_sideways,
    sign_in,
)
from playwright.sync_api import expect

from facilitator.domain.sop_tools import SOP_TOOLS

pytestmark = pytest.mark.browser


@pytest.mark.parametrize("tool", SOP_TOOLS, ids=[tool.key for tool in SOP_TOOLS])
def test_a_meeting_on_each_tool_reaches_the_display_drawn_as_the_tool(browser, seed, tool):
    team = seed.team()
    lead = seed.staff("supervisor", team, name="Fran Facilitator")
    meeting = seed.meeting(lead, seed.case(lead, team, "T.R. (7)"), "family_team", tool.key)
    staff = browser.page("facilitator", **DESKTOP)
    sign_in(staff, lead)
    open_board(staff, meeting.id)
    display = browser.page(
        "display", **DISPLAY_FULL_HD, storage_state=staff.context.storage_state()
    )
    open_display(display, meeting.id)
    expect(staff.locator(f"#map.layout-{tool.layout}")).to_have_count(1)
    for number, section in enumerate(tool.sections, start=1):
        expect(staff.locator(f"section.section-{section.key} .family-wording")).to_have_text(
            section.family
        )
        add_item(staff, section.key, f"Item {number} in {section.key}")
    if tool.child_words:  # the agency's consent to show a child's words, recorded
        staff.get_by_text("The child's words: consent").click()
        staff.get_by_label("Who agreed").fill("Maria, mother")
        staff.get_by_role("button", name="Record consent").click()
        expect(staff.locator("[data-consent-recorded]")).to_contain_text("Maria, mother")
    for number, section in enumerate(tool.sections, start=1):
        on_display = display.locator(f'#stage .block[data-section="{section.key}"] .card-text')
        expect(on_display).to_have_text([f"Item {number} in {section.key}"])
    if tool.child_words:  # the child's words are shown in quotes, as said
        quoted = display.locator("#stage .card-text").first.evaluate(
            "e => getComputedStyle(e, '::before').content"
        )
        assert quoted == '"\u201c"'
    # the projector pages the tool's sections in large type; the board draws its shape
    if tool.layout == "houses":
        expect(staff.locator(".shape-house .roof").first).to_be_visible()
        roof = display.locator("#stage .block-title").first.evaluate(
            "e => getComputedStyle(e, '::before').content"
        )
        assert roof != "none"  # each house keeps its roof on the projector
    if tool.layout == "rings":  # the first section is the innermost ring
        inner = staff.locator(".ring-3 .ring-2 .ring-1 section.section-knows_most")
        expect(inner).to_have_count(1)
    if tool.layout == "worksheet":
        goal_card = staff.locator('ul.items[data-section="goals"] li.item').first
        goal_card.hover()  # card tools wait for hover or focus
        pair = goal_card.get_by_label("The danger statement this goal answers")
        pair.select_option(label="Item 1 in danger")
        row = staff.locator("#worksheet-rows tr")
        expect(row).to_have_count(1)
        expect(row.locator("td")).to_have_text(
            ["Item 1 in danger", "Item 2 in goals", "Not scaled yet"]
        )
    browser.screenshot(staff, f"{tool.key}-board", full_page=True)
    browser.screenshot(display, f"{tool.key}-display")
    phone = browser.page("phone", **PHONE, storage_state=staff.context.storage_state())
    open_board(phone, meeting.id)
    assert not page_scrolls_sideways(phone)
    browser.screenshot(phone, f"{tool.key}-phone", full_page=True)


def test_the_safety_plan_rule_names_who_keeps_it_with_the_guided_parts(browser, seed):
    team = seed.team()
    lead = seed.staff("supervisor", team)
    meeting = seed.meeting(lead, seed.case(lead, team, "T.R. (7)"), "family_team", "safety_plan")
    staff = browser.page("facilitator", **DESKTOP)
    sign_in(staff, lead)
    open_board(staff, meeting.id)
    form = add_form(staff, "plan_rules")  # opened with the section's "+ Add"
    form.locator("summary", has_text="Use the guide").click()
    form.get_by_label("The rule").fill("No drinking when the children are home")
    form.get_by_label("Who keeps it").fill("Gran")
    form.get_by_label("Their phone").fill("555 0100")
    expected = "No drinking when the children are home (kept by Gran, phone 555 0100)"
    expect(form.locator("textarea")).to_have_value(expected)
    form.get_by_role("button", name="Add").click()
    expect(staff.locator('ul.items[data-section="plan_rules"] .item-text')).to_have_text([expected])


def test_admin_edits_a_framework_errors_keep_the_typing_then_it_publishes(browser, seed):
    team = seed.team()
    admin = seed.staff("admin", team)
    page = browser.page("admin", **DESKTOP)
    sign_in(page, admin)
    page.goto("/admin/frameworks")
    page.get_by_role("link", name="Start from this one: Safety Circles").click()
    expect(page.get_by_label("Key (small letters, digits and _; never changes)")).to_have_value(
        "safety_circles_agency"
    )
    page.locator("#section-0-title").fill("")
    page.locator("#section-3-help").fill("Typed help that must survive a refusal.")
    page.get_by_role("button", name="Publish").click()
    expect(page.get_by_role("alert")).to_contain_text("Section 1, Title: Fill this in.")
    sections = page.locator('section[aria-labelledby="sections-title"] .framework-row')
    expect(sections).to_have_count(4 + 3)  # no blank rows pile up
    expect(page.locator("#section-0-title")).to_have_attribute("aria-invalid", "true")
    expect(page.locator("#section-3-help")).to_have_value("Typed help that must survive a refusal.")
    browser.screenshot(page, "admin-editor-refused", full_page=True)
    page.locator("#section-0-title").fill("Knows everything")
    page.get_by_role("button", name="Publish").click()
    expect(page.locator(".flash")).to_contain_text("version 1 is published")
    expect(page.get_by_role("cell", name="safety_circles_agency")).to_be_visible()
    expect(page.get_by_role("cell", name="Safety Circles (our agency)", exact=True)).to_be_visible()
    browser.screenshot(page, "admin-frameworks-list", full_page=True)
