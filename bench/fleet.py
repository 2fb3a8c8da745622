"""Several load-generator processes ("shards") driving one benchmark together.

One asyncio process cannot drive thousands of sockets without becoming the bottleneck it
is meant to measure (STACK.md pitfall 13): on the 2-vCPU VM, 1,000 clients at the county
rate (one op every 10 s each) cost one process 14-23 % of a core, so 3,000 would need
roughly 40-70 % in one, where its loop lag starts to show in the latencies
(docs/performance.md, issue 6). The
parent (bench/county.py, bench/scaleout.py, bench/storm.py) prepares the servers and the
guests' cookies, then runs

    python bench/fleet.py SPEC.json RESULT.json

once per shard. Each shard takes whole meetings (so every delivery it expects is to one
of its own clients, and op -> delivery is timed on one clock), connects its clients,
prints `ready`, waits for the parent's `go` line (a start time on the shared monotonic
clock), sends ops at the steady rate until the end, drains, and writes its raw figures to
RESULT.json: every delivery latency, acknowledged op_ids, counters, its own CPU and
event-loop lag over the steady window. `merge` adds the shards up into the shape
bench/load.py reports, so `load.report` and `load.problems` serve every benchmark.

Mode "steady" uses load.Client (any disconnect is a failure); mode "storm" uses
storm.StormClient (reconnects with the browser's jittered backoff, resyncs, resends its
outbox) and reports each client's time to resync instead.
"""

from __future__ import annotations

import asyncio
import contextlib
import gc
import json
import math
import random
import signal
import subprocess
import sys
import threading
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import psutil

BENCH = Path(__file__).resolve().parent
sys.path.insert(0, str(BENCH))

from load import (  # noqa: E402
    PYTHON,
    ROOT,
    Client,
    Server,
    Stats,
    _bounded,
    _busy,
    _die_with_parent,
    _loop_lag,
    _run_json,
    join_by_code,
    percentile,
    raise_nofile,
)

# A shard this busy, or whose event loop wakes this late, measures itself, not the server:
# its figures are not valid (the report says so; the exit code stays about loss).
SATURATED_CPU = 85.0  # % of one core
SATURATED_LAG_MS = 25.0  # p99 of the loop-lag probe (sleep 50 ms, how late it wakes)
CLIENTS_PER_SHARD = 1000  # default split: about 40 % of a core each at the county rate


def shards_for(clients: int, wanted: int = 0, per: int = CLIENTS_PER_SHARD) -> int:
    return wanted if wanted > 0 else max(1, math.ceil(clients / per))


# ---------------------------------------------------------------- the parent's side


