"""Rate limits on sockets: token buckets per connection, per person and per address, and
a cap on the connections of one person and of one address, in this process's memory.

Every client event (`op`, `sync`, `editing`, `admit_guest`) takes one token. A bucket
holds at most `burst` tokens and refills at `rate` per second; an event that finds it
empty is refused with `rate_limited` before anything else is done (no database access,
O(1)). A connection that keeps going over, `TRIP_REFUSALS` refusals within
`TRIP_WINDOW_SECONDS`, has tripped: the caller logs it, audits it and closes the socket.
From the trip on, every event of that connection is refused (realtime/flood.py closes it
once the events it had been allowed are answered: `in_flight` counts them).
The bucket belongs to the connection, not to the board: a server restart resets it.

An event also takes a token from its person's bucket (a guest, or a staff user across all
their tabs) and from its address's; when one is empty it is refused like the connection's
own, so many sockets of one guest share one guest's budget. `attach` caps the open sockets
of a person and of an address. With several workers each counts its own connections.
"""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass
from typing import Any

TRIP_REFUSALS = 100  # refused events within the window that end the connection
TRIP_WINDOW_SECONDS = 10.0
REPORT_EVERY_SECONDS = 60.0
OWNER_BUCKETS_KEPT = 10_000  # past this many, the buckets of owners with no socket go


@dataclass
class _Bucket:
    tokens: float
    at: float
    refused: int = 0  # refusals in the current window
    window_start: float = 0.0
    total_refused: int = 0
    total_events: int = 0
    tripped: bool = False  # reported once; the socket is being closed
    in_flight: int = 0  # allowed events not yet answered


@dataclass(frozen=True)
class Verdict:
    """The answer for one event: allowed, or refused (and whether the connection tripped)."""

    allowed: bool
    retry_after_ms: int = 0
    tripped: bool = False
    refused: int = 0  # refusals of this connection so far
    events: int = 0  # events of this connection so far


ALLOWED = Verdict(True)


@dataclass(frozen=True)
class OwnerLimits:
    """The budgets a person and an address share across their connections."""

    person_sockets: int = 30
    address_sockets: int = 250
    person_rate: float = 40.0
    person_burst: int = 100
    address_rate: float = 250.0
    address_burst: int = 500


def owner_limits(config: Any) -> OwnerLimits:
    """The owners' budgets from the app's settings: a person may spend two connections'
    worth; an address never less than one connection."""
    rate, burst = float(config["SOCKET_RATE"]), int(config["SOCKET_BURST"])
    address_rate = max(float(config["ADDRESS_RATE"]), rate)
    return OwnerLimits(
        person_sockets=config["SOCKETS_PER_PERSON"],
        address_sockets=config["SOCKETS_PER_ADDRESS"],
        person_rate=2 * rate,
        person_burst=2 * burst,
        address_rate=address_rate,
        address_burst=max(int(2 * address_rate), burst),
    )


class _Owners:
    """Connections and token buckets of persons ("guest:7", "user:3") and addresses."""

    def __init__(self, limits: OwnerLimits) -> None:
        self.limits = limits
        self.of_sid: dict[str, tuple[str, str]] = {}
        self.sockets: dict[str, int] = {}
        self.buckets: dict[str, _Bucket] = {}
        self.reported: dict[str, float] = {}  # owner -> when its cap was last audited

    def cap(self, owner: str) -> int:
        address = owner.startswith("address:")
        return self.limits.address_sockets if address else self.limits.person_sockets

    def wait_ms(self, now: float, owners: tuple[str, str]) -> int:
        """Spend a token of each owner's bucket when every one has one (0); else spend
        none and return how long until the emptiest has one again."""
        buckets = [(self._bucket(owner, now), self._rate(owner)) for owner in owners]
        short = [(1 - bucket.tokens) / rate for bucket, rate in buckets if bucket.tokens < 1]
        if short:
            return int(max(short) * 1000) + 1
        for bucket, _rate in buckets:
            bucket.tokens -= 1
        return 0

    def _rate(self, owner: str) -> float:
        address = owner.startswith("address:")
        return self.limits.address_rate if address else self.limits.person_rate

    def _bucket(self, owner: str, now: float) -> _Bucket:
        address = owner.startswith("address:")
        rate = self._rate(owner)
        burst = float(self.limits.address_burst if address else self.limits.person_burst)
        bucket = self.buckets.get(owner)
        if bucket is None:
            bucket = self.buckets[owner] = _Bucket(burst, now)
        bucket.tokens = min(burst, bucket.tokens + (now - bucket.at) * rate)
        bucket.at = now
        return bucket


