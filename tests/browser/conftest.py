"""Browser tests: a live eventlet server, Debian's Chromium, and watchers on every page.

Self-contained: nothing here needs the top-level conftest. The server is started
once per session (`wsgi.py` as a subprocess, the way `make run` starts it) on a
free loopback port. Its database is a SQLite file in a temporary folder or, when
FACILITATOR_TEST_DATABASE_URL is set, a private schema in that PostgreSQL
database, made for this session and dropped after it. Each test makes its own
team, people, case and meeting through the app's services, so tests never see
each other's data.

Every page opened through the `browser` fixture is watched: console errors,
uncaught page errors, failed requests, HTTP answers >= 400 and unexpected
dialogs fail the test unless the test declared them as expected. Errors or
tracebacks in the server's log during a test fail it too.

Without Chromium (browser_support.CHROMIUM) the tests skip; under CI=true they fail instead.
"""

from __future__ import annotations

import os
import re
import secrets
import subprocess
import sys
from collections.abc import Iterator
from typing import Any

import pytest
from browser_support import (
    CHROMIUM,
    CHROMIUM_ARGS,
    ROOT,
    TIMEOUT_MS,
    Browser,
    LiveServer,
    Seeder,
    database,
    free_port,
    stop,
    unavailable,
    wait_until_answering,
)
from builders import TEST_ARGON2_ENVIRONMENT


@pytest.fixture(scope="session")
def live_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    """wsgi.py on eventlet, on a free loopback port, with its own instance folder."""
    folder = tmp_path_factory.mktemp("browser-instance")
    with database(folder) as db:
        port = free_port()
        settings = {
            "FACILITATOR_INSTANCE": str(folder),
            "FACILITATOR_PORT": str(port),
            "FACILITATOR_HOST": "127.0.0.1",
            "FACILITATOR_ASYNC_MODE": "eventlet",
            "FACILITATOR_DATABASE_URL": db.url,
            "FACILITATOR_SECRET_KEY": secrets.token_hex(32),
            # the suite signs supervisors in with a password alone; test_browser_mfa enrols
            "FACILITATOR_MFA_REQUIRED_ROLES": "",
            **TEST_ARGON2_ENVIRONMENT,
        }
        seed = Seeder(settings)
        seed.create_tables()
        environment = {k: v for k, v in os.environ.items() if not k.startswith("FACILITATOR_")}
        environment.update(settings)
        environment["PYTHONUNBUFFERED"] = "1"
        log_path = folder / "server.log"
        with log_path.open("wb") as log:
            process = subprocess.Popen(
                [sys.executable, str(ROOT / "wsgi.py")],
                cwd=ROOT,
                env=environment,
                stdout=log,
                stderr=subprocess.STDOUT,
            )
        url = f"http://127.0.0.1:{port}"
        try:
            wait_until_answering(url, process, log_path)
            yield LiveServer(url, process, log_path, seed)
        finally:
            stop(process)
            seed.dispose()


@pytest.fixture
def server(live_server: LiveServer) -> Iterator[LiveServer]:
    """The live server; fails the test if the server logged an error meanwhile."""
    offset = live_server.log_size()
    yield live_server
    logged = live_server.log_since(offset)
    if live_server.process.poll() is not None:
        pytest.fail(f"The server died during the test:\n{logged}", pytrace=False)
    if re.search(r"Traceback|\bERROR\b|\bCRITICAL\b", logged):
        pytest.fail(f"The server logged errors during the test:\n{logged}", pytrace=False)


@pytest.fixture
def seed(server: LiveServer) -> Seeder:
    """Makes this test's rows through the app's services."""
    return server.seed


@pytest.fixture(scope="session")
def chromium() -> Iterator[Any]:
    """Debian's Chromium, headless, kept off the internet."""
    if not CHROMIUM.exists():
        unavailable(f"Chromium is not installed at {CHROMIUM}")
    from playwright.sync_api import expect, sync_playwright

    # An assertion waits up to 10 s (Playwright's default is 5): make test runs these tests
    # beside the other stages, and a busy machine must not fail a page that is only slow.
    expect.set_options(timeout=TIMEOUT_MS)
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield launched
        launched.close()


@pytest.fixture
def browser(chromium: Any, server: LiveServer, request: pytest.FixtureRequest) -> Iterator[Browser]:
    """Watched Chromium contexts for one test; fails it on console errors and the like."""
    opened = Browser(chromium, server, request.node.name)
    try:
        yield opened
    finally:
        opened.close()
    problems = opened.problems()
    if problems:
        pytest.fail("The pages reported problems:\n  " + "\n  ".join(problems), pytrace=False)
