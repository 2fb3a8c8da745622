"""Per-connection rate limits (S7, S10): a token bucket per socket. Beyond it events are
refused with `rate_limited`; a connection that keeps going over is closed, logged and
audited; other connections and other meetings are not slowed. Counts, never timings."""

from __future__ import annotations

import json
import logging

import pytest
from builders import add_op, events_named, rev_of
from sqlalchemy import select

from facilitator.domain.limits import PAYLOAD_MAX_BYTES
from facilitator.extensions import db
from facilitator.models import AuditEntry, Participant
from facilitator.realtime.flood import throttle
from facilitator.realtime.throttle import SocketThrottle

BURST = 5
NO_REFILL = 1e-9  # tokens per second: a bucket spent in a test stays spent


class Clock:
    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


# --- the bucket --------------------------------------------------------------------------


def test_a_bucket_allows_its_burst_then_refuses():
    bucket = SocketThrottle(rate=20, burst=50, clock=Clock())
    verdicts = [bucket.take("a") for _ in range(51)]
    assert [v.allowed for v in verdicts] == [True] * 50 + [False]
    assert verdicts[-1].retry_after_ms == 51  # one token at 20 per second: 50 ms (+1)


def test_a_bucket_refills_at_its_rate_up_to_its_burst():
    clock = Clock()
    bucket = SocketThrottle(rate=20, burst=50, clock=clock)
    for _ in range(50):
        bucket.take("a")
    clock.now += 0.5  # 10 tokens
    assert sum(bucket.take("a").allowed for _ in range(11)) == 10
    clock.now += 3600  # never more than the burst
    assert sum(bucket.take("a").allowed for _ in range(60)) == 50


def test_a_steady_twenty_per_second_is_never_refused():
    clock = Clock()
    bucket = SocketThrottle(rate=20, burst=50, clock=clock)
    allowed = 0
    for _ in range(2000):  # 100 seconds at exactly the rate
        clock.now += 0.05
        allowed += bucket.take("a").allowed
    assert allowed == 2000


def test_each_connection_has_its_own_bucket():
    bucket = SocketThrottle(rate=20, burst=3, clock=Clock())
    assert [bucket.take("a").allowed for _ in range(4)] == [True, True, True, False]
    assert bucket.take("b").allowed


def test_a_connection_trips_once_after_too_many_refusals_in_the_window():
    clock = Clock()
    bucket = SocketThrottle(rate=NO_REFILL, burst=1, trip_refusals=3, trip_window=10, clock=clock)
    verdicts = [bucket.take("a") for _ in range(8)]
    assert [v.tripped for v in verdicts] == [False] * 4 + [True] + [False] * 3
    assert (verdicts[4].refused, verdicts[4].events) == (4, 5)


def test_refusals_spread_over_windows_do_not_trip():
    clock = Clock()
    bucket = SocketThrottle(rate=NO_REFILL, burst=1, trip_refusals=3, trip_window=10, clock=clock)
    bucket.take("a")
    tripped = []
    for _ in range(12):
        clock.now += 4  # three refusals per 10 s window at most
        tripped.append(bucket.take("a").tripped)
    assert not any(tripped)


def test_a_closed_connection_forgets_its_bucket():
    bucket = SocketThrottle(rate=20, burst=50, clock=Clock())
    bucket.take("a")
    bucket.forget("a")
    assert len(bucket) == 0


# --- over a real socket ------------------------------------------------------------------


@pytest.fixture
def limited(make_app):
    """An app whose sockets get BURST events and (in a test's time) no more."""
    return make_app(SOCKET_RATE=NO_REFILL, SOCKET_BURST=BURST, SOCKET_TRIP_REFUSALS=1000)


@pytest.fixture
def app(limited):  # the scene, clients and sockets of these tests use the limited app
    return limited


def sync(socket, meeting_id):
    return socket.emit("sync", {"meeting_id": meeting_id, "since_rev": None}, callback=True)


def test_settings_come_from_the_environment(make_app, monkeypatch):
    monkeypatch.setenv("FACILITATOR_SOCKET_RATE", "7.5")
    monkeypatch.setenv("FACILITATOR_SOCKET_BURST", "11")
    from facilitator.config import from_environment

    config = from_environment()
    assert (config["SOCKET_RATE"], config["SOCKET_BURST"]) == (7.5, 11)
    monkeypatch.delenv("FACILITATOR_SOCKET_RATE")
    monkeypatch.delenv("FACILITATOR_SOCKET_BURST")
    config = from_environment()
    assert (config["SOCKET_RATE"], config["SOCKET_BURST"]) == (20.0, 50)


@pytest.mark.parametrize("event", ["op", "sync", "editing", "admit_guest"])
def test_every_event_beyond_the_burst_is_refused_as_rate_limited(
    app, scene, staff_client, open_socket, event
):
    socket = open_socket(staff_client(scene.supervisor), scene.meeting_id)

    def message():
        if event == "op":
            return add_op(scene.meeting_id, "Fine.")
        return {"meeting_id": scene.meeting_id, "since_rev": None}

    answers = [socket.emit(event, message(), callback=True) for _ in range(BURST + 3)]
    codes = [a.get("error", {}).get("code") for a in answers]
    assert "rate_limited" not in codes[:BURST]
    assert codes[BURST:] == ["rate_limited"] * 3
    refusal = answers[-1]["error"]
    assert refusal["retry_after_ms"] > 0 and refusal["message"]
    assert socket.is_connected()  # throttled, not yet disconnected
    with app.app_context():
        expected = BURST if event == "op" else 0
        assert rev_of(scene.meeting_id) == expected  # nothing refused was written