@dataclass
class Fleet:
    """The shard processes of one target: start (connect), go (steady window), collect."""

    name: str
    spec: dict[str, Any]  # everything but "clients"
    clients: list[dict[str, Any]]  # {"index", "room", "meeting_id", "cookie", "url"}
    shards: int
    workdir: Path
    procs: list[subprocess.Popen[str]] = field(default_factory=list)
    ps: list[psutil.Process] = field(default_factory=list)
    ready: list[dict[str, Any]] = field(default_factory=list)

    def start(self, timeout: float = 600.0) -> None:
        """Spawn the shards (whole meetings each) and wait until each has connected."""
        rooms = sorted({c["room"] for c in self.clients})
        self.shards = max(1, min(self.shards, len(rooms)))  # no shard without a meeting
        for number in range(self.shards):
            mine = set(rooms[number :: self.shards])
            spec = {**self.spec, "clients": [c for c in self.clients if c["room"] in mine]}
            spec_file = self.workdir / f"{self.name}-shard{number}.json"
            spec_file.write_text(json.dumps(spec))
            log = (self.workdir / f"{self.name}-shard{number}.log").open("w")
            proc = subprocess.Popen(
                [PYTHON, str(BENCH / "fleet.py"), str(spec_file), str(self.result(number))],
                cwd=ROOT,
                stdin=subprocess.PIPE,
                stdout=subprocess.PIPE,
                stderr=log,
                text=True,
                preexec_fn=_die_with_parent,
            )
            self.procs.append(proc)
            self.ps.append(psutil.Process(proc.pid))
            if Server.nice:
                self.ps[-1].nice(Server.nice)
        deadline = time.monotonic() + timeout
        for number, proc in enumerate(self.procs):
            line = _readline(proc, deadline - time.monotonic())
            if not line:
                self.stop()
                raise RuntimeError(f"[{self.name}] shard {number} did not connect:\n"
                                   f"{self.log_tail(number)}")  # fmt: skip
            self.ready.append(json.loads(line))

    def result(self, number: int) -> Path:
        return self.workdir / f"{self.name}-shard{number}-result.json"

    def log_tail(self, number: int, lines: int = 30) -> str:
        with contextlib.suppress(OSError):
            text = (self.workdir / f"{self.name}-shard{number}.log").read_text(errors="replace")
            return "\n".join(text.splitlines()[-lines:])
        return ""

    def go(self, start: float) -> None:
        """Tell every shard when the steady window starts (time.monotonic())."""
        for proc in self.procs:
            assert proc.stdin is not None
            proc.stdin.write(json.dumps({"start": start}) + "\n")
            proc.stdin.flush()

    def collect(self, timeout: float) -> list[dict[str, Any]]:
        results = []
        for number, proc in enumerate(self.procs):
            try:
                proc.wait(timeout)
            except subprocess.TimeoutExpired:
                proc.send_signal(signal.SIGUSR1)  # where its tasks wait, into its log
                with contextlib.suppress(subprocess.TimeoutExpired):
                    proc.wait(2)
                proc.kill()
                where = self.log_tail(number, 60)
                raise RuntimeError(
                    f"[{self.name}] shard {number} did not finish; where its tasks waited:\n{where}"
                ) from None
            if proc.returncode != 0:
                raise RuntimeError(f"[{self.name}] shard {number} failed ({proc.returncode}):\n"
                                   f"{self.log_tail(number)}")  # fmt: skip
            results.append(json.loads(self.result(number).read_text()))
        return results

    def stop(self) -> None:
        for proc in self.procs:
            if proc.poll() is None:
                proc.kill()
                proc.wait(5)


def _readline(proc: subprocess.Popen[str], timeout: float) -> str:
    """One line of a shard's stdout, or '' if it exits or takes too long."""
    out: list[str] = []
    reader = threading.Thread(
        target=lambda: out.append(proc.stdout.readline() if proc.stdout else "")
    )
    reader.daemon = True
    reader.start()
    reader.join(max(0.0, timeout))
    return out[0] if out else ""


class Window:
    """CPU of the servers, the shards and the whole machine, and the servers' peak RSS,
    from `begin` to `end` of the steady window."""

    def __init__(
        self, servers: list[Server], fleet: Fleet, watch: dict[str, psutil.Process] | None = None
    ):
        self.servers, self.fleet, self.watch = servers, fleet, watch or {}
        self.peak = {s.name: 0 for s in servers}
        self._stop = threading.Event()
        self._sampler = threading.Thread(target=self._sample, daemon=True)

    def _sample(self) -> None:
        while not self._stop.wait(0.5):
            for server in self.servers:
                with contextlib.suppress(psutil.Error):
                    assert server.ps is not None
                    rss = server.ps.memory_info().rss
                    self.peak[server.name] = max(self.peak[server.name], rss)

    def begin(self) -> None:
        self.t0 = time.monotonic()
        self.cpu0 = [cpu_seconds(s.ps) for s in self.servers]
        self.shard0 = [cpu_seconds(p) for p in self.fleet.ps]
        self.busy0 = _busy()
        self.watch0 = {name: cpu_seconds(p) for name, p in self.watch.items()}
        self._sampler.start()

    def end(self) -> dict[str, Any]:
        wall = time.monotonic() - self.t0
        cpu = [cpu_seconds(s.ps) - c for s, c in zip(self.servers, self.cpu0, strict=True)]
        shards = [cpu_seconds(p) - c for p, c in zip(self.fleet.ps, self.shard0, strict=True)]
        busy = _busy() - self.busy0
        watched = {
            n: round(100 * (cpu_seconds(p) - self.watch0[n]) / wall, 1)
            for n, p in self.watch.items()
        }
        self._stop.set()
        self._sampler.join()
        server_pct = [round(100 * c / wall, 1) for c in cpu]
        shard_pct = [round(100 * c / wall, 1) for c in shards]
        return {
            "window_s": round(wall, 2),
            "server_cpu_s": round(sum(cpu), 2),
            "server_cpu_pct": round(sum(server_pct), 1),
            "server_cpu_pct_each": dict(
                zip([s.name for s in self.servers], server_pct, strict=True)
            ),
            "server_rss_mb": round(sum(self.peak.values()) / 2**20, 1),
            "server_rss_mb_each": {k: round(v / 2**20, 1) for k, v in self.peak.items()},
            "generator_cpu_pct": round(sum(shard_pct), 1),
            "generator_cpu_pct_each": shard_pct,
            "machine_cpu_pct": round(100 * busy / wall, 1),
            "other_cpu_pct": round(100 * busy / wall - sum(server_pct) - sum(shard_pct), 1),
            "watched_cpu_pct": watched,  # e.g. redis-server (shared: others' use included)
        }


