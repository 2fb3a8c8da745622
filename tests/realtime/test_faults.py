"""No edit lost, none doubled (QUALITY.md R1-R3), against a real wsgi.py on eventlet.

Several meetings, each with a supervisor, two guests and a projector display, all real
python-socketio clients with the browser's outbox (tests/board_client.py), run random
add / edit / move / delete for a bounded time; then every acknowledged op_id is in the
event log exactly once, every op ever sent was answered, and every client's board equals
the database's. R2 SIGKILLs the server at random moments and restarts it; R3 cuts random
clients off for offline spells while they keep queueing edits. Runs on SQLite, and on a
private PostgreSQL schema when the suite runs on PostgreSQL.

R7 (issue 17) adds faults beyond a kill, each a few seconds long: the server paused
(SIGSTOP, 5-6 s here; 5-30 s with `-m long_faults`) and resumed; its wall clock stepped
+1 h and -1 h (libfaketime from Debian's `faketime` package, preloaded into the server
alone: CLOCK_REALTIME moves as under an NTP step or a restored VM, CLOCK_MONOTONIC does not,
as in a real step); `kill -9` a moment into a graceful drain (SIGTERM), then a restart;
several ops in flight per client at once; and the facilitator running the meeting through
the faults (steps, locks, private collection and reveal, scale rounds opened, rated and
revealed, the question), its meeting state compared on every client at the end. Disk full
and a read-only database while running are in test_storage_faults.py; the meeting's close
and every socket event across board states in test_board_states.py.

Every run prints `fault seed <n>` first; a failure names it. Replay exactly those choices:

    FAULT_SEED=<n> .venv/bin/pytest tests/realtime/test_faults.py -k <test name>

(FACILITATOR_FAULT_SEED works too.) The timings of a loaded machine are not replayed, only
the test's own choices: which faults, when, to whom, and every client's changes.
"""

from __future__ import annotations

import gc
import os
import random
import signal
import threading
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest
from board_client import BoardClient
from convergence import assert_converged, open_up, settle, work
from live_server import (
    Server,
    base_settings,
    integrity_ok,
    join_as_guest,
    running,
    scratch_database,
    seed_meetings,
    sign_in_staff,
    stored_op_ids,
    unavailable,
)
from sqlalchemy import create_engine, text

# A server killed mid-conversation leaves the client library's half-open sockets to the
# garbage collector; that is the fault under test, not a leak in the app.
pytestmark = pytest.mark.filterwarnings(
    "ignore::ResourceWarning", "ignore::pytest.PytestUnraisableExceptionWarning"
)

MEETINGS = 3


FACILITATION = {
    "go_to_step", "lock_section", "collect_privately", "open_scale_round", "rate",
    "reveal_scale_round", "set_question",
}  # fmt: skip
FAKETIME_LIBRARY = Path("/usr/lib/x86_64-linux-gnu/faketime/libfaketime.so.1")


def seed_for_run() -> int:
    chosen = os.environ.get("FAULT_SEED") or os.environ.get("FACILITATOR_FAULT_SEED")
    return int(chosen) if chosen else random.SystemRandom().randrange(1 << 30)


@dataclass
class Faults:
    """How many of each fault a run gets, spread over its time at random (by the seed)."""

    kills: int = 0  # SIGKILL, then a restart
    offline_spells: int = 0  # a client cut off while it keeps queueing changes
    pauses: int = 0  # SIGSTOP for `pause_seconds`, then SIGCONT
    pause_seconds: tuple[float, float] = (5.0, 6.0)
    drain_kills: int = 0  # SIGTERM, then SIGKILL a moment into the drain, then a restart
    clock_jumps: int = 0  # the server's wall clock stepped +1 h or -1 h (alternately)


def clock_settings(tmp_path: Path) -> tuple[dict[str, str], Path]:
    """Environment that lets the test step the server's wall clock (libfaketime re-reads
    the offset from a file on every call; the monotonic clock is left true)."""
    if not FAKETIME_LIBRARY.exists():
        unavailable("the clock jump needs libfaketime (Debian package `faketime`)")
    offset = tmp_path / "clock_offset"
    offset.write_text("+0\n")
    return {
        # A step ages every session by the step: past the default 30-minute idle limit, +1 h
        # signs every staff member out (by design: the limit is wall-clock time, docs/
        # deploy.md). Here the limit is longer, to test what a step must never do.
        "FACILITATOR_SESSION_IDLE_MINUTES": "180",
        "LD_PRELOAD": str(FAKETIME_LIBRARY),
        "FAKETIME_TIMESTAMP_FILE": str(offset),
        "FAKETIME_NO_CACHE": "1",
        "FAKETIME_DONT_FAKE_MONOTONIC": "1",
    }, offset