def test_a_refused_event_is_refused_before_its_size_or_identity_is_looked_at(
    app, scene, staff_client, open_socket
):
    socket = open_socket(staff_client(scene.supervisor), scene.meeting_id)
    for _ in range(BURST):
        sync(socket, scene.meeting_id)
    huge = {"meeting_id": scene.meeting_id, "padding": "x" * (2 * PAYLOAD_MAX_BYTES)}
    assert socket.emit("sync", huge, callback=True)["error"]["code"] == "rate_limited"


def test_another_socket_of_the_same_person_has_its_own_bucket(
    app, scene, staff_client, open_socket
):
    client = staff_client(scene.supervisor)
    first = open_socket(client, scene.meeting_id)
    for _ in range(BURST + 1):
        sync(first, scene.meeting_id)
    second = open_socket(client, scene.meeting_id)
    assert sync(second, scene.meeting_id)["ok"] is True


def test_a_closed_socket_leaves_no_bucket_behind(app, scene, staff_client, open_socket):
    socket = open_socket(staff_client(scene.supervisor), scene.meeting_id)
    sync(socket, scene.meeting_id)
    with app.app_context():
        buckets = throttle()
    assert len(buckets) == 1
    socket.disconnect()
    assert len(buckets) == 0


def trips_after(app, refusals):
    with app.app_context():
        throttle().trip_refusals = refusals


def test_a_connection_that_keeps_going_over_is_closed_logged_and_audited(
    app, scene, staff_client, open_socket, caplog
):
    trips_after(app, 3)
    socket = open_socket(staff_client(scene.supervisor), scene.meeting_id)
    socket.get_received()
    caplog.set_level(logging.WARNING, logger="facilitator.realtime.handlers")
    sid = socket.eio_sid
    answers = []
    for _ in range(BURST + 4):
        if not socket.is_connected():
            break
        answers.append(sync(socket, scene.meeting_id))
    codes = [a.get("error", {}).get("code") for a in answers if isinstance(a, dict)]
    assert codes.count("rate_limited") == 4
    assert not socket.is_connected()
    with app.app_context():
        (entry,) = db.session.scalars(select(AuditEntry).filter_by(action="socket.rate_limited"))
        facilitator_id = db.session.scalar(
            select(Participant.id).filter_by(meeting_id=scene.meeting_id, role="facilitator")
        )
        assert (entry.user_id, entry.participant_id, entry.meeting_id, entry.case_id) == (
            scene.supervisor.id, facilitator_id, scene.meeting_id, scene.case_id,
        )  # fmt: skip
        assert entry.detail == {"refused": 4, "events": BURST + 4}
    (line,) = [r.getMessage() for r in caplog.records if "rate limit tripped" in r.getMessage()]
    assert f"participant={facilitator_id}" in line and f"meeting={scene.meeting_id}" in line
    assert "refused=4" in line and f"events={BURST + 4}" in line
    assert sid not in line and scene.supervisor.name not in line


def test_a_tripped_socket_is_closed_at_once(app, scene, staff_client, open_socket):
    trips_after(app, 0)
    socket = open_socket(staff_client(scene.supervisor), scene.meeting_id)
    for _ in range(BURST):
        sync(socket, scene.meeting_id)
    socket.get_received()
    refused = socket.emit("sync", {"meeting_id": scene.meeting_id}, callback=True)
    assert refused["error"]["code"] == "rate_limited"
    assert not socket.is_connected()


# --- S10: a flood in one meeting does not hold up another ---------------------------------


def test_a_flood_in_one_meeting_is_refused_while_another_meetings_ops_all_go_through(
    app, scene, staff_client, open_socket
):
    flooder = open_socket(staff_client(scene.supervisor), scene.other_meeting_id)
    other = open_socket(staff_client(scene.worker), scene.meeting_id)
    other.get_received()
    flood_answers, other_answers = [], []
    oversize = add_op(scene.other_meeting_id, "x", padding="y" * PAYLOAD_MAX_BYTES)
    for round_ in range(BURST):
        for _ in range(6):  # the flood: ops, oversize ops and syncs, as fast as it can
            flood_answers.append(
                flooder.emit("op", add_op(scene.other_meeting_id, "flood"), callback=True)
            )
            flood_answers.append(flooder.emit("op", oversize, callback=True))
        other_answers.append(
            other.emit("op", add_op(scene.meeting_id, f"Step {round_}."), callback=True)
        )
    assert [a["ok"] for a in other_answers] == [True] * BURST
    flood_codes = [a.get("error", {}).get("code") for a in flood_answers]
    assert flood_codes.count("rate_limited") == len(flood_answers) - BURST
    with app.app_context():
        assert rev_of(scene.meeting_id) == BURST
        assert rev_of(scene.other_meeting_id) <= BURST
    # the other meeting's client heard nothing of the flood
    assert all(
        e["meeting_id"] == scene.meeting_id for e in events_named(other.get_received(), "event")
    )


def test_the_flooders_refusals_are_counted_not_its_content(app, scene, staff_client, open_socket):
    flooder = open_socket(staff_client(scene.supervisor), scene.meeting_id)
    for _ in range(BURST + 2):
        flooder.emit("op", add_op(scene.meeting_id, "SECRET case words"), callback=True)
    with app.app_context():
        details = json.dumps([e.detail for e in db.session.scalars(select(AuditEntry))])
    assert "SECRET" not in details
