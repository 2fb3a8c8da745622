"""Reconnect storm (issue 6): every client cut off at once by a server restart.

    .venv/bin/python bench/storm.py                           # 100 meetings x 10 = 1,000
    .venv/bin/python bench/storm.py --meetings 300 --interval 10   # county size and rate
    .venv/bin/python bench/storm.py --meetings 20 --before 5
    make bench-storm BENCH_ARGS="--json bench/results/storm.json"

The real app (wsgi.py) on embedded SQLite, its guests seeded through the services (as in
bench/county.py). Every client behaves as the browser does (static/js/lib/socket.js,
docs/protocol.md): each operation waits in an in-memory outbox with its op_id until
acknowledged (8 s ack timeout; an unanswered sync is asked again on the same socket after
0.5 s, an unanswered op after outbox.js's back-off: 1, 2, 4, 8 s, x0.5-1.5); on a lost
connection it reconnects with socket.io-client's jittered backoff (500 ms doubling to 5 s,
+-50 %), sends `sync` from the last revision it applied, applies
the answer, and resends its whole outbox at once, oldest first, with the same op_ids; ops
made meanwhile wait in the outbox. Each client adds an item every --interval seconds
throughout, so ops are in flight and queued around the restart.

After --before seconds of load the server gets SIGTERM (wsgi.py drains: queued ops are
committed and acked, every socket is told `server_restarting` and closed) and, once it
has exited, is started again on the same port and database. A client has *resynced* when
it is connected again, its sync answer is applied and its outbox is empty. Reported: the
time from the SIGTERM to each client's resync (p50/p90/p99/max; the bar is everyone
within 10 s), how long the shutdown and the new start took, reconnect attempts, the
generator shards' CPU and event-loop lag over the storm, the server's CPU.

Checked afterwards (exit 1 if not): every op sent ended exactly once (acknowledged, none
refused, none left in an outbox; the event log holds exactly the acknowledged op_ids,
each once; a resent op the server had already committed is acknowledged as a duplicate,
which is counted, not failed), every client resynced, and every client's last revision
equals its meeting's revision in the database.

Then the bare relay (bench/relay.py, with the app's gc.freeze) gets the same storm: the
same clients, rate, cut and restart (a relay exits at once on SIGTERM, with no drain), its
`sync` answered with the room's revision and no events. It is what this stack and machine
need for the handshakes and the ops alone: the floor under the app's figures (--only
app|relay for one). The relay keeps no event log, so only the clients' side is checked.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import itertools
import random
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from collections import Counter
from pathlib import Path
from typing import Any

import psutil
import socketio

BENCH = Path(__file__).resolve().parent
sys.path.insert(0, str(BENCH))

import fleet  # noqa: E402
from load import (  # noqa: E402
    FILLER,
    HOST,
    SECTIONS,
    Server,
    _bounded,
    _raise_interrupt,
    app_env,
    percentile,
    prepare_app,
    prepare_relay,
    raise_nofile,
    write_json,
)

ACK_SECONDS = 8.0  # the browser's ACK_TIMEOUT_MS
RETRY_SECONDS = 0.5  # socket.js: RETRY_BASE_MS before asking for a sync again
RETRY_MAX_SECONDS = 8.0  # outbox.js: RETRY_MAX_MS, the longest back-off before an op goes again
CONNECT_SECONDS = 20.0  # socket.io-client's default connection timeout (socket.js keeps it)
BACKOFF_FIRST, BACKOFF_MAX, JITTER = 0.5, 5.0, 0.5  # socket.io-client as socket.js sets it
BAR_SECONDS = 10.0
SHUTDOWN_SECONDS = 10  # wsgi.py's default FACILITATOR_SHUTDOWN_SECONDS
# Resync is timed in seconds: a shard's loop this late (p99 over the storm) would matter
SATURATED_LAG_MS = 250.0
# A reconnect costs the client far more than a delivery: smaller shards than the steady runs
CLIENTS_PER_SHARD = 500


class Lost(Exception):
    """The connection went away while resending."""


def op_backoff(tries: int, rng: random.Random) -> float:
    """outbox.js's wait before an unanswered op goes again (tries >= 1): doubling from
    RETRY_BASE_MS to RETRY_MAX_MS, times 0.5-1.5."""
    return min(RETRY_MAX_SECONDS, RETRY_SECONDS * 2**tries) * (0.5 + rng.random())


def backoff(attempt: int, rng: random.Random) -> float:
    """socket.io-client's delay before reconnect attempt n (0-based): doubling, jittered."""
    base = min(BACKOFF_FIRST * 2**attempt, BACKOFF_MAX)
    return max(0.0, base + (rng.random() * 2 - 1) * JITTER * base)


