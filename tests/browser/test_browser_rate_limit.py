"""The client under the socket's rate limit: a burst of additions beyond what one connection
may send at once is throttled by the server and sent again by the client; nothing is lost."""

from __future__ import annotations

import re

import pytest
from browser_support import open_board, sign_in, wait_connected
from playwright.sync_api import expect

pytestmark = pytest.mark.browser

COUNT = 60  # more than the default burst of 50 events per connection


def test_a_burst_over_the_limit_is_throttled_and_nothing_typed_is_lost(browser, seed):
    team = seed.team()
    supervisor = seed.staff("supervisor", team, name="Sam Supervisor")
    case_id = seed.case(supervisor, team, "R.L. (5)")
    meeting = seed.meeting(supervisor, case_id)
    staff = browser.page("supervisor")
    sign_in(staff, supervisor)
    open_board(staff, meeting.id)
    staff.evaluate(
        """(count) => {
            const status = document.getElementById('status');
            window.seenStatuses = new Set();
            new MutationObserver(() => window.seenStatuses.add(status.className))
                .observe(status, { attributes: true, attributeFilter: ['class'] });
            const form = document.querySelector('form.add-form[data-section="strengths"]');
            const textarea = form.querySelector('textarea');
            for (let i = 0; i < count; i += 1) {
                textarea.value = `Burst item ${i}`;
                form.requestSubmit();
            }
        }""",
        COUNT,
    )
    # all on the board at once (optimistic apply); saved once the throttled ones went again
    expect(staff.locator('[data-section="strengths"] .item')).to_have_count(COUNT, timeout=30_000)
    status = staff.locator("#status")
    expect(status).to_have_class(re.compile(r"\bstatus-connected\b"), timeout=30_000)
    wait_connected(staff)  # the outbox is empty again: "All changes saved"
    expect(staff.locator('[data-section="strengths"] .item.is-pending')).to_have_count(0)
    expect(staff.locator('[data-section="strengths"] .item')).to_have_count(COUNT)
    # the server did throttle: the client showed it was sending again
    seen = staff.evaluate("() => [...window.seenStatuses]")
    assert "status status-retrying" in seen, seen
    texts = sorted(item["text"] for item in seed.live_items(meeting.id))
    assert texts == sorted(f"Burst item {i}" for i in range(COUNT))
    log = browser.server.log_since(0)
    assert "rate limit tripped" not in log  # throttled, never disconnected