def schedule(rng: random.Random, seconds: float, faults: Faults) -> list[tuple[str, float]]:
    """When each fault strikes, in order: server faults spaced so that each comes after the
    last one's restart; offline spells anywhere."""
    server_faults = (
        ["kill"] * faults.kills + ["pause"] * faults.pauses + ["drain_kill"] * faults.drain_kills
        + ["clock"] * faults.clock_jumps
    )  # fmt: skip
    rng.shuffle(server_faults)
    spacing = seconds / max(len(server_faults), 1)
    timed = [(kind, spacing * (k + rng.uniform(0.2, 0.8))) for k, kind in enumerate(server_faults)]
    timed += [("offline", rng.uniform(0.2, seconds)) for _ in range(faults.offline_spells)]
    return sorted(timed, key=lambda fault: fault[1])


def run_meetings(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    seconds: float,
    faults: Faults,
    *,
    together: int = 1,
    facilitating: bool = False,
) -> None:
    seed = seed_for_run()
    rng = random.Random(seed)
    print(f"fault seed {seed}")
    clock: dict[str, str] = {}
    if faults.clock_jumps:
        clock, offset_file = clock_settings(tmp_path)
    with scratch_database(tmp_path) as database:
        settings = {
            "FACILITATOR_INSTANCE": str(tmp_path),
            "FACILITATOR_HOST": "127.0.0.1",
            "FACILITATOR_DATABASE_URL": database.url,
            "FACILITATOR_SECRET_KEY": os.urandom(32).hex(),
            "FACILITATOR_MFA_REQUIRED_ROLES": "",
            "FACILITATOR_SOCKET_RATE": "1000",
            "FACILITATOR_SOCKET_BURST": "1000",
        }
        seeded = seed_meetings(settings, monkeypatch, meetings=MEETINGS)
        server = Server({**settings, **clock}, tmp_path / "server.log")
        with running(server):
            staff_cookie = sign_in_staff(server.url, seeded.staff_email)
            clients: list[BoardClient] = []
            writers: list[BoardClient] = []
            for meeting_id, code in zip(seeded.meeting_ids, seeded.codes, strict=True):
                cookies = [
                    staff_cookie,
                    join_as_guest(server.url, code, meeting_id, "Mum"),
                    join_as_guest(server.url, code, meeting_id, "Gran"),
                ]
                for cookie in cookies:
                    writers.append(BoardClient([server.url], cookie, meeting_id))
                clients.append(BoardClient([server.url], staff_cookie, meeting_id, display=True))
            clients.extend(writers)
            for client in clients:
                client.connect()

            offline_until: dict[int, float] = {}
            stop = threading.Event()

            def is_offline(client: BoardClient) -> Callable[[], bool]:
                return lambda: time.monotonic() < offline_until.get(id(client), 0)

            facilitators = {id(c) for c in writers if c.cookie == staff_cookie}
            threads = [
                threading.Thread(
                    target=work,
                    args=(c, random.Random(rng.random()), stop, is_offline(c)),
                    kwargs={
                        "together": together,
                        "facilitating": facilitating and id(c) in facilitators,
                    },
                )
                for c in writers
            ]
            for thread in threads:
                thread.start()
            try:
                ends = time.monotonic() + seconds
                started = time.monotonic()
                jumps = 0
                for kind, at in schedule(rng, seconds, faults):
                    time.sleep(max(0.0, started + at - time.monotonic()))
                    if kind == "offline":
                        victim = rng.choice(writers)
                        offline_until[id(victim)] = time.monotonic() + rng.uniform(0.3, 1.5)
                        victim.disconnect()
                    elif kind == "clock":
                        jumps += 1  # +1 h, then back by 2 h: -1 h from the true time
                        offset_file.write_text("+1h\n" if jumps % 2 else "-1h\n")
                    else:
                        strike(server, kind, rng, faults)
                time.sleep(max(0.0, ends - time.monotonic()))
            finally:
                stop.set()
                for thread in threads:
                    thread.join(timeout=60)
            assert not any(thread.is_alive() for thread in threads), f"seed {seed}: stuck"
            if facilitating:  # every item visible to every client again, to compare boards
                for client in writers:
                    if id(client) in facilitators:
                        client.recover()
                        open_up(client)

            # Back online, everything that waits is resent; then nothing may be missing.
            for client in clients:
                if not client.connected or client.outbox:
                    client.recover()
            settle(clients, database, seeded.meeting_ids, f"seed {seed}")
            log = server.log()
            for client in clients:
                client.disconnect()
            gc.collect()  # the dead servers' half-open sockets go now, under this test's filter

        note = f"seed {seed}"
        acked = assert_converged(writers, clients, database, seeded.meeting_ids, note)
        print(
            f"{len(acked)} ops acked, {sum(len(c.acks) - len(c.acked_ok()) for c in writers)}"
            f" refused, {sum(c.reconnects for c in writers)} reconnects,"
            f" {sum(c.gap_syncs for c in clients)} gap syncs,"
            f" {sum(c.live_events for c in clients)} events live; refusals:",
            Counter(
                (c.kinds[op_id], ack["error"]["code"])
                for c in writers
                for op_id, ack in c.acks.items()
                if not ack.get("ok")
            ),
        )
        # a floor, not a rate: a loaded CI machine may manage a few ops per second only
        assert len(acked) >= 5 * len(writers), (
            f"seed {seed}: too little happened ({len(acked)} ops) to prove anything"
        )
        assert integrity_ok(database), f"seed {seed}: the database file is damaged"
        assert "Traceback" not in log, log
        if facilitating:
            ran = {c.kinds[op_id] for c in writers for op_id in c.acked_ok()}
            assert len(ran & FACILITATION) >= 4, f"seed {seed}: too little facilitation: {ran}"
        if faults.kills or faults.drain_kills:
            assert sum(client.reconnects for client in writers) >= len(writers), (
                f"seed {seed}: the kills did not reach every client"
            )


