"""Load test: the real app against a bare relay, same clients, same rate, in one run.

    .venv/bin/python bench/load.py                          # 50 meetings x 10 clients, 60 s each
    .venv/bin/python bench/load.py --meetings 2 --clients-per-meeting 3 --duration 5
    .venv/bin/python bench/load.py --only relay
    .venv/bin/python bench/load.py --meetings 10 --export-items 300 --export-every 3
    .venv/bin/python bench/load.py --stress       # issue 6: 50 x 10, one op/s each, bars 1.5x

For the app (a): a temporary instance folder gets the schema (`flask db upgrade`), then
bench/appdb.py seeds M live meetings with a guest invite each, through the app's
services. The server is `wsgi.py` on eventlet on a free loopback port. Every client joins
as a guest through the real pages (GET /join, POST /join {code}, GET /join/name,
POST /join/name {display_name}, with the form's CSRF token and the session cookie), then
opens a websocket with that cookie and sends `op`s at a steady rate: add_item, edit_item
(base_version from the last ack) and move_item, on its own items.

For the relay (b): bench/relay.py on the same stack with no database, same clients and
rate, no join pages.

Measured, after every client has joined: op sent -> `event` received at every OTHER
client of the room (p50/p95/p99/max), op sent -> ack at the sender, deliveries per second,
lost deliveries (acked ops whose event never reached a room member), duplicates (an op's
event twice at one client, or an ack saying `duplicate`), server CPU and RSS (psutil on
the server's pid) and this generator's own CPU and event-loop lag. After the app run the
event log is checked: one meeting_events row per acknowledged op, no duplicate op_ids.

With --export-items N (app only): appdb.py also seeds one more live meeting with N items,
which no client joins; a staff session signs in through the login form (CSRF token, session
cookie) and, through the steady window, downloads that meeting's export.pdf then
export.docx, one at a time, pausing --export-every seconds after each. Reported besides:
each export's duration (p50/max per format), failures, the server's peak RSS, and the
op -> delivery latency in the OTHER meetings split by whether an export was in progress
when the op was sent (p50/p95/p99 while exporting vs. while not), in the same run.

Compared, when both ran: app / relay for p50/p95/p99, server CPU, and server CPU per
delivered event (server CPU seconds / deliveries); the bars (--bar, 2x; --stress: 1.5x)
apply to the p99 and to the CPU per delivered event.

The process exits 1 when anything was lost, duplicated, refused, timed out or missing
from the event log; latency is reported, never judged by the exit code. Loopback only;
servers are stopped on exit, Ctrl+C and SIGTERM, and die with this process otherwise.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import ctypes
import gc
import hashlib
import json
import math
import os
import random
import re
import resource
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import uuid
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import aiohttp
import psutil
import socketio
import yarl

ROOT = Path(__file__).resolve().parent.parent
BENCH = ROOT / "bench"
HOST = "127.0.0.1"
VENV_PYTHON = ROOT / ".venv" / "bin" / "python"
PYTHON = str(VENV_PYTHON if VENV_PYTHON.exists() else Path(sys.executable))
FLASK = str(Path(PYTHON).parent / "flask")

# Sections of the "cisf" framework the seeded meetings use (appdb.py seed reports the real ones).
SECTIONS = ["reason", "harm", "danger", "complicating", "strengths", "safety", "goals", "grey"]
CSRF_INPUT = re.compile(r"<input\b[^>]*\bname=[\"']csrf_token[\"'][^>]*>", re.IGNORECASE)
VALUE_ATTR = re.compile(r"\bvalue=[\"']([^\"']+)[\"']")
MEETING_PATH = re.compile(r"/meetings/(\d+)")
NOISY_OTHER_CPU = 20.0  # % of a core used by other processes that makes a window unreliable
FILLER = "The school says attendance has been steady for three weeks and lunches come from home."


# ---------------------------------------------------------------- servers (subprocesses)


def _die_with_parent() -> None:
    """In the child: get SIGTERM if this load generator dies, however it dies (Linux)."""
    with contextlib.suppress(Exception):
        ctypes.CDLL("libc.so.6", use_errno=True).prctl(1, signal.SIGTERM)  # PR_SET_PDEATHSIG


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind((HOST, 0))
        return int(probe.getsockname()[1])


class Server:
    """A server subprocess on a loopback port, with its output in a log file."""

    running: list[Server] = []
    nice = 0  # --nice: the same scheduling priority for every server and the generator

    def __init__(self, name: str, argv: list[str], env: dict[str, str], port: int, log: Path):
        self.name, self.argv, self.env, self.port, self.log = name, argv, env, port, log
        self.proc: subprocess.Popen[bytes] | None = None
        self.ps: psutil.Process | None = None

    def start(self, timeout: float = 60.0) -> None:
        with open(self.log, "wb") as out:
            self.proc = subprocess.Popen(
                self.argv,
                cwd=ROOT,
                env=self.env,
                stdin=subprocess.DEVNULL,
                stdout=out,
                stderr=subprocess.STDOUT,
                start_new_session=True,  # Ctrl+C reaches us; we stop it in order
                preexec_fn=_die_with_parent,
            )
        Server.running.append(self)
        self.ps = psutil.Process(self.proc.pid)
        if Server.nice:
            self.ps.nice(Server.nice)
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"{self.name} exited early:\n{self.tail()}")
            with contextlib.suppress(OSError), socket.create_connection((HOST, self.port), 0.2):
                return
            time.sleep(0.1)
        raise RuntimeError(f"{self.name} did not listen on {HOST}:{self.port}:\n{self.tail()}")

    def tail(self, lines: int = 30) -> str:
        with contextlib.suppress(OSError):
            return "\n".join(self.log.read_text(errors="replace").splitlines()[-lines:])
        return ""

    def stop(self) -> None:
        if self.proc is not None and self.proc.poll() is None:
            self.proc.terminate()  # SIGTERM: SIGINT may be ignored when started in background
            try:
                self.proc.wait(10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait(5)
        if self in Server.running:
            Server.running.remove(self)

    @classmethod
    def stop_all(cls) -> None:
        for server in list(cls.running):
            server.stop()


def _run_json(argv: list[str], env: dict[str, str], what: str) -> Any:
    done = subprocess.run(argv, cwd=ROOT, env=env, capture_output=True, text=True, timeout=600)
    if done.returncode != 0:
        raise RuntimeError(f"{what} failed ({done.returncode}):\n{done.stderr[-3000:]}")
    return json.loads(done.stdout) if done.stdout.strip() else None


# ---------------------------------------------------------------- measurement state


@dataclass(slots=True)
class Op:
    sender: int
    room: int
    kind: str
    t_sent: float
    t_ack: float | None = None
    acked: bool = False  # ok ack, not a duplicate
    error: str | None = None
    seen_by: set[int] = field(default_factory=set)  # receivers other than the sender
    seen_by_sender: int = 0  # broadcasts of its own op to the sender: must stay 0
    delays: list[float] = field(default_factory=list)  # send -> each other's event, seconds


@dataclass(slots=True)
class Download:
    """One export GET by the staff session (--export-items)."""

    fmt: str
    t_start: float
    t_end: float = 0.0
    status: int = 0
    size: int = 0
    error: str | None = None


@dataclass
class Stats:
    ops: dict[str, Op] = field(default_factory=dict)
    latencies: list[float] = field(default_factory=list)  # seconds, send -> other's event
    ack_latencies: list[float] = field(default_factory=list)
    duplicated_events: int = 0
    duplicate_acks: int = 0
    unknown_events: int = 0  # an op_id this run never sent
    wrong_room: int = 0
    errors: Counter[str] = field(default_factory=Counter)  # refused ops, by error code
    ack_timeouts: int = 0
    send_failures: int = 0
    disconnects: int = 0
    disconnect_reasons: Counter[str] = field(default_factory=Counter)
    disconnect_times: list[float] = field(default_factory=list)
    closed: int = 0
    messages: int = 0  # everything the clients received (events, presence, ...)


@dataclass
class Item:
    version: int
    section: str


class Client:
    """One participant: a Socket.IO connection in one meeting, sending its own items."""

    def __init__(
        self,
        index: int,
        room: int,
        meeting_id: int,
        stats: Stats,
        rng: random.Random,
        sections: list[str],
    ):
        self.index, self.room, self.meeting_id = index, room, meeting_id
        self.sections = sections
        self.stats, self.rng = stats, rng
        self.cookie: str | None = None
        self.items: dict[int, Item] = {}
        self.busy: set[int] = set()  # items with an op in flight
        self.sent = 0
        self.stopping = False
        self.sio = socketio.AsyncClient(reconnection=False)
        self.sio.on("event", self.on_event)
        self.sio.on("presence", self.on_other)
        self.sio.on("closed", self.on_closed)
        self.sio.on("disconnect", self.on_disconnect)

    async def on_event(self, event: dict[str, Any]) -> None:
        now = time.perf_counter()
        stats = self.stats
        stats.messages += 1
        op = stats.ops.get(event.get("op_id", ""))
        if op is None:
            stats.unknown_events += 1
            return
        if op.room != self.room or event.get("meeting_id") != self.meeting_id:
            stats.wrong_room += 1
            return
        if op.sender == self.index:  # the protocol gives the sender its event in the ack only
            op.seen_by_sender += 1
            return
        if self.index in op.seen_by:
            stats.duplicated_events += 1
            return
        op.seen_by.add(self.index)
        stats.latencies.append(now - op.t_sent)
        op.delays.append(now - op.t_sent)

    async def on_other(self, *_: Any) -> None:
        self.stats.messages += 1

    async def on_closed(self, *_: Any) -> None:
        self.stats.closed += 1

    async def on_disconnect(self, reason: Any = None, *_: Any) -> None:
        if not self.stopping:
            self.stats.disconnects += 1
            self.stats.disconnect_reasons[str(reason)] += 1
            self.stats.disconnect_times.append(time.perf_counter())

    async def connect(self, url: str, timeout: float) -> None:
        headers = {"Cookie": self.cookie} if self.cookie else {}
        await self.sio.connect(
            url,
            headers=headers,
            auth={"meeting_id": self.meeting_id},
            transports=["websocket"],
            wait_timeout=timeout,
        )

    def next_op(self) -> tuple[str, dict[str, Any], int | None]:
        """Half adds, then edits and moves of this client's own idle items."""
        self.sent += 1
        idle = [i for i in self.items if i not in self.busy]
        roll = self.rng.random()
        text = f"Note {self.sent} from participant {self.index}. {FILLER}"
        if not idle or roll < 0.5:
            section = self.rng.choice(self.sections)
            return "add_item", {"section": section, "text": text, "view": "agency"}, None
        item_id = self.rng.choice(idle)
        item = self.items[item_id]
        if roll < 0.8:
            payload = {"item_id": item_id, "text": "Edited: " + text, "base_version": item.version}
            return "edit_item", payload, item_id
        section = self.rng.choice(self.sections)
        mine = [
            i
            for i, it in self.items.items()
            if it.section == section and i != item_id and i not in self.busy
        ]
        after = self.rng.choice(mine) if mine and self.rng.random() < 0.5 else None
        return "move_item", {"item_id": item_id, "section": section, "after_id": after}, item_id

    async def send_op(self, ack_timeout: float) -> None:
        kind, payload, item_id = self.next_op()
        op_id = uuid.uuid4().hex
        op = Op(self.index, self.room, kind, time.perf_counter())
        self.stats.ops[op_id] = op  # before sending: the event may overtake the ack
        if item_id is not None:
            self.busy.add(item_id)
        message = {"op_id": op_id, "meeting_id": self.meeting_id, "type": kind, "payload": payload}
        try:
            op.t_sent = time.perf_counter()
            ack = await self.sio.call("op", message, timeout=ack_timeout)
        except socketio.exceptions.TimeoutError:
            self.stats.ack_timeouts += 1
            op.error = "ack_timeout"
        except Exception as failed:  # disconnected, or the transport broke
            self.stats.send_failures += 1
            op.error = type(failed).__name__
        finally:
            if item_id is not None:
                self.busy.discard(item_id)
        if op.error is not None:
            if item_id is not None:  # it may still change on the server: leave it alone
                self.items.pop(item_id, None)
            return
        op.t_ack = time.perf_counter()
        self.stats.ack_latencies.append(op.t_ack - op.t_sent)
        if not isinstance(ack, dict) or not ack.get("ok"):
            code = ack.get("error", {}).get("code", "?") if isinstance(ack, dict) else "bad_ack"
            self.stats.errors[code] += 1
            op.error = code
            return
        if ack.get("duplicate"):
            self.stats.duplicate_acks += 1
            return
        op.acked = True
        item = (ack.get("event") or {}).get("item") or {}
        if kind in ("add_item", "edit_item") and isinstance(item.get("id"), int):
            self.items[item["id"]] = Item(item["version"], item["section"])
        elif kind == "move_item" and item_id in self.items:
            self.items[item_id].section = payload["section"]


