"""Reconnect storm: every client cut off at once by a server restart resyncs, nothing lost.

    .venv/bin/python bench/storm.py                          # 100 meetings x 10 = 1,000 clients
    .venv/bin/python bench/storm.py --meetings 5 --steady 2  # a quick look

The app (wsgi.py, embedded SQLite, seeded as bench/load.py does, guests with signed
cookies) serves M x C python-socketio clients that behave like the browser
(static/js/lib/socket.js): reconnect by themselves with jittered backoff (0.5 s, up to 5 s,
randomization 0.5), `sync` from their last revision, then resend their outbox with the
same op_ids. Each client adds an item every --interval seconds throughout. After --steady
seconds the server is restarted (SIGTERM: it drains and tells every socket to reconnect;
then a new wsgi.py on the same port and database). Measured: the downtime (SIGTERM -> the
new server listening), and per client the time from the cut to "resynced" (its sync
answered and its outbox empty), from the cut and from the new server's start; ops sent
around the restart all end exactly once (the event log = the acknowledged op_ids). The
bar: every client resynced within 10 s of the new server listening, 0 lost.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import random
import resource
import shutil
import sys
import tempfile
import time
import uuid
from pathlib import Path
from typing import Any

import load
import psutil
import socketio

BAR_SECONDS = 10.0


class StormClient:
    def __init__(self, index: int, room: int, meeting_id: int, section: str) -> None:
        self.index, self.room, self.meeting_id, self.section = index, room, meeting_id, section
        self.cookie: str | None = None
        self.rev: int | None = None
        self.outbox: dict[str, dict[str, Any]] = {}
        self.acked: set[str] = set()
        self.duplicates = 0
        self.sent = 0
        self.cut_at: float | None = None
        self.resynced_at: float | None = None
        self.push = asyncio.Lock()
        self.url = ""
        self.stopping = False
        self.rng = random.Random(index)
        # python-socketio does not reconnect after the server closes the transport itself
        # (socket.io-client in the browser does): reconnect here with the browser's backoff
        self.sio = socketio.AsyncClient(reconnection=False)
        self.sio.on("connect", self.on_connect)
        self.sio.on("disconnect", self.on_disconnect)
        self.sio.on("event", self.on_event)

    async def connect(self, url: str) -> None:
        self.url = url
        await self.sio.connect(
            url, headers={"Cookie": self.cookie or ""}, auth={"meeting_id": self.meeting_id},
            transports=["websocket"], wait_timeout=30,
        )  # fmt: skip

    async def on_connect(self) -> None:
        asyncio.get_running_loop().create_task(self.resync())

    async def on_disconnect(self, *_: Any) -> None:
        if self.cut_at is None:
            self.cut_at = time.perf_counter()
        if not self.stopping:
            asyncio.get_running_loop().create_task(self.reconnect())

    async def reconnect(self) -> None:
        """socket.io-client's schedule: 0.5 s doubling up to 5 s, each randomized by ±50 %."""
        delay = 0.5
        while not self.stopping:
            await asyncio.sleep(delay * (0.5 + self.rng.random()))
            try:
                await self.connect(self.url)
                return
            except Exception:
                delay = min(delay * 2, 5.0)

    async def on_event(self, event: dict[str, Any]) -> None:
        if self.rev is not None and event["rev"] == self.rev + 1:
            self.rev = event["rev"]

    async def resync(self) -> None:
        async with self.push:
            try:
                ack = await self.sio.call(
                    "sync", {"meeting_id": self.meeting_id, "since_rev": self.rev}, timeout=10
                )
            except Exception:
                return  # the next connect tries again
            if not ack.get("ok"):
                return
            self.rev = ack["snapshot"]["rev"] if ack["mode"] == "snapshot" else ack["rev"]
            for op in list(self.outbox.values()):
                if not await self._send(op):
                    return
            if self.cut_at is not None and self.resynced_at is None:
                self.resynced_at = time.perf_counter()

    async def _send(self, op: dict[str, Any]) -> bool:
        try:
            ack = await self.sio.call("op", op, timeout=10)
        except Exception:
            return False  # stays in the outbox: resent after the next sync
        if ack.get("ok"):
            self.outbox.pop(op["op_id"], None)
            self.acked.add(op["op_id"])
            self.duplicates += bool(ack.get("duplicate"))
            return True
        if ack.get("error", {}).get("code") == "rate_limited":
            return False
        raise RuntimeError(f"op refused: {ack}")

    async def send_loop(self, interval: float, stop: asyncio.Event, rng: random.Random) -> None:
        await asyncio.sleep(rng.uniform(0, interval))
        while not stop.is_set():
            self.sent += 1
            op = {
                "op_id": uuid.uuid4().hex, "meeting_id": self.meeting_id, "type": "add_item",
                "payload": {"section": self.section, "text": f"Storm note {self.sent}",
                            "view": "agency"},
            }  # fmt: skip
            self.outbox[op["op_id"]] = op
            if self.sio.connected and not self.push.locked():
                async with self.push:
                    await self._send(op)
            await asyncio.sleep(interval)


def percentiles(values: list[float]) -> dict[str, float]:
    ordered = sorted(values)
    return {
        p: round(load.percentile(ordered, q), 2)
        for p, q in (("p50", 50), ("p95", 95), ("p99", 99), ("max", 100))
    }


