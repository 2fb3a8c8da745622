"""Issue 18 in real browsers: the reveal threshold and anonymous reasons on the scale panel,
a young person's words written before the meeting and brought onto the board, and the
timer's cues (one minute left, time up, the chime and its mute)."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
from axe import assert_no_violations
from browser_support import PHONE, ROOT, join_as_guest, open_board, open_display, run_ops, sign_in
from playwright.sync_api import expect

pytestmark = pytest.mark.browser

SCREENSHOTS = ROOT / "docs" / "screenshots"
ROOM = {"viewport": {"width": 1280, "height": 720}}


def keep(shot: Path, name: str) -> None:
    """Copy a test's screenshot into docs/screenshots (looked at by a person)."""
    shutil.copyfile(shot, SCREENSHOTS / name)


@pytest.fixture
def threshold(seed):
    """The agency default (3) while a test opens its round; the suite's 0 again after."""
    from builders import reveal_threshold_row

    def set_to(value):
        with seed.context(), seed.db.engine.begin() as connection:
            reveal_threshold_row(connection, value)

    set_to(None)
    yield set_to
    set_to(0)


def test_reveal_waits_for_three_ratings_and_anonymous_reasons_carry_no_names(
    browser, seed, threshold
):
    team = seed.team()
    supervisor = seed.staff("supervisor", team, name="Sam Supervisor")
    meeting = seed.meeting(supervisor, seed.case(supervisor, team), "family_team", "family")
    code = seed.invite_code(supervisor, meeting.id)
    staff = browser.page("supervisor", **ROOM)
    sign_in(staff, supervisor)
    open_board(staff, meeting.id)
    guests = [browser.page(name, **PHONE) for name in ("mum", "gran")]
    for page, name in zip(guests, ("Mum Maria", "Grandma Rose"), strict=True):
        join_as_guest(page, code, name)
    display = browser.page("display", storage_state=staff.context.storage_state())
    open_display(display, meeting.id)

    scale = staff.locator("#scale")
    scale.get_by_label("Anonymous: show reasons without names").check()
    scale.get_by_role("button", name="Open safety scale").click()
    expect(scale).to_contain_text("Rating is open")  # the server has opened the round
    threshold(0)  # the round keeps the 3 it was opened with
    reveal = scale.get_by_role("button", name="Reveal")
    expect(reveal).to_be_disabled()
    expect(reveal).to_have_accessible_description(re.compile("0 of 3 ratings needed"))
    for page, (value, reason) in zip(
        guests, ((4, "mum-reason-heron"), (8, "gran-reason-otter")), strict=True
    ):
        panel = page.locator("#scale")
        panel.locator(f'input[name="value"][value="{value}"]').check()
        panel.get_by_label("Why this number? (one line)").fill(reason)
        panel.get_by_role("button", name="Save my rating").click()
        expect(panel).to_contain_text("Your rating is saved")
    expect(scale.locator("[data-scale=threshold]")).to_contain_text(
        "2 of 3 ratings needed. Reveal waits for 3"
    )
    expect(reveal).to_be_disabled()
    scale.scroll_into_view_if_needed()
    keep(browser.screenshot(staff, "scale-below-threshold"), "scale-below-threshold.png")
    assert_no_violations(staff)

    scale.locator('input[name="value"][value="6"]').check()
    scale.get_by_label("Why this number? (one line)").fill("lead-reason-lynx")
    scale.get_by_role("button", name="Save my rating").click()
    expect(scale.locator("[data-scale=threshold]")).to_contain_text(
        "3 of 3 ratings needed: you can reveal"
    )
    expect(reveal).to_be_enabled()
    reveal.click()
    for page in (staff, *guests):
        ratings = page.locator("#scale .scale-ratings")
        expect(ratings.locator("li")).to_have_count(3)
        expect(ratings).to_contain_text("Someone: 8")
        for name in ("Mum Maria", "Grandma Rose", "Sam Supervisor"):
            expect(ratings).not_to_contain_text(name)
    shown = display.locator(".scale-screen")
    expect(shown).to_contain_text("gran-reason-otter")
    for name in ("Mum Maria", "Grandma Rose", "Sam Supervisor"):
        expect(shown).not_to_contain_text(name)


