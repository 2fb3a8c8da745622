"""The scale-out topology, for real: two wsgi.py workers on one PostgreSQL database and one
Redis channel, as docs/deploy.md sets them up, with python-socketio clients of one meeting
on each.

A fresh database is created and migrated with `flask db upgrade` (as an operator does), the
Redis channel is this run's own, and the workers listen on free loopback ports. Clients
fail over as nginx would route them: to the next worker in their list when theirs is gone.
`make test-topology` runs these (CI: through `make test`); without PostgreSQL or Redis they
skip, and under CI=true they fail instead.
"""

from __future__ import annotations

import gc
import random
import secrets
import signal
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass

import pytest
import requests
from board_client import BoardClient
from convergence import assert_converged, settle, work
from live_server import (
    WAIT,
    Database,
    Seeded,
    Server,
    base_settings,
    fresh_postgres_database,
    join_as_guest,
    meeting_rev,
    migrate,
    redis_url,
    running,
    seed_meetings,
    sign_in_staff,
    sign_out,
    wait_until_blocked_by,
    with_cookie,
)
from sqlalchemy import create_engine, text

pytestmark = [
    pytest.mark.topology,
    # a SIGKILLed worker leaves the client library's half-open sockets to the collector
    pytest.mark.filterwarnings(
        "ignore::ResourceWarning", "ignore::pytest.PytestUnraisableExceptionWarning"
    ),
]

CHANGES_EACH = 5  # changes per writer sent at once through both workers
LOAD_SECONDS = 4.0  # random changes from every writer while one worker is killed
KILL_AFTER = 1.5


@dataclass
class Topology:
    database: Database
    seeded: Seeded
    workers: tuple[Server, Server]

    def urls(self, first: Server) -> list[str]:
        """A client's servers: its own first, then the other (nginx's next upstream)."""
        return [first.url, *(w.url for w in self.workers if w is not first)]

    def restart_any_stopped(self) -> None:
        for worker in self.workers:
            if worker.process is None or worker.process.poll() is not None:
                worker.start().wait_ready()


@pytest.fixture(scope="module")
def topology(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Topology]:
    tmp = tmp_path_factory.mktemp("topology")
    queue = redis_url()
    channel = f"facilitator-topology-test-{secrets.token_hex(6)}"  # this run's alone
    with fresh_postgres_database("facilitator_topo") as database:
        migrate(database, tmp)
        settings = {
            **base_settings(database, tmp, secrets.token_hex(32)),
            "FACILITATOR_MESSAGE_QUEUE": queue,
            "FACILITATOR_QUEUE_CHANNEL": channel,
            "FACILITATOR_SHUTDOWN_SECONDS": "5",
            "FACILITATOR_PRESENCE_BEAT_SECONDS": "1",  # a dead worker's presence goes in ~6 s
        }
        with pytest.MonkeyPatch.context() as patch:
            seeded = seed_meetings(settings, patch, meetings=3, waiting_meetings=1)
        first, second = (
            Server({**settings, "FACILITATOR_SERVER_ID": f"worker-{n}"}, tmp / f"worker-{n}.log")
            for n in (1, 2)
        )
        with running(first, second):
            yield Topology(database, seeded, (first, second))


@pytest.fixture
def workers(topology: Topology) -> Iterator[tuple[Server, Server]]:
    """Both workers up; afterwards neither logged a traceback."""
    topology.restart_any_stopped()
    yield topology.workers
    for worker in topology.workers:
        assert "Traceback" not in worker.log(), worker.log()


def eventually(condition: Callable[[], bool], what: str, seconds: float = WAIT) -> None:
    deadline = time.monotonic() + seconds
    while not condition():
        assert time.monotonic() < deadline, f"never happened: {what}"
        time.sleep(0.05)


def stored_revs(database: Database, meeting_id: int) -> list[int]:
    engine = create_engine(database.url)
    try:
        with engine.connect() as connection:
            query = text("SELECT rev FROM meeting_events WHERE meeting_id = :id ORDER BY rev")
            return [row[0] for row in connection.execute(query, {"id": meeting_id})]
    finally:
        engine.dispose()