def cpu_seconds(process: psutil.Process | None) -> float:
    if process is None:
        return 0.0
    with contextlib.suppress(psutil.Error):
        times = process.cpu_times()
        return float(times.user + times.system)
    return 0.0


def rss(servers: list[Server]) -> int:
    total = 0
    for server in servers:
        with contextlib.suppress(psutil.Error):
            assert server.ps is not None
            total += server.ps.memory_info().rss
    return total


def merge(name: str, shards: list[dict[str, Any]], window: dict[str, Any]) -> dict[str, Any]:
    """The shards' raw figures as one result, in bench/load.py's shape (plus the per-shard
    CPU and lag, and whether any shard was saturated)."""
    lat = sorted(x for s in shards for x in s["latencies"])
    ack = sorted(x for s in shards for x in s["ack_latencies"])
    summed = Counter[str]()
    for s in shards:
        summed.update({k: v for k, v in s["counts"].items()})
    refused = Counter[str]()
    for s in shards:
        refused.update(s["refused"])
    lags = [s["lag_ms"] for s in shards]
    saturated = [
        n
        for n, (cpu, lag) in enumerate(zip(window["generator_cpu_pct_each"], lags, strict=True))
        if cpu >= SATURATED_CPU or lag["p99"] >= SATURATED_LAG_MS
    ]
    wall = window["window_s"]
    deliveries = summed["deliveries"]
    result: dict[str, Any] = {
        "target": name,
        "clients": summed["clients"],
        "meetings": summed["meetings"],
        "duration_s": wall,
        "join": "",
        "ops_sent": summed["ops_sent"],
        "ops_acked": summed["ops_acked"],
        "acked_op_ids": [op for s in shards for op in s["acked_op_ids"]],
        "refused": dict(refused),
        "expected_deliveries": summed["expected_deliveries"],
        "deliveries": deliveries,
        "delivery_ratio": round(deliveries / summed["expected_deliveries"], 6)
        if summed["expected_deliveries"]
        else 0.0,
        "deliveries_per_s": round(len(lat) / wall, 1),
        "latency_ms": {
            p: round(percentile(lat, q) * 1000, 1)
            for p, q in (("p50", 50), ("p95", 95), ("p99", 99), ("max", 100))
        },
        # op sent -> its ack: the time to durable (the app acks only after the commit)
        "ack_ms": {
            p: round(percentile(ack, q) * 1000, 1)
            for p, q in (("p50", 50), ("p95", 95), ("p99", 99), ("max", 100))
        },
        "generator_lag_ms": {
            "p99": max(lag["p99"] for lag in lags),
            "max": max(lag["max"] for lag in lags),
        },
        "generator_lag_ms_each": lags,
        "generator_shards": len(shards),
        "generator_saturated": saturated,
        "connect_s": max(s["connect_s"] for s in shards),
        "cpu_ms_per_delivery": round(1000 * window["server_cpu_s"] / deliveries, 4)
        if deliveries
        else 0.0,
        **{k: summed[k] for k in COUNTS if k not in ("clients", "meetings", "deliveries")},
        **window,
    }
    result["lost"] = result["expected_deliveries"] - deliveries
    result["duplicated"] = summed["duplicated_events"] + summed["duplicate_acks"]
    return result


