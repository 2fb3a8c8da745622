"""Who is involved, in Chromium: the facilitator and a guest build the list of people
around the child together, an item names one of them, the diagram follows on the board
and the projector, and a supervision board refuses a full name without losing it."""

from __future__ import annotations

import pytest
from browser_support import (
    add_item,
    arrow_until,
    card,
    contrast_failures,
    focused,
    is_focused,
    join_as_guest,
    open_board,
    open_display,
    run_ops,
    sign_in,
    tab_until,
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


def facilitator_on_board(seed, browser, *meeting_kind):
    """A supervisor facilitating a new meeting (group supervision unless a kind and framework
    are given), signed in on the board at 1280 px; returns the page, the meeting and them."""
    team = seed.team()
    lead = seed.staff("supervisor", team)
    meeting = seed.meeting(lead, seed.case(lead, team), *meeting_kind)
    page = browser.page("facilitator", viewport={"width": 1280, "height": 900})
    sign_in(page, lead)
    open_board(page, meeting.id)
    return page, meeting, lead


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

    run_ops(seed, meeting.id, lead, [("go_to_step", {"index": 0})])  # past the join screen
    display = browser.page("projector", viewport={"width": 1920, "height": 1080})
    display.context.add_cookies(staff.context.cookies())
    open_display(display, meeting.id)
    # the projector lists the people as cards of "Who is here" (no diagram eating a third)
    people_cards = display.locator('#stage .block[data-section="involved"] .card')
    expect(people_cards).to_have_count(len(FAMILY) + 1)

    text = "Nana picks Jo up from school every day."
    add_item(staff, "working_well", text)
    item = card(staff, text, "working_well")
    item.hover()
    item.get_by_role("button", name="People").click()
    item.get_by_label("Nana Rosa").check()
    item.get_by_role("button", name="Save").click()
    for page in (staff, phone):
        expect(card(page, text).locator(".person-tag")).to_have_text(["Nana Rosa"])
    expect(card(display, text).locator(".card-meta")).to_have_text("Nana Rosa")
    browser.screenshot(staff, "board-1366-item-names-a-person")
    staff.locator("#involved").scroll_into_view_if_needed()
    browser.screenshot(staff, "board-1366-who-is-involved")
    browser.screenshot(phone, "guest-phone-360", full_page=True)
    browser.screenshot(display, "display-1920x1080")
    assert contrast_failures(display, ".card-text, .card-meta, .block-title") == []

    # taking someone off the list keeps the item, its tag marked removed
    browser.accept_confirms(staff)
    remove_name = "Remove Nana Rosa from the list"
    remove = person_row(staff, "Nana Rosa").get_by_role("button", name=remove_name)
    remove.click()
    expect(person_row(staff, "Nana Rosa")).to_have_count(0)
    for page in (staff, phone):
        expect(card(page, text).locator(".person-tag.is-removed")).to_have_text(
            ["Nana Rosa (removed)"]
        )
    expect(card(display, text).locator(".card-meta")).to_have_text("Nana Rosa (removed)")
    expect(people_cards).to_have_count(len(FAMILY))


def test_a_supervision_board_refuses_a_full_name_and_keeps_what_was_typed(seed, browser):
    page, _, _ = facilitator_on_board(seed, browser)
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
    expect(staff.locator("#network-diagram .network-name")).to_have_text([MARKUP[:21] + "…"])
    expect(staff.locator("#network-diagram .network-box-label")).to_have_text([HOME[:21] + "…"])
    expect(card(staff, "Named").locator(".person-tag")).to_have_text([MARKUP])
    expect(card(display, "Named").locator(".card-meta")).to_have_text(MARKUP)
    expect(display.locator("#stage .card-text", has_text=MARKUP)).to_have_count(1)
    for page in (staff, display):
        assert page.evaluate("() => window.__pwned === undefined")
        assert (
            page.locator("#involved img, #involved script, #stage img, #stage script").count() == 0
        )
    expect(person_row(staff, MARKUP).locator(".involved-name")).to_have_text(MARKUP)


def test_the_list_and_an_items_people_work_from_the_keyboard_alone(seed, browser):
    page, _, _ = facilitator_on_board(seed, browser)
    name = page.locator("#person-form").get_by_label("Name or initials")
    page.locator("body").focus()
    tab_until(page, name, limit=250)  # past the whole map
    page.keyboard.type("M.L.")
    page.keyboard.press("Tab")
    page.keyboard.type("mother")
    page.keyboard.press("Tab")
    page.keyboard.type("34")
    page.keyboard.press("Enter")  # submits from any field: the role is still to choose
    role = page.locator("#person-form").get_by_label("Role in the network")
    expect(page.locator("#person-form .form-error")).to_have_text("Choose a role in the network.")
    assert is_focused(role), focused(page)
    page.keyboard.type("Parent")  # picks "Parent or caregiver"
    tab_until(page, page.locator("#person-form").get_by_role("button", name="Add"))
    page.keyboard.press("Enter")
    expect(person_row(page, "M.L.")).to_contain_text("mother, age 34")
    assert is_focused(name), focused(page)

    # an item names her: Tab to the sections' "+ Add" (one stop), arrows to the section's,
    # Enter opens its box; then → to the card's People button, Space ticks, Enter saves
    box = page.get_by_label("Add to Existing safety")
    tab_until(page, page.locator(".add-open[tabindex='0']"))
    page.keyboard.press("Home")
    arrow_until(page, page.locator(f"[aria-controls='{box.evaluate('b => b.form.id')}']"))
    page.keyboard.press("Enter")
    expect(box).to_be_focused()  # its box is open
    page.keyboard.type("Mother calls the worker when she feels unwell.")
    page.keyboard.press("Enter")
    item = card(page, "Mother calls the worker when she feels unwell.")
    people = item.locator('[data-action="name-people"]')  # shown once focus is in the card
    expect(item).to_have_count(1)
    expect(box).to_have_value("")
    page.keyboard.press("Shift+Tab")
    assert is_focused(item), focused(page)
    arrow_until(page, people)  # a card's buttons are never Tab stops (roving focus)
    page.keyboard.press("Enter")
    choice = item.get_by_label("M.L.")
    assert is_focused(choice), focused(page)
    page.keyboard.press("Space")
    tab_until(page, item.get_by_role("button", name="Save"))
    page.keyboard.press("Enter")
    expect(item.locator(".person-tag")).to_have_text(["M.L."])
    assert is_focused(people), focused(page)

    # change her from the list; Escape leaves the change, nothing sent
    change = person_row(page, "M.L.").get_by_role("button", name="Change M.L.")
    tab_until(page, change, backwards=True, limit=250)  # back across the map
    page.keyboard.press("Enter")
    assert is_focused(name), focused(page)
    expect(name).to_have_value("M.L.")
    page.keyboard.press("Escape")
    expect(name).to_have_value("")


def test_a_stale_change_to_a_person_is_a_conflict_that_keeps_what_was_typed(seed, browser):
    mine, meeting, lead = facilitator_on_board(seed, browser)
    run_ops(seed, meeting.id, lead, [("add_person", {"name": "M.L.", "age": 34, "role": "parent"})])
    open_board(mine, meeting.id)  # seeded behind the room's back: load it again
    person_row(mine, "M.L.").get_by_role("button", name="Change M.L.").click()
    form = mine.locator("#person-form")
    form.get_by_label("Household").fill("Gran's house")
    theirs = browser.page("colleague", viewport={"width": 1280, "height": 900})
    theirs.context.add_cookies(mine.context.cookies())
    open_board(theirs, meeting.id)
    person_row(theirs, "M.L.").get_by_role("button", name="Change M.L.").click()
    theirs.locator("#person-form").get_by_label("Age").fill("35")
    theirs.locator("#person-form").get_by_role("button", name="Save changes").click()
    expect(person_row(mine, "M.L.")).to_contain_text("age 35")

    form.get_by_role("button", name="Save changes").click()
    expect(form.locator(".form-error")).to_contain_text("Someone changed this person")
    expect(form.get_by_label("Household")).to_have_value("Gran's house")  # mine, kept
    expect(form.get_by_label("Age")).to_have_value("35")  # left alone: theirs
    form.get_by_role("button", name="Save changes").click()  # on purpose, over theirs
    expect(person_row(theirs, "M.L.")).to_contain_text("age 35, lives in Gran's house")
