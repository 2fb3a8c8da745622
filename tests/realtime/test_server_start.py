"""Starting wsgi.py: a busy port refuses the second server with one clear line."""

from __future__ import annotations

import secrets
import subprocess

import pytest
import requests
from live_server import Server, base_settings, migrate, running, scratch_database

pytestmark = pytest.mark.filterwarnings("ignore::ResourceWarning")


@pytest.mark.timeout(120)
def test_a_second_server_on_a_busy_port_exits_with_one_clear_line(tmp_path):
    with scratch_database(tmp_path, postgres=False) as database:
        migrate(database, tmp_path)
        settings = base_settings(database, tmp_path, secrets.token_hex(32))
        first = Server(settings, tmp_path / "first.log")
        with running(first):
            second = Server(settings, tmp_path / "second.log", port=first.port).start()
            assert second.process is not None
            try:
                status = second.process.wait(timeout=60)
            except subprocess.TimeoutExpired:
                second.kill()
                pytest.fail(f"a second server started on a busy port:\n{second.log()}")
            output = second.log()
            assert status == 4, output
            assert "Traceback" not in output, output
            (line,) = [text for text in output.splitlines() if "cannot start" in text]
            assert f"127.0.0.1:{first.port} is already in use" in line
            # the first one serves on, alone
            assert requests.get(f"{first.url}/readyz", timeout=10).status_code == 200


@pytest.mark.timeout(120)
def test_a_restarted_server_takes_its_port_again_at_once(tmp_path):
    with scratch_database(tmp_path, postgres=False) as database:
        migrate(database, tmp_path)
        settings = base_settings(database, tmp_path, secrets.token_hex(32))
        server = Server(settings, tmp_path / "server.log")
        with running(server):
            requests.get(f"{server.url}/readyz", timeout=10)  # a connection, now in TIME_WAIT
        with running(server):  # same port, right after the kill
            assert requests.get(f"{server.url}/readyz", timeout=10).status_code == 200