# ---------------------------------------------------------------- joining as a guest


class JoinPagesMissing(RuntimeError):
    """GET /join does not give a form with a CSRF token."""


def _csrf(html: str) -> str | None:
    tag = CSRF_INPUT.search(html)
    value = VALUE_ATTR.search(tag.group(0)) if tag else None
    return value.group(1) if value else None


async def probe_join_page(base: str) -> str | None:
    """None if the join form can be used; else why not."""
    async with (
        aiohttp.ClientSession(cookie_jar=aiohttp.CookieJar(unsafe=True)) as http,
        http.get(f"{base}/join") as page,
    ):
        html = await page.text()
        if page.status != 200:
            return f"GET /join answered {page.status}"
        if _csrf(html) is None:
            return "GET /join has no csrf_token input"
    return None


async def join_by_code(base: str, code: str, name: str, expected_meeting: int) -> str:
    """The guest flow of a browser; returns the Cookie header for the socket."""
    jar = aiohttp.CookieJar(unsafe=True)  # unsafe: accept cookies from an IP address
    async with aiohttp.ClientSession(cookie_jar=jar) as http:
        async with http.get(f"{base}/join") as page:
            token = _csrf(await page.text())
            if page.status != 200 or token is None:
                raise RuntimeError(
                    f"GET /join: {page.status}, csrf_token {'found' if token else 'missing'}"
                )
        form = {"csrf_token": token, "code": code}
        async with http.post(f"{base}/join", data=form) as page:  # follows to /join/name
            html = await page.text()
            token = _csrf(html)
            if page.status != 200 or page.url.path != "/join/name" or token is None:
                raise RuntimeError(f"POST /join: {page.status} at {page.url.path}")
        form = {"csrf_token": token, "display_name": name}
        async with http.post(f"{base}/join/name", data=form, allow_redirects=False) as page:
            where = MEETING_PATH.search(page.headers.get("Location", ""))
            if page.status not in (302, 303) or where is None:
                raise RuntimeError(
                    f"POST /join/name: {page.status} -> {page.headers.get('Location')}"
                )
            if int(where.group(1)) != expected_meeting:
                raise RuntimeError(f"POST /join/name sent the guest to meeting {where.group(1)}")
        cookies = jar.filter_cookies(yarl.URL(base))
        return "; ".join(f"{key}={morsel.value}" for key, morsel in cookies.items())


