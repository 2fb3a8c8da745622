"""Reflow (WCAG 1.4.10) and resized text (1.4.4): at 320 CSS px wide, and at 1280 px with
the text at 200 %, no page scrolls sideways and no control is cut off; and with
prefers-reduced-motion nothing moves (2.3.3, and 2.2.2 for the waiting room's pulse)."""

from __future__ import annotations

import re
from typing import Any

import pytest
from browser_support import (
    DESKTOP,
    join_as_guest,
    join_waiting_room,
    open_board,
    sign_in,
    wait_connected,
)
from playwright.sync_api import expect

from facilitator.domain.frameworks import FRAMEWORKS

pytestmark = pytest.mark.browser

NARROW = {"viewport": {"width": 320, "height": 640}, "is_mobile": True, "has_touch": True}
WIDE = {"viewport": {"width": 1280, "height": 900}}
LAYOUTS = {"320px": NARROW, "200%-text": WIDE}

# Controls and text boxes a person must reach: each inside the window (unless it sits in a
# strip that scrolls by itself) and not cut off by an ancestor that hides its overflow.
# Every <details> is opened for the check (menus, the facilitator's panel: a person may
# open them), then closed again.
_CLIPPED_JS = """
() => {
  const closed = [...document.querySelectorAll('details:not([open])')];
  for (const details of closed) details.open = true;
  const width = document.documentElement.clientWidth;
  const describe = (e) => {
    const name = (e.getAttribute('aria-label') || e.textContent || e.name || '').trim();
    const id = e.id ? '#' + e.id : '';
    return `${e.tagName.toLowerCase()}${id}.${e.className} "${name.slice(0, 40)}"`;
  };
  const found = [];
  const controls = 'a[href], button, input:not([type=hidden]), select, textarea, summary';
  for (const e of document.querySelectorAll(controls)) {
    const box = e.getBoundingClientRect();
    if (!box.width || !box.height || e.closest('.visually-hidden, .skip-link')) continue;
    if (getComputedStyle(e).visibility === 'hidden') continue;
    let scrolls = false;
    for (let p = e.parentElement; p && p !== document.body; p = p.parentElement) {
      const style = getComputedStyle(p);
      if (/auto|scroll/.test(style.overflowX)) { scrolls = true; break; }
      if (/hidden|clip/.test(style.overflowX + style.overflowY)) {
        const outer = p.getBoundingClientRect();
        if (box.left < outer.left - 1 || box.right > outer.right + 1
            || box.top < outer.top - 1 || box.bottom > outer.bottom + 1) {
          found.push(`${describe(e)} is cut off by ${p.tagName.toLowerCase()}.${p.className}`);
        }
      }
    }
    if (!scrolls && (box.left < -1 || box.right > width + 1)) {
      const span = `${Math.round(box.left)}..${Math.round(box.right)}`;
      found.push(`${describe(e)} reaches ${span} px of ${width}`);
    }
  }
  // a box whose content spills out sideways (a label past its card's edge)
  const boxes = ['section', '.column', '.card', 'form', 'fieldset', 'li', 'aside'];
  for (const e of document.querySelectorAll(boxes.map((box) => `main ${box}`).join(', '))) {
    const style = getComputedStyle(e);
    if (!e.clientWidth || /auto|scroll|hidden|clip/.test(style.overflowX)) continue;
    if (e.scrollWidth > e.clientWidth + 1) {
      const spill = e.scrollWidth - e.clientWidth;
      found.push(`${describe(e)} holds content ${spill} px wider than itself`);
    }
  }
  for (const details of closed) details.open = false;
  return found;
}
"""


def big_text(page: Any) -> None:
    """Text at 200 %: the root font size doubled, as a browser's text-only zoom does."""
    page.evaluate("document.documentElement.style.fontSize = '200%'")


class Reflow:
    """What a person would have to scroll sideways for, or could not see, page by page:
    each problem once, with the first place it was seen."""

    def __init__(self) -> None:
        self.found: dict[str, str] = {}

    def check(self, page: Any, where: str) -> None:
        problems = list(page.evaluate(_CLIPPED_JS))
        wide, window = page.evaluate(
            "[document.documentElement.scrollWidth, document.documentElement.clientWidth]"
        )
        if wide > window:
            problems.append(f"the page is {wide} px wide in a {window} px window")
        for problem in problems:
            self.found.setdefault(problem, where)

    def report(self) -> str:
        return "\n".join(f"{where}: {problem}" for problem, where in self.found.items())


def settle(page: Any, layout: str) -> None:
    if layout == "200%-text":
        big_text(page)


STEPPED = [("group_supervision", "cisf"), ("family_team", "family")]