def strike(server: Server, kind: str, rng: random.Random, faults: Faults) -> None:
    """One fault to the server process, and what brings it back."""
    assert server.process is not None
    if kind == "kill":
        server.kill(signal.SIGKILL)  # no drain, no goodbye: power cut
        server.start().wait_ready()
    elif kind == "pause":
        server.process.send_signal(signal.SIGSTOP)  # a VM frozen, a process swapped out
        time.sleep(rng.uniform(*faults.pause_seconds))
        server.process.send_signal(signal.SIGCONT)
    elif kind == "drain_kill":
        server.process.send_signal(signal.SIGTERM)
        time.sleep(rng.uniform(0.0, 0.5))  # into the drain: committing, closing sockets
        server.kill(signal.SIGKILL)  # the process manager lost patience
        server.start().wait_ready()


@pytest.mark.timeout(180)
def test_r1_random_changes_under_load_end_stored_once_and_everywhere_equal(tmp_path, monkeypatch):
    run_meetings(tmp_path, monkeypatch, seconds=5, faults=Faults())


@pytest.mark.timeout(240)
def test_r2_sigkill_under_load_loses_nothing_and_doubles_nothing(tmp_path, monkeypatch):
    run_meetings(tmp_path, monkeypatch, seconds=10, faults=Faults(kills=3))


@pytest.mark.timeout(180)
def test_r3_offline_spells_with_queued_changes_converge(tmp_path, monkeypatch):
    run_meetings(tmp_path, monkeypatch, seconds=6, faults=Faults(offline_spells=6))


@pytest.mark.timeout(180)
def test_r7_a_paused_server_resumes_and_loses_nothing(tmp_path, monkeypatch):
    run_meetings(tmp_path, monkeypatch, seconds=8, faults=Faults(pauses=1))


@pytest.mark.timeout(180)
def test_r7_the_clock_stepping_an_hour_each_way_loses_nothing(tmp_path, monkeypatch):
    run_meetings(tmp_path, monkeypatch, seconds=6, faults=Faults(clock_jumps=2))


@pytest.mark.timeout(240)
def test_r7_kill_9_during_a_graceful_drain_loses_nothing(tmp_path, monkeypatch):
    run_meetings(tmp_path, monkeypatch, seconds=8, faults=Faults(drain_kills=2))