# ---------------------------------------------------------------- exports (--export-items)


async def staff_login(base: str, email: str, password: str) -> aiohttp.ClientSession:
    """A staff member's HTTP session, signed in through the login form."""
    http = aiohttp.ClientSession(cookie_jar=aiohttp.CookieJar(unsafe=True))
    try:
        async with http.get(f"{base}/login") as page:
            token = _csrf(await page.text())
            if page.status != 200 or token is None:
                raise RuntimeError(f"GET /login: {page.status}, csrf_token {token is not None}")
        form = {"csrf_token": token, "email": email, "password": password}
        async with http.post(f"{base}/login", data=form, allow_redirects=False) as page:
            where = page.headers.get("Location", "")
            if page.status not in (302, 303) or "/login" in where:
                raise RuntimeError(f"POST /login: {page.status} -> {where}")
    except BaseException:
        await http.close()
        raise
    return http


EXPORT_MAGIC = {"pdf": b"%PDF", "docx": b"PK"}


async def run_exports(
    http: aiohttp.ClientSession,
    base: str,
    meeting_id: int,
    pause: float,
    end: float,
    downloads: list[Download],
    formats: tuple[str, ...] = ("pdf", "docx"),
    delay: float = 0.0,
) -> None:
    """After `delay` s, until `end`: GET the PDF, then the DOCX, ..., one at a time, `pause`
    s after each; at least one of each, however short the window (a slow PDF may fill a
    short one)."""
    await asyncio.sleep(delay)
    timeout = aiohttp.ClientTimeout(total=600)
    while time.perf_counter() < end or len(downloads) < len(formats):
        fmt = formats[len(downloads) % len(formats)]
        download = Download(fmt, time.perf_counter())
        url = f"{base}/meetings/{meeting_id}/export.{fmt}"
        try:
            async with http.get(url, allow_redirects=False, timeout=timeout) as answer:
                body = await answer.read()
                download.status, download.size = answer.status, len(body)
                if answer.status != 200 or not body.startswith(EXPORT_MAGIC[fmt]):
                    download.error = f"HTTP {answer.status}, {len(body)} bytes"
        except Exception as failed:
            download.error = repr(failed)
        download.t_end = time.perf_counter()
        downloads.append(download)
        await asyncio.sleep(max(0.0, min(pause, end - time.perf_counter())))


def export_figures(
    stats: Stats, downloads: list[Download], start: float, wall: float
) -> dict[str, Any]:
    """Export durations, and the other meetings' latency with an export in progress or not.

    An op counts as "during" when it was sent while a download was in progress (request
    sent, response not yet fully read), else as "idle"; all its deliveries go with it.
    """
    spans = [(d.t_start, d.t_end) for d in downloads]
    during: list[float] = []
    idle: list[float] = []
    ops = {"during": 0, "idle": 0}
    for op in stats.ops.values():
        busy = any(t0 <= op.t_sent < t1 for t0, t1 in spans)
        ops["during" if busy else "idle"] += 1
        (during if busy else idle).extend(op.delays)

    def ms(values: list[float]) -> dict[str, Any]:
        values.sort()
        cut = {p: round(percentile(values, q) * 1000, 1) for p, q in
               (("p50", 50), ("p95", 95), ("p99", 99), ("max", 100))}  # fmt: skip
        return {**cut, "deliveries": len(values)}

    formats: dict[str, Any] = {}
    for fmt in ("pdf", "docx"):
        done = sorted(d.t_end - d.t_start for d in downloads if d.fmt == fmt and not d.error)
        sizes = [d.size for d in downloads if d.fmt == fmt and not d.error]
        formats[fmt] = {
            "count": len(done),
            "p50_s": round(percentile(done, 50), 2),
            "max_s": round(percentile(done, 100), 2),
            "size_kb": round(max(sizes, default=0) / 1024, 1),
        }
    busy_s = sum(min(t1, start + wall) - max(t0, start) for t0, t1 in spans if t0 < start + wall)
    return {
        "succeeded": sum(1 for d in downloads if not d.error),
        "failed": sum(1 for d in downloads if d.error),
        "errors": sorted({d.error for d in downloads if d.error}),
        "formats": formats,
        "busy_share": round(busy_s / wall, 2) if wall else 0.0,
        "ops_during": ops["during"],
        "ops_idle": ops["idle"],
        "latency_during_ms": ms(during),
        "latency_idle_ms": ms(idle),
    }


