"""Long runs (issue 19, item 6): county load for a long time, with clients reconnecting.

    .venv/bin/python bench/soak.py                            # 300 meetings x 10, 1 hour
    .venv/bin/python bench/soak.py --duration 1200 --churn 0.2
    .venv/bin/python bench/soak.py --meetings 20 --duration 120 --window 20   # a quick look

The real app (wsgi.py) on embedded SQLite, its guests seeded through the services, driven
by generator shards as in bench/county.py: every client sends one operation every
--interval seconds for --duration seconds. Meanwhile --churn of the clients (0.2: a fifth)
reconnect each minute, as a phone that sleeps or changes network does: a client between
operations disconnects, connects again with its cookie, sends `sync` from the last
revision it saw and takes the missed events from the answer (counted as delivered, with
no latency; a client reconnecting sends no operation until it has resynced).

Reported per --window seconds: operations acknowledged, live deliveries and their
latency (op -> delivery at every other member, p50/p99/max), reconnects and the time to
resync, and the server's RSS at the window's end. Then, after --warmup windows: the RSS
trend (least-squares slope over every 10 s sample, in MB per hour, and the range), and
the p99 of the last windows against the first ones. Nothing lost (every acknowledged
operation reached every other member, live or by sync), nothing duplicated, and the event
log holds exactly the acknowledged op_ids: else exit 1. Timings are reported, never judged
by the exit code.
"""

from __future__ import annotations

import argparse
import asyncio
import random
import shutil
import signal
import statistics
import sys
import tempfile
import threading
import time
from collections import Counter
from pathlib import Path
from typing import Any

import socketio

BENCH = Path(__file__).resolve().parent
sys.path.insert(0, str(BENCH))

import fleet  # noqa: E402
from load import (  # noqa: E402
    HOST,
    SECTIONS,
    Client,
    Server,
    Stats,
    _loop_lag,
    _raise_interrupt,
    app_env,
    check_event_log,
    prepare_app,
    raise_nofile,
    write_json,
)
from storm import backoff  # noqa: E402

RSS_EVERY_S = 10.0
RECONNECT_ATTEMPTS = 10  # then the client counts as lost to the run (a failure)
PRUNE_AFTER_S = 30.0  # an op fully delivered this long ago is tallied and forgotten


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--meetings", type=int, default=300)
    parser.add_argument("--clients-per-meeting", type=int, default=10)
    parser.add_argument("--interval", type=float, default=10.0, help="s between a client's ops")
    parser.add_argument("--duration", type=float, default=3600.0, help="seconds of load")
    parser.add_argument("--churn", type=float, default=0.2, help="clients reconnecting per min")
    parser.add_argument("--window", type=float, default=60.0, help="seconds per reported window")
    parser.add_argument("--warmup", type=int, default=2, help="windows left out of the trends")
    parser.add_argument("--generators", type=int, default=0, help="default: 1 per 1,000")
    parser.add_argument("--connect-concurrency", type=int, default=25, help="per generator")
    parser.add_argument("--ack-timeout", type=float, default=30.0)
    parser.add_argument("--drain", type=float, default=15.0, help="max wait for late deliveries")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--json", type=Path, help="also write the figures to this file")
    parser.add_argument("--keep", action="store_true", help="keep the temp folder (logs, db)")
    args = parser.parse_args(argv)
    args.export_items = 0  # prepare_app's option; no exports here
    return args


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    clients = args.meetings * args.clients_per_meeting
    raise_nofile(2 * clients + 256)
    signal.signal(signal.SIGTERM, _raise_interrupt)
    workdir = Path(tempfile.mkdtemp(prefix="facilitator-soak-"))
    shards = fleet.shards_for(clients, args.generators)
    print(f"soak: {args.meetings} meetings x {args.clients_per_meeting} clients, one op every "
          f"{args.interval:g} s each, {args.churn:.0%} reconnecting a minute, "
          f"{args.duration:g} s, {shards} generator(s); work dir {workdir}",
          flush=True)  # fmt: skip
    try:
        result = run(args, workdir, shards)
    except KeyboardInterrupt:
        print("\ninterrupted: servers stopped", file=sys.stderr)
        return 130
    finally:
        Server.stop_all()
        if not args.keep:
            shutil.rmtree(workdir, ignore_errors=True)
    problems = report(result, args)
    if args.json:
        write_json(args.json, args, [result])
    for problem in problems:
        print(f"FAIL {problem}")
    print("RESULT: " + ("FAIL" if problems else "PASS (nothing lost or duplicated, log matches)"))
    return 1 if problems else 0


