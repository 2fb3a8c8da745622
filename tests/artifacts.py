"""Where tests leave files to look at (screenshots, exported PDFs): test-artifacts/, and
test-artifacts/postgresql/ for the PostgreSQL run, which may run beside the SQLite one."""

import os
from pathlib import Path

ON_POSTGRES = bool(os.environ.get("FACILITATOR_TEST_DATABASE_URL"))
ARTIFACTS = (
    Path(__file__).resolve().parents[1] / "test-artifacts" / ("postgresql" if ON_POSTGRES else "")
)
