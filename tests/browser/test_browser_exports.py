"""A supervisor downloads the case-file PDF from the board's Export menu."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from browser_support import open_board, sign_in
from playwright.sync_api import expect

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


def test_importing_a_second_case_with_the_same_label_asks_first(browser, seed, tmp_path):
    """The case list's import form: a file whose label the team already has brings the
    form back with the warning and a box to tick; ticked, the file imports as a new case
    whose meeting keeps its own date and history."""
    team = seed.team()
    lead = seed.staff("supervisor", team)
    case_id = seed.case(lead, team, "K.L. (4)")
    meeting = seed.meeting(lead, case_id)
    seed.add_items(meeting, [("harm", "A bruise on the arm."), ("strengths", "Grandma helps.")])
    page = browser.page("supervisor")
    sign_in(page, lead)
    exported = tmp_path / "meeting.json"
    exported.write_bytes(page.request.get(f"/meetings/{meeting.id}/export.json").body())

    browser.expect_problem(page, r"409.*/cases/import")  # the confirmation step's status
    page.goto("/cases")
    page.get_by_text("Import a case from another Facilitator").click()
    page.get_by_label("Export file (.json)").set_input_files(str(exported))
    page.get_by_role("button", name="Import").click()
    warning = page.get_by_role("alert")
    expect(warning).to_contain_text("already has a case with this label")
    box = page.get_by_label("Import it as a second case with the same label")
    expect(box).to_be_visible()
    browser.screenshot(page, "import-same-label-asks")

    box.check()
    page.locator("#import-file").set_input_files(str(exported))
    page.get_by_role("button", name="Import").click()
    page.wait_for_url(re.compile(r"/cases/\d+$"))
    expect(page.get_by_role("heading", level=1)).to_contain_text("K.L. (4)")
    assert not page.url.endswith(f"/cases/{case_id}")
    browser.screenshot(page, "import-same-label-imported")


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
