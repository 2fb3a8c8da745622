"""Who is involved, in Chromium: the facilitator and a guest build the list of people
around the child together, an item names one of them, the diagram follows on the board
and the projector, and a supervision board refuses a full name without losing it."""

from __future__ import annotations

import pytest
from browser_support import (
    add_item,
    card,
    contrast_failures,
    join_as_guest,
    open_board,
    open_display,
    run_ops,
    sign_in,
)
from playwright.sync_api import expect

pytestmark = pytest.mark.browser

FAMILY = [
    ("Maria Lopez", "mother", "34", "Mum's flat", "parent"),
    ("Jo", "", "6", "Mum's flat", "child"),
    ("Nana Rosa", "grandmother", "68", "Nana's house", "family"),
    ("Coach T.", "football coach", "", "", "network"),
    ("Ms K.", "teacher", "", "", "professional"),
]


def add_person(page, name, relationship="", age="", household="", role="parent") -> None:
    form = page.locator("#person-form")
    form.get_by_label("Name or initials").fill(name)
    form.get_by_label("Relationship to the child").fill(relationship)
    form.get_by_label("Age").fill(age)
    form.get_by_label("Household").fill(household)
    form.get_by_label("Role in the network").select_option(role)
    form.get_by_role("button", name="Add").click()


def person_row(page, name):
    return page.locator("#involved-list li.involved-person").filter(
        has=page.locator(".involved-name", has_text=name)
    )


def test_family_and_guest_build_the_list_name_a_person_and_see_the_diagram(seed, browser):
    team = seed.team()
    lead = seed.staff("supervisor", team)
    meeting = seed.meeting(lead, seed.case(lead, team, "J.L. (6)"), "family_team", "family")
    code = seed.invite_code(lead, meeting.id)
    staff = browser.page("facilitator", viewport={"width": 1366, "height": 900})
    sign_in(staff, lead)
    open_board(staff, meeting.id)
    for person in FAMILY:
        add_person(staff, *person)
        expect(person_row(staff, person[0])).to_have_count(1)
    expect(staff.locator("#person-form").get_by_label("Name or initials")).to_have_value("")
    expect(staff.locator("#network-diagram .network-person")).to_have_count(len(FAMILY))
    home = staff.locator("#network-diagram .network-box.is-child-home")
    expect(home).to_have_count(1)
    child = staff.locator("#network-diagram .network-person.is-child")
    expect(child).to_contain_text("Jo")

    phone = browser.page("guest phone", viewport={"width": 360, "height": 780}, is_mobile=True)
    join_as_guest(phone, code, "Maria")
    expect(phone.locator("#involved-list li.involved-person")).to_have_count(len(FAMILY))
    expect(phone.locator("#network-diagram")).to_be_hidden()  # the list is the phone's view
    add_person(phone, "Uncle Sam", "uncle", "41", "", "family")
    expect(person_row(staff, "Uncle Sam")).to_have_count(1)
    expect(staff.locator("#network-diagram .network-person")).to_have_count(len(FAMILY) + 1)
    # a guest changes only the people they added
    expect(person_row(phone, "Uncle Sam").get_by_role("button", name="Change")).to_have_count(1)
    expect(person_row(phone, "Nana Rosa").locator(".involved-actions")).to_be_hidden()

    display = browser.page("projector", viewport={"width": 1920, "height": 1080})
    display.context.add_cookies(staff.context.cookies())
    open_display(display, meeting.id)
    expect(display.locator("#network-diagram .network-person")).to_have_count(len(FAMILY) + 1)

    text = "Nana picks Jo up from school every day."
    add_item(staff, "working_well", text)
    item = card(staff, text, "working_well")
    item.hover()
    item.get_by_role("button", name="People").click()
    item.get_by_label("Nana Rosa").check()
    item.get_by_role("button", name="Save").click()
    for page in (staff, phone, display):
        expect(card(page, text).locator(".person-tag")).to_have_text(["Nana Rosa"])
    browser.screenshot(staff, "board-1366-item-names-a-person")
    staff.locator("#involved").scroll_into_view_if_needed()
    browser.screenshot(staff, "board-1366-who-is-involved")
    browser.screenshot(phone, "guest-phone-360", full_page=True)
    browser.screenshot(display, "display-1920x1080")
    assert contrast_failures(display, ".network-name, .network-about, .network-box-label") == []

    # taking someone off the list keeps the item, its tag marked removed
    browser.accept_confirms(staff)
    person_row(staff, "Nana Rosa").get_by_role("button", name="Take Nana Rosa off the list").click()
    expect(person_row(staff, "Nana Rosa")).to_have_count(0)
    for page in (staff, phone, display):
        expect(card(page, text).locator(".person-tag.is-removed")).to_have_text(
            ["Nana Rosa (removed)"]
        )
    expect(display.locator("#network-diagram .network-person")).to_have_count(len(FAMILY))


def test_a_supervision_board_refuses_a_full_name_and_keeps_what_was_typed(seed, browser):
    team = seed.team()
    lead = seed.staff("supervisor", team)
    meeting = seed.meeting(lead, seed.case(lead, team))
    page = browser.page("facilitator", viewport={"width": 1280, "height": 900})
    sign_in(page, lead)
    open_board(page, meeting.id)
    form = page.locator("#person-form")
    expect(form).to_contain_text("initials only")
    add_person(page, "Maria Lopez", "mother", "34", "Home 1", "parent")
    expect(form.locator(".form-error")).to_contain_text("initials only")
    name = form.get_by_label("Name or initials")
    expect(name).to_have_value("Maria Lopez")
    expect(name).to_be_focused()
    expect(form.get_by_label("Household")).to_have_value("Home 1")
    name.fill("M.L.")
    form.get_by_role("button", name="Add").click()
    expect(person_row(page, "M.L.")).to_contain_text("mother, age 34, lives in Home 1")
    expect(form.locator(".form-error")).to_be_hidden()


MARKUP = "<img src=x onerror=window.__pwned=1>"
HOME = "</text><script>window.__pwned=2</script>"


def test_markup_in_a_name_or_household_is_shown_as_text_and_never_runs(seed, browser):
    team = seed.team()
    lead = seed.staff("supervisor", team)
    meeting = seed.meeting(lead, seed.case(lead, team), "family_team", "family")
    events = run_ops(seed, meeting.id, lead, [
        ("add_person", {"name": MARKUP, "household": HOME, "role": "child"}),
        ("add_item", {"section": "worries", "text": "Named"}),
        ("set_item_people", lambda done: {
            "item_id": done[1]["item"]["id"], "person_ids": [done[0]["person"]["id"]],
        }),
    ])  # fmt: skip
    assert events[2]["item"]["person_ids"] == [events[0]["person"]["id"]]
    staff = browser.page("facilitator", viewport={"width": 1366, "height": 900})
    sign_in(staff, lead)
    open_board(staff, meeting.id)
    display = browser.page("projector", viewport={"width": 1920, "height": 1080})
    display.context.add_cookies(staff.context.cookies())
    open_display(display, meeting.id)
    for page in (staff, display):
        expect(page.locator("#network-diagram .network-name")).to_have_text([MARKUP[:21] + "…"])
        expect(page.locator("#network-diagram .network-box-label")).to_have_text([HOME[:21] + "…"])
        expect(card(page, "Named").locator(".person-tag")).to_have_text([MARKUP])
        assert page.evaluate("() => window.__pwned === undefined")
        assert page.locator("#involved img, #involved script").count() == 0
    expect(person_row(staff, MARKUP).locator(".involved-name")).to_have_text(MARKUP)