# ---------------------------------------------------------------- one target


@dataclass
class Target:
    name: str  # "app" or "relay"
    server: Server
    meetings: list[dict[str, Any]]  # {"id", "code"?}
    instance: Path | None = None
    sections: list[str] = field(default_factory=lambda: list(SECTIONS))
    export: dict[str, Any] | None = None  # the meeting to export: {"id", "items", "email", ...}


def percentile(sorted_values: list[float], p: float) -> float:
    """Nearest-rank percentile of an ascending list."""
    if not sorted_values:
        return float("nan")
    rank = math.ceil(p / 100 * len(sorted_values)) - 1
    return sorted_values[max(0, min(len(sorted_values) - 1, rank))]


async def _bounded(limit: int, jobs: list[Any]) -> list[Any]:
    gate = asyncio.Semaphore(limit)

    async def run(job: Any) -> Any:
        async with gate:
            return await job

    return await asyncio.gather(*(run(job) for job in jobs), return_exceptions=True)


async def _loop_lag(samples: list[float], stop: asyncio.Event) -> None:
    """How late this generator's event loop wakes up: a sign the generator is saturated."""
    while not stop.is_set():
        start = time.perf_counter()
        await asyncio.sleep(0.05)
        samples.append(time.perf_counter() - start - 0.05)


def _busy() -> float:
    """CPU seconds the whole machine has spent busy (all cores)."""
    t = psutil.cpu_times()
    return float(t.user + t.nice + t.system + t.irq + t.softirq)


async def _sample_rss(
    server: Server, peak: list[int], stop: asyncio.Event, every: float = 0.5
) -> None:
    """peak[0]: the server process's peak RSS; peak[1]: its children's (the export render
    workers, facilitator/offload.py), summed."""
    while not stop.is_set():
        with contextlib.suppress(psutil.Error):
            assert server.ps is not None
            peak[0] = max(peak[0], server.ps.memory_info().rss)
            children = 0
            for child in server.ps.children(recursive=True):
                with contextlib.suppress(psutil.Error):
                    children += child.memory_info().rss
            peak[1] = max(peak[1], children)
        await asyncio.sleep(every)


async def drive(target: Target, args: argparse.Namespace, join_mode: str) -> dict[str, Any]:
    """Join everyone, run the steady load, drain, and return the figures."""
    base = f"http://{HOST}:{target.server.port}"
    rng = random.Random(args.seed)
    stats = Stats()
    clients: list[Client] = []
    for room, meeting in enumerate(target.meetings):
        for _ in range(args.clients_per_meeting):
            client_rng = random.Random(rng.random())
            clients.append(
                Client(len(clients), room, meeting["id"], stats, client_rng, target.sections)
            )

    t0 = time.perf_counter()
    if target.name == "app":
        join_mode = await set_cookies(target, clients, base, join_mode, args)
    else:
        join_mode = "none (a relay has no pages)"
    t_joined = time.perf_counter()
    results = await _bounded(args.connect_concurrency, [c.connect(base, 30) for c in clients])
    failed = [r for r in results if isinstance(r, BaseException)]
    if failed:
        raise RuntimeError(
            f"{len(failed)} of {len(clients)} sockets did not connect: {failed[0]!r}"
        )
    t_connected = time.perf_counter()
    print(
        f"[{target.name}] {len(clients)} clients joined in {t_joined - t0:.1f} s "
        f"({join_mode}), connected in {t_connected - t_joined:.1f} s",
        flush=True,
    )
    exporter: aiohttp.ClientSession | None = None
    downloads: list[Download] = []
    if target.export is not None:
        exporter = await staff_login(base, target.export["email"], target.export["password"])
    await asyncio.sleep(1.0)  # let the presence broadcasts of the last connects settle
    if args.wait_idle:
        await wait_for_quiet(target, args.wait_idle)
    stats.messages = 0

    stop = asyncio.Event()
    lag: list[float] = []
    rss_peak = [0, 0]
    watchers = [
        asyncio.create_task(_loop_lag(lag, stop)),
        # Exports' memory comes and goes within a second or two: sample it more often.
        asyncio.create_task(
            _sample_rss(target.server, rss_peak, stop, 0.1 if target.export else 0.5)
        ),
    ]
    # The generator's own garbage collection would stall every client at once (tens of ms
    # with ~10^5 live objects): collect now, then not until the steady window is over.
    gc.collect()
    gc.freeze()
    if not args.gc:
        gc.disable()
    me = psutil.Process()
    assert target.server.ps is not None
    server_cpu0, my_cpu0, all_cpu0 = target.server.ps.cpu_times(), me.cpu_times(), _busy()
    profiler = start_profiler(target, args)
    start = time.perf_counter()
    end = start + args.duration
    in_flight: set[asyncio.Task[None]] = set()
    exports = None
    if exporter is not None and target.export is not None:
        formats = tuple(args.export_formats.split(","))
        meeting_id, pause, delay = target.export["id"], args.export_every, args.export_start
        exports = asyncio.create_task(
            run_exports(exporter, base, meeting_id, pause, end, downloads, formats, delay)
        )

    async def pace(client: Client) -> None:
        due = start + rng.random() * args.interval
        while due < end:
            await asyncio.sleep(max(0.0, due - time.perf_counter()))
            task = asyncio.create_task(client.send_op(args.ack_timeout))
            in_flight.add(task)
            task.add_done_callback(in_flight.discard)
            due += args.interval

    await asyncio.gather(*(pace(c) for c in clients))
    wall = time.perf_counter() - start
    if exports is not None:  # a download still running at the end: let it finish
        await exports
    server_cpu1, my_cpu1, all_cpu1 = target.server.ps.cpu_times(), me.cpu_times(), _busy()
    rss_end = target.server.ps.memory_info().rss
    stop.set()
    gc.enable()
    gc.unfreeze()
    if profiler is not None:
        await asyncio.to_thread(profiler.wait, 30)

    # Drain: every ack, then every expected delivery, or give up after the drain timeout.
    if in_flight:
        await asyncio.wait(set(in_flight), timeout=args.ack_timeout + 5)
    others = args.clients_per_meeting - 1
    deadline = time.perf_counter() + args.drain
    while time.perf_counter() < deadline:
        missing = sum(others - len(op.seen_by) for op in stats.ops.values() if op.acked)
        if missing == 0:
            break
        await asyncio.sleep(0.1)
    await asyncio.gather(*watchers)
    for client in clients:
        client.stopping = True
    await _bounded(100, [c.sio.disconnect() for c in clients])
    if exporter is not None:
        await exporter.close()

    result = summarise(
        target,
        stats,
        args,
        wall,
        server_cpu0,
        server_cpu1,
        my_cpu0,
        my_cpu1,
        rss_peak[0],
        rss_end,
        lag,
        join_mode,
    )
    if target.export is not None:
        result["exports"] = {
            "items": target.export["items"],
            "pause_s": args.export_every,
            "render_workers_rss_mb": round(rss_peak[1] / 2**20, 1),
            **export_figures(stats, downloads, start, wall),
        }
    busy_pct = 100.0 * (all_cpu1 - all_cpu0) / wall
    result["machine_cpu_pct"] = round(busy_pct, 1)
    result["other_cpu_pct"] = round(
        busy_pct - result["server_cpu_pct"] - result["generator_cpu_pct"], 1
    )
    assert target.server.proc is not None
    if target.server.proc.poll() is not None:  # e.g. killed from outside on a shared machine
        result["server_exit"] = target.server.proc.returncode
    if stats.disconnect_times:
        result["disconnected_at_s"] = [
            round(min(stats.disconnect_times) - start, 1),
            round(max(stats.disconnect_times) - start, 1),
        ]
        result["disconnect_reasons"] = dict(stats.disconnect_reasons)
    return result


