"""axe-core on every page and state, at WCAG 2.1 A + AA: 0 violations (the display also at
AAA contrast, for a projector washed out by daylight).

One Chromium, a few signed-in contexts made once for the module and reused; each test
makes its own meeting (so the order of the tests does not matter), brings the page to
its state through the app's own controls or services, and runs axe on it.
"""

from __future__ import annotations

import re
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

import pyotp
import pytest
from axe import assert_no_violations, report, violations
from browser_support import (
    DISPLAY_FULL_HD,
    Browser,
    LiveServer,
    Meeting,
    Staff,
    open_board,
    open_display,
    run_ops,
    sign_in,
    wait_connected,
)
from playwright.sync_api import expect

from facilitator.domain.agenda import default_agenda
from facilitator.domain.frameworks import FRAMEWORKS
from facilitator.domain.sop_tools import SOP_TOOLS

pytestmark = pytest.mark.browser

STAFF_VIEW = {"viewport": {"width": 1280, "height": 900}}
PHONE_320 = {"viewport": {"width": 320, "height": 640}, "is_mobile": True, "has_touch": True}


@dataclass
class Scene:
    """The module's people and signed-in pages."""

    server: LiveServer
    browser: Browser
    team: int
    lead: Staff
    admin: Staff
    staff: Any  # the lead's page, 1280 px
    admin_page: Any

    @property
    def seed(self) -> Any:
        return self.server.seed

    def meeting(self, kind: str = "group_supervision", framework: str = "cisf") -> Meeting:
        """A new meeting of the lead's, with an item in every section."""
        case_id = self.seed.case(self.lead, self.team)
        meeting = self.seed.meeting(self.lead, case_id, kind, framework)
        sections = [section.key for section in FRAMEWORKS[framework].sections]
        self.seed.add_items(meeting, [(key, f"An item in {key}") for key in sections])
        return meeting

    def staff_tab(self) -> Any:
        """A new tab of the lead's, for a state that leaves unsaved typing behind."""
        return self.browser.page("staff tab", context=self.staff.context)

    def fresh(self, label: str, **options: Any) -> Any:
        return self.browser.page(label, **{**STAFF_VIEW, **options})

    def display(self, meeting: Meeting) -> Any:
        """The meeting's projector display, full HD, opened with the lead's sign-in."""
        storage = self.staff.context.storage_state()
        page = self.fresh("display", **DISPLAY_FULL_HD, storage_state=storage)
        open_display(page, meeting.id)
        return page


@pytest.fixture(scope="module")
def module_scene(live_server: LiveServer, chromium: Any) -> Iterator[Scene]:
    seed = live_server.seed
    team = seed.team()
    lead = seed.staff("supervisor", team, name="Sam Supervisor")
    admin = seed.staff("admin", team, name="Ada Admin")
    browser = Browser(chromium, live_server, "axe")
    staff = browser.page("staff", **STAFF_VIEW)
    sign_in(staff, lead)
    admin_page = browser.page("admin", **STAFF_VIEW)
    sign_in(admin_page, admin)
    try:
        yield Scene(live_server, browser, team, lead, admin, staff, admin_page)
    finally:
        browser.close()


@pytest.fixture
def scene(module_scene: Scene, server: LiveServer) -> Iterator[Scene]:
    """The scene for one test: fails it on console errors, failed requests and the like."""
    for watched in module_scene.browser.watched.values():
        watched.problems.clear()
    contexts, tabs = len(module_scene.browser.contexts), list(module_scene.staff.context.pages)
    yield module_scene
    problems = module_scene.browser.problems()
    for page in module_scene.staff.context.pages:  # what this test opened goes; the sign-ins stay
        if page not in tabs:
            page.close()
    for context in module_scene.browser.contexts[contexts:]:
        context.close()
    del module_scene.browser.contexts[contexts:]
    if problems:
        pytest.fail("The pages reported problems:\n  " + "\n  ".join(problems), pytrace=False)


# --- pages before and around signing in ----------------------------------------------