class StormClient:
    """A participant with the browser's outbox, reconnect and resync (add_item only)."""

    def __init__(self, entry: dict[str, Any], rng: random.Random, sections: list[str]):
        self.index, self.room = entry["index"], entry["room"]
        self.meeting_id, self.cookie, self.url = entry["meeting_id"], entry["cookie"], entry["url"]
        self.rng, self.sections = rng, sections
        self.sio: socketio.AsyncClient | None = None
        self.rev: int | None = None
        self.buffered: dict[int, dict[str, Any]] = {}
        self.outbox: dict[str, dict[str, Any]] = {}  # op_id -> op, oldest first
        self.sent = 0
        self.acked: list[str] = []
        self.duplicates = 0  # resent ops the server had already committed
        self.refused: Counter[str] = Counter()
        self.recovering = False
        self.stopping = False
        self.attempts = 0  # reconnect attempts, failed or not
        self.lost_at: list[float] = []  # time.monotonic() of each lost connection
        self.resynced_at: list[float] = []
        self.took: list[list[float]] = []  # the successful attempt: connect, sync, resend (s)
        self.closed: Counter[str] = Counter()  # `closed` reasons from the server
        self.failures: Counter[str] = Counter()  # failed reconnect attempts, by step and error
        self.tasks: set[asyncio.Task[Any]] = set()

    # --- the connection ---------------------------------------------------------------

    async def connect(self, url: str, timeout: float) -> None:
        """Open the socket and sync (the first time: a snapshot)."""
        await self.open(url, timeout)
        await self.sync()

    async def open(self, url: str, timeout: float) -> None:
        sio = socketio.AsyncClient(reconnection=False)
        sio.on("event", self.on_event)
        sio.on("closed", self.on_closed)
        sio.on("disconnect", self.on_disconnect)
        await sio.connect(
            url,
            headers={"Cookie": self.cookie} if self.cookie else {},
            auth={"meeting_id": self.meeting_id},
            transports=["websocket"],
            wait_timeout=timeout,
        )
        self.sio = sio

    async def close(self) -> None:
        sio, self.sio = self.sio, None
        if sio is not None:
            with contextlib.suppress(Exception):
                await sio.disconnect()

    async def on_closed(self, message: Any = None) -> None:
        self.closed[str((message or {}).get("reason"))] += 1

    async def on_disconnect(self, *_: Any) -> None:
        if self.stopping or self.recovering:
            return
        self.lost_at.append(time.monotonic())
        self.recovering = True  # from here, new ops only wait in the outbox
        task = asyncio.create_task(self.recover())
        self.tasks.add(task)
        task.add_done_callback(self.tasks.discard)

    async def recover(self) -> None:
        """Reconnect with backoff, sync, resend the outbox; then it has resynced."""
        await self.close()
        attempt = 0
        while not self.stopping:
            await asyncio.sleep(backoff(attempt, self.rng))
            attempt += 1
            self.attempts += 1
            times = [time.monotonic()]
            try:
                await self.open(self.url, CONNECT_SECONDS)
                times.append(time.monotonic())
                await self.retry_on_this_socket(self.sync, "sync")
                times.append(time.monotonic())
                await self.flush()
            except Exception as failed:
                self.failures[f"{('connect', 'sync', 'resend')[len(times) - 1]}: "
                              f"{type(failed).__name__} {str(failed)[:60]}"] += 1  # fmt: skip
                await self.close()
                continue
            self.recovering = False
            self.resynced_at.append(time.monotonic())
            times.append(self.resynced_at[-1])
            self.took.append([b - a for a, b in itertools.pairwise(times)])
            return

    @property
    def linked(self) -> bool:
        return self.sio is not None and self.sio.connected

    async def retry_on_this_socket(self, step: Any, name: str) -> None:
        """As socket.js: an unanswered request is asked again on the same socket (after
        RETRY_BASE_MS); only a lost connection means reconnecting."""
        while True:
            try:
                await step()
                return
            except socketio.exceptions.TimeoutError:
                self.failures[f"{name}: no answer within {ACK_SECONDS:g} s (retried)"] += 1
                if not self.linked:
                    raise
                await asyncio.sleep(RETRY_SECONDS)

    # --- receiving --------------------------------------------------------------------

    async def on_event(self, event: dict[str, Any]) -> None:
        self.take(event)

    def take(self, event: dict[str, Any]) -> None:
        """Apply in revision order; a later one waits for the gap (sync fills it)."""
        if self.rev is None or event["rev"] <= self.rev:
            return
        self.buffered[event["rev"]] = event
        self.drain()

    def drain(self) -> None:
        assert self.rev is not None
        while self.rev + 1 in self.buffered:
            self.rev = self.buffered.pop(self.rev + 1)["rev"]
        for rev in [rev for rev in self.buffered if rev <= self.rev]:
            del self.buffered[rev]

    async def sync(self) -> None:
        if self.sio is None:
            raise Lost("not connected")
        ack = await self.sio.call(
            "sync", {"meeting_id": self.meeting_id, "since_rev": self.rev}, timeout=ACK_SECONDS
        )
        if not isinstance(ack, dict) or not ack.get("ok"):
            raise Lost(f"sync refused: {ack}")
        if ack["mode"] == "snapshot":
            self.rev = ack["snapshot"]["rev"]
        else:
            for event in ack["events"]:
                self.take(event)
        self.drain()  # what waited for the gap

    # --- sending ----------------------------------------------------------------------

    async def tick(self) -> None:
        """Make one op (an added item); send it now unless the link is being recovered."""
        self.sent += 1
        op = {
            "op_id": uuid.uuid4().hex,
            "meeting_id": self.meeting_id,
            "type": "add_item",
            "payload": {
                "section": self.rng.choice(self.sections),
                "text": f"Note {self.sent} from participant {self.index}. {FILLER}",
                "view": "agency",
            },
        }
        self.outbox[op["op_id"]] = op
        if self.recovering or self.sio is None:
            return  # the recovery resends it
        tries = 0
        while not await self.push(op) and self.linked and not self.recovering:
            self.failures["op: unanswered (retried)"] += 1
            tries += 1
            await asyncio.sleep(op_backoff(tries, self.rng))

    async def push(self, op: dict[str, Any]) -> bool:
        """Send one op; False if the link failed (it stays in the outbox)."""
        while True:
            sio = self.sio
            if sio is None or op["op_id"] not in self.outbox:
                return op["op_id"] not in self.outbox
            try:
                ack = await sio.call("op", op, timeout=ACK_SECONDS)
            except Exception:
                return False
            code = ack.get("error", {}).get("code") if isinstance(ack, dict) else "bad_ack"
            if code == "rate_limited":
                await asyncio.sleep(ack["error"].get("retry_after_ms", 100) / 1000)
                continue
            if code == "server_error":
                return False
            if self.outbox.pop(op["op_id"], None) is None:
                return True  # answered twice (a resend overtook it): counted once
            if code is None and ack.get("ok"):
                self.acked.append(op["op_id"])
                self.duplicates += bool(ack.get("duplicate"))
                self.take(ack["event"])
            else:
                self.refused[str(code)] += 1
            return True

    async def flush(self) -> None:
        """Resend the whole outbox at once, oldest first, as outbox.js's flush does; each op
        that stays unanswered goes again on the same socket, after its own back-off."""
        while self.outbox:
            await asyncio.gather(*(self.deliver(op) for op in list(self.outbox.values())))

    async def deliver(self, op: dict[str, Any]) -> None:
        """Send one op until it is answered, as outbox.js's trySend: after each unanswered
        try (8 s), the next after op_backoff(tries); a lost connection ends it."""
        tries = 0
        while not await self.push(op):
            if not self.linked:
                raise Lost("lost while resending")
            self.failures["resend: unanswered (retried)"] += 1
            tries += 1
            await asyncio.sleep(op_backoff(tries, self.rng))

    def figures(self) -> dict[str, Any]:
        return {
            "meeting_id": self.meeting_id,
            "rev": self.rev,
            "connected": self.sio is not None and self.sio.connected,
            "outbox": len(self.outbox),
            "lost_at": self.lost_at,
            "resynced_at": self.resynced_at,
            "took": self.took,
            "attempts": self.attempts,
            "closed": dict(self.closed),
            "failures": dict(self.failures),
        }