async def wait_for_quiet(target: Target, max_wait: float, limit: float = 20.0) -> None:
    """Wait until other processes use under `limit` % of a core for 5 s (shared machines)."""
    assert target.server.ps is not None
    waited, ours = 0.0, (psutil.Process(), target.server.ps)
    while waited < max_wait:
        busy0, own0 = _busy(), sum(sum(p.cpu_times()[:2]) for p in ours)
        await asyncio.sleep(5)
        waited += 5
        busy1, own1 = _busy(), sum(sum(p.cpu_times()[:2]) for p in ours)
        other = 100 * ((busy1 - busy0) - (own1 - own0)) / 5
        if other < limit:
            print(f"[{target.name}] machine quiet (others {other:.0f} %) after {waited:.0f} s")
            return
        if waited % 60 == 0 or waited == 5:
            print(f"[{target.name}] waiting: other processes use {other:.0f} % CPU", flush=True)
    print(f"[{target.name}] machine still busy after {max_wait:.0f} s: measuring anyway")


def start_profiler(target: Target, args: argparse.Namespace) -> subprocess.Popen[bytes] | None:
    """py-spy on the server for the steady window only (a measurement aid, not a requirement)."""
    if not args.profile:
        return None
    py_spy = shutil.which("py-spy", path=str(Path(PYTHON).parent)) or shutil.which("py-spy")
    if py_spy is None:
        print("[profile] py-spy not found: pip install py-spy into .venv to profile", flush=True)
        return None
    assert target.server.proc is not None
    out = args.profile.with_name(f"{args.profile.stem}-{target.name}{args.profile.suffix}")
    argv = [
        py_spy,
        "record",
        "-p",
        str(target.server.proc.pid),
        "-d",
        str(int(args.duration)),
        "-r",
        "200",
        "--format",
        "raw",
        "-o",
        str(out),
        "--nonblocking",
    ]
    if args.profile_idle:
        argv.append("--idle")
    print(f"[profile] {' '.join(argv[1:])}", flush=True)
    return subprocess.Popen(argv, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


async def set_cookies(
    target: Target, clients: list[Client], base: str, join_mode: str, args: argparse.Namespace
) -> str:
    """Give every client a guest session: through the join pages, or signed by appdb.py."""
    if join_mode in ("auto", "http"):
        why = await probe_join_page(base)
        if why is None:
            jobs = [
                join_by_code(
                    base,
                    target.meetings[c.room]["code"],
                    f"Guest {c.index}",
                    target.meetings[c.room]["id"],
                )
                for c in clients
            ]
            cookies = await _bounded(args.join_concurrency, jobs)
            failed = [r for r in cookies if isinstance(r, BaseException)]
            assert target.server.proc is not None
            if failed and target.server.proc.poll() is not None:
                raise RuntimeError(
                    f"the server exited while guests joined (code {target.server.proc.returncode}"
                    f"; negative: killed by that signal); {len(failed)} joins failed"
                )
            if failed:
                raise RuntimeError(
                    f"{len(failed)} of {len(clients)} guests could not join: {failed[0]}"
                )
            for client, cookie in zip(clients, cookies, strict=True):
                client.cookie = cookie
            return "joined through the pages"
        if join_mode == "http":
            raise JoinPagesMissing(why)
        print(
            f"[app] WARNING: the join pages cannot be used ({why}). Falling back to guests "
            "added by bench/appdb.py and session cookies signed with the instance's key: "
            "the HTTP join flow is NOT part of this run.",
            flush=True,
        )
    assert target.instance is not None
    spec = {
        "meetings": [{"id": m["id"], "guests": args.clients_per_meeting} for m in target.meetings]
    }
    spec_file = target.instance / "guests.json"
    spec_file.write_text(json.dumps(spec))
    signed = _run_json(
        [PYTHON, str(BENCH / "appdb.py"), "guests", str(spec_file)],
        app_env(target.instance, target.server.port),
        "appdb.py guests",
    )
    per_room = [m["cookies"] for m in signed["meetings"]]
    for client in clients:
        cookie = per_room[client.room][client.index % args.clients_per_meeting]
        client.cookie = f"{signed['cookie_name']}={cookie}"
    return "FALLBACK: signed cookies, join pages skipped"


def summarise(
    target: Target,
    stats: Stats,
    args: argparse.Namespace,
    wall: float,
    server_cpu0: Any,
    server_cpu1: Any,
    my_cpu0: Any,
    my_cpu1: Any,
    rss_peak: int,
    rss_end: int,
    lag: list[float],
    join_mode: str,
) -> dict[str, Any]:
    others = args.clients_per_meeting - 1
    acked = [op for op in stats.ops.values() if op.acked]
    expected = len(acked) * others
    delivered = sum(len(op.seen_by) for op in acked)
    lat = sorted(stats.latencies)
    ack = sorted(stats.ack_latencies)
    lag.sort()

    def cpu(t0: Any, t1: Any) -> float:
        return 100.0 * ((t1.user - t0.user) + (t1.system - t0.system)) / wall

    server_cpu_s = (server_cpu1.user - server_cpu0.user) + (server_cpu1.system - server_cpu0.system)

    return {
        "target": target.name,
        "clients": len(target.meetings) * args.clients_per_meeting,
        "meetings": len(target.meetings),
        "interval_s": args.interval,
        "duration_s": round(wall, 2),
        "join": join_mode,
        "ops_sent": len(stats.ops),
        "ops_acked": len(acked),
        "acked_op_ids": [op_id for op_id, op in stats.ops.items() if op.acked],
        "op_kinds": dict(Counter(op.kind for op in stats.ops.values())),
        "refused": dict(stats.errors),
        "ack_timeouts": stats.ack_timeouts,
        "send_failures": stats.send_failures,
        "expected_deliveries": expected,
        "deliveries": delivered,
        "deliveries_per_s": round(len(lat) / wall, 1),
        "lost": expected - delivered,
        "duplicated": stats.duplicated_events + stats.duplicate_acks,
        "duplicated_events": stats.duplicated_events,
        "duplicate_acks": stats.duplicate_acks,
        "sender_got_own_broadcast": sum(1 for op in acked if op.seen_by_sender),
        "unknown_events": stats.unknown_events,
        "wrong_room": stats.wrong_room,
        "disconnects": stats.disconnects,
        "closed": stats.closed,
        "latency_ms": {
            p: round(percentile(lat, q) * 1000, 1)
            for p, q in (("p50", 50), ("p95", 95), ("p99", 99), ("max", 100))
        },
        "ack_ms": {p: round(percentile(ack, q) * 1000, 1) for p, q in (("p50", 50), ("p99", 99))},
        "server_cpu_pct": round(cpu(server_cpu0, server_cpu1), 1),
        "server_cpu_s": round(server_cpu_s, 3),
        "delivery_ratio": round(delivered / expected, 6) if expected else 0.0,
        # server CPU seconds / deliveries: what one delivered event costs the server
        "cpu_ms_per_delivery": round(1000 * server_cpu_s / delivered, 4) if delivered else 0.0,
        "server_rss_mb": round(rss_peak / 2**20, 1),
        "server_rss_end_mb": round(rss_end / 2**20, 1),
        "generator_cpu_pct": round(cpu(my_cpu0, my_cpu1), 1),
        "generator_lag_ms": {
            "p99": round(percentile(lag, 99) * 1000, 1),
            "max": round(percentile(lag, 100) * 1000, 1),
        },
    }


# ---------------------------------------------------------------- setting up the two servers


def app_env(instance: Path, port: int) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("FACILITATOR_")}
    env.update(
        FACILITATOR_INSTANCE=str(instance),
        FACILITATOR_PORT=str(port),
        FACILITATOR_HOST=HOST,
        FACILITATOR_ASYNC_MODE="eventlet",
        # the bench supervisor signs in with a password alone and exports throughout the run
        FACILITATOR_MFA_REQUIRED_ROLES="",
        FACILITATOR_STEP_UP_MINUTES="1440",
        # every simulated client connects from 127.0.0.1: one address is the whole county
        FACILITATOR_SOCKETS_PER_ADDRESS="100000",
        FACILITATOR_ADDRESS_RATE="100000",
        FLASK_APP="facilitator",
        PYTHONUNBUFFERED="1",
    )
    return env