def run(args: argparse.Namespace, workdir: Path, shards: int) -> dict[str, Any]:
    target = prepare_app(args, workdir)
    target.server.start()
    base = f"http://{HOST}:{target.server.port}"
    env = app_env(target.instance or workdir, target.server.port)
    cookies, join = fleet.guest_cookies(target.meetings, args.clients_per_meeting, env, workdir)
    clients = fleet.clients_for(target.meetings, cookies, [base])
    spec = {
        "mode": "soak", "sections": target.sections or SECTIONS, "interval": args.interval,
        "duration": args.duration, "ack_timeout": args.ack_timeout, "drain": args.drain,
        "seed": args.seed, "connect_concurrency": args.connect_concurrency,
        "churn": args.churn, "window": args.window,
    }  # fmt: skip
    crowd = fleet.Fleet("soak", spec, clients, shards, workdir)
    samples: list[tuple[float, int]] = []  # (s since the start, server RSS bytes)
    try:
        rss_idle = fleet.rss([target.server])
        crowd.start()
        print(f"[soak] {len(clients)} clients connected in "
              f"{max(r['connect_s'] for r in crowd.ready):.1f} s", flush=True)  # fmt: skip
        time.sleep(1.0)
        rss_connected = fleet.rss([target.server])
        window = fleet.Window([target.server], crowd)
        start = time.monotonic() + 0.5
        crowd.go(start)
        time.sleep(max(0.0, start - time.monotonic()))
        window.begin()
        stop = threading.Event()
        sampler = threading.Thread(
            target=_sample_rss, args=(target.server, start, samples, stop), daemon=True
        )
        sampler.start()
        time.sleep(args.duration)
        figures = window.end()
        stop.set()
        sampler.join()
        shards_out = crowd.collect(args.ack_timeout + args.drain + 120)
    except BaseException:
        print(f"[soak] server log (last lines):\n{target.server.tail()}", file=sys.stderr)
        raise
    finally:
        crowd.stop()
        target.server.stop()
    result = merge(shards_out, figures, samples, args)
    result.update(
        join=join,
        server_rss_idle_mb=round(rss_idle / 2**20, 1),
        server_rss_connected_mb=round(rss_connected / 2**20, 1),
    )
    result["event_log"] = check_event_log(target, result)
    return result


def _sample_rss(
    server: Server, start: float, out: list[tuple[float, int]], stop: threading.Event
) -> None:
    while not stop.wait(RSS_EVERY_S):
        out.append((time.monotonic() - start, fleet.rss([server])))


# ---------------------------------------------------------------- the parent's figures


def percentile_of(histogram: Counter[int], q: float) -> float:
    """The q-th percentile of millisecond counts (their upper edge)."""
    total = sum(histogram.values())
    if not total:
        return 0.0
    rank, seen = q / 100 * total, 0
    for ms in sorted(histogram):
        seen += histogram[ms]
        if seen >= rank:
            return float(ms + 1)
    return float(max(histogram) + 1)


