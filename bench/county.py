"""County load (issue 6): a whole county's meetings on one machine, through the real app.

    .venv/bin/python bench/county.py                          # 300 meetings x 10, 60 s
    .venv/bin/python bench/county.py --meetings 20 --duration 10
    make bench-county BENCH_ARGS="--json bench/results/county.json"

3,000 participants in 300 meetings of 10 (by default), each sending one operation every
10 s, for --duration seconds of steady load, against one wsgi.py on embedded SQLite (the
default deployment). The schema comes from `flask db upgrade` in a temporary instance
folder; bench/appdb.py seeds the meetings and (by default) the guests, through the app's
services, and signs their session cookies: joining 3,000 guests through the pages takes
minutes on a 2-vCPU machine (about 37 joins/s measured), so --join pages is there to time
that separately. The clients are driven by several generator processes (bench/fleet.py,
one per 1,000 clients unless --generators says otherwise), each with whole meetings.

Then the bare relay (bench/relay.py, on the same stack, with the app's gc.freeze) gets the
same clients, rate and generator shards as the baseline (--only app|relay for one).

Reported: op -> delivery at every other member of the room (p50/p95/p99/max; the bar is
p99 <= 100 ms), the time to durable: op sent -> ack at the sender (p50/p95/p99/max; the
app acks an op only once its batch is committed and fsynced, so this is the time until
the change is on disk; goal p95 <= 250 ms, issue 17), lost, duplicated, the delivery
ratio, the server's CPU and its CPU per delivered event, its RSS idle / with everyone
connected / peak, and RSS per connection ((connected - idle) / clients), every generator
shard's CPU and event-loop lag (a saturated shard invalidates the run: the report says
so), other processes' CPU.
Afterwards the event log must hold exactly the acknowledged op_ids, once each.

Exits 1 on anything lost, duplicated, refused, timed out, disconnected or missing from
the event log; latency is reported, never judged by the exit code.
"""

from __future__ import annotations

import argparse
import shutil
import signal
import sys
import tempfile
from pathlib import Path
from typing import Any

BENCH = Path(__file__).resolve().parent
sys.path.insert(0, str(BENCH))

import fleet  # noqa: E402
from load import (  # noqa: E402
    HOST,
    SECTIONS,
    Server,
    _raise_interrupt,
    app_env,
    check_event_log,
    prepare_app,
    prepare_relay,
    problems,
    raise_nofile,
    report,
    write_json,
)

P99_BAR_MS = 100.0
DURABLE_P95_GOAL_MS = 250.0


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    add_load_options(parser, meetings=300, interval=10.0)
    parser.add_argument(
        "--only", choices=("app", "relay"),
        help="one target; by default the app, then the bare relay (its baseline)",
    )  # fmt: skip
    parser.add_argument("--keep", action="store_true", help="keep the temp folder (logs, db)")
    args = parser.parse_args(argv)
    args.export_items = 0  # prepare_app's option; no exports here
    return args


def add_load_options(parser: argparse.ArgumentParser, meetings: int, interval: float) -> None:
    """The options county.py and scaleout.py share."""
    parser.add_argument("--meetings", type=int, default=meetings)
    parser.add_argument("--clients-per-meeting", type=int, default=10)
    parser.add_argument("--interval", type=float, default=interval, help="s between a client's ops")
    parser.add_argument("--duration", type=float, default=60.0, help="seconds of steady load")
    parser.add_argument(
        "--generators", type=int, default=0,
        help=f"generator processes (default: one per {fleet.CLIENTS_PER_SHARD} clients)",
    )  # fmt: skip
    parser.add_argument(
        "--join", choices=("seed", "pages"), default="seed",
        help="seed: guests added through the services, cookies signed (fast); pages: every "
        "guest joins through the join pages (slow at this size; the time is reported)",
    )  # fmt: skip
    parser.add_argument("--join-concurrency", type=int, default=16)
    parser.add_argument("--connect-concurrency", type=int, default=25, help="per generator")
    parser.add_argument("--ack-timeout", type=float, default=30.0)
    parser.add_argument("--drain", type=float, default=15.0, help="max wait for late deliveries")
    parser.add_argument("--seed", type=int, default=1, help="random seed for the op mix")
    parser.add_argument("--nice", type=int, default=0, help="nice level of servers and generators")
    parser.add_argument("--json", type=Path, help="also write the figures to this file")


def spec_of(args: argparse.Namespace, sections: list[str], seed: int) -> dict[str, Any]:
    return {
        "mode": "steady",
        "sections": sections,
        "interval": args.interval,
        "duration": args.duration,
        "ack_timeout": args.ack_timeout,
        "drain": args.drain,
        "seed": seed,
        "connect_concurrency": args.connect_concurrency,
    }


def cookies_for(
    args: argparse.Namespace, meetings: list[dict[str, Any]], env: dict[str, str], base: str,
    workdir: Path,
) -> tuple[list[list[str]], str]:  # fmt: skip
    if args.join == "pages":
        return fleet.page_cookies(base, meetings, args.clients_per_meeting, args.join_concurrency)
    return fleet.guest_cookies(meetings, args.clients_per_meeting, env, workdir)


