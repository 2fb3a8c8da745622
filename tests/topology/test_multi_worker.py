"""Scale-out (issue 6): two wsgi.py workers on one PostgreSQL database and one Redis channel.

Clients of one meeting sit on both workers: every change reaches every client through
either worker; SIGKILL one worker and its clients reconnect to the other (as nginx routes
them), sync, resend their outbox, and nothing is lost or doubled. A query waiting on
PostgreSQL does not hold the worker's other sockets (wsgi.py's green wait). Always on
PostgreSQL and Redis, whatever database the rest of the suite uses (`make test-topology`).
"""

from __future__ import annotations

import gc
import os
import re
import secrets
import signal
import subprocess
import sys
import threading
import time
from collections import Counter
from pathlib import Path

import pytest
import requests
from board_client import BoardClient, item_digest
from live_server import (
    PG_DEFAULT,
    ROOT,
    Server,
    base_settings,
    join_as_guest,
    meeting_rev,
    redis_url,
    running,
    scratch_database,
    seed_meetings,
    sign_in_staff,
    stored_items,
    stored_op_ids,
)
from sqlalchemy import create_engine, text

pytestmark = [
    pytest.mark.topology,
    pytest.mark.timeout(180),
    # a killed worker leaves the client library's half-open sockets to the collector
    pytest.mark.filterwarnings(
        "ignore::ResourceWarning", "ignore::pytest.PytestUnraisableExceptionWarning"
    ),
]

LIVE_WAIT = 10.0


@pytest.fixture
def topology(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    """Two workers on a private PostgreSQL schema and a private Redis channel."""
    queue = redis_url()
    with scratch_database(tmp_path, postgres=True) as database:
        settings = {
            **base_settings(database, tmp_path, secrets.token_hex(32)),
            "FACILITATOR_MESSAGE_QUEUE": queue,
            "FACILITATOR_QUEUE_CHANNEL": f"facilitator-test-{os.getpid()}-{secrets.token_hex(4)}",
        }
        seeded = seed_meetings(settings, monkeypatch, meetings=2)
        workers = [
            Server({**settings, "FACILITATOR_SERVER_ID": f"worker-{n}"}, tmp_path / f"w{n}.log")
            for n in (1, 2)
        ]
        with running(*workers):
            yield database, seeded, workers
        gc.collect()  # a killed worker's half-open sockets go now, under this test's filter


def wait_for(condition, seconds: float = LIVE_WAIT) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.05)
    return condition()


def test_changes_reach_every_client_through_either_worker_and_a_dead_worker_loses_nothing(
    topology,
):
    database, seeded, (one, two) = topology
    meeting_id, code = seeded.meeting_ids[0], seeded.codes[0]
    staff = sign_in_staff(one.url, seeded.staff_email)  # signed in on one, used on both
    # on worker 1: the supervisor and a parent; on worker 2: a grandparent and the display
    on_one = [
        BoardClient([one.url, two.url], staff, meeting_id),
        BoardClient(
            [one.url, two.url], join_as_guest(one.url, code, meeting_id, "Mum"), meeting_id
        ),
    ]
    on_two = [
        BoardClient(
            [two.url, one.url], join_as_guest(two.url, code, meeting_id, "Gran"), meeting_id
        ),
        BoardClient([two.url, one.url], staff, meeting_id, display=True),
    ]
    clients = on_one + on_two
    for client in clients:
        client.connect()
    writers = [client for client in clients if not client.display]

    # 1. Every change, sent to either worker, reaches every client live (no sync needed).
    for number in range(8):
        for writer in writers:
            ack = writer.send("add_item", section="strengths", text=f"{number} {writer.server}")
            assert ack and ack["ok"], ack
    rev = meeting_rev(database, meeting_id)
    assert rev == 8 * len(writers)
    assert wait_for(lambda: all(client.rev == rev for client in clients)), [c.rev for c in clients]
    assert all(client.gap_syncs == 0 for client in clients)
    # each client saw the others' changes as live events (its own come back in its acks)
    assert all(client.live_events >= rev - 8 for client in clients)
    digest = item_digest(stored_items(database, meeting_id))
    assert all(client.digest() == digest for client in clients)

    # 2. Kill worker 2 in the middle of a stream of changes from everyone.
    stop = threading.Event()

    def keep_changing(writer: BoardClient) -> None:
        number = 0
        while not stop.is_set():
            number += 1
            if writer.send("add_item", section="grey", text=f"after {number}") is None:
                writer.recover()  # to the next worker in its list
            time.sleep(0.01)

    threads = [threading.Thread(target=keep_changing, args=(w,)) for w in writers]
    for thread in threads:
        thread.start()
    time.sleep(1.0)
    two.kill(signal.SIGKILL)
    time.sleep(2.0)
    stop.set()
    for thread in threads:
        thread.join(timeout=60)
    assert not any(thread.is_alive() for thread in threads)
    for client in clients:
        if not client.connected or client.outbox:
            client.recover()

    assert all(client.server == one.url for client in clients)  # everyone is on worker 1 now
    rev = meeting_rev(database, meeting_id)
    assert wait_for(lambda: all(client.rev == rev for client in clients)), [c.rev for c in clients]
    stored = stored_op_ids(database, [meeting_id])
    acked = set().union(*(client.acked_ok() for client in writers))
    assert not [op for op, times in Counter(stored).items() if times > 1]
    assert set(stored) == acked
    assert sum(len(c.kinds) for c in writers) == sum(len(c.acks) for c in writers)
    digest = item_digest(stored_items(database, meeting_id))
    assert all(client.digest() == digest for client in clients)
    assert "Traceback" not in one.log(), one.log()
    for client in clients:
        client.disconnect()