def test_a_young_persons_words_written_before_the_meeting_reach_the_board(browser, seed):
    team = seed.team()
    supervisor = seed.staff("supervisor", team, name="Sam Supervisor")
    meeting = seed.meeting(
        supervisor, seed.case(supervisor, team, "K.T. (14)"), "family_team", "family"
    )
    code = seed.invite_code(supervisor, meeting.id)
    staff = browser.page("supervisor", **ROOM)
    sign_in(staff, supervisor)
    open_board(staff, meeting.id)
    panel = staff.locator("#before-meeting")
    panel.locator("summary").click()
    panel.get_by_label("Their name, as the meeting will call them").fill("Kayla")
    panel.get_by_label("A young person").check()
    panel.get_by_role("button", name="Make a link").click()
    link = staff.get_by_label("Link to write before the meeting").input_value()
    assert re.fullmatch(r"http://127\.0\.0\.1:\d+/before/[A-Za-z0-9_-]{40,}", link)

    phone = browser.page("young person phone", **PHONE)
    phone.goto(link)
    expect(phone).to_have_url(re.compile(r"/before$"))  # the token left the address bar
    expect(phone.get_by_role("heading", name="Before your meeting")).to_be_visible()
    body = phone.locator("body")
    for secret in ("K.T.", "Sam Supervisor", code, "Family team meeting"):
        expect(body).not_to_contain_text(secret)
    phone.get_by_label("Things that worry me").check()
    phone.get_by_label("Your words").fill("When mum and dad shout I hide in my room")
    phone.get_by_role("button", name="Send to the facilitator").click()
    expect(phone.locator(".before-sent")).to_contain_text(
        "When mum and dad shout I hide in my room"
    )
    phone.get_by_label("My hopes and dreams").check()
    phone.get_by_label("Your words").fill("Living with my gran and my dog Bruno")
    phone.get_by_role("button", name="Send to the facilitator").click()
    expect(phone.locator(".before-sent li")).to_have_count(2)
    assert_no_violations(phone)
    keep(
        browser.screenshot(phone, "before-meeting-phone", full_page=True),
        "before-meeting-phone.png",
    )

    guest = browser.page("guest", **PHONE)
    join_as_guest(guest, code, "Mum Maria")
    open_board(staff, meeting.id)
    expect(panel.locator("summary")).to_contain_text("2 waiting")
    panel.locator("summary").click()
    entry = staff.locator(".before-entry", has_text="I hide in my room")
    expect(entry).to_contain_text("Kayla")
    expect(entry.get_by_label("Put it in")).to_have_value("worries")
    expect(guest.locator("body")).not_to_contain_text("I hide in my room")
    keep(browser.screenshot(staff, "before-meeting-board"), "before-meeting-board.png")

    entry.get_by_role("button", name="Bring onto the board").click()
    expect(entry).to_have_count(0)

    def worry(page, text="I hide in my room"):
        return page.locator('ul.items[data-section="worries"] li.item', has_text=text)

    expect(worry(staff)).to_be_visible()
    expect(worry(staff)).to_contain_text("Kayla")
    # a young person's words: the others see them once the agency's consent is recorded
    expect(worry(guest, "The child's words: shown once consent is recorded")).to_have_count(1)
    expect(guest.locator("body")).not_to_contain_text("I hide in my room")
    staff.get_by_text("The child's words: consent").click()
    staff.get_by_label("Who agreed").fill("Maria, mother")
    staff.get_by_role("button", name="Record consent").click()
    expect(worry(guest)).to_be_visible()
    expect(worry(guest)).to_contain_text("Kayla")
    expect(guest.locator("body")).not_to_contain_text("Bruno")  # still waiting


AUDIO_SPY = """
(() => {
  window.__tones = 0;
  const Made = window.AudioContext;
  window.AudioContext = class extends Made {
    createOscillator() { window.__tones += 1; return super.createOscillator(); }
  };
})();
"""


def tones(page, expected: int) -> None:
    """Wait until the page has made this many tones (the chime's oscillators)."""
    for _ in range(50):
        if page.evaluate("window.__tones") == expected:
            return
        page.wait_for_timeout(100)
    assert page.evaluate("window.__tones") == expected


def test_the_timer_cues_the_last_minute_and_time_up_and_the_chime_can_be_muted(browser, seed):
    team = seed.team()
    lead = seed.staff("supervisor", team)
    meeting = seed.meeting(lead, seed.case(lead, team))
    run_ops(seed, meeting.id, lead, [("go_to_step", {"index": 0})])
    page = browser.page("supervisor", **ROOM)
    page.add_init_script(AUDIO_SPY)
    sign_in(page, lead)
    open_board(page, meeting.id)
    timer, cue = page.locator("[data-timer]"), page.locator("[data-timer-cue]")
    expect(timer).to_have_text(re.compile(r"^\d+:\d\d$"))
    expect(cue).to_be_hidden()
    page.locator("h1").click()  # a click lets the page make sound (the browser's rule)
    expect(timer).not_to_have_text(timer.inner_text())  # a tick: the page has read the clock
    minutes, secs = timer.inner_text().split(":")
    left = int(minutes) * 60 + int(secs)
    now = page.evaluate("Date.now()") / 1000

    page.clock.set_fixed_time(now + (left - 58))
    expect(cue).to_have_text("One minute left")
    expect(timer).to_have_class(re.compile(r"\bis-last-minute\b"))
    tones(page, 1)
    keep(browser.screenshot(page, "timer-last-minute"), "timer-last-minute.png")

    mute = page.get_by_role("button", name="Mute chime")
    mute.click()
    expect(mute).to_have_attribute("aria-pressed", "true")
    page.clock.set_fixed_time(now + (left + 2))
    expect(cue).to_have_text("Time is up")
    page.wait_for_timeout(1500)
    assert page.evaluate("window.__tones") == 1  # muted: no chime at time up
