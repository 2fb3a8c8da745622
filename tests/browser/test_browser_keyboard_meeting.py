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
    add_form,
    add_item,
    arrow_until,
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

MINUS = "\u2212"  # the clock writes a minus sign over time

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


def open_box(page: Any, box: Any) -> None:
    """Tab to the sections' "+ Add" (one stop), Home, → to the box's section, Enter."""
    tab_to(page, page.locator(".add-open[tabindex='0']"))
    opener = page.locator(f"[aria-controls='{box.evaluate('b => b.form.id')}']")
    press(page, "Home")
    arrow_until(page, opener)
    press(page, "Enter")
    expect(box).to_be_focused()


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
    next_step = page.get_by_role("button", name="Next step", exact=True)
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

    # Map: items in several sections, typed into each section's box: Tab to the sections'
    # "+ Add" (one stop), arrows to the section's, Enter opens its box.
    def add(section_label: str, text: str) -> None:
        box = page.get_by_label(f"Add to {section_label}", exact=True)
        if not is_focused(box):
            open_box(page, box)
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

    # Edit: Tab to Harm's cards (one stop), End is the last card; → its Edit, Enter.
    tab_to(page, page.locator('ul.items[data-section="harm"] > li.item[tabindex="0"]'))
    press(page, "End")
    job = card(page, "Father lost his job in May.", "harm")
    assert is_focused(job), focused(page)
    press(page, "ArrowRight", "Enter")
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
        [
            "Father lost his job in May; money is short.",
            "Bruise on the left arm, seen by the school nurse.",
        ]
    )
    expect(page.locator("#announcer")).to_contain_text("Moved: Harm, 1 of 2")
    expect(job).to_be_focused()
    press(page, "Alt+ArrowRight")
    expect(texts(page, "danger")).to_have_text(
        [danger, "Father lost his job in May; money is short."]
    )
    expect(page.locator("#announcer")).to_contain_text("Moved: Danger statements, 2 of 2")
    job = card(page, "Father lost his job in May; money is short.")
    expect(job).to_be_focused()
    press(page, "Alt+ArrowRight")
    expect(texts(page, "complicating")).to_have_text(
        ["Father lost his job in May; money is short."]
    )
    expect(job).to_be_focused()
    assert page.url.endswith(f"/meetings/{meeting_id}")  # Alt+→ did not go forward a page

    # "Move to section" by typing the start of the section's name on the focused list.
    visits = card(page, "Grandmother visits every day.", "strengths")
    move_to = visits.get_by_label("Move to section")
    tab_to(page, visits)
    arrow_until(page, move_to)
    # Type-ahead: "E" is the one section starting with E. (Typing "Existing" failed on a
    # busy machine: Chromium forgets typed letters after a second, so "s" chose Safety goals.)
    keys.type("E")
    expect(texts(page, "safety")).to_have_text(["Grandmother visits every day."])
    expect(page.locator("#announcer")).to_contain_text("Moved: Existing safety, 1 of 1")

    # Delete the grey area: Tab to its Delete, Enter, the confirm is accepted.
    grey = card(page, "Who else lives in the home?", "grey")
    delete = grey.locator('[data-action="delete"]')  # shown once focus is in the card
    tab_to(page, grey)
    arrow_until(page, delete)
    expect(delete).to_have_accessible_name("Delete")
    press(page, "Enter")  # asks nothing: Undo is offered instead
    expect(texts(page, "grey")).to_have_count(0)
    assert confirms == []
    expect(page.get_by_label("Add to Grey areas", exact=True)).to_be_focused()  # its box is open

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
    # the step reached is said once things go quiet (up to 2 s on a busy machine): before
    # the close, which ends the board's announcements
    expect(page.locator("#announcer")).to_contain_text("Step 9: ")
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
    tab_to(guest, guest.get_by_label("A parent or caregiver"))  # who they are: their view
    press(guest, "Space")
    tab_to(guest, guest.get_by_role("button", name="Join the meeting"))
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