@pytest.mark.parametrize("layout", LAYOUTS)
@pytest.mark.parametrize(("kind", "framework"), STEPPED, ids=[f for _, f in STEPPED])
def test_the_board_reflows_in_every_step_for_staff_and_guest(
    browser, seed, kind, framework, layout
):
    team = seed.team()
    lead = seed.staff("supervisor", team, name="Sam Supervisor")
    meeting = seed.meeting(lead, seed.case(lead, team, "K.L. (4)"), kind, framework)
    sections = [section.key for section in FRAMEWORKS[framework].sections]
    seed.add_items(meeting, [(key, f"A longer item in {key}, enough to wrap") for key in sections])
    staff = browser.page("facilitator", **LAYOUTS[layout])
    sign_in(staff, lead)
    open_board(staff, meeting.id)
    guest = browser.page("guest", **LAYOUTS[layout])
    join_as_guest(guest, seed.invite_code(lead, meeting.id), "Rose")
    for page in (staff, guest):
        settle(page, layout)
    reflow = Reflow()
    reflow.check(staff, "not started (staff)")
    reflow.check(guest, "not started (guest)")
    staff.get_by_role("button", name="Start").click()
    label = staff.locator("[data-step-label]")
    expect(label).to_have_text(re.compile(r"^Step 1 of \d+$"))
    steps = int(label.inner_text().rsplit(" ", 1)[1])
    for number in range(1, steps + 1):
        if number > 1:
            staff.get_by_role("button", name="Next step", exact=True).click()
        for page, who in ((staff, "staff"), (guest, "guest")):
            expect(page.locator("[data-step-label]")).to_have_text(f"Step {number} of {steps}")
            reflow.check(page, f"step {number} ({who})")
    browser.screenshot(staff, f"staff-{framework}-{layout}", full_page=True)
    browser.screenshot(guest, f"guest-{framework}-{layout}", full_page=True)
    assert not reflow.found, reflow.report()


@pytest.mark.parametrize("layout", LAYOUTS)
def test_sign_in_join_waiting_room_and_case_page_reflow(browser, seed, layout):
    team = seed.team()
    lead = seed.staff("supervisor", team, name="Sam Supervisor")
    meeting = seed.meeting(lead, seed.case(lead, team, "K.L. (4)"))
    seed.add_items(meeting, [("harm", "A bruise on the arm"), ("strengths", "Gran helps")])
    reflow = Reflow()
    page = browser.page("staff", **LAYOUTS[layout])
    page.goto("/login")
    settle(page, layout)
    reflow.check(page, "sign-in")
    sign_in(page, lead)
    page.goto(f"/cases/{meeting.case_id}")
    settle(page, layout)
    reflow.check(page, "case page")
    browser.screenshot(page, f"case-{layout}", full_page=True)

    guest = browser.page("guest", **LAYOUTS[layout])
    guest.goto("/join")
    settle(guest, layout)
    reflow.check(guest, "join")
    browser.screenshot(guest, f"join-{layout}", full_page=True)
    guest.get_by_label("Meeting code").fill(seed.invite_code(lead, meeting.id, waiting_room=True))
    guest.get_by_role("button", name="Continue").click()
    guest.wait_for_url("**/join/name")
    settle(guest, layout)
    reflow.check(guest, "join: your name")
    guest.get_by_label("Your name").fill("Grandma Rose")
    guest.get_by_label("A relative").check()
    guest.get_by_role("button", name="Join the meeting").click()
    guest.wait_for_url("**/join/wait")
    settle(guest, layout)
    reflow.check(guest, "waiting room")
    browser.screenshot(guest, f"waiting-room-{layout}", full_page=True)
    assert not reflow.found, reflow.report()


# WCAG 1.4.12's spacing, as the W3C's text-spacing bookmarklet sets it. A constructed
# style sheet, which the page's CSP (style-src 'self') allows as CSSOM, not as <style>.
_TEXT_SPACING_JS = """
() => {
  const sheet = new CSSStyleSheet();
  sheet.replaceSync(`* { line-height: 1.5 !important; letter-spacing: .12em !important;
    word-spacing: .16em !important; } p { margin-bottom: 2em !important; }`);
  document.adoptedStyleSheets = [...document.adoptedStyleSheets, sheet];
  return getComputedStyle(document.body).letterSpacing;
}
"""