def sign_in_page(scene: Scene) -> Any:
    page = scene.fresh("anonymous")
    page.goto("/login")
    return page


def sign_in_refused(scene: Scene) -> Any:
    page = sign_in_page(scene)
    page.get_by_label("Email").fill(scene.lead.email)
    page.get_by_label("Password").fill("not the password, but long enough")
    page.get_by_role("button", name="Sign in").click()
    expect(page.locator(".flash-error")).to_be_visible()
    return page


def not_found(scene: Scene) -> Any:
    page = scene.fresh("anonymous")
    scene.browser.expect_error_pages(page)
    scene.browser.expect_problem(page, r"404.*http://[^/]+/no-such-page\)?$")
    page.goto("/no-such-page")
    return page


MFA_PAGES = ["enrol", "recovery-codes", "code-at-sign-in", "confirm-with-code"]


@pytest.fixture(scope="module")
def mfa_scans(module_scene: Scene) -> dict[str, Any]:
    """A new worker turns on two-step sign-in, signs in again with a code and confirms it
    is them before an export: axe runs on each of those pages on the way (the flow is
    slow, password hashing and all, so it runs once for the four tests)."""
    worker = module_scene.seed.staff("worker", module_scene.team)
    page = module_scene.fresh("two-step sign-in")
    watched = module_scene.browser.watched[page]
    scans: dict[str, Any] = {}
    sign_in(page, worker)
    page.goto("/account/mfa")
    scans["enrol"] = violations(page)
    secret = page.locator("#mfa-secret").inner_text().replace(" ", "")
    page.get_by_label("Enter the 6-digit code the app shows now").fill(pyotp.TOTP(secret).now())
    page.get_by_role("button", name="Turn on two-step sign-in").click()
    expect(page.get_by_role("heading", name="Two-step sign-in is on")).to_be_visible()
    scans["recovery-codes"] = violations(page)
    page.get_by_role("link", name="I have kept them: continue").click()
    page.get_by_role("button", name="Sign out").click()
    page.goto("/login")
    page.get_by_label("Email").fill(worker.email)
    page.get_by_label("Password").fill(worker.password)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url("**/login/code")
    scans["code-at-sign-in"] = violations(page)
    later = pyotp.TOTP(secret).at(time.time() + 30)  # the code just used is refused
    page.get_by_label("Code from your authenticator app").fill(later)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url("**/cases")
    page.goto("/account/confirm?next=/cases")
    expect(page.get_by_label("Password or code")).to_be_visible()
    scans["confirm-with-code"] = violations(page)
    scans["problems"] = watched.unexpected()
    return scans


@pytest.mark.parametrize("name", MFA_PAGES)
def test_two_step_sign_in_page_has_no_axe_violations(scene, mfa_scans, name):
    assert not mfa_scans["problems"], mfa_scans["problems"]
    assert not mfa_scans[name], report(mfa_scans[name])


def board_in_spanish(scene: Scene) -> Any:
    """A colleague chooses Spanish with the switch in the top bar; their board follows."""
    colleague = scene.seed.staff("supervisor", scene.team)
    meeting = scene.seed.meeting(colleague, scene.seed.case(colleague, scene.team))
    scene.seed.add_items(meeting, [("harm", "Un moretón en el brazo.")])
    page = scene.fresh("colleague")
    sign_in(page, colleague)
    page.locator(".topbar button[lang=es]").click()
    expect(page.locator("html")).to_have_attribute("lang", "es")
    open_board(page, meeting.id)
    expect(page.locator("html")).to_have_attribute("lang", "es")
    return page


def not_for_you(scene: Scene) -> Any:
    """A supervisor who is no admin opens the admin page: not found, signed in."""
    scene.browser.expect_problem(scene.staff, r"404.*http://[^/]+/admin\)?$")
    scene.staff.goto("/admin")
    return scene.staff


def staff_at(path: str) -> Callable[[Scene], Any]:
    def go(scene: Scene) -> Any:
        scene.staff.goto(path)
        return scene.staff

    return go