async def run_storm_shard(spec: dict[str, Any]) -> dict[str, Any]:
    """A shard of the storm: connect, add items until the end, settle, report."""
    rng = random.Random(spec["seed"])
    clients = [
        StormClient(entry, random.Random(rng.random()), spec["sections"])
        for entry in spec["clients"]
    ]
    connect_s = await fleet.connect_all(clients, spec["connect_concurrency"])
    fleet.announce_ready(connect_s, len(clients))
    start = await fleet.wait_for_go()
    lag: list[tuple[float, float]] = []
    stop = asyncio.Event()
    watcher = asyncio.create_task(_timed_lag(lag, stop))
    await asyncio.sleep(max(0.0, start - time.perf_counter()))
    end = start + spec["duration"]
    pending: set[asyncio.Task[None]] = set()

    async def pace(client: StormClient) -> None:
        due = start + rng.random() * spec["interval"]
        while due < end:
            await asyncio.sleep(max(0.0, due - time.perf_counter()))
            task = asyncio.create_task(client.tick())
            pending.add(task)
            task.add_done_callback(pending.discard)
            due += spec["interval"]

    await asyncio.gather(*(pace(c) for c in clients))
    # settle: everyone reconnected with an empty outbox (a push that failed without the
    # link dropping is retried here), then one last sync for the final revision
    deadline = time.perf_counter() + spec["drain"]
    while time.perf_counter() < deadline:
        if pending:
            await asyncio.wait(set(pending), timeout=0.5)
        waiting = [c for c in clients if c.recovering or c.outbox]
        if not waiting:
            break
        for client in waiting:
            if not client.recovering and client.sio is not None:
                with contextlib.suppress(Exception):
                    await client.flush()
        await asyncio.sleep(0.2)
    await _bounded(50, [c.sync() for c in clients if not c.recovering])
    stop.set()
    await watcher
    figures = [c.figures() for c in clients]
    for client in clients:
        client.stopping = True
    await _bounded(100, [c.close() for c in clients])
    return {
        "connect_s": connect_s,
        "clients": figures,
        "sent": sum(c.sent for c in clients),
        "acked_op_ids": [op_id for c in clients for op_id in c.acked],
        "duplicates": sum(c.duplicates for c in clients),
        "refused": dict(sum((c.refused for c in clients), Counter[str]())),
        "lag": [(t - time.perf_counter() + time.monotonic(), x) for t, x in lag],
    }


