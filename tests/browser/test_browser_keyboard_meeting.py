"""A whole meeting without a mouse (WCAG 2.1.1, 2.1.2, 2.4.3, 2.4.7, 4.1.3).

Only page.keyboard drives the pages here (Tab, Shift+Tab, Enter, arrows, Alt+arrows,
Escape and typing): no click, no fill, no select_option. Native confirm() dialogs are
answered by the browser fixture (accept_confirms), as the Enter key would in a real one.
The polite live region (#announcer) is recorded with a MutationObserver: every text it
is given is one announcement.
"""

from __future__ import annotations

import re
from typing import Any

import pytest
from browser_support import (
    PHONE,
    card,
    focused,
    is_focused,
    open_board,
    run_ops,
    sign_in,
    tab_until,
    texts,
    wait_connected,
)
from playwright.sync_api import expect

pytestmark = pytest.mark.browser

RECORD = """() => {
  window.__said = [];
  const region = document.getElementById('announcer');
  new MutationObserver(() => {
    const text = region.textContent.trim();
    if (text) window.__said.push(text);
  }).observe(region, { childList: true, characterData: true, subtree: true });
}"""


def record(page: Any) -> None:
    """From now on, keep every text the live region is given."""
    page.evaluate(RECORD)


def said(page: Any) -> list[str]:
    return list(page.evaluate("() => window.__said.slice()"))


def tab_to(page: Any, locator: Any) -> None:
    tab_until(page, locator, limit=300)


def press(page: Any, *keys: str) -> None:
    for key in keys:
        page.keyboard.press(key)


def step_label(page: Any) -> Any:
    return page.locator("[data-step-label]")