def test_others_changes_are_announced_once_briefly_and_bursts_are_coalesced(browser, seed):
    team = seed.team()
    lead = seed.staff("supervisor", team, name="Sam Supervisor")
    member = seed.staff("worker", team, name="Mia Member")
    meeting = seed.meeting(lead, seed.case(lead, team))
    seed.add_items(meeting, [("harm", "Bruise on the left arm.")])
    page = browser.page("member")
    sign_in(page, member)
    open_board(page, meeting.id)
    expect(texts(page, "harm")).to_have_text(["Bruise on the left arm."])
    record(page)
    announcer = page.locator("#announcer")
    expect(announcer).to_have_attribute("aria-live", "polite")
    assert said(page) == []  # loading the board says nothing

    # The facilitator, on their own page, adds, edits, moves and deletes.
    other = browser.page("supervisor")
    other_confirms = browser.accept_confirms(other)
    sign_in(other, lead)
    open_board(other, meeting.id)
    long_text = "Mother says the bruise came from a fall on the stairs at the weekend."
    add_item(other, "harm", long_text)
    expect(announcer).to_have_text(
        "Sam Supervisor added to Harm: Mother says the bruise came from a fall…"
    )
    theirs = card(other, "Bruise on the left arm.", "harm")
    theirs.focus()
    other.keyboard.press("ArrowRight")  # along the card's buttons: Edit
    other.keyboard.press("Enter")
    other.keyboard.press("ControlOrMeta+A")
    other.keyboard.type("Bruise on the left upper arm.")
    other.keyboard.press("Enter")
    expect(announcer).to_have_text(
        "Sam Supervisor changed an item in Harm: Bruise on the left upper arm."
    )
    theirs = card(other, "Bruise on the left upper arm.", "harm")
    expect(theirs).to_be_focused()
    other.keyboard.press("Alt+ArrowDown")
    expect(announcer).to_have_text(
        "Sam Supervisor moved an item to Harm: Bruise on the left upper arm."
    )
    theirs.locator('[data-action="delete"]').focus()
    other.keyboard.press("Enter")
    expect(announcer).to_have_text("An item was deleted from Harm")
    assert other_confirms == []  # a delete asks nothing (Undo is offered)
    assert len(said(page)) == 4, said(page)  # one each

    # One's own change is on screen where one made it: not announced.
    box = page.get_by_label("Add to Grey areas", exact=True)
    open_box(page, box)
    page.keyboard.type("Who picks K. up from school?")
    page.keyboard.press("Enter")
    expect(card(page, "Who picks K. up from school?", "grey")).to_have_count(1)

    # A burst of twenty changes from others: a count, in at most a few announcements. The
    # other laptop was offline while they were typed, so its outbox sends all twenty at once
    # when it is back (typed one by one, a busy test machine spaces them out past the quiet
    # gap, and each would rightly be said on its own).
    browser.expect_problem(other, r"^console error: WebSocket connection to .* failed: .*")
    other.context.set_offline(True)
    expect(other.locator("#status")).to_have_text("Offline: reconnecting…")
    strengths = add_form(other, "strengths").locator("textarea")
    for number in range(20):
        strengths.fill(f"Strength {number}.")
        strengths.press("Enter")
    expect(other.locator("#status")).to_have_text("Offline: 20 changes waiting")
    assert said(page)[4:] == []
    other.context.set_offline(False)
    expect(texts(page, "strengths")).to_have_count(20)
    expect(announcer).to_contain_text("changes from others")
    page.wait_for_timeout(2500)  # let anything still queued come out before counting
    burst = said(page)[4:]
    assert 1 <= len(burst) <= 3, burst
    assert not any("Who picks" in message for message in said(page)), said(page)