def admin_at(path: str) -> Callable[[Scene], Any]:
    def go(scene: Scene) -> Any:
        scene.admin_page.goto(path)
        return scene.admin_page

    return go


def case_page(scene: Scene) -> Any:
    meeting = scene.meeting()
    run_ops(scene.seed, meeting.id, scene.lead, [
        ("open_scale_round", {}),
        ("rate", lambda ev: {"round_id": ev[-1]["scale_round"]["id"], "value": 4,
                             "reason": "Still drinking"}),
        ("reveal_scale_round", lambda ev: {"round_id": ev[-2]["scale_round"]["id"]}),
        ("close_meeting", {}),
    ])  # fmt: skip
    scene.staff.goto(f"/cases/{meeting.case_id}")
    return scene.staff


def case_export_menu(scene: Scene) -> Any:
    page = case_page(scene)
    page.locator(".export-menu summary").first.click()
    return page


def closed_meeting(scene: Scene) -> Meeting:
    meeting = scene.meeting()
    run_ops(scene.seed, meeting.id, scene.lead, [("close_meeting", {})])
    return meeting


def history_page(scene: Scene) -> Any:
    scene.staff.goto(f"/meetings/{closed_meeting(scene).id}/history")
    return scene.staff


def compare_page(scene: Scene) -> Any:
    first = closed_meeting(scene)
    second = scene.seed.meeting(scene.lead, first.case_id)
    scene.seed.add_items(second, [("strengths", "A new strength")])
    run_ops(scene.seed, second.id, scene.lead, [("close_meeting", {})])
    scene.staff.goto(f"/cases/{first.case_id}/compare?a={first.id}&b={second.id}")
    return scene.staff


def search_results(scene: Scene) -> Any:
    closed_meeting(scene)
    scene.staff.goto("/search")
    scene.staff.get_by_role("searchbox").first.fill("item")
    scene.staff.get_by_role("button", name="Search").click()
    return scene.staff


def action_plan(scene: Scene) -> Any:
    meeting = scene.meeting()
    scene.staff.goto(f"/meetings/{meeting.id}/plan")
    return scene.staff


def invite_page(scene: Scene) -> Any:
    meeting = scene.meeting()
    open_board(scene.staff, meeting.id)
    scene.staff.get_by_role("button", name="Invite guests").click()
    expect(scene.staff.get_by_role("textbox", name="Join link")).to_be_visible()
    return scene.staff


def new_meeting_form(scene: Scene) -> Any:
    case_id = scene.seed.case(scene.lead, scene.team)
    scene.staff.goto(f"/cases/{case_id}")
    return scene.staff


PAGES: dict[str, Callable[[Scene], Any]] = {
    "sign-in": sign_in_page,
    "sign-in-refused": sign_in_refused,
    "404": not_found,
    "confirm-with-password": staff_at("/account/confirm?next=/cases"),
    "404-signed-in": not_for_you,
    "board-after-choosing-spanish": board_in_spanish,
    "account": staff_at("/account"),
    "case-list": staff_at("/cases"),
    "new-case": staff_at("/cases/new"),
    "case-page": case_page,
    "case-export-menu": case_export_menu,
    "case-new-meeting-form": new_meeting_form,
    "history": history_page,
    "compare": compare_page,
    "search": staff_at("/search"),
    "search-results": search_results,
    "action-plan": action_plan,
    "invite": invite_page,
    "admin": admin_at("/admin"),
    "admin-audit": admin_at("/admin/audit"),
    "admin-retention": admin_at("/admin/retention"),
    "admin-frameworks": admin_at("/admin/frameworks"),
    "admin-framework-editor": admin_at("/admin/frameworks/new?from=cisf"),
    "admin-framework-blank": admin_at("/admin/frameworks/new"),
}


@pytest.mark.parametrize("name", PAGES)
def test_page_has_no_axe_violations(scene: Scene, name: str) -> None:
    page = PAGES[name](scene)
    assert_no_violations(page)


