"""Wrong join codes, counted per client address and overall, in this process's memory.

A code is 8 characters from 31 (31^8, about 8.5 * 10^11), and an invite that lets guests in
directly skips the waiting room: guessing must stay slow. Within WINDOW_SECONDS, an address
that got `per_address` codes wrong, or everyone together `overall`, is refused (HTTP 429)
without its code being looked at, until its oldest failure leaves the window. Reaching a
limit is audited once per burst (join.throttled), never once per attempt. With several
workers each counts its own requests.
"""

from __future__ import annotations

import threading
import time
from collections import deque
from collections.abc import Callable

WINDOW_SECONDS = 600.0
ADDRESSES_KEPT = 10_000  # past this many, addresses with no failure left are dropped


class JoinGuard:
    def __init__(
        self, per_address: int, overall: int, clock: Callable[[], float] = time.monotonic
    ) -> None:
        self.per_address, self.overall, self._clock = per_address, overall, clock
        self._failures: dict[str, deque[float]] = {}
        self._everyone: deque[float] = deque()
        self._lock = threading.Lock()

    def wait_seconds(self, address: str) -> int:
        """0 when this address may try a code; else the seconds until it may."""
        now = self._clock()
        with self._lock:
            waits = [
                self._wait(times, limit, now)
                for times, limit in (
                    (self._failures.get(address), self.per_address),
                    (self._everyone, self.overall),
                )
            ]
            if not self._failures.get(address, True):
                del self._failures[address]  # its failures have all left the window
        return max(waits)

    def failed(self, address: str) -> str | None:
        """Count a wrong code; the limit this failure reached ("address", "overall"), once
        per burst, for the audit trail; else None."""
        now = self._clock()
        with self._lock:
            if len(self._failures) > ADDRESSES_KEPT:
                for known, times in list(self._failures.items()):
                    self._expire(times, now)
                    if not times:
                        del self._failures[known]
            mine = self._failures.setdefault(address, deque())
            reached = None
            for times, limit, scope in (
                (mine, self.per_address, "address"),
                (self._everyone, self.overall, "overall"),
            ):
                self._expire(times, now)
                times.append(now)
                if len(times) == limit:
                    reached = reached or scope
            return reached

    def _wait(self, times: deque[float] | None, limit: int, now: float) -> int:
        if times is None:
            return 0
        self._expire(times, now)
        return int(times[0] + WINDOW_SECONDS - now) + 1 if len(times) >= limit else 0

    @staticmethod
    def _expire(times: deque[float], now: float) -> None:
        while times and times[0] <= now - WINDOW_SECONDS:
            times.popleft()