COUNTS = (
    "clients",
    "meetings",
    "ops_sent",
    "ops_acked",
    "expected_deliveries",
    "deliveries",
    "duplicated_events",
    "duplicate_acks",
    "sender_got_own_broadcast",
    "unknown_events",
    "wrong_room",
    "ack_timeouts",
    "send_failures",
    "disconnects",
    "closed",
)


def validity(results: list[dict[str, Any]]) -> list[str]:
    """Why a run's figures cannot be trusted: a saturated generator shard, a noisy machine."""
    found = []
    for r in results:
        for number in r.get("generator_saturated", []):
            found.append(
                f"{r['target']}: generator shard {number} saturated or starved of CPU (CPU "
                f"{r['generator_cpu_pct_each'][number]} %, loop lag p99 "
                f"{r['generator_lag_ms_each'][number]['p99']} ms): its latencies are not valid"
            )
    return found


def shard_lines(r: dict[str, Any]) -> list[str]:
    each = ", ".join(
        f"{cpu} % (lag p99 {lag['p99']} ms)"
        for cpu, lag in zip(r["generator_cpu_pct_each"], r["generator_lag_ms_each"], strict=True)
    )
    return [
        f"{r['target']} generator: {r['generator_shards']} shard(s), CPU {each}",
        f"{r['target']} delivery ratio: {r['delivery_ratio']:.6f} "
        f"({r['deliveries']} / {r['expected_deliveries']})",
        f"{r['target']} server CPU per delivered event: {r['cpu_ms_per_delivery']} ms "
        f"({r['server_cpu_s']} CPU s / {r['deliveries']})",
    ]


def guest_cookies(
    meetings: list[dict[str, Any]], per_meeting: int, env: dict[str, str], workdir: Path
) -> tuple[list[list[str]], str]:
    """Guests added through the services (appdb.py guests) with their signed session
    cookies: seconds for thousands, where the join pages take minutes (docs/performance.md)."""
    spec_file = workdir / "guests.json"
    spec_file.write_text(
        json.dumps({"meetings": [{"id": m["id"], "guests": per_meeting} for m in meetings]})
    )
    signed = _run_json([PYTHON, str(BENCH / "appdb.py"), "guests", str(spec_file)], env, "guests")
    name = signed["cookie_name"]
    cookies = [[f"{name}={cookie}" for cookie in m["cookies"]] for m in signed["meetings"]]
    return cookies, "guests seeded through the services (signed cookies; join pages not timed)"


def page_cookies(
    base: str, meetings: list[dict[str, Any]], per_meeting: int, concurrency: int
) -> tuple[list[list[str]], str]:
    """Every guest joins through the real pages, as a browser does (slow at county size)."""
    jobs = [
        join_by_code(base, m["code"], f"Guest {n + 1}", m["id"])
        for m in meetings
        for n in range(per_meeting)
    ]
    t0 = time.perf_counter()
    cookies = asyncio.run(_bounded_list(concurrency, jobs))
    took = time.perf_counter() - t0
    rows = [cookies[i : i + per_meeting] for i in range(0, len(cookies), per_meeting)]
    return rows, f"joined through the pages in {took:.1f} s ({len(jobs) / took:.0f} joins/s)"


async def _bounded_list(limit: int, jobs: list[Any]) -> list[str]:
    results = await _bounded(limit, jobs)
    failed = [r for r in results if isinstance(r, BaseException)]
    if failed:
        raise RuntimeError(f"{len(failed)} of {len(jobs)} guests could not join: {failed[0]!r}")
    return [str(r) for r in results]


def check_meetings(
    env: dict[str, str], acked: list[str], meeting_ids: list[int], workdir: Path, name: str
) -> dict[str, Any]:
    """appdb.py check for these meetings only: event rows against acked op_ids, and revs."""
    acked_file = workdir / f"{name}-acked.json"
    acked_file.write_text(json.dumps({"acked": acked, "meetings": meeting_ids}))
    argv = [PYTHON, str(BENCH / "appdb.py"), "check", str(acked_file)]
    return dict(_run_json(argv, env, "check"))