async def _timed_lag(samples: list[tuple[float, float]], stop: asyncio.Event) -> None:
    while not stop.is_set():
        before = time.perf_counter()
        await asyncio.sleep(0.05)
        samples.append((before, time.perf_counter() - before - 0.05))


# ---------------------------------------------------------------- the parent


class CpuTimeline:
    """CPU seconds of the generator shards and the (current) server, sampled every 0.2 s."""

    def __init__(self, shards: list[psutil.Process], server: Server):
        self.shards, self.server = shards, server
        self.samples: list[tuple[float, list[float], float]] = []
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)
        self.server_base = 0.0  # CPU of earlier server processes, so the sum keeps growing
        self._pid = 0
        self._last = 0.0  # the current server process's CPU at the last reading

    def _run(self) -> None:
        while not self._stop.wait(0.2):
            self.sample()

    def sample(self) -> None:
        ps = self.server.ps
        if ps is not None and ps.pid != self._pid:
            self.server_base += self._last
            self._pid, self._last = ps.pid, 0.0
        self._last = max(self._last, fleet.cpu_seconds(ps))  # an exited process reads as 0
        server = self.server_base + self._last
        self.samples.append((time.monotonic(), [fleet.cpu_seconds(p) for p in self.shards], server))

    def start(self) -> None:
        self.sample()
        self._thread.start()

    def stop(self) -> None:
        self._stop.set()
        self._thread.join()

    def between(self, t0: float, t1: float) -> dict[str, Any]:
        """% of a core used by each shard and by the server from t0 to t1."""
        inside = [s for s in self.samples if t0 <= s[0] <= t1] or self.samples[-1:]
        first, last = inside[0], inside[-1]
        wall = max(last[0] - first[0], 1e-6)
        return {
            "shard_cpu_pct": [
                round(100 * (b - a) / wall, 1) for a, b in zip(first[1], last[1], strict=True)
            ],
            "server_cpu_pct": round(100 * (last[2] - first[2]) / wall, 1),
            "seconds": round(wall, 2),
        }


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--meetings", type=int, default=100)
    parser.add_argument("--clients-per-meeting", type=int, default=10)
    parser.add_argument("--interval", type=float, default=5.0, help="s between a client's ops")
    parser.add_argument("--before", type=float, default=10.0, help="s of load before the cut")
    parser.add_argument(
        "--after", type=float, default=30.0, help="s of load after the cut (ops keep coming)"
    )
    parser.add_argument("--generators", type=int, default=0, help="default: 1 per 500 clients")
    parser.add_argument("--connect-concurrency", type=int, default=25, help="per generator")
    parser.add_argument("--drain", type=float, default=30.0, help="max wait to settle at the end")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--nice", type=int, default=0)
    parser.add_argument(
        "--only", choices=("app", "relay"),
        help="one target; by default the app, then the bare relay (its floor)",
    )  # fmt: skip
    parser.add_argument("--json", type=Path)
    parser.add_argument("--keep", action="store_true", help="keep the temp folder (logs, db)")
    args = parser.parse_args(argv)
    args.export_items = 0
    args.relay_gc_freeze = True  # the same tuning as wsgi.py
    return args


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    count = args.meetings * args.clients_per_meeting
    raise_nofile(2 * count + 256)
    signal.signal(signal.SIGTERM, _raise_interrupt)
    Server.nice = args.nice
    workdir = Path(tempfile.mkdtemp(prefix="facilitator-storm-"))
    shards = fleet.shards_for(count, args.generators, CLIENTS_PER_SHARD)
    print(f"storm: {args.meetings} meetings x {args.clients_per_meeting} clients, an add every "
          f"{args.interval} s each, SIGTERM + restart after {args.before} s; {shards} "
          f"generator(s); work dir {workdir}", flush=True)  # fmt: skip
    results = []
    try:
        for name in ("app", "relay"):
            if args.only in (None, name):
                results.append(storm(args, workdir / name, shards, name))
                print_storm(results[-1])
    except KeyboardInterrupt:
        print("\ninterrupted: servers stopped", file=sys.stderr)
        return 130
    finally:
        Server.stop_all()
        if not args.keep:
            shutil.rmtree(workdir, ignore_errors=True)
    if len(results) == 2:
        print_comparison(*results)
    if args.json:
        write_json(args.json, args, results)
    failed = [verdict_storm(r) for r in results]
    print("RESULT: " + ("FAIL" if any(failed) else "PASS"))
    return max(failed)