@pytest.mark.parametrize("layout", ["320px", "1280px"])
def test_wider_text_spacing_loses_nothing_on_the_board_and_the_join_page(browser, seed, layout):
    viewport = NARROW if layout == "320px" else WIDE
    team = seed.team()
    lead = seed.staff("supervisor", team, name="Sam Supervisor")
    meeting = seed.meeting(lead, seed.case(lead, team, "K.L. (4)"), "family_team", "family")
    seed.add_items(meeting, [("worries", "Dad drives after drinking"), ("next", "Gran visits")])
    reflow = Reflow()
    staff = browser.page("facilitator", **viewport)
    sign_in(staff, lead)
    open_board(staff, meeting.id)
    guest = browser.page("guest", **viewport)
    guest.goto("/join")
    for page, where in ((staff, "board"), (guest, "join")):
        assert page.evaluate(_TEXT_SPACING_JS) != "normal"
        reflow.check(page, where)
    browser.screenshot(staff, f"board-text-spacing-{layout}", full_page=True)
    assert not reflow.found, reflow.report()


def test_the_reflow_check_sees_a_wide_page_and_a_cut_off_control(browser):
    """The check can fail: a control wider than the window, and one its box cuts off."""
    page = browser.page("anonymous", **NARROW)
    page.goto("/login")
    page.evaluate(
        """() => {
          const wide = document.createElement('button');
          wide.textContent = 'Too wide';
          wide.style.width = '400px';
          const box = document.createElement('div');
          box.style.cssText = 'overflow: hidden; width: 50px; height: 2rem';
          const cut = document.createElement('button');
          cut.textContent = 'Cut off';
          cut.style.width = '120px';
          box.append(cut);
          document.querySelector('main').append(wide, box);
        }"""
    )
    reflow = Reflow()
    reflow.check(page, "sign-in")
    report = reflow.report()
    assert re.search(r'button\. "Too wide" reaches \d+\.\.\d+ px of 320', report), report
    assert 'button. "Cut off" is cut off by div.' in report, report
    assert re.search(r"the page is \d+ px wide in a 320 px window", report), report


# --- reduced motion -----------------------------------------------------------------------

# Every element and its ::before / ::after: what still moves, and how long for.
_MOVING_JS = """
() => {
  const seconds = (value) => Math.max(...value.split(',').map((v) => parseFloat(v) || 0));
  const found = [];
  for (const e of document.querySelectorAll('*')) {
    for (const pseudo of [null, '::before', '::after']) {
      const style = getComputedStyle(e, pseudo);
      const moving = (style.animationName !== 'none' && seconds(style.animationDuration) > 0)
        || seconds(style.transitionDuration) > 0;
      if (moving) {
        const what = `${e.tagName.toLowerCase()}.${e.className}${pseudo || ''}`;
        found.push(`${what}: animation ${style.animationName} ${style.animationDuration}, `
          + `transition ${style.transitionDuration}`);
      }
    }
    if (getComputedStyle(e).scrollBehavior === 'smooth') {
      found.push(`${e.tagName.toLowerCase()}.${e.className}: smooth scrolling`);
    }
  }
  return [...new Set(found)];
}
"""


def still_moving(page: Any) -> list[str]:
    return list(page.evaluate(_MOVING_JS))


def test_nothing_moves_when_the_person_asks_for_reduced_motion(browser, seed):
    team = seed.team()
    lead = seed.staff("supervisor", team, name="Sam Supervisor")
    meeting = seed.meeting(lead, seed.case(lead, team, "K.L. (4)"))
    seed.add_items(meeting, [("harm", "A bruise on the arm"), ("strengths", "Gran helps")])
    calm = {**DESKTOP, "reduced_motion": "reduce"}

    staff = browser.page("staff", **calm)
    sign_in(staff, lead)
    open_board(staff, meeting.id)
    staff.get_by_role("button", name="Start").click()
    staff.locator("li.item").first.hover()
    guest = browser.page("guest", **{**NARROW, "reduced_motion": "reduce"})
    join_waiting_room(guest, seed.invite_code(lead, meeting.id, waiting_room=True), "Grandma Rose")
    display = browser.page("display", **calm, storage_state=staff.context.storage_state())
    display.goto(f"/meetings/{meeting.id}/display")
    wait_connected(display)

    moving = {name: still_moving(page) for name, page in
              (("board", staff), ("waiting room", guest), ("display", display))}  # fmt: skip
    assert moving == {"board": [], "waiting room": [], "display": []}


def test_the_checks_see_motion_when_motion_is_welcome(browser, seed):
    """The same check without the preference finds the waiting room's pulse: it can fail."""
    team = seed.team()
    lead = seed.staff("supervisor", team)
    meeting = seed.meeting(lead, seed.case(lead, team))
    guest = browser.page("guest", **{**NARROW, "reduced_motion": "no-preference"})
    join_waiting_room(guest, seed.invite_code(lead, meeting.id, waiting_room=True), "Grandma Rose")
    assert any("wait-pulse" in found for found in still_moving(guest))