def clients_for(
    meetings: list[dict[str, Any]], cookies: list[list[str]], urls: list[str]
) -> list[dict[str, Any]]:
    """Client i of every meeting goes to urls[i % len(urls)]: with two workers, each
    meeting has clients on both."""
    out = []
    for room, (meeting, row) in enumerate(zip(meetings, cookies, strict=True)):
        for number, cookie in enumerate(row):
            out.append({"index": len(out), "room": room, "meeting_id": meeting["id"],
                        "cookie": cookie, "url": urls[number % len(urls)]})  # fmt: skip
    return out


def drive(
    name: str,
    servers: list[Server],
    clients: list[dict[str, Any]],
    spec: dict[str, Any],
    shards: int,
    workdir: Path,
    watch: dict[str, psutil.Process] | None = None,
) -> dict[str, Any]:
    """Connect every client through the shards, run the steady window, merge the figures."""
    fleet = Fleet(name, spec, clients, shards, workdir)
    rss_idle = rss(servers)
    try:
        fleet.start()
        print(f"[{name}] {len(clients)} clients connected through {fleet.shards} shard(s) in "
              f"{max(r['connect_s'] for r in fleet.ready):.1f} s", flush=True)  # fmt: skip
        time.sleep(1.0)  # the presence broadcasts of the last connects settle
        rss_connected = rss(servers)
        window = Window(servers, fleet, watch)
        start = time.monotonic() + 0.5
        fleet.go(start)
        time.sleep(max(0.0, start - time.monotonic()))
        window.begin()
        time.sleep(spec["duration"])
        figures = window.end()
        results = fleet.collect(spec["ack_timeout"] + spec["drain"] + 120)
    finally:
        fleet.stop()
    result = merge(name, results, figures)
    result["server_rss_idle_mb"] = round(rss_idle / 2**20, 1)
    result["server_rss_connected_mb"] = round(rss_connected / 2**20, 1)
    result["rss_kb_per_connection"] = round((rss_connected - rss_idle) / 1024 / len(clients), 1)
    exits = {s.name: s.proc.returncode for s in servers if s.proc and s.proc.poll() is not None}
    if exits:
        result["server_exit"] = exits
    return result


# ---------------------------------------------------------------- a shard (child process)


def _dump_tasks() -> None:
    """Where this shard's tasks wait, grouped by their innermost frame (a hung shard)."""
    groups: dict[str, list[asyncio.Task[Any]]] = {}
    for task in asyncio.all_tasks():
        frames = task.get_stack()
        where = f"{frames[-1].f_code.co_qualname}:{frames[-1].f_lineno}" if frames else "?"
        groups.setdefault(where, []).append(task)
    print(f"{sum(map(len, groups.values()))} tasks", file=sys.stderr)
    for where, tasks in sorted(groups.items(), key=lambda g: -len(g[1]))[:8]:
        print(f"--- {len(tasks)} waiting at {where}; one of them:", file=sys.stderr)
        tasks[0].print_stack(limit=8, file=sys.stderr)
    sys.stderr.flush()


async def run_shard(spec: dict[str, Any]) -> dict[str, Any]:
    asyncio.get_running_loop().add_signal_handler(signal.SIGUSR1, _dump_tasks)
    if spec.get("mode") == "storm":
        from storm import run_storm_shard

        return await run_storm_shard(spec)
    if spec.get("mode") == "soak":
        from soak import run_soak_shard

        return await run_soak_shard(spec)
    return await run_steady_shard(spec)


async def wait_for_go() -> float:
    """The parent's start time (time.monotonic()), as this process's perf_counter()."""
    line = await asyncio.to_thread(sys.stdin.readline)
    if not line:
        raise SystemExit("the parent went away")
    return float(json.loads(line)["start"]) - time.monotonic() + time.perf_counter()


async def connect_all(clients: list[Any], concurrency: int) -> float:
    t0 = time.perf_counter()
    results = await _bounded(concurrency, [c.connect(c.url, 30) for c in clients])
    failed = [r for r in results if isinstance(r, BaseException)]
    if failed:
        raise RuntimeError(
            f"{len(failed)} of {len(clients)} sockets did not connect: {failed[0]!r}"
        )
    return round(time.perf_counter() - t0, 2)


