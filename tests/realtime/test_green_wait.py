"""wsgi.py's psycopg2 wait callback: a greenthread stopped mid-wait stops with its own
reason, also while its connection is still being made (nothing to cancel yet)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]

# A server that takes the TCP connection and never answers: libpq waits for its reply.
SCRIPT = """
import sys
sys.argv = ["wsgi.py"]
import wsgi
import eventlet, psycopg2, psycopg2.extensions
from eventlet.patcher import original
silent = original("socket").socket()
silent.bind(("127.0.0.1", 0))
silent.listen(5)
psycopg2.extensions.set_wait_callback(wsgi.green_wait)
try:
    with eventlet.Timeout(0.5):
        psycopg2.connect(
            f"host=127.0.0.1 port={silent.getsockname()[1]} sslmode=disable user=x dbname=x"
        )
    print("CONNECTED")
except eventlet.Timeout:
    print("STOPPED BY ITS TIMEOUT")
except Exception as failure:
    print(f"FAILED: {type(failure).__name__}: {failure}")
"""


@pytest.mark.timeout(60)
def test_a_timeout_while_connecting_stops_the_greenthread_with_the_timeout(tmp_path):
    done = subprocess.run(
        [sys.executable, "-c", SCRIPT], cwd=ROOT, capture_output=True, text=True, timeout=50,
        env={"FACILITATOR_INSTANCE": str(tmp_path), "PATH": "/usr/bin:/bin"},
    )  # fmt: skip
    assert done.stdout.strip().splitlines()[-1:] == ["STOPPED BY ITS TIMEOUT"], (
        done.stdout + done.stderr
    )