def prepare_app(args: argparse.Namespace, workdir: Path) -> Target:
    instance = workdir / "app-instance"
    instance.mkdir()
    port = free_port()
    env = app_env(instance, port)
    done = subprocess.run(
        [FLASK, "db", "upgrade"], cwd=ROOT, env=env, capture_output=True, text=True
    )
    if done.returncode != 0:
        raise RuntimeError(f"flask db upgrade failed:\n{done.stderr[-3000:]}")
    seed = [PYTHON, str(BENCH / "appdb.py"), "seed", str(args.meetings)]
    if args.export_items:
        seed.append(str(args.export_items))
    seeded = _run_json(seed, env, "seed")
    server = Server("app", [PYTHON, "wsgi.py"], env, port, workdir / "app-server.log")
    sections = seeded.get("sections", SECTIONS)
    return Target("app", server, seeded["meetings"], instance, sections, seeded.get("export"))


def prepare_relay(args: argparse.Namespace, workdir: Path) -> Target:
    port = free_port()
    env = dict(os.environ, PYTHONUNBUFFERED="1")
    argv = [PYTHON, str(BENCH / "relay.py"), "--host", HOST, "--port", str(port)]
    if args.relay_gc_freeze:
        argv.append("--gc-freeze")
    server = Server("relay", argv, env, port, workdir / "relay-server.log")
    return Target("relay", server, [{"id": n + 1} for n in range(args.meetings)])


def check_event_log(target: Target, result: dict[str, Any]) -> dict[str, Any]:
    assert target.instance is not None
    acked_file = target.instance / "acked.json"
    acked_file.write_text(json.dumps(result["acked_op_ids"]))
    env = app_env(target.instance, target.server.port)
    argv = [PYTHON, str(BENCH / "appdb.py"), "check", str(acked_file)]
    if target.export is not None:  # its seeded items are events no client acknowledged
        argv.append(str(target.export["id"]))
    return dict(_run_json(argv, env, "check"))


def run_target(target: Target, args: argparse.Namespace) -> dict[str, Any]:
    target.server.start()
    assert target.server.proc is not None
    print(
        f"[{target.name}] started {' '.join(target.server.argv[1:])} on port "
        f"{target.server.port}, pid {target.server.proc.pid}",
        flush=True,
    )
    try:
        result = asyncio.run(drive(target, args, args.join))
    except BaseException:
        print(f"[{target.name}] server log (last lines):\n{target.server.tail()}", file=sys.stderr)
        raise
    finally:
        target.server.stop()
    if target.name == "app":
        result["event_log"] = check_event_log(target, result)
    return result


# ---------------------------------------------------------------- report


def problems(result: dict[str, Any]) -> list[str]:
    found = []
    for key in (
        "lost",
        "duplicated",
        "ack_timeouts",
        "send_failures",
        "unknown_events",
        "wrong_room",
        "disconnects",
        "closed",
        "sender_got_own_broadcast",
    ):
        if result[key]:
            found.append(f"{key} {result[key]}")
    if "server_exit" in result:
        found.append(f"the server exited during the run (code {result['server_exit']})")
    if result.get("disconnect_reasons"):
        found.append(
            f"disconnected between {result['disconnected_at_s']} s after the start, "
            f"reasons {result['disconnect_reasons']}"
        )
    if result["refused"]:
        found.append(f"refused {result['refused']}")
    if result["ops_acked"] == 0:
        found.append("no op was acknowledged")
    exports = result.get("exports")
    if exports is not None and (exports["failed"] or not exports["succeeded"]):
        found.append(f"exports: {exports['succeeded']} succeeded, {exports['failed']} failed "
                     f"{exports['errors'][:3]}")  # fmt: skip
    log = result.get("event_log")
    if log is not None:
        if log["rows"] != result["ops_acked"]:
            found.append(
                f"meeting_events has {log['rows']} rows for {result['ops_acked']} acked ops"
            )
        if log["duplicate_op_ids"] or log["acked_missing"] or log["unacked_stored"]:
            found.append(f"event log mismatch {log}")
    return found