def print_extra(results: list[dict[str, Any]], bar_ms: float | None) -> list[str]:
    """What bench/load.py's table lacks; returns why the figures are invalid, if they are."""
    for r in results:
        for line in fleet.shard_lines(r):
            print(line)
        print(
            f"{r['target']} server RSS: idle {r['server_rss_idle_mb']} MB, connected "
            f"{r['server_rss_connected_mb']} MB, peak {r['server_rss_mb']} MB; "
            f"{r['rss_kb_per_connection']} KB per connection"
        )
        print(durable_line(r))
        if bar_ms is not None:
            met = r["latency_ms"]["p99"] <= bar_ms
            print(f"{r['target']} bar (p99 <= {bar_ms:g} ms): {'met' if met else 'NOT met'} "
                  f"(p99 {r['latency_ms']['p99']} ms)")  # fmt: skip
    invalid = fleet.validity(results)
    for line in invalid:
        print(f"INVALID RUN: {line}")
    for r in results:
        if r["other_cpu_pct"] > 20:
            print(f"WARNING: other processes used {r['other_cpu_pct']} % CPU during the "
                  f"{r['target']} window: its latencies are not reliable")  # fmt: skip
    return invalid


def durable_line(r: dict[str, Any]) -> str:
    """Op sent -> ack: on the app, the time until the change is committed to disk."""
    ack = r["ack_ms"]
    figures = f"p50 {ack['p50']} / p95 {ack['p95']} / p99 {ack['p99']} / max {ack['max']} ms"
    if r["target"] != "app":
        return f"{r['target']} op -> ack (no database: not durable): {figures}"
    met = "met" if ack["p95"] <= DURABLE_P95_GOAL_MS else "NOT met"
    return (f"app time to durable (op sent -> ack after commit): {figures}; "
            f"goal p95 <= {DURABLE_P95_GOAL_MS:g} ms: {met}")  # fmt: skip


def verdict(results: list[dict[str, Any]]) -> int:
    failures = [f"{r['target']}: {p}" for r in results for p in problems(r)]
    for failure in failures:
        print(f"FAIL {failure}")
    print("RESULT: " + ("FAIL" if failures else "PASS (no loss, no duplicates, event log matches)"))
    return 1 if failures else 0


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    clients = args.meetings * args.clients_per_meeting
    raise_nofile(2 * clients + 256)
    signal.signal(signal.SIGTERM, _raise_interrupt)
    Server.nice = args.nice
    workdir = Path(tempfile.mkdtemp(prefix="facilitator-county-"))
    shards = fleet.shards_for(clients, args.generators)
    print(f"county: {args.meetings} meetings x {args.clients_per_meeting} clients, one op every "
          f"{args.interval} s each, {args.duration} s steady, {shards} generator(s); work dir "
          f"{workdir}", flush=True)  # fmt: skip
    results = []
    try:
        if args.only in (None, "app"):
            results.append(run_app(args, workdir, shards))
        if args.only in (None, "relay"):
            results.append(run_relay(args, workdir, shards))
    except KeyboardInterrupt:
        print("\ninterrupted: servers stopped", file=sys.stderr)
        return 130
    finally:
        Server.stop_all()
        if not args.keep:
            shutil.rmtree(workdir, ignore_errors=True)
    report(results, None)
    invalid = print_extra(results, P99_BAR_MS)
    for result in results:
        result["invalid"] = invalid
    if args.json:
        write_json(args.json, args, results)
    return verdict(results)


def run_app(args: argparse.Namespace, workdir: Path, shards: int) -> dict[str, Any]:
    target = prepare_app(args, workdir)
    target.server.start()
    base = f"http://{HOST}:{target.server.port}"
    env = app_env(target.instance or workdir, target.server.port)
    cookies, join = cookies_for(args, target.meetings, env, base, workdir)
    print(f"[app] {join}", flush=True)
    clients = fleet.clients_for(target.meetings, cookies, [base])
    spec = spec_of(args, target.sections or SECTIONS, args.seed)
    try:
        result = fleet.drive("app", [target.server], clients, spec, shards, workdir)
    except BaseException:
        print(f"[app] server log (last lines):\n{target.server.tail()}", file=sys.stderr)
        raise
    finally:
        target.server.stop()
    result["join"] = join
    result["event_log"] = check_event_log(target, result)
    return result


def run_relay(args: argparse.Namespace, workdir: Path, shards: int) -> dict[str, Any]:
    """The bare relay (bench/relay.py, with the app's gc.freeze), same clients and rate."""
    args.relay_gc_freeze = True
    target = prepare_relay(args, workdir)
    target.server.start()
    base = f"http://{HOST}:{target.server.port}"
    cookies = [[""] * args.clients_per_meeting for _ in target.meetings]
    clients = fleet.clients_for(target.meetings, cookies, [base])
    try:
        result = fleet.drive("relay", [target.server], clients, spec_of(args, SECTIONS, args.seed),
                             shards, workdir)  # fmt: skip
    finally:
        target.server.stop()
    result["join"] = "none (a relay has no pages)"
    return result


if __name__ == "__main__":
    sys.exit(main())