# --- the board, step by step -----------------------------------------------------------


def steps_of(kind: str, framework: str) -> int:
    return len(default_agenda(kind, steps=FRAMEWORKS[framework].agenda))


STEPPED = [("group_supervision", "cisf"), ("family_team", "family")]
STEP_CASES = [
    pytest.param(kind, framework, step, id=f"{framework}-step-{step + 1 if step >= 0 else 'none'}")
    for kind, framework in STEPPED
    for step in range(-1, steps_of(kind, framework))
]


@pytest.mark.parametrize(("kind", "framework", "step"), STEP_CASES)
def test_board_in_each_step_has_no_axe_violations(scene, kind, framework, step):
    meeting = scene.meeting(kind, framework)
    if step >= 0:
        run_ops(scene.seed, meeting.id, scene.lead, [("go_to_step", {"index": step})])
    open_board(scene.staff, meeting.id)
    expect(scene.staff.locator("[data-step-label]")).to_have_text(
        "Not started yet" if step < 0 else re.compile(rf"^Step {step + 1} of ")
    )
    assert_no_violations(scene.staff)


TOOLS = [pytest.param(tool.key, id=tool.key) for tool in SOP_TOOLS]


@pytest.mark.parametrize("framework", TOOLS)
def test_each_sop_tool_board_has_no_axe_violations(scene, framework):
    meeting = scene.meeting("family_team", framework)
    open_board(scene.staff, meeting.id)
    assert_no_violations(scene.staff)


@pytest.mark.parametrize("framework", TOOLS)
def test_each_sop_tool_display_has_no_axe_violations_even_at_aaa_contrast(scene, framework):
    meeting = scene.meeting("family_team", framework)
    display = scene.display(meeting)
    assert_no_violations(display, also=["color-contrast-enhanced"])


# --- board states ----------------------------------------------------------------------


def item_being_edited(scene: Scene) -> Any:
    page = scene.staff_tab()
    open_board(page, scene.meeting().id)
    item = page.locator('ul.items[data-section="harm"] li.item').first
    item.focus()
    item.get_by_role("button", name="Edit").click()
    expect(item.get_by_label("Edit item")).to_be_visible()
    return page


def edit_conflict(scene: Scene) -> Any:
    meeting = scene.meeting()
    page = scene.staff_tab()
    open_board(page, meeting.id)
    item = page.locator('ul.items[data-section="harm"] li.item').first
    item_id = int(item.get_attribute("data-item-id"))
    item.focus()
    item.get_by_role("button", name="Edit").click()
    # a colleague's save meanwhile (made in this process, so the page is not told of it:
    # the stale save below is what meets the conflict)
    run_ops(scene.seed, meeting.id, scene.lead, [
        ("edit_item", {"item_id": item_id, "text": "Changed meanwhile", "base_version": 1}),
    ])  # fmt: skip
    item.get_by_label("Edit item").fill("Mine")
    item.get_by_role("button", name="Save").click()
    expect(item.locator(".conflict")).to_be_visible()
    return page


def scale_open(scene: Scene) -> Any:
    meeting = scene.meeting()
    run_ops(scene.seed, meeting.id, scene.lead, [("open_scale_round", {})])
    open_board(scene.staff, meeting.id)
    expect(scene.staff.locator("#scale [data-scale-action='reveal']")).to_be_visible()
    return scene.staff


def revealed_round(scene: Scene, meeting: Meeting) -> None:
    revealed_round_of(scene, meeting.id)


def revealed_round_of(scene: Scene, meeting_id: int) -> None:
    """The lead opens a round, rates 6 with a reason and reveals it."""
    run_ops(scene.seed, meeting_id, scene.lead, [
        ("open_scale_round", {}),
        ("rate", lambda ev: {"round_id": ev[-1]["scale_round"]["id"], "value": 6,
                             "reason": "Gran is there every day"}),
        ("reveal_scale_round", lambda ev: {"round_id": ev[-2]["scale_round"]["id"]}),
    ])  # fmt: skip


