"""A supervisor downloads the case-file PDF from the board's Export menu."""

from __future__ import annotations

import re

import pytest
from browser_support import open_board, sign_in

pytestmark = pytest.mark.browser


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
