"""Limits per person and per address, not only per socket (S10): one guest's many sockets
share one guest's budget of connections and events; one address has a cap too; a cap
that refuses is audited once, not per socket. Counts, never timings."""

from __future__ import annotations

import pytest
from builders import add_op
from sqlalchemy import select

from facilitator.extensions import db
from facilitator.models import AuditEntry
from facilitator.realtime.throttle import OwnerLimits, SocketThrottle

NO_REFILL = 1e-9


class Clock:
    now = 100.0

    def __call__(self) -> float:
        return self.now


def owned(limits: OwnerLimits, rate: float = NO_REFILL, burst: int = 5) -> SocketThrottle:
    return SocketThrottle(rate=rate, burst=burst, clock=Clock(), owners=limits)


# --- the buckets ---------------------------------------------------------------------------


def test_one_persons_sockets_share_one_budget_of_events():
    throttle = owned(OwnerLimits(person_rate=NO_REFILL, person_burst=10))
    for sid in "abcde":
        assert throttle.attach(sid, "guest:7", "10.0.0.1") is None
    allowed = sum(throttle.take(sid).allowed for sid in "abcde" for _ in range(5))
    assert allowed == 10  # not 5 sockets x 5
    assert throttle.take("a").retry_after_ms > 0


def test_one_address_has_a_budget_of_events_across_its_people():
    throttle = owned(OwnerLimits(address_rate=NO_REFILL, address_burst=12))
    for number, sid in enumerate("abcde"):
        throttle.attach(sid, f"guest:{number}", "10.0.0.1")
    assert sum(throttle.take(sid).allowed for sid in "abcde" for _ in range(5)) == 12
    throttle.attach("f", "guest:9", "10.0.0.2")
    assert throttle.take("f").allowed  # another address is not slowed


def test_a_persons_and_an_addresss_sockets_are_capped_and_counted_down_on_close():
    throttle = owned(OwnerLimits(person_sockets=3, address_sockets=4))
    assert [throttle.attach(s, "guest:7", "10.0.0.1") for s in "abcd"] == [None] * 3 + ["guest:7"]
    assert throttle.attach("e", "user:2", "10.0.0.1") is None
    assert throttle.attach("f", "user:3", "10.0.0.1") == "address:10.0.0.1"
    throttle.forget("a")
    assert throttle.attach("g", "guest:7", "10.0.0.2") is None


def test_closing_every_socket_does_not_refill_a_persons_budget():
    throttle = owned(OwnerLimits(person_rate=NO_REFILL, person_burst=3), burst=50)
    throttle.attach("a", "guest:7", "10.0.0.1")
    assert sum(throttle.take("a").allowed for _ in range(5)) == 3
    throttle.forget("a")
    throttle.attach("b", "guest:7", "10.0.0.1")
    assert not throttle.take("b").allowed


def test_normal_use_stays_within_the_default_limits():
    """A supervisor with four tabs and the projector; a family of six phones and the
    facilitator's laptop behind one household address, each person adding a card every
    two seconds for an hour: nothing refused."""
    clock = Clock()
    throttle = SocketThrottle(rate=20, burst=50, clock=clock, owners=OwnerLimits())
    sockets = {f"tab{n}": "user:1" for n in range(5)} | {
        f"phone{n}": f"guest:{n}" for n in range(6)
    }
    for sid, person in sockets.items():
        assert throttle.attach(sid, person, "192.0.2.1") is None
    refused = 0
    for _ in range(1800):
        clock.now += 2
        refused += sum(not throttle.take(sid).allowed for sid in sockets)
    assert refused == 0


# --- over real sockets ---------------------------------------------------------------------


@pytest.fixture
def app(make_app):
    return make_app(SOCKET_RATE=NO_REFILL, SOCKET_BURST=50, SOCKETS_PER_PERSON=4,
                    SOCKET_TRIP_REFUSALS=1000)  # fmt: skip


def test_one_guest_cannot_open_many_sockets_and_the_cap_is_audited_once(
    app, scene, guest_client, open_socket
):
    guest = guest_client(scene.code)
    sockets = [open_socket(guest, scene.meeting_id) for _ in range(7)]
    assert [s.is_connected() for s in sockets] == [True] * 4 + [False] * 3
    with app.app_context():
        capped = list(
            db.session.scalars(select(AuditEntry).where(AuditEntry.action == "socket.too_many"))
        )
    assert len(capped) == 1 and capped[0].detail == {"limit": "person"}
    assert capped[0].actor_role == "guest"


def test_one_guests_sockets_get_one_guests_budget_of_items(app, scene, guest_client, open_socket):
    guest = guest_client(scene.code)
    sockets = [open_socket(guest, scene.meeting_id) for _ in range(4)]
    acks = [s.emit("op", add_op(scene.meeting_id, f"card {n}"), callback=True)
            for n in range(40) for s in sockets]  # fmt: skip
    accepted = [a for a in acks if a.get("ok")]
    refused = {a["error"]["code"] for a in acks if not a.get("ok")}
    assert len(accepted) == 100  # two sockets' burst (2 x 50), not 4 x 40 = 160
    assert refused == {"rate_limited"}