def test_focus_is_visible_everywhere_and_tab_goes_round_without_a_trap(browser, seed):
    team = seed.team()
    lead = seed.staff("supervisor", team)
    meeting = seed.meeting(lead, seed.case(lead, team))
    seed.add_items(meeting, [("harm", "Bruise on the left arm."), ("grey", "Who lives there?")])
    run_ops(seed, meeting.id, lead, [("go_to_step", {"index": 0})])
    page = browser.page("supervisor")
    sign_in(page, lead)
    open_board(page, meeting.id)
    expect(texts(page, "harm")).to_have_count(1)

    # Every control has a name a screen reader can say.
    unnamed = page.evaluate(
        """() => [...document.querySelectorAll(
            'button, select, textarea, input:not([type=hidden]), a[href], summary')]
          .filter((e) => !e.closest('template'))
          .filter((e) => !(e.getAttribute('aria-label') || e.getAttribute('aria-labelledby')
            || (e.labels && e.labels.length) || e.textContent.trim()))
          .map((e) => e.outerHTML.slice(0, 100))"""
    )
    assert unnamed == []

    # Tab from the top all the way round: every stop shows a ring of 3:1 or more, and
    # focus comes back to the first stop (no trap anywhere on the way).
    page.locator("body").focus()
    stops, problems = [], []
    for _ in range(400):
        page.keyboard.press("Tab")
        stop = page.evaluate(FOCUS_RING)
        if stop is None:
            continue
        if stops and stop["id"] == stops[0]["id"]:
            break
        stops.append(stop)
        if stop["contrast"] < 3 or stop["width"] < 2:
            problems.append(stop)
    else:
        raise AssertionError(f"focus never came back round: {stops[-3:]}")
    names = [stop["name"] for stop in stops]
    assert len(stops) > 20, names
    assert problems == [], problems
    for expected in (
        "Skip to the map",
        "Keyboard keys",
        "Next step",
        "Add to",
        "Facilitator controls",
    ):
        assert any(expected in name for name in names), (expected, names)
    assert "Edit" not in names  # a card's buttons are reached with the arrows, not Tab
    assert problems == [], problems
    browser.screenshot(page, "focus-on-a-card-desktop")


def test_panels_and_the_editor_close_on_escape_and_give_focus_back(browser, seed):
    team = seed.team()
    lead = seed.staff("supervisor", team)
    meeting = seed.meeting(lead, seed.case(lead, team))
    seed.add_items(meeting, [("harm", "Bruise on the left arm.")])
    page = browser.page("supervisor", viewport={"width": 320, "height": 720})
    sign_in(page, lead)
    open_board(page, meeting.id)

    # The keyboard keys: Enter opens, Escape closes, focus is back on its summary.
    keys_help = page.locator("#keys-help")
    summary = keys_help.locator("summary")
    tab_until(page, summary, limit=300)
    page.keyboard.press("Enter")
    expect(keys_help).to_have_attribute("open", "")
    expect(keys_help).to_contain_text("Alt+← / Alt+→")
    browser.screenshot(page, "keys-help-phone", full_page=True)
    page.keyboard.press("Escape")
    expect(keys_help).not_to_have_attribute("open", "")
    expect(summary).to_be_focused()

    # Facilitator controls: focus inside, Escape closes it and returns to its summary.
    controls = page.locator("details.lead-panel")
    tab_until(page, controls.locator("summary"), limit=300)
    page.keyboard.press("Enter")
    tab_until(page, page.get_by_label("Writing on the board"), limit=300)
    page.keyboard.press("Escape")
    expect(controls).not_to_have_attribute("open", "")
    expect(controls.locator("summary")).to_be_focused()

    # The editor: Tab leaves it (no trap), Escape cancels it and focus is on the card.
    bruise = card(page, "Bruise on the left arm.", "harm")
    tab_until(page, bruise, limit=300)
    page.keyboard.press("ArrowRight")  # its Edit button
    page.keyboard.press("Enter")
    editor = bruise.get_by_label("Edit item")
    expect(editor).to_be_focused()
    browser.screenshot(page, "editor-focus-phone")
    for _ in range(5):  # the view, Cancel, Save, then out of the card
        page.keyboard.press("Tab")
    assert not bruise.evaluate("card => card.contains(document.activeElement)"), focused(page)
    tab_until(page, editor, backwards=True, limit=20)
    page.keyboard.press("Escape")
    expect(bruise.locator(".edit-form")).to_have_count(0)
    expect(bruise).to_be_focused()