@pytest.mark.timeout(240)
def test_r7_several_ops_in_flight_per_client_through_kills(tmp_path, monkeypatch):
    run_meetings(tmp_path, monkeypatch, seconds=8, faults=Faults(kills=2), together=4)


@pytest.mark.timeout(240)
def test_r7_facilitation_ops_through_kills_pauses_and_cuts(tmp_path, monkeypatch):
    faults = Faults(kills=1, pauses=1, offline_spells=3)
    run_meetings(tmp_path, monkeypatch, seconds=10, faults=faults, facilitating=True)


@pytest.mark.long_faults
@pytest.mark.timeout(900)
def test_r7_long_pauses_of_5_to_30_s(tmp_path, monkeypatch):
    faults = Faults(pauses=3, pause_seconds=(5.0, 30.0), kills=1, drain_kills=1)
    run_meetings(tmp_path, monkeypatch, seconds=120, faults=faults, together=3, facilitating=True)


@pytest.mark.timeout(180)
def test_r7_closing_a_meeting_through_a_kill_closes_it_once(tmp_path, monkeypatch):
    """Guests write, then the facilitator closes the meeting; the server is killed a moment
    (chosen by the seed) after the close is sent, restarted, and the facilitator resends
    it with the same op_id: the meeting is closed once, with one frozen snapshot, and
    every op acknowledged before it is stored once."""
    seed = seed_for_run()
    rng = random.Random(seed)
    print(f"fault seed {seed}")
    with scratch_database(tmp_path) as database:
        settings = base_settings(database, tmp_path, os.urandom(32).hex())
        seeded = seed_meetings(settings, monkeypatch)
        meeting_id = seeded.meeting_ids[0]
        server = Server(settings, tmp_path / "server.log")
        with running(server):
            staff = BoardClient(
                [server.url], sign_in_staff(server.url, seeded.staff_email), meeting_id
            )
            guests = [
                BoardClient(
                    [server.url],
                    join_as_guest(server.url, seeded.codes[0], meeting_id, name),
                    meeting_id,
                )
                for name in ("Mum", "Gran")
            ]
            for client in (staff, *guests):
                client.connect()
            stop = threading.Event()
            threads = [
                threading.Thread(target=work, args=(g, random.Random(rng.random()), stop))
                for g in guests
            ]
            for thread in threads:
                thread.start()
            time.sleep(rng.uniform(0.5, 1.5))
            stop.set()  # (a guest's client would then try to reconnect to a closed meeting)
            for thread in threads:
                thread.join(timeout=60)
            closing = threading.Thread(target=staff.send, args=("close_meeting",))
            closing.start()
            time.sleep(rng.uniform(0.0, 0.05))
            server.kill(signal.SIGKILL)
            closing.join(timeout=30)
            server.start().wait_ready()
            staff.recover()  # reconnect, sync, resend the close if it was not acknowledged
            assert not staff.outbox, f"seed {seed}: the close was never acknowledged"
            (close_ack,) = [a for i, a in staff.acks.items() if staff.kinds[i] == "close_meeting"]
            assert close_ack["ok"] is True, f"seed {seed}: {close_ack}"
            for client in (staff, *guests):
                client.disconnect()
            log = server.log()
            gc.collect()
        engine = create_engine(database.url)
        try:
            with engine.connect() as connection:
                closes = connection.execute(text(
                    "SELECT count(*) FROM meeting_events WHERE meeting_id = :id"
                    " AND type = 'meeting_closed'"), {"id": meeting_id}).scalar_one()  # fmt: skip
                snapshots = connection.execute(text(
                    "SELECT count(*) FROM meeting_snapshots WHERE meeting_id = :id"
                ), {"id": meeting_id}).scalar_one()  # fmt: skip
                status = connection.execute(
                    text("SELECT status FROM meetings WHERE id = :id"), {"id": meeting_id}
                ).scalar_one()
        finally:
            engine.dispose()
        acked = set().union(*(g.acked_ok() for g in guests))
        stored = stored_op_ids(database, [meeting_id])
    assert (status, closes, snapshots) == ("closed", 1, 1), f"seed {seed}"
    assert acked <= set(stored) and len(stored) == len(set(stored)), f"seed {seed}"
    assert integrity_ok(database), f"seed {seed}"
    assert "Traceback" not in log, log