def test_a_whole_group_supervision_by_keyboard_alone(browser, seed):
    team = seed.team()
    lead = seed.staff("supervisor", team, name="Sam Supervisor")
    case_id = seed.case(lead, team, "K.B. (5)")
    page = browser.page("supervisor")
    confirms = browser.accept_confirms(page)
    keys = page.keyboard

    # Sign in, open the case, start a group supervision.
    page.goto("/login")
    tab_to(page, page.get_by_label("Email"))
    keys.type(lead.email)
    press(page, "Tab")
    keys.type(lead.password)
    press(page, "Enter")
    page.wait_for_url("**/cases")
    tab_to(page, page.get_by_role("link", name="K.B. (5)"))
    press(page, "Enter")
    page.wait_for_url(f"**/cases/{case_id}")
    expect(page.get_by_label("Kind of meeting")).to_have_value("group_supervision")
    tab_to(page, page.get_by_role("button", name="Start meeting"))
    press(page, "Enter")
    page.wait_for_url(re.compile(r"/meetings/\d+$"))
    wait_connected(page)
    meeting_id = int(page.url.rsplit("/", 1)[1])
    record(page)

    # Facilitate: start, next, back, more time.
    tab_to(page, page.get_by_role("button", name="Start", exact=True))
    press(page, "Enter")
    expect(step_label(page)).to_have_text("Step 1 of 9")
    expect(page.locator("#announcer")).to_contain_text("Step 1: Agreements.")
    next_step = page.get_by_role("button", name="Next step")
    expect(next_step).to_be_focused()  # the same button, renamed
    press(page, "Enter")
    expect(step_label(page)).to_have_text("Step 2 of 9")
    previous = page.get_by_role("button", name="Previous step")
    tab_to(page, previous)
    press(page, "Enter")
    expect(step_label(page)).to_have_text("Step 1 of 9")
    timer = page.locator("[data-timer]")

    def seconds() -> int:
        minutes, secs = timer.inner_text().split(":")
        return int(minutes) * 60 + int(secs)

    before = seconds()
    tab_to(page, page.get_by_role("button", name="+2 min"))
    press(page, "Enter")
    expect(timer).not_to_have_text(re.compile(rf"^{before // 60}:"))
    assert seconds() > before + 100
    tab_to(page, next_step)
    for number in range(2, 6):
        press(page, "Enter")
        expect(step_label(page)).to_have_text(f"Step {number} of 9")
    expect(page.locator("[data-step-title]")).to_have_text("Mapping")

    # Map: items in several sections, typed into each section's box.
    def add(section_label: str, text: str) -> None:
        box = page.get_by_label(f"Add to {section_label}", exact=True)
        tab_to(page, box)
        keys.type(text)
        press(page, "Enter")
        expect(box).to_have_value("")

    add("Harm", "Bruise on the left arm, seen by the school nurse.")
    add("Harm", "Father lost his job in May.")  # not harm: moved below
    danger = "The school is worried that K. could be hurt if left alone at night."
    add("Danger statements", danger)
    goal = "Mother will be doing a night plan so that K. has an adult awake; for three months."
    add("Safety goals", goal)
    add("Strengths", "Grandmother visits every day.")
    add("Grey areas", "Who else lives in the home?")
    expect(texts(page, "harm")).to_have_text(
        ["Bruise on the left arm, seen by the school nurse.", "Father lost his job in May."]
    )

    # Edit: Shift+Tab from the Harm box is the last card; Tab, Enter opens its editor.
    tab_to(page, page.get_by_label("Add to Harm", exact=True))
    press(page, "Shift+Tab")
    job = card(page, "Father lost his job in May.", "harm")
    assert is_focused(job), focused(page)
    press(page, "Tab", "Enter")
    editor = job.get_by_label("Edit item")
    expect(editor).to_be_focused()
    press(page, "ControlOrMeta+A")
    keys.type("Father lost his job in May; money is short.")
    press(page, "Enter")
    job = card(page, "Father lost his job in May; money is short.", "harm")
    expect(job).to_be_focused()

    # Reorder with Alt+↑, then Alt+→ twice: Harm -> Danger statements -> Complicating factors.
    press(page, "Alt+ArrowUp")
    expect(texts(page, "harm")).to_have_text(
        ["Father lost his job in May; money is short.", "Bruise on the left arm, seen by the school nurse."]
    )
    expect(page.locator("#announcer")).to_contain_text("Moved: Harm, 1 of 2")
    expect(job).to_be_focused()
    press(page, "Alt+ArrowRight")
    expect(texts(page, "danger")).to_have_text([danger, "Father lost his job in May; money is short."])
    expect(page.locator("#announcer")).to_contain_text("Moved: Danger statements, 2 of 2")
    job = card(page, "Father lost his job in May; money is short.")
    expect(job).to_be_focused()
    press(page, "Alt+ArrowRight")
    expect(texts(page, "complicating")).to_have_text(["Father lost his job in May; money is short."])
    expect(job).to_be_focused()
    assert page.url.endswith(f"/meetings/{meeting_id}")  # Alt+→ did not go forward a page

    # "Move to section" by typing the section's name on the focused list.
    visits = card(page, "Grandmother visits every day.", "strengths")
    move_to = visits.get_by_label("Move to section")
    tab_to(page, move_to)
    keys.type("Existing")
    expect(texts(page, "safety")).to_have_text(["Grandmother visits every day."])
    expect(page.locator("#announcer")).to_contain_text("Moved: Existing safety, 1 of 1")

    # Delete the grey area: Tab to its Delete, Enter, the confirm is accepted.
    grey = card(page, "Who else lives in the home?", "grey")
    delete = grey.locator('[data-action="delete"]')  # shown once focus is in the card
    tab_to(page, delete)
    expect(delete).to_have_accessible_name("Delete")
    press(page, "Enter")
    expect(texts(page, "grey")).to_have_count(0)
    assert confirms == ["confirm: Delete this item for everyone?"]
    expect(page.get_by_label("Add to Grey areas", exact=True)).to_be_focused()

    # Scaling: open a round, rate it with the arrow keys, reveal it.
    tab_to(page, next_step)
    press(page, "Enter")
    expect(page.locator("[data-step-title]")).to_have_text("Scaling")
    tab_to(page, page.get_by_role("button", name="Open safety scale"))
    press(page, "Enter")
    expect(page.locator("#announcer")).to_contain_text("A safety scale is open")
    zero = page.get_by_role("radio", name="0", exact=True)
    tab_to(page, zero)
    press(page, *["ArrowRight"] * 6)
    expect(page.get_by_role("radio", name="6", exact=True)).to_be_checked()
    press(page, "Tab")
    expect(page.get_by_label("Why this number? (one line)")).to_be_focused()
    keys.type("Grandmother is there every day.")
    press(page, "Enter")
    expect(page.locator('[data-scale="mine"]')).to_have_text(
        "Your rating is saved. You can change it until the reveal."
    )
    tab_to(page, page.get_by_role("button", name="Reveal"))
    press(page, "Enter")
    expect(page.locator('[data-scale="summary"]')).to_have_text(
        "Rated by 1: lowest 6, median 6, highest 6"
    )
    expect(page.locator('[data-scale="ratings"] li')).to_have_text(
        ["Sam Supervisor: 6 Grandmother is there every day."]
    )
    expect(page.locator("#announcer")).to_contain_text("The ratings are revealed.")

    # To the last step, then close the meeting from the facilitator controls.
    tab_to(page, next_step)
    for number in range(7, 10):
        press(page, "Enter")
        expect(step_label(page)).to_have_text(f"Step {number} of 9")
    controls = page.locator("summary", has_text="Facilitator controls")
    tab_to(page, controls)
    press(page, "Enter")
    close = page.get_by_role("button", name="Close the meeting")
    tab_to(page, close)
    press(page, "Enter")
    expect(page.locator("[data-closed-banner]")).to_be_visible()
    assert confirms[-1].startswith("confirm: Close this meeting for everyone?"), confirms

    steps = [m for m in said(page) if m.startswith("Step ")]
    assert steps[0].startswith("Step 1: Agreements. ") and "minutes left" in steps[0], steps
    assert steps[-1].startswith("Step 9: "), steps
    stored = [(i["section"], i["text"]) for i in seed.live_items(meeting_id)]
    assert sorted(stored) == sorted(
        [
            ("harm", "Bruise on the left arm, seen by the school nurse."),
            ("danger", danger),
            ("complicating", "Father lost his job in May; money is short."),
            ("goals", goal),
            ("safety", "Grandmother visits every day."),
        ]
    )