def test_the_timer_is_said_at_a_few_moments_not_every_second(browser, seed):
    team = seed.team()
    lead = seed.staff("supervisor", team)
    meeting = seed.meeting(lead, seed.case(lead, team))
    run_ops(seed, meeting.id, lead, [("go_to_step", {"index": 0})])
    page = browser.page("supervisor")
    sign_in(page, lead)
    open_board(page, meeting.id)
    timer = page.locator("[data-timer]")
    expect(timer).to_have_attribute("role", "timer")  # implicitly aria-live="off"
    expect(timer).not_to_have_attribute("aria-live", re.compile("polite|assertive"))
    expect(timer).to_have_text(re.compile(r"^\d+:\d\d$"))
    record(page)
    minutes, secs = timer.inner_text().split(":")
    left = int(minutes) * 60 + int(secs)
    expect(timer).not_to_have_text(timer.inner_text())  # a tick: the page has read the clock
    minutes, secs = timer.inner_text().split(":")
    left = int(minutes) * 60 + int(secs)
    now = page.evaluate("Date.now()") / 1000

    # The page's clock jumps (as a tab that slept would); timers keep running.
    # (a second either way: the clock on screen was read up to a tick ago)
    for seconds_left, expected in (
        (95, "2 minutes left in this step."),
        (62, None),
        (58, "One minute left in this step."),
        (45, None),
        (28, "30 seconds left in this step."),
        (-2, "Time is up for this step."),
        (-6, None),
    ):
        page.clock.set_fixed_time(now + (left - seconds_left))
        if expected:
            expect(page.locator("#announcer")).to_have_text(expected)
        else:
            page.wait_for_timeout(1200)  # ticks go by; nothing new may be said
        expect(timer).to_have_text(re.compile(rf"^{MINUS if seconds_left < 0 else ''}\d+:\d\d$"))
    page.wait_for_timeout(1500)
    assert said(page) == [
        "2 minutes left in this step.",
        "One minute left in this step.",
        "30 seconds left in this step.",
        "Time is up for this step.",
    ]


FOCUS_RING = """() => {
  let e = document.activeElement;
  if (!e || e === document.body) return null;
  if (!e.dataset.stop) e.dataset.stop = String(Math.random());
  const name = (e.getAttribute('aria-label') || (e.labels && e.labels[0] && e.labels[0].textContent)
    || e.textContent || e.tagName).trim().replace(/\\s+/g, ' ').slice(0, 60);
  const id = e.dataset.stop;
  // a radio's ring is drawn on the number next to it
  if (e.matches('.scale-value input')) e = e.nextElementSibling;
  const style = getComputedStyle(e);
  const parse = (value) => {
    const m = (value || '').match(/rgba?\\(([^)]+)\\)/);
    if (!m) return null;
    const p = m[1].split(/[\\s,\\/]+/).filter(Boolean).map(Number);
    return { r: p[0], g: p[1], b: p[2], a: p.length > 3 ? p[3] : 1 };
  };
  const luminance = ({ r, g, b }) => {
    const f = (v) => { v /= 255; return v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4; };
    return 0.2126 * f(r) + 0.7152 * f(g) + 0.0722 * f(b);
  };
  let back = { r: 255, g: 255, b: 255, a: 1 };
  for (let p = e.parentElement; p; p = p.parentElement) {
    const colour = parse(getComputedStyle(p).backgroundColor);
    if (colour && colour.a >= 1) { back = colour; break; }
  }
  const ratio = (c) => {
    if (!c || c.a < 1) return 0;
    const [hi, lo] = [luminance(c), luminance(back)].sort((a, b) => b - a);
    return (hi + 0.05) / (lo + 0.05);
  };
  const outline = style.outlineStyle !== 'none' ? parse(style.outlineColor) : null;
  const shadow = style.boxShadow !== 'none' ? parse(style.boxShadow) : null;
  const width = Math.max(style.outlineStyle !== 'none' ? parseFloat(style.outlineWidth) : 0,
    shadow ? 2 : 0);
  return { id, name, width, contrast: Math.max(ratio(outline), ratio(shadow)),
    outline: `${style.outlineStyle} ${style.outlineWidth} ${style.outlineColor}`,
    shadow: style.boxShadow };
}"""
