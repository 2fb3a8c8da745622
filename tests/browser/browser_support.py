"""The browser suite's machinery: seeding, the live server, watched Chromium pages, user steps.

Used by conftest.py (fixtures) and the test modules. Nothing here needs the
top-level tests/conftest.py.
"""

from __future__ import annotations

import contextlib
import itertools
import os
import re
import secrets
import shutil
import socket
import subprocess
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import quote

import pytest
from artifacts import ARTIFACTS
from playwright.sync_api import expect

ROOT = Path(__file__).resolve().parents[2]
# Debian's headless shell (`apt-get install chromium-headless-shell`) when it is there: the
# same Blink without the full browser around it, and Playwright's own choice for headless
# runs. The same five tests cost 37 CPU seconds with it and 70 with the full browser.
# TEST_CHROMIUM=/usr/bin/chromium runs them in the full browser.
HEADLESS_SHELL = Path("/usr/bin/chromium-headless-shell")
CHROMIUM = Path(
    os.environ.get("TEST_CHROMIUM")
    or (HEADLESS_SHELL if HEADLESS_SHELL.exists() else "/usr/bin/chromium")
)
CHROMIUM_ARGS = [
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
TEST_DATABASE_ENV = "FACILITATOR_TEST_DATABASE_URL"
PASSWORD = "correct horse battery staple for browser tests"  # >= 15 characters
TIMEOUT_MS = 10_000
SERVER_START_SECONDS = 60  # as tests/live_server.py: parallel workers start their servers at once

_numbers = itertools.count(1)


def unavailable(reason: str) -> None:
    """Skip on a developer's machine; under CI=true a missing part is a failure."""
    if os.environ.get("CI") == "true":
        pytest.fail(f"{reason} (CI=true: browser tests may not be skipped)", pytrace=False)
    pytest.skip(reason)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


# --- the database --------------------------------------------------------------------


@dataclass(frozen=True)
class Database:
    url: str  # what the server and the seeding app connect to
    drop: Callable[[], None]


def with_search_path(url: str, schema: str) -> str:
    separator = "&" if "?" in url else "?"
    return f"{url}{separator}options={quote(f'-csearch_path={schema}', safe='')}"


@contextlib.contextmanager
def database(folder: Path) -> Iterator[Database]:
    base = os.environ.get(TEST_DATABASE_ENV)
    if not base:
        yield Database(f"sqlite:///{folder / 'facilitator.sqlite3'}", lambda: None)
        return
    from sqlalchemy import create_engine, text
    from sqlalchemy.exc import OperationalError

    admin = create_engine(base, isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as connection:
            connection.execute(text("SELECT 1"))
    except OperationalError as error:
        admin.dispose()
        unavailable(f"PostgreSQL at {TEST_DATABASE_ENV} is unreachable: {error.orig}")
    schema = f"facilitator_browser_{os.getpid()}_{secrets.token_hex(4)}"
    with admin.connect() as connection:
        connection.execute(text(f'CREATE SCHEMA "{schema}"'))

    def drop() -> None:
        with admin.connect() as connection:
            connection.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()

    try:
        yield Database(with_search_path(base, schema), drop)
    finally:
        drop()


# --- seeding through the app's services ------------------------------------------------


@dataclass(frozen=True)
class Staff:
    id: int
    email: str
    name: str
    role: str
    password: str = PASSWORD


@dataclass(frozen=True)
class Meeting:
    id: int
    case_id: int
    case_label: str
    facilitator: Staff
    facilitator_participant_id: int


class Seeder:
    """Makes rows through facilitator.services, in an app built like the server's."""

    def __init__(self, settings: dict[str, str]) -> None:
        from facilitator import create_app
        from facilitator.extensions import db

        with pytest.MonkeyPatch.context() as patch:
            for name in list(os.environ):
                if name.startswith("FACILITATOR_"):
                    patch.delenv(name)
            for name, value in settings.items():
                patch.setenv(name, value)
            # threading in this process: eventlet belongs to the server alone
            patch.setenv("FACILITATOR_ASYNC_MODE", "threading")
            self.app = create_app({"SERVER_ID": "browser-test-seeder"})
        self.db = db

    @contextlib.contextmanager
    def context(self) -> Iterator[None]:
        with self.app.app_context():
            try:
                yield
            finally:
                self.db.session.remove()

    def create_tables(self) -> None:
        from builders import reveal_threshold_row

        with self.context():
            self.db.create_all()
            with self.db.engine.begin() as connection:
                reveal_threshold_row(connection)

    def dispose(self) -> None:
        with self.app.app_context():
            for engine in self.db.engines.values():
                engine.dispose()

    def team(self, name: str | None = None) -> int:
        from facilitator.services import accounts

        with self.context():
            return accounts.create_team(name or f"Team {unique()}").id

    def staff(self, role: str, team_id: int, name: str | None = None) -> Staff:
        from facilitator.extensions import db
        from facilitator.models import Team
        from facilitator.services import accounts

        number = unique()
        name = name or f"{role.title()} {number}"
        email = f"{role}-{number}@example.org"
        with self.context():
            user = accounts.create_user(email, name, PASSWORD, role)
            team = db.session.get(Team, team_id)
            assert team is not None
            accounts.add_member(team, user)
            return Staff(user.id, email, name, role)

    def case(self, creator: Staff, team_id: int, label: str = "J.M. (6)") -> int:
        from facilitator.extensions import db
        from facilitator.models import Team
        from facilitator.services import cases

        with self.context():
            team = db.session.get(Team, team_id)
            return cases.create_case(self._actor(creator), team, label).id

    def meeting(
        self,
        facilitator: Staff,
        case_id: int,
        kind: str = "group_supervision",
        framework: str = "cisf",
    ) -> Meeting:
        from facilitator.extensions import db
        from facilitator.models import Case
        from facilitator.services import meetings

        with self.context():
            case = db.session.get(Case, case_id)
            assert case is not None
            meeting = meetings.start_meeting(self._actor(facilitator), case, kind, framework)
            return Meeting(meeting.id, case.id, case.label, facilitator, meeting.participants[0].id)

    def invite_code(self, creator: Staff, meeting_id: int, *, waiting_room: bool = False) -> str:
        """A code for the meeting; its guests go straight to the board unless waiting_room."""
        from facilitator.extensions import db
        from facilitator.models import Meeting as MeetingRow
        from facilitator.services import meetings

        with self.context():
            meeting = db.session.get(MeetingRow, meeting_id)
            invite, _token = meetings.create_invite(
                self._actor(creator), meeting, waiting_room=waiting_room
            )
            return invite.code

    def add_items(self, meeting: Meeting, items: list[tuple[str, str]]) -> list[int]:
        """Add (section, text) items as the meeting's facilitator; return their ids."""
        from facilitator.extensions import db
        from facilitator.identity import staff_actor
        from facilitator.models import User
        from facilitator.services import board

        ids = []
        with self.context():
            user = db.session.get(User, meeting.facilitator.id)
            actor = staff_actor(
                user,
                participant_id=meeting.facilitator_participant_id,
                meeting_id=meeting.id,
                meeting_role="facilitator",
            )
            for section, text in items:
                result = board.apply_operation(
                    actor,
                    {
                        "op_id": f"browser-seed-{unique():06d}-{secrets.token_hex(4)}",
                        "meeting_id": meeting.id,
                        "type": "add_item",
                        "payload": {"section": section, "text": text, "view": "agency"},
                    },
                )
                ids.append(result.event["item"]["id"])
        return ids

    def live_items(self, meeting_id: int) -> list[dict[str, Any]]:
        """The meeting's items as the database holds them (not deleted), by section order."""
        from sqlalchemy import select

        from facilitator.models import Item

        with self.context():
            rows = self.db.session.scalars(
                select(Item)
                .where(Item.meeting_id == meeting_id, Item.deleted.is_(False))
                .order_by(Item.section, Item.position, Item.id)
            )
            return [
                {"id": i.id, "section": i.section, "text": i.text, "version": i.version}
                for i in rows
            ]

    def meeting_rev(self, meeting_id: int) -> int:
        """The meeting's revision as committed: one more for every change accepted."""
        from facilitator.models import Meeting as MeetingRow

        with self.context():
            return int(self.db.session.get(MeetingRow, meeting_id).rev)

    def _actor(self, staff: Staff) -> Any:
        from facilitator.extensions import db
        from facilitator.identity import staff_actor
        from facilitator.models import User

        user = db.session.get(User, staff.id)
        assert user is not None
        return staff_actor(user)


def run_ops(seed: Any, meeting_id: int, staff: Any, ops: list[tuple[str, dict[str, Any]]]) -> list:
    """Apply operations as the staff member (the meeting's facilitator); return the events."""
    from facilitator.extensions import db
    from facilitator.identity import staff_actor
    from facilitator.models import Meeting, User
    from facilitator.services import board, meetings

    events = []
    with seed.context():
        meeting = db.session.get(Meeting, meeting_id)
        participant = meetings.staff_participant(meeting, db.session.get(User, staff.id))
        db.session.commit()
        actor = staff_actor(
            db.session.get(User, staff.id), participant_id=participant.id,
            meeting_id=meeting_id, meeting_role=participant.role,
        )  # fmt: skip
        for kind, payload in ops:
            if callable(payload):
                payload = payload(events)
            raw = {
                "op_id": f"browser-seed-{unique():06d}-{secrets.token_hex(4)}",
                "meeting_id": meeting_id, "type": kind, "payload": payload,
            }  # fmt: skip
            events.append(board.apply_operation(actor, raw).event)
    return events


def unique() -> int:
    return next(_numbers) + 1000 * (os.getpid() % 1000)


# --- the live server -----------------------------------------------------------------


@dataclass
class LiveServer:
    url: str
    process: subprocess.Popen[bytes]
    log_path: Path
    seed: Seeder

    def log_since(self, offset: int) -> str:
        with self.log_path.open("rb") as log:
            log.seek(offset)
            return log.read().decode("utf-8", "replace")

    def log_size(self) -> int:
        return self.log_path.stat().st_size


def wait_until_answering(url: str, process: subprocess.Popen[bytes], log: Path) -> None:
    deadline = time.monotonic() + SERVER_START_SECONDS
    while time.monotonic() < deadline:
        if process.poll() is not None:
            pytest.fail(f"The server exited with {process.returncode}:\n{log.read_text()}")
        try:
            with urllib.request.urlopen(f"{url}/login", timeout=2) as answer:
                if answer.status == 200:
                    return
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            time.sleep(0.1)
    pytest.fail(f"The server did not answer within {SERVER_START_SECONDS} s:\n{log.read_text()}")


def stop(process: subprocess.Popen[bytes]) -> None:
    if process.poll() is None:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=10)


# --- Chromium ------------------------------------------------------------------------


@dataclass
class Watched:
    """What one page did that a user would call broken."""

    label: str
    problems: list[str] = field(default_factory=list)
    dialogs: list[str] = field(default_factory=list)
    expected: list[re.Pattern[str]] = field(default_factory=list)
    accept_confirms: bool = False

    def unexpected(self) -> list[str]:
        return [p for p in self.problems if not any(e.search(p) for e in self.expected)]


PHONE = {
    "viewport": {"width": 390, "height": 844},
    "device_scale_factor": 2,
    "is_mobile": True,
    "has_touch": True,
}
DESKTOP = {"viewport": {"width": 1366, "height": 900}}
DISPLAY_FULL_HD = {"viewport": {"width": 1920, "height": 1080}}


class Browser:
    """Opens watched contexts and pages against the live server; checks them at the end."""

    def __init__(self, chromium: Any, server: LiveServer, test_name: str) -> None:
        self.chromium = chromium
        self.server = server
        name = test_name.removeprefix("test_")
        self.test_name = re.sub(r"[^A-Za-z0-9_-]+", "-", name).strip("-")
        self.shot_folders: set[Path] = set()
        self.contexts: list[Any] = []
        self.watched: dict[Any, Watched] = {}

    # contexts and pages

    def context(self, label: str, **options: Any) -> Any:
        settings = {**DESKTOP, **options}
        context = self.chromium.new_context(base_url=self.server.url, **settings)
        context.set_default_timeout(TIMEOUT_MS)
        context.set_default_navigation_timeout(TIMEOUT_MS)
        self.contexts.append(context)
        return context

    def page(self, label: str, context: Any | None = None, **options: Any) -> Any:
        context = context or self.context(label, **options)
        page = context.new_page()
        self.watch(page, label)
        return page

    def watch(self, page: Any, label: str) -> Watched:
        watched = Watched(label)
        self.watched[page] = watched

        def on_console(message: Any) -> None:
            if message.type == "error":
                location = message.location.get("url", "")
                watched.problems.append(f"console error: {message.text} ({location})")

        def on_response(response: Any) -> None:
            if response.status >= 400:
                watched.problems.append(f"HTTP {response.status}: {response.url}")

        def on_request_failed(request: Any) -> None:
            # ERR_ABORTED: the page navigated away first (e.g. the tab icon of a page left
            # at once after signing in); not a failure a user could see
            if request.failure != "net::ERR_ABORTED":
                watched.problems.append(f"request failed: {request.url} ({request.failure})")

        def on_dialog(dialog: Any) -> None:
            watched.dialogs.append(f"{dialog.type}: {dialog.message}")
            if watched.accept_confirms and dialog.type == "confirm":
                dialog.accept()
            else:
                watched.problems.append(f"unexpected {dialog.type} dialog: {dialog.message}")
                dialog.dismiss()

        page.on("console", on_console)
        page.on("pageerror", lambda error: watched.problems.append(f"page error: {error}"))
        page.on("response", on_response)
        page.on("requestfailed", on_request_failed)
        page.on("dialog", on_dialog)
        return watched

    def expect_problem(self, page: Any, pattern: str) -> None:
        """Declare a console message / HTTP answer this page is meant to produce."""
        self.watched[page].expected.append(re.compile(pattern))

    def expect_error_pages(self, page: Any) -> None:
        """This page will show the server's bare error pages (no base template, so no
        <link rel="icon">): Chromium then asks for /favicon.ico, which is a 404 too."""
        self.expect_problem(page, r"^HTTP 404: http://[^/]+/favicon\.ico$")
        self.expect_problem(page, r"404.*\(http://[^/]+/favicon\.ico\)$")

    def accept_confirms(self, page: Any) -> list[str]:
        """Accept confirm() dialogs on this page; returns the list their texts go to."""
        self.watched[page].accept_confirms = True
        return self.watched[page].dialogs

    def leaving_warns(self, page: Any) -> bool:
        """Close the page as a user closing the tab would: whether it asked them to stay
        (a beforeunload dialog, which is dismissed: the page stays). Without one, it is gone."""
        from playwright.sync_api import Error

        self.expect_problem(page, r"^unexpected beforeunload dialog")
        try:
            with page.expect_event("dialog", timeout=TIMEOUT_MS) as asked:
                page.close(run_before_unload=True)
        except Error:
            return False  # closed without asking
        return bool(asked.value.type == "beforeunload")

    def screenshot(self, page: Any, view: str, *, full_page: bool = False) -> Path:
        """Save test-artifacts/<test>/<view>.png (the folder is emptied when a test starts)."""
        folder = ARTIFACTS / self.test_name
        if folder not in self.shot_folders:
            shutil.rmtree(folder, ignore_errors=True)
            folder.mkdir(parents=True)
            self.shot_folders.add(folder)
        path = folder / f"{view}.png"
        page.screenshot(path=str(path), full_page=full_page, animations="disabled")
        return path

    # checks

    def problems(self) -> list[str]:
        found = []
        for watched in self.watched.values():
            found += [f"[{watched.label}] {p}" for p in watched.unexpected()]
        return found

    def close(self) -> None:
        for context in self.contexts:
            with contextlib.suppress(Exception):
                context.close()


# --- user actions shared by the tests ----------------------------------------------------


def sign_in(page: Any, staff: Staff) -> None:
    """Sign in through the real form; lands on the case list."""
    page.goto("/login")
    page.get_by_label("Email").fill(staff.email)
    page.get_by_label("Password").fill(staff.password)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url("**/cases")


def wait_connected(page: Any) -> None:
    """Wait until the page's socket has synced and nothing is waiting to be saved."""
    expect(page.locator("#status")).to_have_class(re.compile(r"\bstatus-connected\b"))


def open_board(page: Any, meeting_id: int) -> None:
    page.goto(f"/meetings/{meeting_id}")
    wait_connected(page)


def open_display(page: Any, meeting_id: int) -> None:
    page.goto(f"/meetings/{meeting_id}/display")
    wait_connected(page)


def _enter_code_and_name(page: Any, code: str, name: str, relation: str = "parent") -> None:
    page.goto("/join")
    page.get_by_label("Meeting code").fill(code)
    page.get_by_role("button", name="Continue").click()
    page.wait_for_url("**/join/name")
    page.get_by_label("Your name").fill(name)
    page.locator(f'input[name="relation"][value="{relation}"]').check()
    page.get_by_role("button", name="Join the meeting").click()


def join_as_guest(page: Any, code: str, name: str, relation: str = "parent") -> None:
    """A guest's way in: the code, a name and who they are; lands on the board."""
    _enter_code_and_name(page, code, name, relation)
    page.wait_for_url(re.compile(r"/meetings/\d+$"))
    wait_connected(page)


def join_waiting_room(page: Any, code: str, name: str) -> None:
    """The same way in, to a meeting whose guests wait to be let in: lands in its waiting room."""
    _enter_code_and_name(page, code, name)
    page.wait_for_url("**/join/wait")


def add_form(page: Any, section: str) -> Any:
    """A section's box, opened with its "+ Add" button when it is closed (one at a time)."""
    form = page.locator(f'form.add-form[data-section="{section}"]')
    opener = page.locator(f'section[data-section="{section}"] [data-action="open-composer"]')
    if form.is_hidden() and opener.is_visible():
        opener.click()
        expect(form).to_be_visible()
    return form


def add_item(page: Any, section: str, text: str) -> None:
    """Type into a section's box and press its Add button; waits until the server has it
    (the card shows at once, marked as not saved yet, until the server has confirmed it)."""
    form = add_form(page, section)
    form.locator("textarea").fill(text)
    form.get_by_role("button", name="Add", exact=True).click()
    expect(card(page, text, section)).to_have_count(1)
    expect(form.locator("textarea")).to_have_value("")
    expect(card(page, text, section)).not_to_have_class(re.compile(r"\bis-pending\b"))


def texts(page: Any, section: str) -> Any:
    """The item texts of one section, in order, as a locator."""
    board = f'ul.items[data-section="{section}"] > li.item .item-text'
    return page.locator(f'{board}, #stage .block[data-section="{section}"] .card-text')


def card(page: Any, text: str, section: str | None = None) -> Any:
    """The card(s) whose text is exactly this, optionally within one section, on a board
    or on the room's display."""
    scope = f'ul.items[data-section="{section}"] > ' if section else ""
    shown = f'#stage .block[data-section="{section}"] ' if section else "#stage "
    return page.locator(f"{scope}li.item, {shown}li.card").filter(
        has=page.locator(".item-text, .card-text", has_text=re.compile(f"^{re.escape(text)}$"))
    )


def is_focused(locator: Any) -> bool:
    return bool(locator.evaluate("element => element === document.activeElement"))


def focused(page: Any) -> str:
    """A short description of the focused element, for assertion messages."""
    return str(
        page.evaluate(
            """() => { const e = document.activeElement;
            return e ? e.outerHTML.slice(0, 120) : 'nothing'; }"""
        )
    )


def tab_until(page: Any, locator: Any, *, backwards: bool = False, limit: int = 80) -> int:
    """Press Tab (or Shift+Tab) until the locator has focus; return how many presses."""
    for presses in range(1, limit + 1):
        page.keyboard.press("Shift+Tab" if backwards else "Tab")
        if is_focused(locator):
            return presses
    raise AssertionError(f"Tab never reached {locator}; focus is on {focused(page)}")


def arrow_until(page: Any, locator: Any, key: str = "ArrowRight", limit: int = 12) -> None:
    """Press an arrow key (roving focus: a card's buttons, the sections' "+ Add") until the
    locator has focus."""
    for _ in range(limit):
        if is_focused(locator):
            return
        page.keyboard.press(key)
    if not is_focused(locator):
        raise AssertionError(f"{key} never reached {locator}; focus is on {focused(page)}")


def edit_card(page: Any, text: str, section: str, new_text: str) -> None:
    """Open a card's editor with the mouse, write new words, Enter saves."""
    card(page, text, section).hover()
    card(page, text, section).get_by_role("button", name="Edit").click()
    editor = card(page, text, section).get_by_label("Edit item")
    editor.fill(new_text)
    editor.press("Enter")


def page_scrolls_sideways(page: Any) -> bool:
    return bool(
        page.evaluate("document.documentElement.scrollWidth > document.documentElement.clientWidth")
    )


_CONTRAST_JS = """
(selector) => {
  const parse = (value) => {
    const m = value.match(/rgba?\\(([^)]+)\\)/);
    if (!m) return null;
    const p = m[1].split(/[\\s,\\/]+/).filter(Boolean).map(Number);
    return { r: p[0], g: p[1], b: p[2], a: p.length > 3 ? p[3] : 1 };
  };
  const over = (top, below) => ({
    r: top.r * top.a + below.r * (1 - top.a),
    g: top.g * top.a + below.g * (1 - top.a),
    b: top.b * top.a + below.b * (1 - top.a),
    a: 1,
  });
  const background = (element) => {
    const layers = [];
    for (let e = element; e; e = e.parentElement) {
      const colour = parse(getComputedStyle(e).backgroundColor);
      if (colour && colour.a > 0) { layers.push(colour); if (colour.a >= 1) break; }
    }
    let result = { r: 255, g: 255, b: 255, a: 1 };
    while (layers.length) result = over(layers.pop(), result);
    return result;
  };
  const luminance = ({ r, g, b }) => {
    const f = (v) => { v /= 255; return v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4; };
    return 0.2126 * f(r) + 0.7152 * f(g) + 0.0722 * f(b);
  };
  const failures = [];
  for (const element of document.querySelectorAll(selector)) {
    const text = element.textContent.trim();
    const box = element.getBoundingClientRect();
    if (!text || !box.width || !box.height || element.closest(':disabled, [hidden]')) continue;
    const style = getComputedStyle(element);
    if (style.visibility !== 'visible') continue;
    const back = background(element);
    const fore = over(parse(style.color), back);
    const [light, dark] = [luminance(fore), luminance(back)].sort((a, b) => b - a);
    const ratio = (light + 0.05) / (dark + 0.05);
    const size = parseFloat(style.fontSize);
    const large = size >= 24 || (size >= 18.66 && Number(style.fontWeight) >= 700);
    if (ratio < (large ? 3 : 4.5)) {
      const where = `${element.tagName.toLowerCase()}.${element.className}`;
      const behind = [back.r, back.g, back.b].map(Math.round).join(', ');
      const sample = text.slice(0, 40);
      failures.push(`${ratio.toFixed(2)}:1 ${style.color} on rgb(${behind}) ${where}: ${sample}`);
    }
  }
  return [...new Set(failures)];
}
"""


def contrast_failures(page: Any, selector: str) -> list[str]:
    """Visible text under the selector below WCAG AA contrast (4.5:1, 3:1 for large text)."""
    return list(page.evaluate(_CONTRAST_JS, selector))
