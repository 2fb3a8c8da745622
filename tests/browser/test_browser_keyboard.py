"""The board works from the keyboard alone: add, edit, cancel, move and delete."""

from __future__ import annotations

import pytest
from browser_support import (
    arrow_until,
    card,
    focused,
    is_focused,
    open_board,
    sign_in,
    tab_until,
    texts,
    wait_connected,
)
from playwright.sync_api import expect

pytestmark = pytest.mark.browser


def test_add_edit_move_and_delete_with_the_keyboard_only(browser, seed):
    team = seed.team()
    supervisor = seed.staff("supervisor", team)
    meeting = seed.meeting(supervisor, seed.case(supervisor, team))
    page = browser.page("supervisor")
    confirms = browser.accept_confirms(page)
    sign_in(page, supervisor)
    open_board(page, meeting.id)

    # Tab from the top of the page: "Skip to the map", then the sections' "+ Add" (one stop),
    # arrows to Harm's, Enter opens its box; Enter adds, the box empties, focus stays.
    box = page.get_by_label("Add to Harm")
    page.locator("body").focus()
    tab_until(page, page.get_by_role("link", name="Skip to the map"))
    page.keyboard.press("Enter")
    tab_until(page, page.locator(".add-open").first)
    harm_add = page.locator('section[data-section="harm"] .add-open')
    arrow_until(page, harm_add)
    page.keyboard.press("Enter")
    expect(box).to_be_focused()
    page.keyboard.type("Mother says the bruise came from a fall.")
    page.keyboard.press("Enter")
    expect(texts(page, "harm")).to_have_text(["Mother says the bruise came from a fall."])
    expect(box).to_have_value("")
    assert is_focused(box), focused(page)
    page.keyboard.type("Bruise on the left arm.")
    page.keyboard.press("Shift+Enter")  # a new line, not a submit
    page.keyboard.type("School nurse saw it.")
    page.keyboard.press("Enter")
    second = "Bruise on the left arm.\nSchool nurse saw it."
    expect(texts(page, "harm")).to_have_text(["Mother says the bruise came from a fall.", second])

    # Escape closes the box (focus back on its "+ Add"); Shift+Tab reaches the card list, and
    # the arrows walk it; → reaches the card's buttons, Enter on Edit opens its editor.
    page.keyboard.press("Escape")
    expect(harm_add).to_be_focused()
    latest = card(page, second)
    tab_until(
        page, page.locator('ul.items[data-section="harm"] > li.item[tabindex="0"]'), backwards=True
    )
    page.keyboard.press("End")
    assert is_focused(latest), focused(page)
    page.keyboard.press("ArrowRight")
    assert is_focused(latest.get_by_role("button", name="Edit")), focused(page)
    browser.screenshot(page, "card-actions-on-focus")
    page.keyboard.press("Enter")
    editor = latest.get_by_label("Edit item")
    expect(editor).to_be_focused()
    expect(editor).to_have_value(second)
    for name in ("Edit", "Delete", "Move up", "Move down"):  # no card actions while editing
        expect(latest.get_by_role("button", name=name)).to_be_hidden()

    # Escape cancels: nothing changes, focus goes back to the card.
    page.keyboard.type(" DRAFT")
    page.keyboard.press("Escape")
    expect(latest.locator(".edit-form")).to_have_count(0)
    expect(latest).to_be_focused()
    expect(latest.locator(".item-text")).to_have_text(second)

    # Edit for real: select all, type, Enter saves.
    page.keyboard.press("ArrowRight")
    page.keyboard.press("Enter")
    expect(editor).to_be_focused()
    page.keyboard.press("ControlOrMeta+A")
    edited = "Bruise on the left upper arm, about 3 cm, seen by the school nurse."
    page.keyboard.type(edited)
    browser.screenshot(page, "editing")
    page.keyboard.press("Enter")
    edited_card = card(page, edited)
    expect(edited_card).to_have_count(1)
    expect(edited_card).to_be_focused()
    expect(texts(page, "harm")).to_have_text(["Mother says the bruise came from a fall.", edited])

    # Alt+↑ moves it first, Alt+↓ back; focus stays on the card.
    page.keyboard.press("Alt+ArrowUp")
    expect(texts(page, "harm")).to_have_text([edited, "Mother says the bruise came from a fall."])
    expect(edited_card).to_be_focused()
    page.keyboard.press("Alt+ArrowDown")
    expect(texts(page, "harm")).to_have_text(["Mother says the bruise came from a fall.", edited])

    # "Move to section" from the keyboard (→ along the card's buttons): the card lands in
    # Grey areas and keeps focus.
    move_to = edited_card.get_by_label("Move to section")
    arrow_until(page, move_to)
    move_to.select_option("grey")  # what ArrowDown + Enter does on a focused <select>
    expect(texts(page, "grey")).to_have_text([edited])
    expect(move_to).to_be_focused()

    # Delete asks nothing: the item goes, focus stays in that section, Undo is offered.
    edited_card.focus()
    delete = edited_card.get_by_role("button", name="Delete")
    arrow_until(page, delete)
    page.keyboard.press("Enter")
    expect(texts(page, "grey")).to_have_count(0)
    assert confirms == []
    expect(page.locator('section[data-section="grey"] .add-open')).to_be_focused()
    expect(page.locator(".undo-toast")).to_contain_text("Card deleted.")
    wait_connected(page)  # the board shows a change before the server has it: wait for it
    stored = seed.live_items(meeting.id)
    assert [(i["section"], i["text"]) for i in stored] == [
        ("harm", "Mother says the bruise came from a fall.")
    ]