async def storm(target: load.Target, args: argparse.Namespace) -> dict[str, Any]:
    base = f"http://{load.HOST}:{target.server.port}"
    rng = random.Random(args.seed)
    clients = [
        StormClient(len(target.meetings) * 0 + room * args.clients_per_meeting + n, room,
                    meeting["id"], rng.choice(target.sections))
        for room, meeting in enumerate(target.meetings)
        for n in range(args.clients_per_meeting)
    ]  # fmt: skip
    await load.set_cookies(target, clients, base, "cookie", args)  # type: ignore[arg-type]
    started = time.perf_counter()
    await load._bounded(args.connect_concurrency, [c.connect(base) for c in clients])
    print(f"[storm] {len(clients)} clients connected in {time.perf_counter() - started:.1f} s")
    stop = asyncio.Event()
    senders = [
        asyncio.get_running_loop().create_task(
            c.send_loop(args.interval, stop, random.Random(rng.random()))
        )
        for c in clients
    ]
    me = psutil.Process()
    await asyncio.sleep(args.steady)
    for client in clients:  # only the cut counts from here on
        client.cut_at = client.resynced_at = None
    cpu0 = me.cpu_times()
    cut = time.perf_counter()
    await asyncio.to_thread(target.server.stop)  # SIGTERM: drain, tell clients to reconnect
    stopped = time.perf_counter()
    await asyncio.to_thread(target.server.start)
    ready = time.perf_counter()
    print(
        f"[storm] restarted: stopped in {stopped - cut:.1f} s, listening again "
        f"{ready - stopped:.1f} s later",
        flush=True,
    )
    deadline = ready + args.wait
    while time.perf_counter() < deadline:
        if all(c.resynced_at is not None for c in clients):
            break
        await asyncio.sleep(0.05)
    window = time.perf_counter() - cut
    cpu1 = me.cpu_times()
    await asyncio.sleep(args.after)
    stop.set()
    await asyncio.gather(*senders, return_exceptions=True)
    for client in clients:  # the last ones still waiting
        if client.outbox and client.sio.connected:
            await client.resync()
    waiting = sum(len(c.outbox) for c in clients)
    resynced = [c for c in clients if c.resynced_at is not None]
    from_cut = [c.resynced_at - cut for c in resynced]  # type: ignore[operator]
    from_ready = [max(0.0, c.resynced_at - ready) for c in resynced]  # type: ignore[operator]
    result = {
        "clients": len(clients),
        "meetings": len(target.meetings),
        "downtime_s": round(ready - cut, 2),
        "stop_s": round(stopped - cut, 2),
        "resynced": len(resynced),
        "resync_from_cut_s": percentiles(from_cut),
        "resync_from_restart_s": percentiles(from_ready),
        "ops_sent": sum(c.sent for c in clients),
        "ops_acked": sum(len(c.acked) for c in clients),
        "duplicate_acks": sum(c.duplicates for c in clients),
        "still_waiting": waiting,
        "acked_op_ids": [op_id for c in clients for op_id in c.acked],
        "generator_cpu_pct": round(
            100 * ((cpu1.user - cpu0.user) + (cpu1.system - cpu0.system)) / window, 1
        ),
    }
    for client in clients:
        client.stopping = True
        await client.sio.disconnect()
    return result


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--meetings", type=int, default=100)
    parser.add_argument("--clients-per-meeting", type=int, default=10)
    parser.add_argument("--interval", type=float, default=5.0, help="seconds between adds")
    parser.add_argument("--steady", type=float, default=10.0, help="seconds before the restart")
    parser.add_argument("--after", type=float, default=3.0, help="seconds after the resync")
    parser.add_argument("--wait", type=float, default=60.0, help="max wait for every resync")
    parser.add_argument("--connect-concurrency", type=int, default=50)
    parser.add_argument("--join-concurrency", type=int, default=16)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--json", type=Path)
    args = parser.parse_args(argv)
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    want = 4 * args.meetings * args.clients_per_meeting + 256
    if soft < want:
        resource.setrlimit(resource.RLIMIT_NOFILE, (min(want, hard), hard))
    args.export_items = 0
    workdir = Path(tempfile.mkdtemp(prefix="facilitator-storm-"))
    try:
        target = load.prepare_app(args, workdir)
        target.server.start()
        result = asyncio.run(storm(target, args))
        target.server.stop()
        result["event_log"] = load.check_event_log(target, result)
    finally:
        load.Server.stop_all()
        shutil.rmtree(workdir, ignore_errors=True)
    log = result["event_log"]
    print(json.dumps({k: v for k, v in result.items() if k != "acked_op_ids"}, indent=2))
    problems = []
    if result["resynced"] != result["clients"]:
        problems.append(f"{result['clients'] - result['resynced']} clients never resynced")
    if result["still_waiting"]:
        problems.append(f"{result['still_waiting']} ops never acknowledged")
    if log["rows"] != result["ops_acked"] or log["acked_missing"] or log["duplicate_op_ids"]:
        problems.append(f"event log {log} for {result['ops_acked']} acked ops")
    bar = result["resync_from_restart_s"]["max"] <= BAR_SECONDS
    print(f"bar (every client resynced within {BAR_SECONDS:.0f} s of the restart): "
          f"{'met' if bar else 'NOT met'}")  # fmt: skip
    if args.json:
        slim = {k: v for k, v in result.items() if k != "acked_op_ids"}
        args.json.write_text(json.dumps({"args": vars(args) | {"json": str(args.json)},
                                         "result": slim}, indent=2))  # fmt: skip
    for problem in problems:
        print(f"FAIL {problem}")
    print("RESULT: " + ("FAIL" if problems else "PASS (all resynced, no loss, no duplicates)"))
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
