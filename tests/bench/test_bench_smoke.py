"""A bounded run of bench/load.py: the load test itself works, and nothing is lost.

Two meetings of three clients for five seconds against the real app and the bare relay;
and the app alone with --export-items (a small meeting exported as PDF and DOCX meanwhile).
Only correctness is asserted (exit 0, nothing lost or duplicated, the event log matches);
timings on a shared CI machine mean nothing, so none are checked.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
LOAD = ROOT / "bench" / "load.py"


@pytest.mark.timeout(180)
@pytest.mark.skipif(
    bool(os.environ.get("FACILITATOR_TEST_DATABASE_URL")),
    reason="the benchmark runs on embedded SQLite; the SQLite run covers it",
)
def test_bench_smoke_run_loses_nothing() -> None:
    argv = [
        sys.executable,
        str(LOAD),
        "--meetings",
        "2",
        "--clients-per-meeting",
        "3",
        "--duration",
        "5",
        "--drain",
        "10",
    ]
    done = subprocess.run(argv, cwd=ROOT, capture_output=True, text=True, timeout=170)
    output = done.stdout + done.stderr
    assert done.returncode == 0, output
    for target in ("app", "relay"):
        assert re.search(rf"^{target}: lost 0, duplicated 0$", done.stdout, re.MULTILINE), output
    assert re.search(
        r"^app event log: (\d+) rows for \1 acked ops, 0 duplicate op_ids",
        done.stdout,
        re.MULTILINE,
    ), output
    assert "joined through the pages" in done.stdout, output
    assert "RESULT: PASS" in done.stdout, output


@pytest.mark.timeout(180)
@pytest.mark.skipif(
    bool(os.environ.get("FACILITATOR_TEST_DATABASE_URL")),
    reason="the benchmark runs on embedded SQLite; the SQLite run covers it",
)
def test_bench_smoke_run_with_exports_loses_nothing() -> None:
    argv = [
        sys.executable,
        str(LOAD),
        "--only",
        "app",
        "--meetings",
        "2",
        "--clients-per-meeting",
        "3",
        "--duration",
        "5",
        "--drain",
        "10",
        "--export-items",
        "20",
        "--export-every",
        "1",
    ]
    done = subprocess.run(argv, cwd=ROOT, capture_output=True, text=True, timeout=170)
    output = done.stdout + done.stderr
    assert done.returncode == 0, output
    assert re.search(r"^app: lost 0, duplicated 0$", done.stdout, re.MULTILINE), output
    exports = re.search(r"^app exports: (\d+) \((\d+) pdf, (\d+) docx\), failed 0$",
                        done.stdout, re.MULTILINE)  # fmt: skip
    assert exports is not None, output
    assert int(exports.group(2)) >= 1 and int(exports.group(3)) >= 1, output
    assert re.search(
        r"^app event log: (\d+) rows for \1 acked ops, 0 duplicate op_ids",
        done.stdout,
        re.MULTILINE,
    ), output
    assert "RESULT: PASS" in done.stdout, output


@pytest.mark.timeout(180)
@pytest.mark.skipif(
    bool(os.environ.get("FACILITATOR_TEST_DATABASE_URL")),
    reason="the benchmark runs on embedded SQLite; the SQLite run covers it",
)
def test_storm_smoke_run_resyncs_everyone_and_loses_nothing() -> None:
    argv = [
        sys.executable, str(ROOT / "bench" / "storm.py"), "--meetings", "2",
        "--clients-per-meeting", "3", "--interval", "0.5", "--steady", "2", "--after", "1",
    ]  # fmt: skip
    done = subprocess.run(argv, cwd=ROOT, capture_output=True, text=True, timeout=170)
    output = done.stdout + done.stderr
    assert done.returncode == 0, output
    assert '"resynced": 6' in done.stdout, output
    assert re.search(r'"duplicate_op_ids": 0', done.stdout), output
    assert "RESULT: PASS" in done.stdout, output