def storm(args: argparse.Namespace, workdir: Path, shards: int, name: str) -> dict[str, Any]:
    workdir.mkdir(parents=True, exist_ok=True)
    target = (prepare_app if name == "app" else prepare_relay)(args, workdir)
    server = target.server
    server.start()
    base = f"http://{HOST}:{server.port}"
    env = app_env(target.instance or workdir, server.port)
    if name == "app":
        cookies, join = fleet.guest_cookies(target.meetings, args.clients_per_meeting, env, workdir)
    else:  # the relay takes its room from the connect's auth and has no accounts
        cookies = [[""] * args.clients_per_meeting for _ in target.meetings]
        join = "none (a relay has no pages)"
    clients = fleet.clients_for(target.meetings, cookies, [base])
    spec = {
        "mode": "storm",
        "sections": target.sections or SECTIONS,
        "interval": args.interval,
        "duration": args.before + args.after,
        "drain": args.drain,
        "seed": args.seed,
        "connect_concurrency": args.connect_concurrency,
    }
    crew = fleet.Fleet(f"storm-{name}", spec, clients, shards, workdir)
    try:
        crew.start()
        print(f"[storm {name}] {len(clients)} clients connected and synced through "
              f"{crew.shards} shard(s)", flush=True)  # fmt: skip
        timeline = CpuTimeline(crew.ps, server)
        start = time.monotonic() + 0.5
        crew.go(start)
        timeline.start()
        time.sleep(max(0.0, start + args.before - time.monotonic()))
        t_cut = time.monotonic()
        drained = sigterm(server)
        t_exit = time.monotonic()
        server.log = workdir / f"{name}-server-restarted.log"
        server.start()
        t_listen = time.monotonic()
        print(f"[storm {name}] SIGTERM at +{t_cut - start:.1f} s; exited after "
              f"{t_exit - t_cut:.2f} s; listening again {t_listen - t_exit:.2f} s later",
              flush=True)  # fmt: skip
        shard_results = crew.collect(args.before + args.after + args.drain + 120)
        timeline.stop()
    except BaseException:
        print(f"[storm {name}] server log (last lines):\n{server.tail()}", file=sys.stderr)
        raise
    finally:
        crew.stop()
        server.stop()
    log = None
    if name == "app":
        ids = [m["id"] for m in target.meetings]
        acked = [op for s in shard_results for op in s["acked_op_ids"]]
        log = fleet.check_meetings(env, acked, ids, workdir, "storm")
    result = summarise_storm(shard_results, log, timeline, t_cut, t_exit, t_listen,
                             len(clients), join)  # fmt: skip
    result["target"] = name
    result["shutdown_exit_code"] = drained
    return result


