"""The pages around the board: signing in, case labels, a family meeting joined by link."""

from __future__ import annotations

import re

import pytest
from browser_support import (
    PHONE,
    add_form,
    add_item,
    card,
    page_scrolls_sideways,
    sign_in,
    wait_connected,
)
from playwright.sync_api import expect

pytestmark = pytest.mark.browser


def test_wrong_password_says_so_and_keeps_the_email(browser, seed):
    team = seed.team()
    supervisor = seed.staff("supervisor", team)
    page = browser.page("sign-in")
    page.goto("/login")
    page.get_by_label("Email").fill(supervisor.email)
    page.get_by_label("Password").fill("not the password, but long enough")
    page.get_by_role("button", name="Sign in").click()
    expect(page.locator(".flash-error")).to_have_text(
        "That email and password don't match an active account."
    )
    expect(page.get_by_label("Email")).to_have_value(supervisor.email)
    expect(page.get_by_label("Password")).to_have_value("")
    browser.screenshot(page, "wrong-password")
    page.get_by_label("Password").fill(supervisor.password)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url("**/cases")


def test_case_labels_that_identify_a_child_are_refused_or_confirmed(browser, seed):
    team = seed.team()
    supervisor = seed.staff("supervisor", team)
    page = browser.page("supervisor")
    sign_in(page, supervisor)
    page.goto("/cases/new")

    page.get_by_label("Case label").fill("J.M. 03/04/2019")
    page.get_by_role("button", name="Create case").click()
    expect(page.locator(".flash-error")).to_contain_text("looks like it contains a date")
    expect(page.get_by_label("Case label")).to_have_value("J.M. 03/04/2019")
    browser.screenshot(page, "date-refused")

    page.get_by_label("Case label").fill("Jamie Morgan (6)")
    page.get_by_role("button", name="Create case").click()
    expect(page.get_by_role("alert")).to_contain_text("This looks like a full name.")
    browser.screenshot(page, "full-name-warning")
    page.get_by_label("This is an alias, not a real full name").check()
    page.get_by_role("button", name="Create case").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Jamie Morgan (6)")

    page.get_by_role("link", name="Cases").click()
    expect(page.get_by_role("link", name="Jamie Morgan (6)")).to_be_visible()
    browser.screenshot(page, "case-list")


def test_family_meeting_joined_with_the_invite_link_on_a_phone(browser, seed):
    team = seed.team()
    supervisor = seed.staff("supervisor", team, name="Sam Supervisor")
    case_id = seed.case(supervisor, team, "K.L. (3)")
    staff = browser.page("facilitator")
    sign_in(staff, supervisor)
    staff.goto(f"/cases/{case_id}")
    staff.get_by_label("Kind of meeting").select_option(label="Family team meeting")
    expect(staff.get_by_label("Map")).to_have_value("family")
    staff.get_by_role("button", name="Start meeting").click()
    wait_connected(staff)
    expect(staff.locator(".column-question")).to_have_text(
        [
            "Who is here / who is in the family",
            "What are we worried about?",
            "What's working well?",
            "What needs to happen next?",
            "Questions / what we don't know yet",
        ]
    )
    staff.get_by_label("Let guests in directly").check()  # the waiting room: its own test
    staff.get_by_role("button", name="Invite guests").click()
    link = staff.get_by_role("textbox", name="Join link").input_value()
    assert re.fullmatch(r"http://127\.0\.0\.1:\d+/join/link/[A-Za-z0-9_-]{20,}", link), link
    token = link.rsplit("/", 1)[1]

    guest = browser.page("parent phone", **PHONE)
    guest.goto(link)
    guest.wait_for_url("**/join/name")  # the token is gone from the address bar
    assert token not in guest.url
    browser.screenshot(guest, "join-name")
    guest.get_by_label("Your name").fill("Mum")
    guest.get_by_label("A parent or caregiver").check()
    guest.get_by_role("button", name="Join the meeting").click()
    wait_connected(guest)
    assert token not in guest.url
    expect(guest.get_by_role("heading", level=1)).to_have_text("Family team meeting")
    # one quiet "+ Add" per section; the box opens with the view the guest chose on joining
    expect(guest.get_by_label("Add to What's working well?")).to_be_hidden()
    add_form(guest, "working_well")
    expect(guest.get_by_label("Add to What's working well?")).to_be_visible()
    expect(add_form_view(guest, "working_well")).to_have_value("parent")

    add_item(guest, "working_well", "K. goes to nursery every morning and loves it.")
    staff.get_by_role("link", name="Back to the board").click()
    wait_connected(staff)
    expect(card(staff, "K. goes to nursery every morning and loves it.")).to_have_count(1)
    assert not page_scrolls_sideways(guest)
    browser.screenshot(guest, "family-board-phone", full_page=True)
    browser.screenshot(staff, "family-board-facilitator")


def add_form_view(page, section):
    return page.locator(f'form.add-form[data-section="{section}"] select[name="view"]')