@pytest.mark.timeout(60)
def test_a_query_waiting_for_a_lock_leaves_its_worker_serving_everyone_else(topology, workers):
    """psycopg2's green wait (wsgi.py): while one query of worker one waits for a row lock
    (held here, as another worker's transaction would), worker one still answers pages,
    readiness checks (their own queries) and other sockets. A blocking driver would freeze
    the whole process until the lock was released, and these requests would time out."""
    one, _two = workers
    seeded, database = topology.seeded, topology.database
    meeting_id, code = seeded.meeting_ids[1], seeded.codes[1]
    staff = sign_in_staff(one.url, seeded.staff_email)
    writer = BoardClient([one.url], staff, meeting_id)
    guest = BoardClient([one.url], join_as_guest(one.url, code, meeting_id, "Mum"), meeting_id)
    writer.connect()
    guest.connect()
    before = meeting_rev(database, meeting_id)
    answers: list[dict | None] = []
    engine = create_engine(database.url)
    try:
        with engine.connect() as other_worker:
            holding = other_worker.begin()
            lock = text("SELECT id FROM meetings WHERE id = :id FOR UPDATE")
            other_worker.execute(lock, {"id": meeting_id})
            change = threading.Thread(
                target=lambda: answers.append(writer.send("add_item", section="harm", text="x"))
            )
            change.start()
            wait_until_blocked_by(other_worker)  # worker one's writer waits in PostgreSQL
            for path in ("/healthz", "/readyz"):
                answer = requests.get(f"{one.url}{path}", timeout=WAIT)
                assert answer.status_code == 200, (path, answer.text)
            page = with_cookie(staff).get(f"{one.url}/meetings/{meeting_id}", timeout=WAIT)
            assert page.status_code == 200
            guest.sync()  # a socket event with queries of its own
            assert guest.rev == before
            assert change.is_alive() and not answers, "the change went past a held lock"
            holding.rollback()
        change.join(timeout=WAIT)
    finally:
        engine.dispose()
    assert answers and answers[0] is not None and answers[0]["ok"], answers
    assert answers[0]["rev"] == before + 1
    eventually(lambda: guest.rev == before + 1, "the guest hears the change")
    writer.disconnect()
    guest.disconnect()


@pytest.mark.timeout(60)
def test_a_removal_or_a_sign_out_on_one_worker_closes_sockets_on_the_other(topology, workers):
    one, two = workers
    seeded = topology.seeded
    meeting_id, code = seeded.meeting_ids[2], seeded.codes[2]
    facilitator = BoardClient([one.url], sign_in_staff(one.url, seeded.staff_email), meeting_id)
    guest_cookie = join_as_guest(two.url, code, meeting_id, "Uncle")
    guest = BoardClient([two.url], guest_cookie, meeting_id)
    member_cookie = sign_in_staff(two.url, seeded.member_email)
    member = BoardClient([two.url], member_cookie, meeting_id)
    for client in (facilitator, guest, member):
        client.connect()

    removal = facilitator.send("remove_participant", participant_id=guest.you)
    assert removal is not None and removal["ok"], removal
    eventually(lambda: guest.closed == ["removed"] and not guest.connected, "guest closed")
    with pytest.raises(AssertionError, match="could not reconnect"):
        BoardClient([two.url], guest_cookie, meeting_id).connect(deadline_seconds=0.5)

    sign_out(one.url, member_cookie)  # the member's browser, signing out through worker one
    eventually(lambda: member.closed == ["signed_out"] and not member.connected, "member closed")
    assert facilitator.connected and facilitator.closed == []
    facilitator.disconnect()


@pytest.mark.timeout(60)
def test_a_guest_let_in_on_one_worker_gets_their_board_through_the_other(topology, workers):
    one, two = workers
    seeded = topology.seeded
    meeting_id = seeded.waiting_meeting_ids[0]
    facilitator = BoardClient([one.url], sign_in_staff(one.url, seeded.staff_email), meeting_id)
    facilitator.connect()
    cookie = join_as_guest(two.url, seeded.waiting_codes[0], meeting_id, "Dad", waiting=True)
    # the join on worker two reaches the facilitator's waiting list on worker one
    eventually(lambda: [g["name"] for g in facilitator.waiting] == ["Dad"], "Dad waits")
    waiting_id = facilitator.waiting[0]["id"]
    status = with_cookie(cookie).get(f"{two.url}/join/wait/status", timeout=WAIT).json()
    assert status == {"state": "waiting"}

    ack = facilitator.call(
        "admit_guest", {"meeting_id": meeting_id, "participant_id": waiting_id, "admit": True}
    )
    assert ack == {"ok": True}
    status = with_cookie(cookie).get(f"{two.url}/join/wait/status", timeout=WAIT).json()
    assert status == {"state": "admitted", "next": f"/meetings/{meeting_id}"}
    guest = BoardClient([two.url], cookie, meeting_id)
    guest.connect()
    assert guest.you == waiting_id
    eventually(lambda: waiting_id in facilitator.online, "the facilitator sees Dad here")
    change = guest.send("add_item", section="strengths", text="Dad's change", view="parent")
    assert change is not None and change["ok"], change
    eventually(lambda: facilitator.rev == change["rev"], "worker one's client hears it")
    facilitator.disconnect()
    guest.disconnect()


