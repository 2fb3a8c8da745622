"""Printing the board: the map alone, three columns, no tools; the export menu for staff."""

from __future__ import annotations

import pytest
from browser_support import add_item, open_board, sign_in
from playwright.sync_api import expect

pytestmark = pytest.mark.browser


def test_printed_board_keeps_the_columns_and_drops_the_tools(browser, seed):
    team = seed.team()
    supervisor = seed.staff("supervisor", team)
    meeting = seed.meeting(supervisor, seed.case(supervisor, team))
    page = browser.page("supervisor")
    sign_in(page, supervisor)
    open_board(page, meeting.id)
    expect(page.locator(".export-menu summary")).to_be_visible()
    add_item(page, "harm", "Father hit the child with a belt.")
    add_item(page, "strengths", "Mother walks the children to school.")
    page.emulate_media(media="print")
    page.set_viewport_size({"width": 1056, "height": 816})  # Letter, landscape, at 96 dpi
    for hidden in (".board-tools", ".add-form", ".people", ".export-menu"):
        assert page.locator(hidden).first.is_hidden(), hidden
    tops = [
        page.locator(f".column-{key}").bounding_box()["y"]
        for key in ("worried", "working", "needs")
    ]
    assert max(tops) - min(tops) < 2, "the three columns sit side by side"
    browser.screenshot(page, "board-printed", full_page=True)
