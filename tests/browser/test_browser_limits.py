"""Item text limits: 2,000 characters are saved, 2,001 are refused without losing the text."""

from __future__ import annotations

import pytest
from browser_support import add_form, card, open_board, sign_in, texts, wait_connected
from playwright.sync_api import expect

pytestmark = pytest.mark.browser

LIMIT = 2000


def words(length: int, alphabet: str = "The family network met on Tuesday. ") -> str:
    """Readable text of exactly this many characters (no leading or trailing space)."""
    text = (alphabet * (length // len(alphabet) + 2)).strip()[:length]
    assert len(text) == length and text == text.strip()
    return text


@pytest.fixture
def board(browser, seed):
    team = seed.team()
    supervisor = seed.staff("supervisor", team)
    meeting = seed.meeting(supervisor, seed.case(supervisor, team))
    page = browser.page("supervisor")
    sign_in(page, supervisor)
    open_board(page, meeting.id)
    return page, meeting


def test_one_character_too_many_is_refused_and_the_text_is_kept(browser, seed, board):
    page, meeting = board
    form = add_form(page, "harm")
    box = form.locator("textarea")
    too_long = words(LIMIT + 1)

    box.fill(too_long)
    expect(form.locator(".counter")).to_have_text(f"{LIMIT + 1} / {LIMIT}")
    expect(form.locator(".counter")).to_have_class("counter over")
    form.get_by_role("button", name="Add").click()
    error = form.locator(".form-error")
    expect(error).to_be_visible()
    expect(error).to_have_text("Too long: 2001 of 2000 characters. Shorten it to save.")
    expect(box).to_have_attribute("aria-invalid", "true")
    expect(box).to_have_value(too_long)  # nothing the user typed is lost
    browser.screenshot(page, "too-long")
    page.wait_for_timeout(300)  # give a wrongly sent operation time to come back
    expect(texts(page, "harm")).to_have_count(0)
    assert seed.live_items(meeting.id) == []

    # One Backspace later it fits: the message goes away and Add saves all 2,000 characters.
    box.press("End")
    box.press("Backspace")
    expect(error).to_be_hidden()
    expect(form.locator(".counter")).to_have_text(f"{LIMIT} / {LIMIT}")
    form.get_by_role("button", name="Add").click()
    expect(texts(page, "harm")).to_have_count(1)
    expect(box).to_have_value("")
    assert texts(page, "harm").first.text_content() == too_long[:LIMIT]
    wait_connected(page)  # shown at once; saved once the server has answered
    assert [len(i["text"]) for i in seed.live_items(meeting.id)] == [LIMIT]
    expect(page.locator("#status")).to_have_text("All changes saved")


def test_exactly_two_thousand_characters_in_any_script_are_saved(seed, board):
    page, meeting = board
    samples = {
        "harm": words(LIMIT, "Mère inquiète, enfant à l'école. "),
        "danger": words(LIMIT, "Bé được bà chăm sóc mỗi cuối tuần. "),
        "strengths": words(LIMIT, "祖母每个周末都照顾孩子。"),
    }
    for section, text in samples.items():
        form = add_form(page, section)
        form.locator("textarea").fill(text)
        form.get_by_role("button", name="Add").click()
        expect(texts(page, section)).to_have_count(1)
        expect(form.locator(".form-error")).to_be_hidden()
        assert texts(page, section).first.text_content() == text
    wait_connected(page)  # shown at once; saved once the server has answered
    stored = {i["section"]: i["text"] for i in seed.live_items(meeting.id)}
    assert stored == samples


def test_editing_past_the_limit_keeps_the_editor_open(seed, board):
    page, meeting = board
    [item_id] = seed.add_items(meeting, [("grey", "We don't know who else lives in the home.")])
    page.reload()
    item = card(page, "We don't know who else lives in the home.")
    item.focus()
    item.get_by_role("button", name="Edit").click()
    editor = item.get_by_label("Edit item")
    editor.fill(words(LIMIT + 5))
    item.get_by_role("button", name="Save").click()
    expect(item.locator(".edit-form .form-error")).to_have_text(
        "Too long: 2005 of 2000 characters. Shorten it to save."
    )
    expect(editor).to_have_value(words(LIMIT + 5))
    assert seed.live_items(meeting.id)[0]["text"] == "We don't know who else lives in the home."
    editor.fill(words(LIMIT))
    item.get_by_role("button", name="Save").click()
    expect(page.locator(f'li.item[data-item-id="{item_id}"] .item-text')).to_have_text(words(LIMIT))
    wait_connected(page)
    assert seed.live_items(meeting.id)[0]["version"] == 2