def test_a_guest_joins_a_family_meeting_and_rates_by_keyboard(browser, seed):
    team = seed.team()
    lead = seed.staff("supervisor", team, name="Fran Facilitator")
    meeting = seed.meeting(lead, seed.case(lead, team, "T.R. (3)"), "family_team", "family")
    code = seed.invite_code(lead, meeting.id)
    staff = browser.page("facilitator")
    sign_in(staff, lead)
    open_board(staff, meeting.id)

    guest = browser.page("guest phone", **PHONE)
    guest.goto("/join")
    tab_to(guest, guest.get_by_label("Meeting code"))
    guest.keyboard.type(code)
    press(guest, "Enter")
    guest.wait_for_url("**/join/name")
    tab_to(guest, guest.get_by_label("Your name"))
    guest.keyboard.type("Mum")
    press(guest, "Enter")
    guest.wait_for_url(re.compile(rf"/meetings/{meeting.id}$"))
    wait_connected(guest)
    record(guest)
    expect(staff.locator("#people .person", has_text="Mum")).to_contain_text("here")

    # The facilitator opens the round from the keyboard; the guest hears it and rates.
    tab_to(staff, staff.get_by_role("button", name="Open safety scale"))
    press(staff, "Enter")
    expect(guest.locator("#announcer")).to_have_text("A safety scale is open: rate privately.")
    tab_to(guest, guest.get_by_role("radio", name="0", exact=True))
    press(guest, *["ArrowRight"] * 7)
    expect(guest.get_by_role("radio", name="7", exact=True)).to_be_checked()
    press(guest, "Tab")
    guest.keyboard.type("We have a plan for the nights.")
    press(guest, "Enter")
    expect(guest.locator('[data-scale="mine"]')).to_have_text(
        "Your rating is saved. You can change it until the reveal."
    )
    expect(staff.locator('[data-scale="count"]')).to_have_text(re.compile(r"^1 of \d+ have rated$"))
    tab_to(staff, staff.get_by_role("button", name="Reveal"))
    press(staff, "Enter")
    # the result is in words and numbers, not colour alone
    expect(guest.locator('[data-scale="summary"]')).to_have_text(
        "Rated by 1: lowest 7, median 7, highest 7"
    )
    expect(guest.locator('[data-scale="ratings"] li')).to_have_text(
        ["Mum: 7 We have a plan for the nights."]
    )
    expect(guest.locator('[data-scale="plot"] text.scale-mark-label')).to_have_text(["median 7"])
    expect(guest.locator("#announcer")).to_have_text("The ratings are revealed.")
    browser.screenshot(guest, "guest-rated-and-revealed")
