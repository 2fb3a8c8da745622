"""A worker turns on two-step sign-in from their account page, scanning nothing: the key
is read off the page as text, as someone typing it into their app would."""

from __future__ import annotations

import time

import pyotp
import pytest
from browser_support import sign_in
from playwright.sync_api import expect

pytestmark = pytest.mark.browser


def test_enrol_mfa_through_the_page_and_sign_in_with_a_code(browser, seed):
    team = seed.team()
    worker = seed.staff("worker", team)
    page = browser.page("worker")
    sign_in(page, worker)
    page.get_by_role("link", name=worker.name).click()
    browser.screenshot(page, "account")
    page.get_by_role("link", name="Set up two-step sign-in").click()
    expect(page.get_by_role("img", name="QR code for your authenticator app")).to_be_visible()
    browser.screenshot(page, "mfa-enrolment", full_page=True)
    secret = page.locator("#mfa-secret").inner_text().replace(" ", "")
    assert secret not in page.url
    totp = pyotp.TOTP(secret)
    page.get_by_label("Enter the 6-digit code the app shows now").fill(totp.now())
    page.get_by_role("button", name="Turn on two-step sign-in").click()
    expect(page.get_by_role("heading", name="Two-step sign-in is on")).to_be_visible()
    assert page.locator("#recovery-codes li").count() == 10
    browser.screenshot(page, "mfa-recovery-codes")
    page.get_by_role("link", name="I have kept them: continue").click()
    page.get_by_role("button", name="Sign out").click()

    page.goto("/login")
    page.get_by_label("Email").fill(worker.email)
    page.get_by_label("Password").fill(worker.password)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url("**/login/code")
    page.get_by_label("Code from your authenticator app").fill(totp.at(time.time() + 30))
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url("**/cases")
