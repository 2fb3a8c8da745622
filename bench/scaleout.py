"""Scale-out (issue 6): the county load through two workers on PostgreSQL + Redis, against
one worker on PostgreSQL alone, in one run.

    .venv/bin/python bench/scaleout.py                        # 300 meetings x 10, 60 s each
    .venv/bin/python bench/scaleout.py --meetings 20 --duration 10
    make bench-scaleout BENCH_ARGS="--json bench/results/scaleout.json"

A fresh PostgreSQL database is created for the run (`facilitator_bench_<pid>_<hex>` on the
server FACILITATOR_BENCH_POSTGRES names, default the local one), migrated with `flask db
upgrade`, and dropped afterwards (also after a failure or Ctrl+C). bench/appdb.py seeds
2 x --meetings live meetings and their guests through the services: the first half for
the baseline, the second half for the scale-out, so each phase starts on meetings nobody
has used (and the event log is checked per phase, meeting by meeting).

  1. baseline: one wsgi.py on PostgreSQL, no message queue; every client on it.
  2. scale-out: two wsgi.py workers on the same database, FACILITATOR_MESSAGE_QUEUE on
     Redis (FACILITATOR_BENCH_REDIS, default the local one) with a private channel
     (FACILITATOR_QUEUE_CHANNEL=facilitator-bench-<pid>-<hex>) and their own server ids;
     client i of every meeting connects to worker i % 2, so every meeting spans both and
     every event half its members see crossed Redis from the other worker.

Same clients, rate and generator shards (bench/fleet.py) in both phases. Reported per
phase as bench/county.py does (latency, ack, lost, duplicated, delivery ratio, CPU of the
workers summed and each, CPU per delivered event, RSS, each generator shard's CPU), then
the overhead of scale-out against the baseline: p50 and p99 ratios, total worker CPU and
CPU per delivered event ratios, and redis-server's CPU over each window (the local Redis
is shared: other users' work is in that figure). Exits 1 on loss or duplication.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import secrets
import shutil
import signal
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import psutil

BENCH = Path(__file__).resolve().parent
sys.path.insert(0, str(BENCH))

import fleet  # noqa: E402
from county import add_load_options, print_extra, spec_of, verdict  # noqa: E402
from load import (  # noqa: E402
    FLASK,
    HOST,
    PYTHON,
    SECTIONS,
    Server,
    _raise_interrupt,
    _run_json,
    app_env,
    free_port,
    raise_nofile,
    report,
    write_json,
)

POSTGRES = os.environ.get(
    "FACILITATOR_BENCH_POSTGRES", "postgresql+psycopg2://postgres@127.0.0.1:5432/postgres"
)
REDIS = os.environ.get("FACILITATOR_BENCH_REDIS", "redis://127.0.0.1:6379/0")


@contextlib.contextmanager
def fresh_database(admin_url: str) -> Iterator[str]:
    """A new, empty PostgreSQL database for this run; dropped on the way out."""
    from sqlalchemy import create_engine, text
    from sqlalchemy.engine import make_url

    name = f"facilitator_bench_{os.getpid()}_{secrets.token_hex(4)}"
    admin = create_engine(admin_url, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    print(f"[postgres] created database {name}", flush=True)
    try:
        yield make_url(admin_url).set(database=name).render_as_string(hide_password=False)
    finally:
        with admin.connect() as connection:  # FORCE: a killed worker's sessions may linger
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()
        print(f"[postgres] dropped database {name}", flush=True)


def deadlocks(database: str) -> int:
    """PostgreSQL's count of deadlocks detected in this database so far (pg_stat_database;
    the statistics reach it within a second or so of each transaction)."""
    from sqlalchemy import create_engine, text
    from sqlalchemy.engine import make_url

    name = make_url(database).database
    admin = create_engine(POSTGRES)
    try:
        with admin.connect() as connection:
            query = text("SELECT deadlocks FROM pg_stat_database WHERE datname = :name")
            return int(connection.execute(query, {"name": name}).scalar() or 0)
    finally:
        admin.dispose()


def redis_ready(url: str) -> None:
    import redis

    redis.Redis.from_url(url, socket_timeout=2).ping()


def redis_process() -> dict[str, psutil.Process]:
    """The local redis-server, to read its CPU (absent or unreadable: not reported)."""
    for process in psutil.process_iter(["name"]):
        if process.info["name"] == "redis-server":
            with contextlib.suppress(psutil.Error):
                process.cpu_times()
                return {"redis-server": process}
    return {}


def worker(name: str, env: dict[str, str], workdir: Path, **extra: str) -> Server:
    port = free_port()
    settings = dict(env, FACILITATOR_PORT=str(port), FACILITATOR_SERVER_ID=name, **extra)
    return Server(name, [PYTHON, "wsgi.py"], settings, port, workdir / f"{name}.log")


def phase(
    name: str,
    servers: list[Server],
    meetings: list[dict[str, Any]],
    cookies: list[list[str]],
    args: argparse.Namespace,
    sections: list[str],
    env: dict[str, str],
    workdir: Path,
) -> dict[str, Any]:
    """Start the workers, drive the load through them, stop them, check the event log."""
    deadlocks_before = deadlocks(env["FACILITATOR_DATABASE_URL"])
    for server in servers:
        server.start()
    urls = [f"http://{HOST}:{s.port}" for s in servers]
    clients = fleet.clients_for(meetings, cookies, urls)
    shards = fleet.shards_for(len(clients), args.generators)
    try:
        result = fleet.drive(
            name, servers, clients, spec_of(args, sections, args.seed), shards, workdir,
            redis_process(),
        )  # fmt: skip
    except BaseException:
        for server in servers:
            print(f"[{server.name}] log (last lines):\n{server.tail()}", file=sys.stderr)
        raise
    finally:
        for server in servers:
            server.stop()
    ids = [m["id"] for m in meetings]
    result["event_log"] = fleet.check_meetings(env, result["acked_op_ids"], ids, workdir, name)
    result["workers"] = len(servers)
    time.sleep(1.5)  # the workers' last statistics reach pg_stat_database
    result["postgres_deadlocks"] = deadlocks(env["FACILITATOR_DATABASE_URL"]) - deadlocks_before
    return result


def overhead(base: dict[str, Any], scaled: dict[str, Any]) -> None:
    def ratio(a: float, b: float) -> str:
        return f"{a / b:.2f}x" if b else "n/a"

    lat_a, lat_b = scaled["latency_ms"], base["latency_ms"]
    print(f"\nscale-out / baseline ({scaled['target']} / {base['target']}):")
    print(
        f"  latency p50 {lat_a['p50']} / {lat_b['p50']} ms ({ratio(lat_a['p50'], lat_b['p50'])})"
        f", p99 {lat_a['p99']} / {lat_b['p99']} ms ({ratio(lat_a['p99'], lat_b['p99'])})"
    )
    print(
        f"  worker CPU (all workers) {scaled['server_cpu_pct']} / {base['server_cpu_pct']} % "
        f"({ratio(scaled['server_cpu_pct'], base['server_cpu_pct'])}); each "
        f"{scaled['server_cpu_pct_each']}"
    )
    print(
        f"  CPU per delivered event {scaled['cpu_ms_per_delivery']} / "
        f"{base['cpu_ms_per_delivery']} ms "
        f"({ratio(scaled['cpu_ms_per_delivery'], base['cpu_ms_per_delivery'])})"
    )
    for r in (base, scaled):
        print(f"  PostgreSQL deadlocks detected during {r['target']}: {r['postgres_deadlocks']}"
              " (each fails its operation with server_error; a browser resends it)")  # fmt: skip
        if r["watched_cpu_pct"]:
            print(f"  redis-server CPU during {r['target']}: {r['watched_cpu_pct']} "
                  "(shared instance: other users included)")  # fmt: skip


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    add_load_options(parser, meetings=300, interval=10.0)
    parser.add_argument("--keep", action="store_true", help="keep the temp folder (logs)")
    parser.add_argument(
        "--only",
        choices=("1-worker", "2-workers"),
        help="one phase (no overhead ratios); by default both, the baseline first",
    )
    args = parser.parse_args(argv)
    raise_nofile(2 * args.meetings * args.clients_per_meeting + 256)
    signal.signal(signal.SIGTERM, _raise_interrupt)
    Server.nice = args.nice
    workdir = Path(tempfile.mkdtemp(prefix="facilitator-scaleout-"))
    channel = f"facilitator-bench-{os.getpid()}-{secrets.token_hex(4)}"
    print(f"scale-out: {args.meetings} meetings x {args.clients_per_meeting} clients per phase, "
          f"one op every {args.interval} s each, {args.duration} s steady; Redis channel "
          f"{channel}; work dir {workdir}", flush=True)  # fmt: skip
    results: list[dict[str, Any]] = []
    try:
        redis_ready(REDIS)
        with fresh_database(POSTGRES) as database:
            instance = workdir / "instance"
            instance.mkdir()
            env = dict(
                app_env(instance, 0),
                FACILITATOR_DATABASE_URL=database,
                FACILITATOR_SECRET_KEY=secrets.token_hex(32),
            )
            env.pop("FACILITATOR_PORT")
            _run_json([FLASK, "db", "upgrade"], env, "flask db upgrade")
            seeded = _run_json(
                [PYTHON, str(BENCH / "appdb.py"), "seed", str(2 * args.meetings)], env, "seed"
            )
            meetings, sections = seeded["meetings"], seeded.get("sections", SECTIONS)
            cookies, join = fleet.guest_cookies(meetings, args.clients_per_meeting, env, workdir)
            half = args.meetings
            solo = [worker("pg-1-worker", env, workdir)]
            pair = [
                worker(
                    f"pg-redis-worker-{n}",
                    env,
                    workdir,
                    FACILITATOR_MESSAGE_QUEUE=REDIS,
                    FACILITATOR_QUEUE_CHANNEL=channel,
                )
                for n in (1, 2)
            ]
            if args.only != "2-workers":
                results.append(
                    phase(
                        "pg-1-worker",
                        solo,
                        meetings[:half],
                        cookies[:half],
                        args,
                        sections,
                        env,
                        workdir,
                    )
                )
            if args.only != "1-worker":
                results.append(
                    phase(
                        "pg+redis-2-workers",
                        pair,
                        meetings[half:],
                        cookies[half:],
                        args,
                        sections,
                        env,
                        workdir,
                    )
                )
            for r in results:
                r["join"] = join
    except KeyboardInterrupt:
        print("\ninterrupted: servers stopped", file=sys.stderr)
        return 130
    finally:
        Server.stop_all()
        if not args.keep:
            shutil.rmtree(workdir, ignore_errors=True)
    report(results, None)
    invalid = print_extra(results, None)
    if len(results) == 2:
        overhead(results[0], results[1])
    for r in results:
        r["invalid"] = invalid
    if args.json:
        write_json(args.json, args, results)
    return verdict(results)


if __name__ == "__main__":
    sys.exit(main())
