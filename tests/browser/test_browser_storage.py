"""S12 in the browser: after a meeting, nothing of the case is left in localStorage,
sessionStorage or IndexedDB, and no page asked any host but the app's own."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit

import pytest
from browser_support import add_item, join_as_guest, open_board, open_display, sign_in

pytestmark = pytest.mark.browser

STORAGE = """async () => ({
  local: localStorage.length,
  session: sessionStorage.length,
  indexedDB: (await indexedDB.databases()).map(d => d.name),
  caches: 'caches' in window ? (await caches.keys()) : [],
})"""


def record_hosts(page: Any, seen: list[str]) -> Any:
    page.on("request", lambda request: seen.append(request.url))
    page.on("websocket", lambda socket: seen.append(socket.url))
    return page


def test_the_browser_keeps_nothing_of_the_case_and_asks_no_other_host(browser, seed, server):
    team = seed.team()
    lead = seed.staff("supervisor", team)
    meeting = seed.meeting(lead, seed.case(lead, team, "Q.R. (3)"))
    code = seed.invite_code(lead, meeting.id)
    seen: list[str] = []

    staff = record_hosts(browser.page("staff"), seen)
    sign_in(staff, lead)
    open_board(staff, meeting.id)
    add_item(staff, "harm", "CANARY the staff typed")
    guest = record_hosts(browser.page("guest"), seen)
    join_as_guest(guest, code, "Nan")
    add_item(guest, "strengths", "CANARY the guest typed")
    display = browser.page("display", storage_state=staff.context.storage_state())
    record_hosts(display, seen)
    open_display(display, meeting.id)
    for path in (f"/cases/{meeting.case_id}", f"/meetings/{meeting.id}/history", "/search"):
        staff.goto(path)
    open_board(staff, meeting.id)

    for name, page in {"staff": staff, "guest": guest, "display": display}.items():
        stored = page.evaluate(STORAGE)
        assert stored == {"local": 0, "session": 0, "indexedDB": [], "caches": []}, name
        state = page.context.storage_state()
        origins = [o for o in state["origins"] if o["localStorage"]]
        assert origins == [], name
        assert "CANARY" not in str(state), name  # not in cookies either

    app = urlsplit(server.url)
    foreign = [
        url
        for url in seen
        if not url.startswith(("data:", "blob:"))
        and (urlsplit(url).hostname, urlsplit(url).port) != (app.hostname, app.port)
    ]
    assert len(seen) > 20
    assert foreign == []
