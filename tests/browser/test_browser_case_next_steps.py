"""Open next steps belong to the case, in a real browser: a group supervision's steps come
into the family team meeting's first step, in the family's words; the case page lists each
open step once and marks one done (docs/screenshots/review-step-family.png,
review-carried-steps.png and case-next-steps.png)."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from axe import assert_no_violations
from browser_support import open_board, run_ops, sign_in, wait_connected
from playwright.sync_api import expect

pytestmark = pytest.mark.browser

SCREENSHOTS = Path(__file__).resolve().parents[2] / "docs" / "screenshots"

STEPS = [
    ("Worker to call the treatment program for attendance", "Sam", "2026-12-11", "agreed"),
    ("Family meeting with grandmother about night care", "Gran R.", "2026-12-15", "agreed"),
    ("School counselor to check in with J. weekly", "Ms. Ortiz", None, "proposed"),
    ("Refer mother to the housing navigator", "Sam", "2026-12-04", "done"),
]


MAP = [
    ("danger", "The school is worried that if mother drinks when she is alone with J. at "
               "night, J. could be hurt."),
    ("strengths", "Grandmother has a key and checks in most evenings."),
]  # fmt: skip


def _first_supervision(seed):
    """A group supervision with a danger, a strength and four next steps (one done)."""
    team = seed.team()
    supervisor = seed.staff("supervisor", team, name="Sam Rivera")
    case_id = seed.case(supervisor, team, "J. (6)")
    meeting = seed.meeting(supervisor, case_id)
    items = seed.add_items(meeting, MAP + [("next_steps", step[0]) for step in STEPS])
    ops = []
    for item_id, (_text, owner, due_on, status) in zip(items[2:], STEPS, strict=True):
        ops.append(("set_next_step", {"item_id": item_id, "owner": owner, "due_on": due_on}))
        moves = {"agreed": ["agreed"], "done": ["agreed", "done"]}.get(status, [])
        ops += [("set_next_step_status", {"item_id": item_id, "status": m}) for m in moves]
    run_ops(seed, meeting.id, supervisor, ops)
    return supervisor, case_id


def test_the_family_meeting_reviews_the_supervisions_open_steps(browser, seed):
    supervisor, case_id = _first_supervision(seed)

    page = browser.page("supervisor", viewport={"width": 1280, "height": 720})
    sign_in(page, supervisor)
    page.goto(f"/cases/{case_id}")
    page.get_by_label("Kind of meeting").select_option("family_team")
    page.get_by_label("Map", exact=True).select_option("family")
    page.get_by_role("button", name="Start meeting").click()
    page.wait_for_url("**/meetings/*")
    wait_connected(page)
    family_id = int(page.url.rstrip("/").rsplit("/", 1)[1])
    run_ops(seed, family_id, supervisor, [("go_to_step", {"index": 0})])
    open_board(page, family_id)
    expect(page.get_by_text("Look back at our steps").first).to_be_visible()
    section = page.locator('section[data-section="next"]')
    for text, *_rest in STEPS[:3]:
        expect(section.locator(".item-text", has_text=text)).to_be_visible()
    expect(section.get_by_text("Suggested").first).to_be_visible()
    expect(section.locator(".item-text", has_text=STEPS[3][0])).to_have_count(0)  # done
    page.evaluate("window.scrollTo(0, 0)")
    shot = browser.screenshot(page, "review-step-1280x720")
    shutil.copy(shot, SCREENSHOTS / "review-step-family.png")
    section.scroll_into_view_if_needed()
    shot = browser.screenshot(page, "review-carried-steps-1280x720")
    shutil.copy(shot, SCREENSHOTS / "review-carried-steps.png")

    page.goto(f"/cases/{case_id}#steps-title")
    rows = page.locator(".steps-table tbody tr")
    expect(rows).to_have_count(3)  # each open step once, though two meetings hold it
    shot = browser.screenshot(page, "case-next-steps-1280x720")
    shutil.copy(shot, SCREENSHOTS / "case-next-steps.png")
    assert_no_violations(page)
    page.get_by_role("button", name=f"Mark done: {STEPS[0][0]}").click()
    expect(page.get_by_text("The next step is marked done.")).to_be_visible()
    expect(rows).to_have_count(2)