def scale_revealed(scene: Scene) -> Any:
    meeting = scene.meeting()
    revealed_round(scene, meeting)
    open_board(scene.staff, meeting.id)
    expect(scene.staff.locator("#scale .scale-result")).to_be_visible()
    return scene.staff


def people_of(scene: Scene, meeting: Meeting) -> None:
    run_ops(scene.seed, meeting.id, scene.lead, [
        ("add_person", {"name": "M.L.", "age": 34, "role": "parent", "household": "Home"}),
        ("add_person", {"name": "Jo", "age": 6, "role": "child", "household": "Home"}),
        ("add_person", {"name": "Nana", "role": "family", "household": "Nana's"}),
        ("add_person", {"name": "Ms K.", "role": "professional"}),
    ])  # fmt: skip


def involved(scene: Scene) -> Any:
    meeting = scene.meeting("family_team", "family")
    people_of(scene, meeting)
    open_board(scene.staff, meeting.id)
    expect(scene.staff.locator("#network-diagram .network-person")).to_have_count(4)
    return scene.staff


def waiting_guest(scene: Scene) -> Any:
    """The facilitator's board while a guest waits to be let in."""
    meeting = scene.meeting()
    open_board(scene.staff, meeting.id)
    join(scene, "wait", meeting=meeting)
    expect(scene.staff.locator("#waiting")).to_be_visible()
    return scene.staff


def closed_board(scene: Scene) -> Any:
    open_board(scene.staff, closed_meeting(scene).id)
    return scene.staff


def export_menu_open(scene: Scene) -> Any:
    meeting = scene.meeting()
    open_board(scene.staff, meeting.id)
    scene.staff.locator(".export-menu summary").click()
    return scene.staff


STATES: dict[str, Callable[[Scene], Any]] = {
    "item-being-edited": item_being_edited,
    "edit-conflict": edit_conflict,
    "scale-open": scale_open,
    "scale-revealed": scale_revealed,
    "who-is-involved": involved,
    "guest-waiting": waiting_guest,
    "closed-meeting": closed_board,
    "export-menu": export_menu_open,
}


@pytest.mark.parametrize("name", STATES)
def test_board_state_has_no_axe_violations(scene: Scene, name: str) -> None:
    page = STATES[name](scene)
    assert_no_violations(page)


# --- guests and the display --------------------------------------------------------------


def join(
    scene: Scene, stop: str, framework: str = "cisf", meeting: Meeting | None = None, **options: Any
) -> Any:
    """A guest on a phone 320 px wide goes through the join screens to `stop`: the code,
    the name, the waiting room, or the board. The buttons are found by place, not by
    name, so the same steps work in Spanish."""
    page = scene.browser.page("guest", **{**PHONE_320, **options})
    page.goto("/join")
    if stop == "code":
        return page
    kind = "group_supervision" if framework == "cisf" else "family_team"
    meeting = meeting or scene.meeting(kind, framework)
    code = scene.seed.invite_code(scene.lead, meeting.id, waiting_room=stop == "wait")
    page.locator("input[name=code]").fill(code)
    page.locator("form button[type=submit]").first.click()
    page.wait_for_url("**/join/name")
    if stop == "name":
        return page
    page.locator("input[name=display_name]").fill("Rose")
    page.locator("input[name=relation][value=relative]").check()  # who they are: their view
    page.locator("form button[type=submit]").first.click()
    if stop == "wait":
        page.wait_for_url("**/join/wait")
        return page
    page.wait_for_url(re.compile(r"/meetings/\d+$"))
    wait_connected(page)
    return page


def guest_scale(scene: Scene, **options: Any) -> Any:
    page = join(scene, "board", **options)
    meeting_id = int(page.url.rsplit("/", 1)[1])
    run_ops(scene.seed, meeting_id, scene.lead, [("open_scale_round", {})])
    page.reload()  # the round was opened in this process: the page learns it on loading
    wait_connected(page)
    expect(page.locator("#scale form[data-scale='rate-form']")).to_be_visible()
    return page