def report(results: list[dict[str, Any]], bar: float | None = 2.0) -> None:
    """The figures side by side; with an app and a relay, their ratios (and the bars)."""
    rows = [
        ("clients (meetings)", lambda r: f"{r['clients']} ({r['meetings']})"),
        ("ops sent / acked", lambda r: f"{r['ops_sent']} / {r['ops_acked']}"),
        ("deliveries / expected", lambda r: f"{r['deliveries']} / {r['expected_deliveries']}"),
        ("delivery ratio", lambda r: f"{r['delivery_ratio']:.6f}"),
        ("deliveries/s", lambda r: f"{r['deliveries_per_s']:,.0f}"),
        ("latency p50/p95/p99 ms", lambda r: "{p50} / {p95} / {p99}".format(**r["latency_ms"])),
        ("latency max ms", lambda r: f"{r['latency_ms']['max']}"),
        ("ack p50/p99 ms", lambda r: "{p50} / {p99}".format(**r["ack_ms"])),
        ("lost", lambda r: f"{r['lost']}"),
        ("duplicated", lambda r: f"{r['duplicated']}"),
        ("refused / ack timeouts", lambda r: f"{sum(r['refused'].values())} / {r['ack_timeouts']}"),
        ("server CPU % (1 core=100)", lambda r: f"{r['server_cpu_pct']}"),
        ("server CPU ms / delivery", lambda r: f"{r['cpu_ms_per_delivery']}"),
        ("server RSS MB peak", lambda r: f"{r['server_rss_mb']}"),
        ("generator CPU %", lambda r: f"{r['generator_cpu_pct']}"),
        ("other processes CPU %", lambda r: f"{r['other_cpu_pct']}"),
        (
            "generator loop lag p99/max",
            lambda r: "{p99} / {max} ms".format(**r["generator_lag_ms"]),
        ),
    ]
    if any("exports" in r for r in results):
        rows += export_rows()
    names = [r["target"] for r in results]
    print()
    print(f"{'':28}" + "".join(f"{n:>24}" for n in names))
    for label, cell in rows:
        print(f"{label:28}" + "".join(f"{cell(r):>24}" for r in results))
    by_name = {r["target"]: r for r in results}
    if "app" in by_name and "relay" in by_name:
        app, relay = by_name["app"], by_name["relay"]
        ratios = []
        for p in ("p50", "p95", "p99"):
            a, b = app["latency_ms"][p], relay["latency_ms"][p]
            ratios.append(f"{p} {a / b:.2f}x" if b else f"{p} n/a")
        cpu = app["server_cpu_pct"] / relay["server_cpu_pct"] if relay["server_cpu_pct"] else 0
        ratios.append(f"server CPU {cpu:.2f}x")
        a, b = app["cpu_ms_per_delivery"], relay["cpu_ms_per_delivery"]
        per_event = a / b if b else math.inf
        ratios.append(f"CPU per delivered event {per_event:.2f}x ({a} / {b} ms)")
        print(f"\napp / relay: {', '.join(ratios)}")
        if bar is not None:
            met = app["latency_ms"]["p99"] <= bar * relay["latency_ms"]["p99"]
            print(f"bar (app p99 <= {bar:g}x relay p99): {'met' if met else 'NOT met'}")
            met = per_event <= bar
            print(f"bar (app CPU per delivered event <= {bar:g}x relay's): "
                  f"{'met' if met else 'NOT met'}")  # fmt: skip
        noisy = [r for r in (app, relay) if r["other_cpu_pct"] > NOISY_OTHER_CPU]
        for r in noisy:
            print(
                f"WARNING: other processes used {r['other_cpu_pct']} % CPU during the "
                f"{r['target']} window: its latencies (and this verdict) are not reliable"
            )
    for r in results:
        print(f"{r['target']} join: {r['join']}")
        if "exports" in r:
            x = r["exports"]
            during, idle = x["latency_during_ms"], x["latency_idle_ms"]
            ratio = f"{during['p99'] / idle['p99']:.2f}x" if idle["p99"] else "n/a"
            print(
                f"{r['target']} exports: {x['succeeded']} ({x['formats']['pdf']['count']} pdf, "
                f"{x['formats']['docx']['count']} docx), failed {x['failed']}"
            )
            print(
                f"{r['target']} other meetings' p99 while exporting / while not: "
                f"{during['p99']} / {idle['p99']} ms ({ratio})"
            )
        if "event_log" in r:
            log = r["event_log"]
            print(
                f"{r['target']} event log: {log['rows']} rows for {r['ops_acked']} acked ops, "
                f"{log['duplicate_op_ids']} duplicate op_ids, {log['acked_missing']} acked missing"
            )
        print(f"{r['target']}: lost {r['lost']}, duplicated {r['duplicated']}")


def export_rows() -> list[tuple[str, Any]]:
    """Report rows for --export-items; '-' for a target without exports (the relay)."""

    def cell(show: Any) -> Any:
        return lambda r: show(r["exports"]) if "exports" in r else "-"

    def pcts(x: dict[str, Any]) -> str:
        return "{p50} / {p95} / {p99}".format(**x)

    return [
        ("exports ok / failed", cell(lambda x: f"{x['succeeded']} / {x['failed']}")),
        (
            "export PDF p50/max s",
            cell(lambda x: "{p50_s} / {max_s}".format(**x["formats"]["pdf"])),
        ),
        (
            "export DOCX p50/max s",
            cell(lambda x: "{p50_s} / {max_s}".format(**x["formats"]["docx"])),
        ),
        ("share of window exporting", cell(lambda x: f"{x['busy_share']:.0%}")),
        ("exporting: p50/p95/p99 ms", cell(lambda x: pcts(x["latency_during_ms"]))),
        ("not exporting: p50/p95/p99", cell(lambda x: pcts(x["latency_idle_ms"]))),
        ("ops exporting / not", cell(lambda x: f"{x['ops_during']} / {x['ops_idle']}")),
    ]


