"""A supervisor downloads the case-file PDF from the board's Export menu."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from browser_support import open_board, sign_in

pytestmark = pytest.mark.browser
SCREENSHOTS = Path(__file__).resolve().parents[2] / "docs" / "screenshots"


def test_the_pdf_summary_downloads_from_the_board(browser, seed, tmp_path):
    team = seed.team()
    lead = seed.staff("supervisor", team)
    meeting = seed.meeting(lead, seed.case(lead, team, "K.L. (4)"))
    seed.add_items(meeting, [("harm", "A bruise on the arm."), ("strengths", "Grandma helps.")])
    page = browser.page("supervisor")
    sign_in(page, lead)
    open_board(page, meeting.id)
    page.locator(".export-menu summary").click()
    with page.expect_download() as started:
        page.get_by_role("link", name="PDF summary (one page)").click()
    download = started.value
    assert re.fullmatch(r"meeting-\d+-\d{4}-\d\d-\d\d\.pdf", download.suggested_filename)
    saved = tmp_path / download.suggested_filename
    download.save_as(saved)
    assert saved.read_bytes().startswith(b"%PDF")
    assert "K.L." not in download.suggested_filename  # no case text in file names


def test_a_busy_answer_asks_to_try_again_in_a_minute(browser, seed):
    """Every render worker busy: the server answers 503 with Retry-After (tests/web/
    test_export_render_pool.py proves that); the menu then says so, in plain words, and the
    next try downloads."""
    team = seed.team()
    lead = seed.staff("supervisor", team)
    meeting = seed.meeting(lead, seed.case(lead, team, "K.L. (4)"))
    page = browser.page("supervisor")
    sign_in(page, lead)
    open_board(page, meeting.id)
    busy = "Other files are being prepared right now. Try again in a minute."
    browser.expect_problem(page, r"^HTTP 503: .*/export\.pdf")  # the answer this test fakes
    browser.expect_problem(page, r"status of 503 .*/export\.pdf")
    page.route(
        "**/export.pdf*",
        lambda route: route.fulfill(status=503, headers={"Retry-After": "60"}, body="busy"),
    )
    page.locator(".export-menu summary").click()
    page.get_by_role("link", name="PDF summary (one page)").click()
    note = page.locator(".export-menu .export-progress")
    note.filter(has_text=busy).wait_for()
    page.screenshot(path=str(SCREENSHOTS / "export-menu-busy.png"))
    page.unroute("**/export.pdf*")
    with page.expect_download() as started:
        page.get_by_role("link", name="PDF summary (one page)").click()
    assert started.value.suggested_filename.endswith(".pdf")