def test_a_query_waiting_on_postgresql_does_not_hold_the_worker(topology):
    """The test holds the meeting's row lock: a change on worker 1 waits for it in
    PostgreSQL; meanwhile worker 1 still answers pages and another meeting's sockets.
    (Changes themselves queue behind it: each worker has one writer, realtime/writer.py.)"""
    database, seeded, (one, _two) = topology
    staff = sign_in_staff(one.url, seeded.staff_email)
    waiting = BoardClient([one.url], staff, seeded.meeting_ids[0])
    other = BoardClient([one.url], staff, seeded.meeting_ids[1])
    waiting.connect()
    other.connect()
    engine = create_engine(database.url)
    try:
        with engine.connect() as holder:
            holder.execute(
                text("SELECT id FROM meetings WHERE id = :id FOR UPDATE"),
                {"id": seeded.meeting_ids[0]},
            )
            answers: list[dict | None] = []
            sender = threading.Thread(
                target=lambda: answers.append(waiting.send("add_item", section="harm", text="x"))
            )
            sender.start()
            time.sleep(0.5)  # the change is now waiting for the lock inside PostgreSQL
            assert requests.get(f"{one.url}/healthz", timeout=3).status_code == 200
            other.rev = None
            other.sync()  # a whole snapshot, read while the change waits
            assert other.rev == 0
            assert sender.is_alive() and not answers  # still waiting on the lock
            holder.rollback()
        sender.join(timeout=LIVE_WAIT)
        assert answers and answers[0] and answers[0]["ok"], answers
    finally:
        engine.dispose()
        waiting.disconnect()
        other.disconnect()


def test_removing_a_guest_on_one_worker_closes_their_socket_on_the_other(topology):
    _database, seeded, (one, two) = topology
    meeting_id, code = seeded.meeting_ids[0], seeded.codes[0]
    supervisor = BoardClient([one.url], sign_in_staff(one.url, seeded.staff_email), meeting_id)
    guest = BoardClient([two.url], join_as_guest(two.url, code, meeting_id, "Gran"), meeting_id)
    supervisor.connect()
    guest.connect()
    assert guest.you is not None
    ack = supervisor.send("remove_participant", participant_id=guest.you)
    assert ack and ack["ok"], ack
    assert wait_for(lambda: not guest.connected), "worker 2 kept the removed guest's socket"
    assert guest.closed == ["removed"]
    with pytest.raises(AssertionError):  # and they cannot come back through either worker
        BoardClient([two.url, one.url], guest.cookie, meeting_id).connect(deadline_seconds=1)
    supervisor.disconnect()


@pytest.mark.timeout(240)
def test_scale_out_bench_smoke_run_loses_nothing():
    """bench/load.py --scale-out, tiny: one PostgreSQL worker, then two sharing Redis."""
    redis_url()  # the bench needs it too
    argv = [
        sys.executable, str(ROOT / "bench" / "load.py"), "--scale-out", "--meetings", "2",
        "--clients-per-meeting", "4", "--duration", "4", "--drain", "10",
        "--postgres", os.environ.get("FACILITATOR_TEST_DATABASE_URL", PG_DEFAULT),
    ]  # fmt: skip
    done = subprocess.run(argv, cwd=ROOT, capture_output=True, text=True, timeout=230)
    output = done.stdout + done.stderr
    assert done.returncode == 0, output
    for target in ("pg-1", "pg-2+redis"):
        assert re.search(rf"^{re.escape(target)}: lost 0, duplicated 0$", done.stdout, re.M), output
    assert "RESULT: PASS" in done.stdout, output