# ---------------------------------------------------------------- main


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--meetings", type=int, default=50)
    parser.add_argument("--clients-per-meeting", type=int, default=10)
    parser.add_argument(
        "--interval", type=float, default=2.0, help="seconds between a client's ops"
    )
    parser.add_argument("--duration", type=float, default=60.0, help="seconds of steady load")
    parser.add_argument("--only", choices=("app", "relay"))
    parser.add_argument(
        "--relay-gc-freeze",
        action="store_true",
        help="give the relay wsgi.py's gc.freeze() too (a like-for-like baseline)",
    )
    parser.add_argument(
        "--join",
        choices=("auto", "http", "cookie"),
        default="auto",
        help="auto: the join pages if they work, else signed cookies (warned)",
    )
    parser.add_argument("--ack-timeout", type=float, default=30.0)
    parser.add_argument("--drain", type=float, default=15.0, help="max wait for late deliveries")
    parser.add_argument("--join-concurrency", type=int, default=16)
    parser.add_argument("--connect-concurrency", type=int, default=25)
    parser.add_argument("--seed", type=int, default=1, help="random seed for the op mix")
    parser.add_argument("--json", type=Path, help="also write the figures to this file")
    parser.add_argument(
        "--gc",
        action="store_true",
        help="keep the generator's garbage collector on during the steady window",
    )
    parser.add_argument(
        "--nice",
        type=int,
        default=0,
        help="run the servers and the generator at this nice level (e.g. -10 as root, so "
        "that other work on a shared machine disturbs the figures less)",
    )
    parser.add_argument(
        "--wait-idle",
        type=float,
        default=0,
        metavar="SECONDS",
        help="on a shared machine: wait up to SECONDS before each steady phase until other "
        "processes are nearly idle",
    )
    parser.add_argument(
        "--profile",
        type=Path,
        help="record py-spy stacks of each server in the steady window to "
        "FILE-<target>.txt (collapsed stacks; py-spy must be installed)",
    )
    parser.add_argument(
        "--profile-idle",
        action="store_true",
        help="with --profile: also sample waiting (wall clock, not CPU)",
    )
    parser.add_argument(
        "--export-items",
        type=int,
        default=0,
        metavar="N",
        help="app only: seed one more meeting with N items and, through the steady window, "
        "download its PDF then DOCX as signed-in staff, one at a time",
    )
    parser.add_argument(
        "--export-every",
        type=float,
        default=3.0,
        metavar="SECONDS",
        help="with --export-items: pause after each download (leaves quiet stretches to "
        "compare against)",
    )
    parser.add_argument(
        "--export-start",
        type=float,
        default=0.0,
        metavar="SECONDS",
        help="with --export-items: the first download starts this long into the steady "
        "window (the time before is a baseline without exports, in the same run)",
    )
    parser.add_argument(
        "--export-formats",
        default="pdf,docx",
        help="with --export-items: the formats downloaded in turn (comma-separated: pdf, docx)",
    )
    parser.add_argument(
        "--bar",
        type=float,
        default=2.0,
        help="the bars: app p99 and app CPU per delivered event each within this many times "
        "the relay's",
    )
    parser.add_argument(
        "--stress",
        action="store_true",
        help="issue 6's stress run: 500 participants in 50 meetings, one op per second each, "
        "the relay with gc.freeze as the app, bars at 1.5x (other options still override)",
    )
    parser.add_argument("--keep", action="store_true", help="keep the temp folder (logs, db)")
    args = parser.parse_args(argv)
    if args.stress:
        parser.set_defaults(
            meetings=50, clients_per_meeting=10, interval=1.0, relay_gc_freeze=True, bar=1.5
        )
        args = parser.parse_args(argv)
    if (
        args.meetings < 1
        or args.clients_per_meeting < 2
        or args.interval <= 0
        or args.duration <= 0
        or args.export_items < 0
        or args.export_every < 0
        or not set(args.export_formats.split(",")) <= {"pdf", "docx"}
    ):
        parser.error(
            "need at least 1 meeting, 2 clients per meeting, positive interval and duration"
        )
    return args


def write_json(path: Path, args: argparse.Namespace, results: list[dict[str, Any]]) -> None:
    """The figures, the arguments and the app code measured (commit + FILE.diff)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    slim = [{k: v for k, v in r.items() if k != "acked_op_ids"} for r in results]
    tree = subprocess.run(
        ["git", "describe", "--always", "--dirty"], cwd=ROOT, capture_output=True, text=True
    ).stdout.strip()
    diff = subprocess.run(
        ["git", "diff", "HEAD", "--", "facilitator", "wsgi.py"], cwd=ROOT, capture_output=True
    ).stdout
    path.with_suffix(".diff").write_bytes(diff)  # the app code this run measured
    path.write_text(
        json.dumps(
            {
                "args": {k: str(v) for k, v in vars(args).items()},
                "app_tree": {"commit": tree, "diff_sha1": hashlib.sha1(diff).hexdigest()},
                "results": slim,
            },
            indent=2,
        )
    )


def raise_nofile(want: int) -> None:
    """Room for this many open files (sockets), as far as the hard limit allows."""
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    if soft < want:
        resource.setrlimit(resource.RLIMIT_NOFILE, (min(want, hard), hard))


def _raise_interrupt(*_: Any) -> None:
    raise KeyboardInterrupt


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    raise_nofile(4 * args.meetings * args.clients_per_meeting + 256)
    signal.signal(signal.SIGTERM, _raise_interrupt)
    if args.nice:
        psutil.Process().nice(args.nice)
        Server.nice = args.nice
    workdir = Path(tempfile.mkdtemp(prefix="facilitator-bench-"))
    results: list[dict[str, Any]] = []
    print(
        f"bench: {args.meetings} meetings x {args.clients_per_meeting} clients, one op every "
        f"{args.interval} s per client, {args.duration} s steady; {os.cpu_count()} CPUs; "
        f"work dir {workdir}",
        flush=True,
    )
    try:
        if args.only in (None, "app"):
            results.append(run_target(prepare_app(args, workdir), args))
        if args.only in (None, "relay"):
            results.append(run_target(prepare_relay(args, workdir), args))
    except (KeyboardInterrupt, asyncio.CancelledError):
        Server.stop_all()
        print("\ninterrupted: servers stopped", file=sys.stderr)
        return 130
    finally:
        Server.stop_all()
        if not args.keep:
            shutil.rmtree(workdir, ignore_errors=True)
    report(results, args.bar)
    if args.json:
        write_json(args.json, args, results)
    failures = [f"{r['target']}: {p}" for r in results for p in problems(r)]
    for failure in failures:
        print(f"FAIL {failure}")
    print("RESULT: " + ("FAIL" if failures else "PASS (no loss, no duplicates, event log matches)"))
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
