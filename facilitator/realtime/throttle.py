"""Per-socket rate limits: a token bucket per connection, in this process's memory.

Every client event (`op`, `sync`, `editing`, `admit_guest`) takes one token. A bucket
holds at most `burst` tokens and refills at `rate` per second; an event that finds it
empty is refused with `rate_limited` before anything else is done (no database access,
O(1)). A connection that keeps going over, `TRIP_REFUSALS` refusals within
`TRIP_WINDOW_SECONDS`, has tripped: the caller logs it, audits it and closes the socket.
From the trip on, every event of that connection is refused (realtime/flood.py closes it
once the events it had been allowed are answered: `in_flight` counts them).
The bucket belongs to the connection, not to the board: a server restart resets it.
"""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass
from typing import Any

TRIP_REFUSALS = 100  # refused events within the window that end the connection
TRIP_WINDOW_SECONDS = 10.0


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


class SocketThrottle:
    def __init__(
        self,
        rate: float,
        burst: int,
        trip_refusals: int = TRIP_REFUSALS,
        trip_window: float = TRIP_WINDOW_SECONDS,
        clock: Any = time.monotonic,
    ) -> None:
        self.rate, self.burst = float(rate), float(burst)
        self.trip_refusals, self.trip_window = trip_refusals, trip_window
        self._clock = clock
        self._buckets: dict[str, _Bucket] = {}
        self._lock = threading.Lock()

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
            if bucket.tokens >= 1 and not bucket.tripped:
                bucket.tokens -= 1
                bucket.in_flight += hold
                return ALLOWED
            if now - bucket.window_start > self.trip_window:
                bucket.window_start, bucket.refused = now, 0
            bucket.refused += 1
            bucket.total_refused += 1
            wait_ms = int(max(0.0, 1 - bucket.tokens) / self.rate * 1000) + 1
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
        """The connection closed: drop its bucket."""
        with self._lock:
            self._buckets.pop(sid, None)

    def __len__(self) -> int:
        return len(self._buckets)