# Last: it kills worker one (a test after it would wait for a restart).
@pytest.mark.timeout(120)
def test_changes_cross_workers_and_a_killed_worker_loses_nothing(topology, workers):
    one, two = workers
    seeded, database = topology.seeded, topology.database
    meeting_id, code = seeded.meeting_ids[0], seeded.codes[0]
    # signed in and joined through either worker: sessions live in the database
    supervisor = sign_in_staff(one.url, seeded.staff_email)
    cookies = [
        (one, supervisor),
        (one, join_as_guest(one.url, code, meeting_id, "Mum")),
        (two, sign_in_staff(two.url, seeded.member_email)),
        (two, join_as_guest(two.url, code, meeting_id, "Gran")),
    ]
    writers = [BoardClient(topology.urls(at), cookie, meeting_id) for at, cookie in cookies]
    display = BoardClient(topology.urls(one), supervisor, meeting_id, display=True)
    clients = [*writers, display]
    # Aunt only watches, on worker one, and leaves with it (she never reconnects)
    aunt = BoardClient([one.url], join_as_guest(one.url, code, meeting_id, "Aunt"), meeting_id)
    for client in [*clients, aunt]:
        client.connect()
    assert [client.server for client in clients] == [one.url, one.url, two.url, two.url, one.url]

    # Presence merges: everyone sees all five here, whichever worker holds them.
    everyone = {client.you for client in [*writers, aunt]}
    assert len(everyone) == 5
    eventually(lambda: all(c.online == everyone for c in writers), "presence from both workers")

    # Changes sent at once through both workers: one total order, every one heard by every
    # client over its own socket (never only caught up by sync).
    start = meeting_rev(database, meeting_id)
    go = threading.Barrier(len(writers))

    def send_changes(client: BoardClient) -> None:
        go.wait()
        for n in range(CHANGES_EACH):
            ack = client.send("add_item", section="harm", text=f"Change {n}", view="agency")
            assert ack is not None and ack["ok"], ack

    senders = [threading.Thread(target=send_changes, args=(c,)) for c in writers]
    for thread in senders:
        thread.start()
    for thread in senders:
        thread.join(timeout=60)
    end = start + CHANGES_EACH * len(writers)
    assert stored_revs(database, meeting_id) == list(range(1, end + 1))
    settle(clients, database, [meeting_id], "two workers")
    for client in clients:
        assert client.heard >= set(range(start + 1, end + 1)), client.server
    assert_converged(writers, clients, database, [meeting_id], "two workers")

    # Worker one dies mid-conversation (SIGKILL: no drain, no goodbye). Its clients reconnect
    # to worker two, sync from their last revision and resend what was not acknowledged.
    stop = threading.Event()
    rng = random.Random()
    load = [
        threading.Thread(target=work, args=(client, random.Random(rng.random()), stop))
        for client in writers
    ]
    for thread in load:
        thread.start()
    try:
        time.sleep(KILL_AFTER)
        one.kill(signal.SIGKILL)
        killed_at_rev = meeting_rev(database, meeting_id)
        time.sleep(LOAD_SECONDS - KILL_AFTER)
    finally:
        stop.set()
        for thread in load:
            thread.join(timeout=60)
    assert not any(thread.is_alive() for thread in load), "a client got stuck"
    for client in clients:
        if not client.connected or client.outbox:
            client.recover()
    settle(clients, database, [meeting_id], "after the kill")
    assert_converged(writers, clients, database, [meeting_id], "after the kill")
    assert {client.server for client in clients} == {two.url}
    moved = [writers[0], writers[1], display]
    assert all(client.reconnects >= 1 for client in moved), "the kill missed a client"
    assert meeting_rev(database, meeting_id) > killed_at_rev, "nothing happened after the kill"
    # Worker one is gone for good: worker two drops its presence rows (those who moved are
    # listed again at once; Aunt, who left with it, no longer is).
    still_here = {client.you for client in writers}
    eventually(lambda: all(c.online == still_here for c in writers), "Aunt is gone", 20)
    print(
        f"{len(set().union(*(c.acked_ok() for c in writers)))} changes acknowledged,"
        f" rev {killed_at_rev} at the kill, {meeting_rev(database, meeting_id)} at the end"
    )
    for client in [*clients, aunt]:
        client.disconnect()
    gc.collect()  # the killed worker's half-open sockets go now, under this test's filter