def sigterm(server: Server) -> int | None:
    """SIGTERM, then wait for wsgi.py's own drain (FACILITATOR_SHUTDOWN_SECONDS, 10 s)
    and a margin; its exit code says whether it finished draining in time (0) or not (1).
    SIGKILL only if it is still there after that (None)."""
    assert server.proc is not None
    server.proc.terminate()
    try:
        code: int | None = server.proc.wait(SHUTDOWN_SECONDS + 5)
    except subprocess.TimeoutExpired:
        server.proc.kill()
        server.proc.wait(5)
        code = None
    server.stop()  # forget it (it has exited)
    return code


def summarise_storm(
    shards: list[dict[str, Any]], log: dict[str, Any] | None, timeline: CpuTimeline, t_cut: float,
    t_exit: float, t_listen: float, count: int, join: str,
) -> dict[str, Any]:  # fmt: skip
    clients = [c for s in shards for c in s["clients"]]
    cut_off = [c for c in clients if any(t >= t_cut - 1 for t in c["lost_at"])]
    resync = sorted(
        min(t for t in c["resynced_at"] if t >= t_cut) - t_cut
        for c in cut_off
        if any(t >= t_cut for t in c["resynced_at"])
    )
    done = t_cut + (resync[-1] if resync else 0.0)
    storm_cpu = timeline.between(t_cut, max(done, t_cut + 1))
    back_cpu = timeline.between(t_listen, max(done, t_listen + 1))
    lag = sorted(x for s in shards for t, x in s["lag"] if t_cut <= t <= max(done, t_cut + 1))
    took = [c["took"][-1] for c in cut_off if c["took"]]
    phases = {
        phase: {
            p: round(percentile(sorted(t[n] for t in took), q), 3)
            for p, q in (("p50", 50), ("p99", 99), ("max", 100))
        }
        for n, phase in enumerate(("connect", "sync", "resend"))
    }
    took_all = sorted(sum(t) for t in took)
    revs = log.get("revs", {}) if log is not None else None  # a relay keeps no revisions
    behind = [c for c in clients if revs is not None and c["rev"] != revs.get(str(c["meeting_id"]))]
    acked = sum(len(s["acked_op_ids"]) for s in shards)
    return {
        "clients": count,
        "join": join,
        "shutdown_s": round(t_exit - t_cut, 2),
        "restart_s": round(t_listen - t_exit, 2),
        "cut_off": len(cut_off),
        "resynced": len(resync),
        "not_resynced": len(cut_off) - len(resync),
        "resync_s": {
            p: round(percentile(resync, q), 2)
            for p, q in (("p50", 50), ("p90", 90), ("p99", 99), ("max", 100))
        },
        "successful_attempt_s": {
            p: round(percentile(took_all, q), 3)
            for p, q in (("p50", 50), ("p99", 99), ("max", 100))
        },
        "successful_attempt_phases_s": phases,
        "resync_after_listen_s": round(done - t_listen, 2) if resync else None,
        "within_bar": sum(1 for x in resync if x <= BAR_SECONDS),
        "reconnect_attempts": sum(c["attempts"] for c in clients),
        "failed_attempts": dict(
            sum((Counter(c["failures"]) for c in clients), Counter[str]()).most_common(8)
        ),
        "closed_reasons": dict(sum((Counter(c["closed"]) for c in clients), Counter[str]())),
        "ops_sent": sum(s["sent"] for s in shards),
        "ops_acked": acked,
        "acked_as_duplicate": sum(s["duplicates"] for s in shards),
        "refused": dict(sum((Counter(s["refused"]) for s in shards), Counter[str]())),
        "left_in_outbox": sum(c["outbox"] for c in clients),
        "not_connected_at_end": sum(1 for c in clients if not c["connected"]),
        "out_of_sync": len(behind),
        "event_log": log,
        "storm_window_s": storm_cpu["seconds"],
        "generator_cpu_pct_each": storm_cpu["shard_cpu_pct"],
        "server_cpu_pct": storm_cpu["server_cpu_pct"],
        "server_cpu_pct_after_listen": back_cpu["server_cpu_pct"],
        # CPU from listening to the last resync, per client cut off (its handshake, sync,
        # resent and new ops, and the deliveries of them all)
        "server_cpu_ms_per_client_after_listen": round(
            back_cpu["server_cpu_pct"] * back_cpu["seconds"] * 10 / max(len(cut_off), 1), 2
        ),
        "generator_cpu_pct_after_listen": back_cpu["shard_cpu_pct"],
        "generator_lag_ms": {
            "p99": round(percentile(lag, 99) * 1000, 1),
            "max": round(percentile(lag, 100) * 1000, 1),
        },
    }


