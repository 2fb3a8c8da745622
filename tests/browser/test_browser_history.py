"""The case remembers: a second meeting reviews the first's next steps and brings its map
forward; the trend shows both meetings' ratings; the compare view lists what changed."""

from __future__ import annotations

import re
from typing import Any

import pytest
from browser_support import add_item, card, open_board, run_ops, sign_in
from playwright.sync_api import expect

pytestmark = pytest.mark.browser


def scale(value: int, reason: str) -> list[tuple[str, Any]]:
    return [
        ("open_scale_round", {}),
        ("rate", lambda ev: {"round_id": ev[-1]["scale_round"]["id"], "value": value,
                             "reason": reason}),
        ("reveal_scale_round", lambda ev: {"round_id": ev[-2]["scale_round"]["id"]}),
    ]  # fmt: skip


def test_second_meeting_reviews_steps_brings_the_map_forward_and_shows_the_trend(browser, seed):
    team = seed.team()
    lead = seed.staff("supervisor", team, name="Sam Supervisor")
    first = seed.meeting(lead, seed.case(lead, team, "K.L. (4)"))
    item = lambda section, text: ("add_item", {"section": section, "text": text, "view": "agency"})  # noqa: E731
    run_ops(seed, first.id, lead, [
        item("danger", "Dad may drive the children after drinking"),
        item("strengths", "Gran collects the children from school"),
        item("next_steps", "Call the school about attendance"),
        ("set_next_step", lambda ev: {"item_id": ev[-1]["item"]["id"], "owner": "Wes",
                                      "due_on": "2026-01-10"}),
        item("next_steps", "Book a family meeting"),
        ("set_next_step", lambda ev: {"item_id": ev[-1]["item"]["id"], "owner": "Gran",
                                      "due_on": "2030-01-10"}),
        *scale(3, "Still driving after drinking"),
        ("close_meeting", {}),
    ])  # fmt: skip

    page = browser.page("supervisor")
    sign_in(page, lead)
    page.goto(f"/cases/{first.case_id}")
    steps = page.locator(".steps-table tbody tr")
    expect(steps).to_have_count(2)
    expect(steps.first).to_contain_text("Overdue")  # overdue first
    page.get_by_label("Show").select_option("Gran")
    expect(steps.filter(visible=True)).to_have_count(1)
    expect(steps.filter(visible=True)).to_contain_text("Book a family meeting")
    expect(page).not_to_have_url(re.compile("Gran"))
    page.get_by_label("Show").select_option("")

    # The second meeting: review the open next steps first, bring the map forward.
    expect(page.get_by_label("Review open next steps first")).to_be_checked()
    page.get_by_label("Bring the previous map forward").check()
    page.get_by_role("button", name="Start meeting").click()
    page.wait_for_url(re.compile(r"/meetings/\d+$"))
    second_id = int(page.url.rsplit("/", 1)[1])
    open_board(page, second_id)
    carried = card(page, "Gran collects the children from school", "strengths")
    expect(carried.locator(".item-carried")).to_have_text(
        re.compile(r"^from Group supervision, [A-Z][a-z]{2} \d{1,2}, \d{4}$")
    )  # the page's locale (en)
    expect(card(page, "Call the school about attendance", "next_steps")).to_have_count(1)
    page.get_by_role("button", name="Start").click()
    expect(page.locator("[data-step-title]")).to_have_text("Review next steps")
    add_item(page, "strengths", "Dad goes to a weekly group")
    browser.screenshot(page, "board-carried")

    school = seed.live_items(second_id)
    school_id = next(i["id"] for i in school if i["text"].startswith("Call the school"))
    run_ops(seed, second_id, lead, [
        ("set_next_step_status", {"item_id": school_id, "status": "agreed"}),
        ("set_next_step_status", {"item_id": school_id, "status": "done"}),
        *scale(6, "He has stopped driving"),
    ])  # fmt: skip

    page.goto(f"/cases/{first.case_id}")
    trend = page.locator(".trend").first
    expect(trend.locator("tbody tr")).to_have_count(2)
    expect(trend.locator(".trend-dot")).to_have_count(2)
    trend.locator("summary").nth(1).click()
    expect(trend.get_by_text("He has stopped driving")).to_be_visible()
    expect(page.locator(".steps-table tbody tr")).to_have_count(1)  # the school call is done
    browser.screenshot(page, "case-page", full_page=True)

    page.get_by_role("link", name="What changed since the meeting before").click()
    expect(page.locator(".is-new", has_text="Dad goes to a weekly group")).to_have_count(1)
    completed = page.locator("#done-title + .compare-list")
    expect(completed).to_contain_text("Call the school about attendance")
    browser.screenshot(page, "compare", full_page=True)

    page.goto(f"/meetings/{first.id}/history")
    expect(page.locator(".verified")).to_contain_text("Verified")
    browser.screenshot(page, "history", full_page=True)
    assert not browser.problems()


def test_the_board_history_replays_who_was_involved(browser, seed):
    team = seed.team()
    lead = seed.staff("supervisor", team, name="Sam Supervisor")
    meeting = seed.meeting(lead, seed.case(lead, team, "K.L. (4)"))
    run_ops(seed, meeting.id, lead, [
        ("add_person", {"name": "G.", "relationship": "grandmother", "age": 68,
                        "household": "Gran's house", "role": "family"}),
        ("add_item", {"section": "safety", "text": "Gran collects the children from school",
                      "view": "agency"}),
        ("set_item_people", lambda ev: {"item_id": ev[-1]["item"]["id"],
                                        "person_ids": [ev[-2]["person"]["id"]]}),
        ("add_person", {"name": "T.", "relationship": "neighbour", "role": "network"}),
        ("remove_person", lambda ev: {"person_id": ev[-1]["person"]["id"]}),
    ])  # fmt: skip
    page = browser.page("supervisor")
    sign_in(page, lead)
    page.goto(f"/meetings/{meeting.id}/history?rev=4")
    listed = page.locator(".replay-involved .involved-person")
    expect(listed).to_have_count(2)
    expect(listed.first).to_contain_text("grandmother, 68, Gran's house, Family")
    expect(page.locator(".replay-list li")).to_contain_text("[G.]")
    browser.screenshot(page, "history-people-desktop", full_page=True)
    page.set_viewport_size({"width": 320, "height": 700})
    browser.screenshot(page, "history-people-phone", full_page=True)
    page.set_viewport_size({"width": 1280, "height": 800})
    page.get_by_role("link", name="5", exact=True).click()
    expect(listed).to_have_count(1)
    expect(listed.first).to_contain_text("G.")
    page.get_by_role("link", name="1", exact=True).click()
    expect(page.locator(".replay-list li")).to_have_count(0)
    expect(listed).to_have_count(1)
