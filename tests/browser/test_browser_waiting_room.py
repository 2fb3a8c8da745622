"""The waiting room in Chromium: a guest on a phone waits, the facilitator lets them in by
name from the board, and the guest's page moves on to the board by itself."""

from __future__ import annotations

import re

import pytest
from browser_support import PHONE, open_board, sign_in, wait_connected
from playwright.sync_api import expect

pytestmark = pytest.mark.browser


def join_and_wait(page, code: str, name: str) -> None:
    page.goto("/join")
    page.get_by_label("Meeting code").fill(code)
    page.get_by_role("button", name="Continue").click()
    page.wait_for_url("**/join/name")
    page.get_by_label("Your name").fill(name)
    page.get_by_label("A parent or caregiver").check()
    page.get_by_role("button", name="Join the meeting").click()
    page.wait_for_url("**/join/wait")


def test_a_guest_waits_until_the_facilitator_lets_them_in(browser, seed):
    team = seed.team()
    supervisor = seed.staff("supervisor", team, name="Sam Supervisor")
    case_id = seed.case(supervisor, team, "E.F. (9)")
    meeting = seed.meeting(supervisor, case_id, "family_team", "family")
    code = seed.invite_code(supervisor, meeting.id, waiting_room=True)
    staff = browser.page("supervisor")
    sign_in(staff, supervisor)
    open_board(staff, meeting.id)
    expect(staff.locator("#waiting")).to_be_hidden()  # nobody waits: no notice at all

    guest = browser.page("guest phone", **PHONE)
    join_and_wait(guest, code, "Grandma Rose")
    expect(guest.get_by_role("heading", level=1)).to_have_text("You're in the waiting room")
    expect(guest.get_by_role("status")).to_have_text("The facilitator will let you in soon.")
    expect(guest.locator("body")).not_to_contain_text("E.F. (9)")  # nothing of the case
    expect(guest.locator("#map")).to_have_count(0)  # nothing of the board
    browser.screenshot(guest, "guest-waiting")

    # The facilitator sees who waits, by name, beside the people list, and is told politely.
    notice = staff.locator("#waiting")
    expect(notice).to_be_visible()
    expect(notice.get_by_role("heading")).to_have_text("Waiting to join")
    expect(notice.locator(".waiting-name")).to_have_text(["Grandma Rose"])
    expect(staff.locator("#announcer")).to_contain_text("Grandma Rose is waiting to join.")
    expect(staff.locator("#people")).not_to_contain_text("Grandma Rose")
    browser.screenshot(staff, "facilitator-notice")

    notice.get_by_role("button", name="Let in: Grandma Rose", exact=True).click()
    expect(notice).to_be_hidden()
    # the guest's page moves on by itself
    guest.wait_for_url(re.compile(rf"/meetings/{meeting.id}$"))
    wait_connected(guest)
    expect(guest.locator(".board-title")).to_contain_text("You are Grandma Rose")
    expect(staff.locator("#people .person", has_text="Grandma Rose")).to_contain_text("here")
    browser.screenshot(guest, "guest-admitted")


def test_a_refused_guest_is_told_kindly(browser, seed):
    team = seed.team()
    supervisor = seed.staff("supervisor", team, name="Sam Supervisor")
    case_id = seed.case(supervisor, team, "G.H. (3)")
    meeting = seed.meeting(supervisor, case_id, "family_team", "family")
    code = seed.invite_code(supervisor, meeting.id, waiting_room=True)
    staff = browser.page("supervisor")
    sign_in(staff, supervisor)
    open_board(staff, meeting.id)

    guest = browser.page("guest phone", **PHONE)
    join_and_wait(guest, code, "Someone Unknown")
    staff.locator("#waiting").get_by_role("button", name="Don't let in: Someone Unknown").click()
    expect(staff.locator("#waiting")).to_be_hidden()
    expect(guest.get_by_role("heading", level=1)).to_have_text("You can't join this meeting")
    expect(guest.locator("main")).to_contain_text("If you think this is a mistake")
    assert guest.url.endswith("/join/wait")
    browser.screenshot(guest, "guest-refused")
