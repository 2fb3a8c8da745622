"""An admin disables an account while its owner has a board open, in Chromium: the board
says the session ended at once, and the next page is the sign-in page saying why."""

from __future__ import annotations

import pytest
from browser_support import open_board, sign_in
from playwright.sync_api import expect

pytestmark = pytest.mark.browser


def test_disabling_an_account_ends_its_open_board_at_once(browser, seed):
    team = seed.team()
    admin = seed.staff("admin", team, name="Ada Admin")
    worker = seed.staff("worker", team, name="Wes Worker")
    meeting = seed.meeting(admin, seed.case(admin, team))

    board = browser.page("worker")
    sign_in(board, worker)
    open_board(board, meeting.id)

    page = browser.page("admin")
    sign_in(page, admin)
    page.goto("/admin")
    expect(page.get_by_role("heading", name="Deployment settings")).to_be_visible()
    browser.screenshot(page, "admin", full_page=True)
    # The live server's accounts outlive each test, and other tests name a worker "Wes
    # Worker" too: this worker's row is the one with its own address.
    row = page.get_by_role("row").filter(has_text=worker.email)
    row.get_by_role("button", name="Disable the account of Wes Worker").click()
    expect(page.locator(".flash-info")).to_have_text(
        "The account is disabled and signed out everywhere."
    )

    expect(board.locator("#status")).to_have_text("Your session has ended. Sign in or join again.")
    board.goto("/cases")
    board.wait_for_url("**/login")
    expect(board.locator(".flash-info")).to_have_text("Your session has ended. Sign in again.")
    browser.screenshot(board, "signed-out")
