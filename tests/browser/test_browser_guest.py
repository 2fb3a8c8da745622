"""What a guest may do on the board, what is closed to them, and being removed."""

from __future__ import annotations

import re

import pytest
from browser_support import PHONE, add_item, card, join_as_guest, open_board, sign_in
from playwright.sync_api import expect

pytestmark = pytest.mark.browser

STAFF_ITEM = "School is worried about unexplained bruises."
GUEST_ITEM = "I take J. to football on Saturdays."


@pytest.fixture
def meeting_with_guest(browser, seed):
    team = seed.team()
    supervisor = seed.staff("supervisor", team, name="Sam Supervisor")
    case_id = seed.case(supervisor, team, "C.D. (4)")
    meeting = seed.meeting(supervisor, case_id)
    seed.add_items(meeting, [("harm", STAFF_ITEM)])
    code = seed.invite_code(supervisor, meeting.id)
    staff = browser.page("supervisor")
    sign_in(staff, supervisor)
    open_board(staff, meeting.id)
    guest = browser.page("guest phone", **PHONE)
    join_as_guest(guest, code, "Uncle Tom")
    return staff, guest, meeting, code


def test_guest_changes_only_their_own_items(browser, meeting_with_guest):
    staff, guest, _meeting, _code = meeting_with_guest
    add_item(guest, "strengths", GUEST_ITEM)

    theirs = card(guest, STAFF_ITEM)
    expect(theirs.locator(".item-actions")).to_be_hidden()
    for name in ("Edit", "Delete", "Move up", "Move down"):
        expect(theirs.get_by_role("button", name=name)).to_be_hidden()
    mine = card(guest, GUEST_ITEM)
    for name in ("Edit", "Delete"):
        expect(mine.get_by_role("button", name=name)).to_be_visible()
    expect(mine.get_by_label("Move to section")).to_be_visible()
    browser.screenshot(guest, "own-and-staff-items")

    # No staff tools for a guest.
    for name in ("Invite guests", "New invite link", "Remove"):
        expect(guest.get_by_role("button", name=name)).to_have_count(0)
    expect(guest.get_by_role("link", name="Open display")).to_have_count(0)
    expect(guest.get_by_role("link", name="Cases")).to_have_count(0)

    # The guest edits their own item from the phone.
    mine.get_by_role("button", name="Edit").tap()
    mine.get_by_label("Edit item").fill(GUEST_ITEM + " And to swimming.")
    mine.get_by_role("button", name="Save").tap()
    expect(card(staff, GUEST_ITEM + " And to swimming.")).to_have_count(1)

    # Staff may change the guest's item.
    staff_view = card(staff, GUEST_ITEM + " And to swimming.")
    staff_view.focus()
    expect(staff_view.get_by_role("button", name="Edit")).to_be_visible()


def test_guest_cannot_open_case_pages_or_the_display(browser, seed, meeting_with_guest):
    _staff, guest, meeting, _code = meeting_with_guest
    other_team = seed.team()
    stranger = seed.staff("supervisor", other_team)
    other = seed.meeting(stranger, seed.case(stranger, other_team, "E.F. (9)"))

    probe = browser.page("guest probing", guest.context)
    browser.expect_error_pages(probe)
    for path in (
        "/cases",
        f"/cases/{meeting.case_id}",
        "/cases/new",
        "/admin",
        f"/meetings/{meeting.id}/display",
        f"/meetings/{other.id}",
        f"/meetings/{other.id}/display",
    ):
        browser.expect_problem(probe, rf"^HTTP 404: http://[^/]+{re.escape(path)}$")
        browser.expect_problem(probe, rf"404.*\({re.escape(browser.server.url + path)}\)$")
        answer = probe.goto(path)
        assert answer.status == 404, (path, probe.url)
        assert probe.url.endswith(path)  # not sent to the staff sign-in page either
        expect(probe.locator("body")).not_to_contain_text("C.D. (4)")
    browser.screenshot(probe, "guest-404")
    probe.close()


def test_removed_guest_is_disconnected_and_cannot_type(browser, meeting_with_guest):
    staff, guest, meeting, code = meeting_with_guest
    confirms = browser.accept_confirms(staff)
    person = staff.locator("#people .person", has_text="Uncle Tom")
    expect(person).to_contain_text("Guest · here")

    person.get_by_role("button", name="Remove Uncle Tom from the meeting").click()
    assert confirms and confirms[0].startswith("confirm: Remove Uncle Tom from this meeting?")

    expect(guest.locator("#status")).to_have_text("The facilitator removed you from this meeting.")
    expect(guest.locator("#status")).to_have_class(re.compile(r"\bstatus-closed\b"))
    guest.locator("#people-title").scroll_into_view_if_needed()  # wherever the guest was
    expect(guest.locator("#status")).to_be_in_viewport()
    controls = guest.locator("#map textarea, #map button, #map select")
    assert controls.count() > 0
    for index in range(controls.count()):
        expect(controls.nth(index)).to_be_disabled()
    expect(staff.locator("#people")).not_to_contain_text("Uncle Tom")
    browser.screenshot(guest, "removed")
    browser.screenshot(staff, "after-removal")

    # A reload does not bring the board back.
    browser.expect_error_pages(guest)
    browser.expect_problem(guest, rf"^HTTP 40[134]: http://[^/]+/meetings/{meeting.id}$")
    browser.expect_problem(guest, rf"40[134].*/meetings/{meeting.id}\)$")
    answer = guest.reload()
    assert answer.status in (401, 403, 404)
    expect(guest.locator("#map")).to_have_count(0)
    browser.screenshot(guest, "removed-reload")

    # The confirm promised "They will not be able to rejoin with this invite."
    guest.goto("/join")
    guest.get_by_label("Meeting code").fill(code)
    guest.get_by_role("button", name="Continue").click()
    expect(guest.locator(".flash-error")).to_have_text(
        "That code doesn't open a meeting. Check it with the facilitator."
    )
    assert guest.url.endswith("/join")
    browser.screenshot(guest, "rejoin-refused")
    # The facilitator's board no longer offers the withdrawn code once reloaded.
    staff.reload()
    expect(staff.locator(".code-chip")).to_have_count(0)
    expect(staff.get_by_role("button", name="Invite guests")).to_be_visible()
