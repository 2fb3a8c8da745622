"""`make test`: run each stage of the suite, then print its wall time and test counts.

Stages are the Makefile's own targets (`make lint`, `make test-sqlite` ...), so one stage
runs alone the same way. Cheap stages first, one after the other; then the SQLite and
PostgreSQL runs, side by side with --together (each already spreads over JOBS workers);
then the topology stage. A failing cheap stage stops the run; the others all run, and
the exit status is 1 when any failed.
"""

from __future__ import annotations

import argparse
import os
import re
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
CHEAP = ("lint", "typecheck", "js")
STAGES = (*CHEAP, "sqlite", "postgres", "topology")
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


def run_side_by_side(stages: list[Stage], make_args: list[str]) -> None:
    """Run these stages at once, each into its own log; print each log when it ends."""
    names = ", ".join(f"make {s.target}" for s in stages)
    print(f"\n=== {' + '.join(s.name for s in stages)} side by side: {names}", flush=True)
    with tempfile.TemporaryDirectory(prefix="facilitator-stages-") as folder:
        running = []
        for stage in stages:
            log = (Path(folder) / f"{stage.name}.log").open("w+")
            process = subprocess.Popen(
                _command(stage, make_args), cwd=ROOT, stdout=log, stderr=subprocess.STDOUT
            )
            running.append((stage, process, log, time.monotonic()))
        while running:
            for entry in list(running):
                stage, process, log, started = entry
                if os.waitid(os.P_PID, process.pid, os.WEXITED | os.WNOHANG | os.WNOWAIT) is None:
                    continue
                stage.ended(process, started)
                log.seek(0)
                output = log.read()
                log.close()
                stage.counts = _counts(output)
                print(f"\n=== {stage.name} (make {stage.target}) output:\n{output}", flush=True)
                running.remove(entry)
            time.sleep(0.5)


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
                        help="run the SQLite and PostgreSQL stages side by side")  # fmt: skip
    parser.add_argument("--only", nargs="+", choices=STAGES, default=STAGES, metavar="STAGE",
                        help=f"run these stages alone (of {', '.join(STAGES)})")  # fmt: skip
    parser.add_argument("make_args", nargs="*", help="passed to each make (JOBS=1 ...)")
    options = parser.parse_args()
    stages = [Stage(name, name if name in ("lint", "typecheck") else f"test-{name}")
              for name in STAGES if name in options.only]  # fmt: skip
    print(f"make test: load average {os.getloadavg()} on {os.cpu_count()} cores", flush=True)
    started = time.monotonic()
    for stage in (s for s in stages if s.name in CHEAP):
        run_in_front(stage, options.make_args)
        if stage.code:
            break
    else:
        databases = [s for s in stages if s.name in ("sqlite", "postgres")]
        if options.together and len(databases) == 2:
            run_side_by_side(databases, options.make_args)
        else:
            for stage in databases:
                run_in_front(stage, options.make_args)
        for stage in (s for s in stages if s.name == "topology"):
            run_in_front(stage, options.make_args)
    report(stages, time.monotonic() - started)
    return 0 if all(stage.code == 0 for stage in stages) else 1


if __name__ == "__main__":
    sys.exit(main())