class SocketThrottle:
    def __init__(
        self,
        rate: float,
        burst: int,
        trip_refusals: int = TRIP_REFUSALS,
        trip_window: float = TRIP_WINDOW_SECONDS,
        clock: Any = time.monotonic,
        owners: OwnerLimits | None = None,
    ) -> None:
        self.rate, self.burst = float(rate), float(burst)
        self.trip_refusals, self.trip_window = trip_refusals, trip_window
        self._clock = clock
        self._buckets: dict[str, _Bucket] = {}
        self._owners = _Owners(owners or OwnerLimits())
        self._lock = threading.Lock()

    def attach(self, sid: str, person: str, address: str) -> str | None:
        """Count a new connection against its person and address; the owner whose cap it
        would pass ("guest:7", "address:10.0.0.1"), or None when it may stay."""
        owners = (person, f"address:{address}")
        with self._lock:
            over = next(
                (o for o in owners if self._owners.sockets.get(o, 0) >= self._owners.cap(o)),
                None,
            )
            if over is None and sid not in self._owners.of_sid:
                self._owners.of_sid[sid] = owners
                for owner in owners:
                    self._owners.sockets[owner] = self._owners.sockets.get(owner, 0) + 1
            return over

    def first_refusal_in_a_while(self, owner: str) -> bool:
        """True at most once a minute per owner: a cap that keeps refusing is audited once."""
        now = self._clock()
        with self._lock:
            if now - self._owners.reported.get(owner, -REPORT_EVERY_SECONDS) < REPORT_EVERY_SECONDS:
                return False
            self._owners.reported[owner] = now
            return True

    def take(self, sid: str, hold: bool = False) -> Verdict:
        """Spend one token of this connection's bucket; with `hold`, an allowed event counts
        as in flight until `answered`."""
        now = self._clock()
        with self._lock:
            bucket = self._buckets.get(sid)
            if bucket is None:
                bucket = self._buckets[sid] = _Bucket(self.burst, now, window_start=now)
            bucket.tokens = min(self.burst, bucket.tokens + (now - bucket.at) * self.rate)
            bucket.at = now
            bucket.total_events += 1
            owners = self._owners.of_sid.get(sid)
            wait_ms = int(max(0.0, 1 - bucket.tokens) / self.rate * 1000) + 1
            if bucket.tokens >= 1 and not bucket.tripped:
                owners_wait = self._owners.wait_ms(now, owners) if owners else 0
                if not owners_wait:
                    bucket.tokens -= 1
                    bucket.in_flight += hold
                    return ALLOWED
                wait_ms = owners_wait
            if now - bucket.window_start > self.trip_window:
                bucket.window_start, bucket.refused = now, 0
            bucket.refused += 1
            bucket.total_refused += 1
            tripped = not bucket.tripped and bucket.refused > self.trip_refusals
            bucket.tripped = bucket.tripped or tripped
            return Verdict(
                False,
                retry_after_ms=wait_ms,
                tripped=tripped,
                refused=bucket.total_refused,
                events=bucket.total_events,
            )

    def answered(self, sid: str) -> None:
        """An allowed event of this connection has its answer."""
        with self._lock:
            bucket = self._buckets.get(sid)
            if bucket is not None and bucket.in_flight > 0:
                bucket.in_flight -= 1

    def in_flight(self, sid: str) -> int:
        """How many allowed events of this connection wait for their answer."""
        with self._lock:
            bucket = self._buckets.get(sid)
            return bucket.in_flight if bucket is not None else 0

    def forget(self, sid: str) -> None:
        """The connection closed: drop its bucket and its count against its owners."""
        with self._lock:
            self._buckets.pop(sid, None)
            for owner in self._owners.of_sid.pop(sid, ()):
                left = self._owners.sockets.get(owner, 0) - 1
                if left > 0:
                    self._owners.sockets[owner] = left
                else:  # the bucket stays: closing every socket must not refill it
                    self._owners.sockets.pop(owner, None)
            if len(self._owners.buckets) > OWNER_BUCKETS_KEPT:
                self._owners.buckets = {
                    o: b for o, b in self._owners.buckets.items() if o in self._owners.sockets
                }
                self._owners.reported.clear()

    def __len__(self) -> int:
        return len(self._buckets)