def merge(
    shards: list[dict[str, Any]],
    figures: dict[str, Any],
    samples: list[tuple[float, int]],
    args: argparse.Namespace,
) -> dict[str, Any]:
    counts: Counter[str] = Counter()
    for shard in shards:
        counts.update(shard["counts"])
    windows = []
    for index in range(int(args.duration // args.window) + 1):
        hist: Counter[int] = Counter()
        resync: list[float] = []
        acked = reconnects = 0
        for shard in shards:
            found = shard["windows"].get(str(index))
            if found:
                hist.update({int(ms): n for ms, n in found["hist"].items()})
                acked += found["acked"]
                reconnects += found["reconnects"]
                resync += found["resync_s"]
        end = (index + 1) * args.window
        rss_then = [rss for t, rss in samples if t <= end]
        windows.append({
            "window": index, "acked": acked, "deliveries": sum(hist.values()),
            "p50_ms": percentile_of(hist, 50), "p99_ms": percentile_of(hist, 99),
            "max_ms": percentile_of(hist, 100), "reconnects": reconnects,
            "resync_p99_s": round(sorted(resync)[int(0.99 * (len(resync) - 1))], 2)
            if resync else None,
            "rss_mb": round(rss_then[-1] / 2**20, 1) if rss_then else None,
        })  # fmt: skip
    windows = [w for w in windows if w["acked"] or w["deliveries"]]
    after = [(t, rss / 2**20) for t, rss in samples if t >= args.warmup * args.window]
    slope = _slope(after) * 3600 if len(after) >= 2 else 0.0
    lags = [s["lag_ms"] for s in shards]
    failures: Counter[str] = Counter()
    for shard in shards:
        failures.update(shard["failures"])
    return {
        "failures": dict(failures),
        "target": "app",
        "clients": counts["clients"],
        "windows": windows,
        "rss_after_warmup_mb": {
            "first": round(after[0][1], 1) if after else None,
            "last": round(after[-1][1], 1) if after else None,
            "min": round(min(r for _, r in after), 1) if after else None,
            "max": round(max(r for _, r in after), 1) if after else None,
            "slope_mb_per_hour": round(slope, 1),
        },
        "acked_op_ids": [op for s in shards for op in s["acked_op_ids"]],
        "expected_deliveries": counts["expected"],
        "deliveries": counts["delivered"],
        "synced_deliveries": counts["synced"],
        "lost": counts["expected"] - counts["delivered"],
        "duplicated": counts["duplicated_events"] + counts["duplicate_acks"],
        "counts": dict(counts),
        "generator_lag_ms_each": lags,
        **figures,
    }


def _slope(points: list[tuple[float, float]]) -> float:
    """Least-squares slope of (x, y) points, per unit of x."""
    mean_x = statistics.fmean(x for x, _ in points)
    mean_y = statistics.fmean(y for _, y in points)
    spread = sum((x - mean_x) ** 2 for x, _ in points)
    return sum((x - mean_x) * (y - mean_y) for x, y in points) / spread if spread else 0.0


def report(r: dict[str, Any], args: argparse.Namespace) -> list[str]:
    print(f"\n{'window':>6} {'acked':>7} {'delivered':>10} {'p50 ms':>7} {'p99 ms':>7} "
          f"{'max ms':>7} {'reconn':>7} {'resync p99 s':>13} {'RSS MB':>7}")  # fmt: skip
    for w in r["windows"]:
        resync = "-" if w["resync_p99_s"] is None else f"{w['resync_p99_s']:.2f}"
        print(f"{w['window']:>6} {w['acked']:>7} {w['deliveries']:>10} {w['p50_ms']:>7.0f} "
              f"{w['p99_ms']:>7.0f} {w['max_ms']:>7.0f} {w['reconnects']:>7} {resync:>13} "
              f"{w['rss_mb'] if w['rss_mb'] is not None else '-':>7}")  # fmt: skip
    rss = r["rss_after_warmup_mb"]
    print(f"server RSS: idle {r['server_rss_idle_mb']} MB, connected "
          f"{r['server_rss_connected_mb']} MB; after {args.warmup} warm-up window(s): first "
          f"{rss['first']}, last {rss['last']}, range {rss['min']}-{rss['max']} MB, slope "
          f"{rss['slope_mb_per_hour']} MB/hour")  # fmt: skip
    steady = r["windows"][args.warmup : -1] or r["windows"]  # the last one is partial
    if len(steady) >= 4:
        half = len(steady) // 2
        early = statistics.median(w["p99_ms"] for w in steady[:half])
        late = statistics.median(w["p99_ms"] for w in steady[half:])
        ratio = late / early if early else 0.0
        print(f"p99 per window after warm-up: median of the first half {early:.0f} ms, of "
              f"the second half {late:.0f} ms (ratio {ratio:.2f})")  # fmt: skip
    print(f"server CPU {r['server_cpu_pct']} %, generators {r['generator_cpu_pct_each']} % "
          f"(loop lag p99 {[lag['p99'] for lag in r['generator_lag_ms_each']]} ms), other "
          f"processes {r['other_cpu_pct']} %")  # fmt: skip
    c = r["counts"]
    print(f"ops acked {len(r['acked_op_ids'])}, deliveries {r['deliveries']} of "
          f"{r['expected_deliveries']} ({r['synced_deliveries']} by sync after a reconnect), "
          f"reconnects {c.get('reconnects', 0)} ({c.get('snapshot_resyncs', 0)} by snapshot), "
          f"lost {r['lost']}, duplicated {r['duplicated']}")  # fmt: skip
    for kind, number in sorted(r["failures"].items()):
        print(f"  {number} x {kind}")
    problems = []
    if r["lost"]:
        problems.append(f"{r['lost']} deliveries lost")
    if r["duplicated"]:
        problems.append(f"{r['duplicated']} duplicated")
    for name in ("refused", "ack_timeouts", "send_failures", "disconnects", "reconnect_failures",
                 "unknown_events", "wrong_room"):  # fmt: skip
        if c.get(name):
            problems.append(f"{c[name]} {name.replace('_', ' ')}")
    log = r["event_log"]
    if log.get("missing") or log.get("unexpected") or log.get("duplicates"):
        problems.append(f"event log: {log}")
    return problems


# ---------------------------------------------------------------- a shard (child process)


class SoakClient(Client):
    """A client that also reconnects now and then and catches up with `sync`."""

    def __init__(self, *args: Any, tally: Tally, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.tally = tally
        self.rev = 0
        self.in_flight = 0
        self.reconnecting = False
        self.synced: set[str] = set()  # op_ids taken from a sync answer

    async def on_event(self, event: dict[str, Any]) -> None:
        now = time.perf_counter()
        self.stats.messages += 1
        if isinstance(event.get("rev"), int):
            self.rev = max(self.rev, event["rev"])
        op_id = event.get("op_id", "")
        op = self.stats.ops.get(op_id)
        if op is None:
            if op_id not in self.tally.forgotten and op_id not in self.synced:
                self.stats.unknown_events += 1
            return
        if op.room != self.room or event.get("meeting_id") != self.meeting_id:
            self.stats.wrong_room += 1
            return
        if op.sender == self.index:
            op.seen_by_sender += 1
            return
        if self.index in op.seen_by:
            if op_id not in self.synced:  # a live copy of what the sync answer gave is fine
                self.stats.duplicated_events += 1
            return
        op.seen_by.add(self.index)
        self.tally.live(now, now - op.t_sent)

    def took_from_sync(self, event: dict[str, Any]) -> None:
        if isinstance(event.get("rev"), int):
            self.rev = max(self.rev, event["rev"])
        op_id = event.get("op_id", "")
        op = self.stats.ops.get(op_id)
        if op is None or op.sender == self.index or self.index in op.seen_by:
            return
        op.seen_by.add(self.index)
        self.synced.add(op_id)
        self.tally.counts["synced"] += 1

    async def _connect_again(self, timeout: float) -> None:
        """Connect, retrying as socket.io-client does (500 ms doubling to 5 s, +-50 %
        jitter); each failed attempt is counted, and the last failure raised."""
        for attempt in range(RECONNECT_ATTEMPTS):
            try:
                await self.connect(self.url, timeout)  # type: ignore[attr-defined]
                return
            except Exception as failure:
                self.tally.failures[f"attempt: {type(failure).__name__} {failure}"[:100]] += 1
                if attempt == RECONNECT_ATTEMPTS - 1:
                    raise
                await asyncio.sleep(backoff(attempt, self.rng))

    async def reconnect(self, timeout: float) -> None:
        """Off and on again between operations, then catch up from the last revision."""
        t0 = time.perf_counter()
        try:
            self.stopping = True
            old, self.sio = self.sio, _socket_of(self)  # a new one, as a reloaded page has
            old.handlers = {}  # what the closed one still receives is no one's to apply
            await old.disconnect()  # (reusing it at once raced its own close)
            for _ in range(50):
                if old.eio.state == "disconnected":
                    break
                await asyncio.sleep(0.1)
            self.stopping = False
            await self._connect_again(timeout)
            answer = await self.sio.call(
                "sync", {"meeting_id": self.meeting_id, "since_rev": self.rev}, timeout=timeout
            )
            if not isinstance(answer, dict) or not answer.get("ok"):
                self.tally.counts["reconnect_failures"] += 1
                self.tally.failures[f"sync answered {str(answer)[:80]}"] += 1
                return
            if answer.get("mode") == "events":
                for event in answer.get("events", []):
                    self.took_from_sync(event)
            else:
                self.tally.counts["snapshot_resyncs"] += 1
                for op in self.stats.ops.values():  # a snapshot holds every change so far
                    if op.acked and op.room == self.room and op.sender != self.index:
                        op.seen_by.add(self.index)
            self.tally.reconnected(time.perf_counter(), time.perf_counter() - t0)
        except Exception as failure:
            self.tally.counts["reconnect_failures"] += 1
            self.tally.failures[f"reconnect: {type(failure).__name__} {failure}"[:100]] += 1
        finally:
            self.stopping = False
            self.reconnecting = False


def _socket_of(client: SoakClient) -> Any:
    """A new Socket.IO client with the client's handlers (load.Client's)."""
    sio = socketio.AsyncClient(reconnection=False)
    sio.on("event", client.on_event)
    sio.on("presence", client.on_other)
    sio.on("closed", client.on_closed)
    sio.on("disconnect", client.on_disconnect)
    return sio


class Tally:
    """A shard's figures per window, and the ops it has finished with."""

    def __init__(self, start: float, window: float) -> None:
        self.start, self.window = start, window
        self.windows: dict[int, dict[str, Any]] = {}
        self.counts: Counter[str] = Counter()
        self.forgotten: set[str] = set()
        self.failures: Counter[str] = Counter()  # what went wrong, by kind
        self.acked_op_ids: list[str] = []

    def _at(self, now: float) -> dict[str, Any]:
        index = max(0, int((now - self.start) // self.window))
        return self.windows.setdefault(
            index, {"hist": Counter(), "acked": 0, "reconnects": 0, "resync_s": []}
        )

    def live(self, now: float, latency: float) -> None:
        self._at(now)["hist"][int(latency * 1000)] += 1

    def acked(self, now: float) -> None:
        self._at(now)["acked"] += 1

    def reconnected(self, now: float, took: float) -> None:
        window = self._at(now)
        window["reconnects"] += 1
        window["resync_s"].append(round(took, 3))
        self.counts["reconnects"] += 1

    def prune(self, stats: Stats, room_size: Counter[int], older_than: float) -> None:
        """Tally and forget the ops acknowledged long enough ago and seen by everyone."""
        for op_id, op in list(stats.ops.items()):
            if op.t_ack is None and op.error is None:
                continue  # still in flight
            if op.error is not None:
                if op.t_sent < older_than:
                    self.failures[f"op {op.kind}: {op.error}"] += 1
                    del stats.ops[op_id]
                continue
            done = op.acked and op.t_ack is not None and op.t_ack < older_than
            if done and len(op.seen_by) == room_size[op.room] - 1:
                self.finish(op_id, op, room_size)
                del stats.ops[op_id]
                self.forgotten.add(op_id)

    def finish(self, op_id: str, op: Any, room_size: Counter[int]) -> None:
        self.acked_op_ids.append(op_id)
        self.counts["expected"] += room_size[op.room] - 1
        self.counts["delivered"] += len(op.seen_by)


async def run_soak_shard(spec: dict[str, Any]) -> dict[str, Any]:
    rng = random.Random(spec["seed"])
    stats = Stats()
    tally = Tally(0.0, spec["window"])
    clients: list[SoakClient] = []
    for entry in spec["clients"]:
        client = SoakClient(
            entry["index"], entry["room"], entry["meeting_id"], stats,
            random.Random(rng.random()), spec["sections"], tally=tally,
        )  # fmt: skip
        client.cookie, client.url = entry["cookie"], entry["url"]  # type: ignore[attr-defined]
        clients.append(client)
    room_size = Counter(c.room for c in clients)
    connect_s = await fleet.connect_all(clients, spec["connect_concurrency"])
    fleet.announce_ready(connect_s, len(clients))
    start = await fleet.wait_for_go()
    tally.start = start
    await asyncio.sleep(max(0.0, start - time.perf_counter()))
    stop = asyncio.Event()
    lag: list[float] = []
    watcher = asyncio.create_task(_loop_lag(lag, stop))
    end = start + spec["duration"]
    tasks: set[asyncio.Task[None]] = set()

    async def send(client: SoakClient) -> None:
        try:  # in_flight was raised as it was spawned: no reconnect starts in between
            await client.send_op(spec["ack_timeout"])
        finally:
            client.in_flight -= 1
        tally.acked(time.perf_counter())

    def spawn(job: Any) -> None:
        task = asyncio.create_task(job)
        tasks.add(task)
        task.add_done_callback(tasks.discard)

    async def pace(client: SoakClient) -> None:
        due = start + rng.random() * spec["interval"]
        while due < end:
            await asyncio.sleep(max(0.0, due - time.perf_counter()))
            if not client.reconnecting:  # an op made while offline would wait: none here
                client.in_flight += 1
                spawn(send(client))
            due += spec["interval"]

    async def churn() -> None:
        owed = 0.0
        while time.perf_counter() < end - 2:
            await asyncio.sleep(1.0)
            owed += len(clients) * spec["churn"] / 60
            while owed >= 1:
                idle = [c for c in rng.sample(clients, min(20, len(clients)))
                        if not c.in_flight and not c.reconnecting]  # fmt: skip
                if not idle:
                    break
                owed -= 1
                idle[0].reconnecting = True  # now: a later pick in this loop must skip it
                spawn(idle[0].reconnect(spec["ack_timeout"]))

    async def prune() -> None:
        while not stop.is_set():
            await asyncio.sleep(PRUNE_AFTER_S / 3)
            tally.prune(stats, room_size, time.perf_counter() - PRUNE_AFTER_S)

    pruner = asyncio.create_task(prune())
    await asyncio.gather(churn(), *(pace(c) for c in clients))
    stop.set()
    await watcher
    await pruner
    if tasks:
        await asyncio.wait(set(tasks), timeout=spec["ack_timeout"] + 5)
    deadline = time.perf_counter() + spec["drain"]
    while time.perf_counter() < deadline:
        if not any(op.acked and len(op.seen_by) < room_size[op.room] - 1
                   for op in stats.ops.values()):  # fmt: skip
            break
        await asyncio.sleep(0.1)
    for client in clients:
        client.stopping = True
    await fleet._bounded(100, [c.sio.disconnect() for c in clients])
    for op_id, op in stats.ops.items():
        if op.acked:
            tally.finish(op_id, op, room_size)
        elif op.error is not None:
            tally.failures[f"op {op.kind}: {op.error}"] += 1
    lag.sort()
    tally.counts.update(
        clients=len(clients),
        duplicated_events=stats.duplicated_events,
        duplicate_acks=stats.duplicate_acks,
        refused=sum(stats.errors.values()),
        ack_timeouts=stats.ack_timeouts,
        send_failures=stats.send_failures,
        disconnects=stats.disconnects,
        unknown_events=stats.unknown_events,
        wrong_room=stats.wrong_room,
    )
    return {
        "windows": {str(k): v for k, v in tally.windows.items()},
        "counts": dict(tally.counts),
        "acked_op_ids": tally.acked_op_ids,
        "failures": dict(tally.failures),
        "connect_s": connect_s,
        "lag_ms": {
            "p99": round(fleet.percentile(lag, 99) * 1000, 1) if lag else 0.0,
            "max": round(lag[-1] * 1000, 1) if lag else 0.0,
        },
    }


if __name__ == "__main__":
    sys.exit(main())
