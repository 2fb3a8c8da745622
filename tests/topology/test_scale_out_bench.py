"""The scale-out benchmark's smoke run (bench/load.py --scale-out): PostgreSQL and Redis, so
it runs with the topology tests (`make test-topology`)."""

from __future__ import annotations

import os
import re
import subprocess
import sys

import pytest
from live_server import PG_DEFAULT, ROOT, redis_url

pytestmark = pytest.mark.topology


@pytest.mark.timeout(240)
def test_scale_out_bench_smoke_run_loses_nothing():
    """bench/load.py --scale-out, tiny: one PostgreSQL worker, then two sharing Redis."""
    redis_url()  # the bench needs it too
    argv = [
        sys.executable, str(ROOT / "bench" / "load.py"), "--scale-out", "--meetings", "2",
        "--clients-per-meeting", "4", "--duration", "4", "--drain", "10",
        "--postgres", os.environ.get("FACILITATOR_TEST_DATABASE_URL", PG_DEFAULT),
    ]  # fmt: skip
    done = subprocess.run(argv, cwd=ROOT, capture_output=True, text=True, timeout=230)
    output = done.stdout + done.stderr
    assert done.returncode == 0, output
    for target in ("pg-1", "pg-2+redis"):
        assert re.search(rf"^{re.escape(target)}: lost 0, duplicated 0$", done.stdout, re.M), output
    assert "RESULT: PASS" in done.stdout, output