SPANISH = {"locale": "es-ES", "extra_http_headers": {"Accept-Language": "es-ES,es;q=0.9"}}
GUEST_SCREENS: dict[str, Callable[..., Any]] = {
    "join-code": lambda scene, **o: join(scene, "code", **o),
    "join-name": lambda scene, **o: join(scene, "name", **o),
    "waiting-room": lambda scene, **o: join(scene, "wait", **o),
    "guest-board-cisf": lambda scene, **o: join(scene, "board", **o),
    "guest-board-family": lambda scene, **o: join(scene, "board", "family", **o),
    "guest-rating": guest_scale,
}
GUEST_CASES = [
    pytest.param(name, language, id=f"{name}-{language}")
    for language in ("en", "es")
    for name in GUEST_SCREENS
]


@pytest.mark.parametrize(("name", "language"), GUEST_CASES)
def test_guest_screen_at_320_px_has_no_axe_violations(scene, name, language):
    page = GUEST_SCREENS[name](scene, **(SPANISH if language == "es" else {}))
    expect(page.locator("html")).to_have_attribute("lang", language)
    assert_no_violations(page)


def display_with(scene: Scene, state: str) -> Any:
    meeting = scene.meeting()
    if state == "scale-revealed":
        revealed_round(scene, meeting)
    if state == "involved":
        meeting = scene.meeting("family_team", "family")
        people_of(scene, meeting)
    if state == "step":
        run_ops(scene.seed, meeting.id, scene.lead, [("go_to_step", {"index": 4})])
    if state == "invite":
        scene.seed.invite_code(scene.lead, meeting.id)
    return scene.display(meeting)


DISPLAY_STATES = ["not-started", "step", "scale-revealed", "involved", "invite"]


@pytest.mark.parametrize("state", DISPLAY_STATES)
def test_display_has_no_axe_violations_and_aaa_contrast(scene: Scene, state: str) -> None:
    display = display_with(scene, state)
    assert_no_violations(display, also=["color-contrast-enhanced"])


# --- the scale without colour (1.4.1) -----------------------------------------------------


def test_the_scale_and_its_results_read_without_colour(scene: Scene) -> None:
    """Every number is written; the chosen one is underlined as well as filled; the
    revealed round names each rating and labels lowest, median and highest in words."""
    guest = join(scene, "board")
    meeting_id = int(guest.url.rsplit("/", 1)[1])
    [opened] = run_ops(scene.seed, meeting_id, scene.lead, [("open_scale_round", {})])
    guest.reload()
    wait_connected(guest)
    values = guest.locator("#scale .scale-value span")
    expect(values).to_have_text([str(value) for value in range(11)])
    guest.locator("#scale input[name=value][value='7']").check()
    chosen = [
        values.nth(value).evaluate("e => getComputedStyle(e).textDecorationLine")
        for value in (6, 7)
    ]
    assert chosen == ["none", "underline"]
    guest.get_by_role("button", name="Save my rating").click()
    expect(guest.locator("#scale")).to_contain_text("Your rating is saved")

    round_id = opened["scale_round"]["id"]
    run_ops(scene.seed, meeting_id, scene.lead, [
        ("rate", {"round_id": round_id, "value": 5, "reason": "Gran is there every day"}),
        ("reveal_scale_round", {"round_id": round_id}),
    ])  # fmt: skip
    guest.reload()
    wait_connected(guest)
    result = guest.locator("#scale .scale-result")
    expect(result.locator(".scale-ratings li")).to_have_text(
        ["Rose: 7", re.compile(r"^Sam Supervisor: 5 Gran is there every day$")]
    )
    labels = result.locator("svg text.scale-mark-label").all_text_contents()
    assert "median 6" in labels, labels
    expect(result.locator("figcaption")).to_have_text("Rated by 2: lowest 5, median 6, highest 7")
