"""`make test`: run each stage of the suite, then print its wall time and test counts.

Stages are the Makefile's own targets (`make lint`, `make test-sqlite` ...), so one stage
runs alone the same way. Cheap stages first, one after the other; then two lanes side by
side with --together: the browser tests (on PostgreSQL) in one, and the SQLite run, the
PostgreSQL run without the browser tests and the topology stage one after the other in
the other (each stage spreads over JOBS workers). The browser tests spend about half their
time waiting on pages and servers; the other lane uses that time. Without --together every
stage runs after the other. A failing cheap stage stops the run; the others all run, and
the exit status is 1 when any failed.
"""

from __future__ import annotations

import argparse
import os
import re
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
CHEAP = ("lint", "typecheck", "js")
STAGES = (*CHEAP, "sqlite", "postgres", "browsers", "topology")
TARGETS = {"lint": "lint", "typecheck": "typecheck", "postgres": "test-postgres-core"}
BROWSER_LANE = ("browsers",)  # with --together, beside everything after the cheap stages
PYTEST_SUMMARY = re.compile(r"^=+ (.*\d+ (?:passed|failed|error).*) in [\d.]+s", re.MULTILINE)
NODE_SUMMARY = re.compile(r"^# (pass|fail|skipped) (\d+)$", re.MULTILINE)


@dataclass
class Stage:
    name: str
    target: str
    seconds: float = 0.0
    cpu: float = 0.0  # user + system seconds of the stage and everything it waited for
    code: int | None = None
    counts: str = ""

    def ended(self, process: subprocess.Popen[Any], started: float) -> None:
        """Reap the stage's process: its exit code, wall time and CPU time."""
        _, status, usage = os.wait4(process.pid, 0)
        process.returncode = self.code = os.waitstatus_to_exitcode(status)
        self.seconds = time.monotonic() - started
        self.cpu = usage.ru_utime + usage.ru_stime


def _counts(output: str) -> str:
    """'1575 passed, 2 skipped' from pytest's summary, or node's pass / fail counts."""
    found = PYTEST_SUMMARY.findall(output)
    if found:
        return re.sub(r"\x1b\[[0-9;]*m", "", found[-1])
    node = dict(NODE_SUMMARY.findall(output))
    return ", ".join(f"{n} {word}" for word, n in node.items() if n != "0" or word == "pass")


def _command(stage: Stage, make_args: list[str]) -> list[str]:
    return ["make", "--no-print-directory", stage.target, *make_args]


def run_in_front(stage: Stage, make_args: list[str]) -> None:
    """Run one stage with its output on the terminal (and kept for its counts)."""
    print(f"\n=== {stage.name}: make {stage.target}", flush=True)
    started = time.monotonic()
    process = subprocess.Popen(
        _command(stage, make_args), cwd=ROOT, stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT, text=True, bufsize=1,
    )  # fmt: skip
    kept: list[str] = []
    assert process.stdout is not None
    for line in process.stdout:
        sys.stdout.write(line)
        kept.append(line)
    stage.ended(process, started)
    stage.counts = _counts("".join(kept))


def run_lanes(lanes: list[list[Stage]], make_args: list[str]) -> None:
    """Run the lanes at once, the stages of each one after the other, each into its own
    log; print each stage's log when it ends."""
    names = " | ".join(" then ".join(s.name for s in lane) for lane in lanes)
    print(f"\n=== side by side: {names}", flush=True)
    printing = threading.Lock()

    def run_lane(lane: list[Stage], folder: str) -> None:
        for stage in lane:
            with (Path(folder) / f"{stage.name}.log").open("w+") as log:
                started = time.monotonic()
                process = subprocess.Popen(
                    _command(stage, make_args), cwd=ROOT, stdout=log, stderr=subprocess.STDOUT
                )
                stage.ended(process, started)
                log.seek(0)
                output = log.read()
            stage.counts = _counts(output)
            with printing:
                print(f"\n=== {stage.name} (make {stage.target}) output:\n{output}", flush=True)

    with tempfile.TemporaryDirectory(prefix="facilitator-stages-") as folder:
        threads = [threading.Thread(target=run_lane, args=(lane, folder)) for lane in lanes]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()


def report(stages: list[Stage], total: float) -> None:
    print("\n=== make test: wall time per stage")
    print(f"{'stage':<11} {'wall s':>8} {'CPU s':>8}  {'result':<8} tests")
    for stage in stages:
        result = {None: "not run", 0: "ok"}.get(stage.code, "FAILED")
        line = f"{stage.name:<11} {stage.seconds:>8.1f} {stage.cpu:>8.1f}  {result:<8}"
        print(f"{line} {stage.counts}")
    cpu = sum(stage.cpu for stage in stages)
    print(f"{'total':<11} {total:>8.1f} {cpu:>8.1f}  (load average now {os.getloadavg()})")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--together", action="store_true",
                        help="run the browser tests beside the other stages")  # fmt: skip
    parser.add_argument("--only", nargs="+", choices=STAGES, default=STAGES, metavar="STAGE",
                        help=f"run these stages alone (of {', '.join(STAGES)})")  # fmt: skip
    parser.add_argument("make_args", nargs="*", help="passed to each make (JOBS=1 ...)")
    options = parser.parse_args()
    stages = [Stage(name, TARGETS.get(name, f"test-{name}"))
              for name in STAGES if name in options.only]  # fmt: skip
    print(f"make test: load average {os.getloadavg()} on {os.cpu_count()} cores", flush=True)
    started = time.monotonic()
    for stage in (s for s in stages if s.name in CHEAP):
        run_in_front(stage, options.make_args)
        if stage.code:
            break
    else:
        rest = [s for s in stages if s.name not in CHEAP]
        lanes = [[s for s in rest if s.name in BROWSER_LANE],
                 [s for s in rest if s.name not in BROWSER_LANE]]  # fmt: skip
        if options.together and all(lanes):
            run_lanes(lanes, options.make_args)
        else:
            for stage in rest:
                run_in_front(stage, options.make_args)
    report(stages, time.monotonic() - started)
    return 0 if all(stage.code == 0 for stage in stages) else 1


if __name__ == "__main__":
    sys.exit(main())