def storm_problems(r: dict[str, Any]) -> list[str]:
    found = []
    for key in ("not_resynced", "left_in_outbox", "not_connected_at_end", "out_of_sync"):
        if r[key]:
            found.append(f"{key} {r[key]}")
    if r["refused"]:
        found.append(f"refused {r['refused']}")
    if r["cut_off"] != r["clients"]:
        found.append(f"only {r['cut_off']} of {r['clients']} clients lost their connection")
    if r["ops_acked"] + sum(r["refused"].values()) != r["ops_sent"]:
        found.append(f"{r['ops_sent']} ops sent, {r['ops_acked']} acknowledged")
    log = r["event_log"]
    if log is not None and (
        log["rows"] != r["ops_acked"] or log["duplicate_op_ids"] or log["acked_missing"]
    ):
        found.append(f"event log: {log['rows']} rows for {r['ops_acked']} acked ops, "
                     f"{log['duplicate_op_ids']} duplicate op_ids, {log['acked_missing']} "
                     f"missing, {log['unacked_stored']} stored unacknowledged")  # fmt: skip
    return found


def print_storm(r: dict[str, Any]) -> None:
    x = r["resync_s"]
    print(f"\n{r['target']}: clients cut off: {r['cut_off']} of {r['clients']} ({r['join']})")
    how = {0: "drained", 1: "ran out of time draining", None: "killed"}.get(
        r["shutdown_exit_code"], f"exit code {r['shutdown_exit_code']}"
    )
    if r["target"] == "relay":
        how += ", no drain"
    print(f"server: exited {r['shutdown_s']} s after SIGTERM ({how}), listening again "
          f"{r['restart_s']} s later; clients told {r['closed_reasons']}")  # fmt: skip
    print(f"time from SIGTERM to resynced (connected, synced, outbox empty): p50 {x['p50']} s, "
          f"p90 {x['p90']} s, p99 {x['p99']} s, max {x['max']} s; {r['resynced']} resynced, "
          f"{r['not_resynced']} not")  # fmt: skip
    print(f"last client resynced {r['resync_after_listen_s']} s after the server listened "
          f"again; {r['reconnect_attempts']} reconnect attempts")  # fmt: skip
    print(f"failed attempts (most common): {r['failed_attempts']}")
    y = r["successful_attempt_s"]
    print(f"the successful attempt itself (connect, sync, resend the outbox): p50 {y['p50']} s, "
          f"p99 {y['p99']} s, max {y['max']} s; the rest is the server's restart and the "
          "clients' backoff")  # fmt: skip
    for phase, z in r["successful_attempt_phases_s"].items():
        print(f"  {phase}: p50 {z['p50']} s, p99 {z['p99']} s, max {z['max']} s")
    met = r["not_resynced"] == 0 and x["max"] <= BAR_SECONDS
    print(
        f"bar (every client resynced within {BAR_SECONDS:g} s of the cut): "
        f"{'met' if met else 'NOT met'} ({r['within_bar']} of {r['cut_off']} within it)"
    )
    print(
        f"ops: {r['ops_sent']} sent, {r['ops_acked']} acknowledged ({r['acked_as_duplicate']} "
        f"as already stored), refused {r['refused']}, {r['left_in_outbox']} left in outboxes"
    )
    log = r["event_log"]
    if log is not None:
        print(f"event log: {log['rows']} rows for {r['ops_acked']} acked ops, "
              f"{log['duplicate_op_ids']} duplicate op_ids, {log['acked_missing']} acked "
              f"missing, {log['unacked_stored']} stored unacknowledged")  # fmt: skip
        print(f"clients out of sync with the database at the end: {r['out_of_sync']}; not "
              f"connected: {r['not_connected_at_end']}")  # fmt: skip
    else:
        print(f"not connected at the end: {r['not_connected_at_end']} (a relay keeps no log)")
    print(
        f"during the storm ({r['storm_window_s']} s from the cut): server CPU "
        f"{r['server_cpu_pct']} %, generator shards CPU {r['generator_cpu_pct_each']} %, "
        f"loop lag p99 {r['generator_lag_ms']['p99']} ms, max {r['generator_lag_ms']['max']} ms"
    )
    print(f"from listening again to the last resync: server CPU "
          f"{r['server_cpu_pct_after_listen']} % ({r['server_cpu_ms_per_client_after_listen']} "
          f"ms per client cut off), generator shards CPU "
          f"{r['generator_cpu_pct_after_listen']} %")  # fmt: skip
    busy = [
        cpu
        for cpu in r["generator_cpu_pct_each"] + r["generator_cpu_pct_after_listen"]
        if cpu >= fleet.SATURATED_CPU
    ]
    if busy or r["generator_lag_ms"]["p99"] >= SATURATED_LAG_MS:
        print("INVALID RUN: a generator shard was saturated or starved during the storm: the "
              "resync times measure the generator, not the server")  # fmt: skip


def print_comparison(app: dict[str, Any], relay: dict[str, Any]) -> None:
    """The app against the floor the stack and machine set (the same storm on the relay)."""
    print("\napp / relay, same storm:")
    for label, key in (
        ("listening again to the last resync", "resync_after_listen_s"),
        ("SIGTERM to the last resync", None),
        ("server CPU per client cut off (ms)", "server_cpu_ms_per_client_after_listen"),
    ):
        a = app[key] if key else app["resync_s"]["max"]
        b = relay[key] if key else relay["resync_s"]["max"]
        ratio = f"{a / b:.2f}x" if a and b else "n/a"
        print(f"  {label}: app {a}, relay {b} ({ratio})")


def verdict_storm(r: dict[str, Any]) -> int:
    failures = storm_problems(r)
    for failure in failures:
        print(f"FAIL {r['target']}: {failure}")
    checked = "in step with the database" if r["event_log"] is not None else "its outbox empty"
    print(f"RESULT {r['target']}: " + ("FAIL" if failures else f"PASS (every op exactly once, "
                                      f"every client resynced and {checked})"))  # fmt: skip
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