def announce_ready(connect_s: float, clients: int) -> None:
    print(json.dumps({"ready": True, "connect_s": connect_s, "clients": clients}), flush=True)


async def run_steady_shard(spec: dict[str, Any]) -> dict[str, Any]:
    rng = random.Random(spec["seed"])
    stats = Stats()
    clients = []
    for entry in spec["clients"]:
        client = Client(
            entry["index"], entry["room"], entry["meeting_id"], stats,
            random.Random(rng.random()), spec["sections"],
        )  # fmt: skip
        client.cookie, client.url = entry["cookie"], entry["url"]  # type: ignore[attr-defined]
        clients.append(client)
    connect_s = await connect_all(clients, spec["connect_concurrency"])
    announce_ready(connect_s, len(clients))
    start = await wait_for_go()
    stop = asyncio.Event()
    lag: list[float] = []
    gc.collect()
    gc.freeze()
    gc.disable()  # a full collection would stall every client of this shard at once
    await asyncio.sleep(max(0.0, start - time.perf_counter()))
    stats.messages = 0
    watcher = asyncio.create_task(_loop_lag(lag, stop))
    end = start + spec["duration"]
    in_flight: set[asyncio.Task[None]] = set()

    async def pace(client: Client) -> None:
        due = start + rng.random() * spec["interval"]
        while due < end:
            await asyncio.sleep(max(0.0, due - time.perf_counter()))
            task = asyncio.create_task(client.send_op(spec["ack_timeout"]))
            in_flight.add(task)
            task.add_done_callback(in_flight.discard)
            due += spec["interval"]

    await asyncio.gather(*(pace(c) for c in clients))
    stop.set()
    await watcher
    gc.enable()
    gc.unfreeze()
    if in_flight:
        await asyncio.wait(set(in_flight), timeout=spec["ack_timeout"] + 5)
    per_room = Counter(c.room for c in clients)
    deadline = time.perf_counter() + spec["drain"]
    while time.perf_counter() < deadline:
        if not missing(stats, per_room):
            break
        await asyncio.sleep(0.1)
    for client in clients:
        client.stopping = True
    await _bounded(100, [c.sio.disconnect() for c in clients])
    acked = [op for op in stats.ops.values() if op.acked]
    lag.sort()
    return {
        "latencies": stats.latencies,
        "ack_latencies": stats.ack_latencies,
        "acked_op_ids": [op_id for op_id, op in stats.ops.items() if op.acked],
        "refused": dict(stats.errors),
        "connect_s": connect_s,
        "lag_ms": {
            "p99": round(percentile(lag, 99) * 1000, 1),
            "max": round(percentile(lag, 100) * 1000, 1),
        },
        "counts": {
            "clients": len(clients),
            "meetings": len(per_room),
            "ops_sent": len(stats.ops),
            "ops_acked": len(acked),
            "expected_deliveries": sum(per_room[op.room] - 1 for op in acked),
            "deliveries": sum(len(op.seen_by) for op in acked),
            "duplicated_events": stats.duplicated_events,
            "duplicate_acks": stats.duplicate_acks,
            "sender_got_own_broadcast": sum(1 for op in acked if op.seen_by_sender),
            "unknown_events": stats.unknown_events,
            "wrong_room": stats.wrong_room,
            "ack_timeouts": stats.ack_timeouts,
            "send_failures": stats.send_failures,
            "disconnects": stats.disconnects,
            "closed": stats.closed,
        },
    }


def missing(stats: Stats, per_room: Counter[int]) -> int:
    return sum(per_room[op.room] - 1 - len(op.seen_by) for op in stats.ops.values() if op.acked)


def shard_main(argv: list[str]) -> int:
    spec_file, result_file = Path(argv[0]), Path(argv[1])
    spec = json.loads(spec_file.read_text())
    raise_nofile(2 * len(spec["clients"]) + 256)
    result = asyncio.run(run_shard(spec))
    result_file.write_text(json.dumps(result))
    return 0


if __name__ == "__main__":
    sys.exit(shard_main(sys.argv[1:]))
