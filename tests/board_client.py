"""A participant's browser, as far as the board goes, over a real python-socketio client.

It follows the protocol of static/js/lib/socket.js (docs/protocol.md): events are applied in
revision order (ahead-of-gap ones wait, a gap that stays is filled by `sync`); every
operation waits in an outbox with its op_id until acknowledged, and after a lost
connection the client reconnects (to the next server in its list when the first is gone,
as nginx would route it), syncs from its last revision, and resends the outbox with the
same op_ids. `digest()` is comparable with `database_digest()` of the stored items.
"""

from __future__ import annotations

import contextlib
import threading
import time
import uuid
from typing import Any

import socketio
from live_server import USER_AGENT
from socketio.exceptions import BadNamespaceError, ConnectionError, DisconnectedError
from socketio.exceptions import TimeoutError as CallTimeout

ACK_SECONDS = 8.0
GAP_WAIT = 0.3
LOST = (CallTimeout, BadNamespaceError, DisconnectedError, ConnectionError)


def new_op_id() -> str:
    return uuid.uuid4().hex


def item_digest(items: list[dict[str, Any]]) -> tuple[tuple[Any, ...], ...]:
    return tuple(
        sorted(
            (item["id"], item["section"], item["position"], item["version"], item["text"])
            for item in items
        )
    )


class BoardClient:
    def __init__(
        self, urls: list[str], cookie: str, meeting_id: int, *, display: bool = False
    ) -> None:
        self.urls = urls
        self.cookie = cookie
        self.meeting_id = meeting_id
        self.display = display
        self.lock = threading.RLock()
        self.rev: int | None = None
        self.items: dict[int, dict[str, Any]] = {}
        self.buffered: dict[int, dict[str, Any]] = {}
        self.outbox: dict[str, dict[str, Any]] = {}  # op_id -> op, in the order sent
        self.acks: dict[str, dict[str, Any]] = {}  # op_id -> the server's answer
        self.kinds: dict[str, str] = {}  # op_id -> its type, for every op ever sent
        self.live_events = 0  # events applied as they arrived (not through sync)
        self.gap_syncs = 0
        self.reconnects = 0
        self.server: str | None = None
        self.last_error = ""
        self.you: int | None = None  # this participant's id, as sync tells it
        self.heard: set[int] = set()  # revisions that came over the socket (events, acks)
        self.closed: list[str] = []  # the reasons the server gave for closing the socket
        self.online: set[int] = set()  # who the last `presence` event named as here
        self.waiting: list[dict[str, Any]] = []  # who the last `waiting` event named
        self.meeting: dict[str, Any] = {}  # the meeting state: the snapshot's, events merged in
        self._gap_timer: threading.Timer | None = None
        self._sio: socketio.Client | None = None

    # --- the connection ---------------------------------------------------------------

    def connect(self, deadline_seconds: float = 60.0) -> None:
        """Connect to the first server that answers (in list order), sync, resend the outbox."""
        deadline = time.monotonic() + deadline_seconds
        delay = 0.05
        while True:
            for url in self.urls:
                try:
                    self._open(url)
                    self.sync()
                    self.flush()
                    return
                except LOST as error:
                    self.last_error = repr(error)
                    self._close()
            if time.monotonic() > deadline:
                raise AssertionError(f"could not reconnect to {self.urls}: {self.last_error}")
            time.sleep(delay)
            delay = min(delay * 2, 1.0)

    def _open(self, url: str) -> None:
        sio = socketio.Client(reconnection=False)
        sio.on("event", self._on_event)
        sio.on("closed", lambda message: self.closed.append(message.get("reason")))
        sio.on("presence", self._on_presence)
        sio.on("waiting", lambda message: setattr(self, "waiting", message["guests"]))
        sio.connect(
            url,
            auth={"meeting_id": self.meeting_id, "display": self.display},
            headers={"Cookie": self.cookie, "User-Agent": USER_AGENT},
            transports=["websocket"],
            wait_timeout=5,
        )
        self._sio, self.server = sio, url

    def _close(self) -> None:
        sio, self._sio = self._sio, None
        if sio is not None:
            with contextlib.suppress(Exception):  # already gone with its server
                sio.disconnect()

    @property
    def connected(self) -> bool:
        return self._sio is not None and self._sio.connected

    def recover(self) -> None:
        """The connection was lost (or looks lost): reconnect, sync, resend."""
        self._close()
        self.reconnects += 1
        self.connect()

    def disconnect(self) -> None:
        self._close()

    # --- receiving --------------------------------------------------------------------

    def _on_presence(self, message: dict[str, Any]) -> None:
        self.online = {person["id"] for person in message["participants"] if person["online"]}

    def _on_event(self, event: dict[str, Any]) -> None:
        with self.lock:
            self.heard.add(event["rev"])
            if self.rev is None or event["rev"] <= self.rev:
                return
            if event["rev"] == self.rev + 1:
                self._apply(event)
                self.live_events += 1
            else:
                self.buffered[event["rev"]] = event
            self._drain()

    def _apply(self, event: dict[str, Any]) -> None:
        self.rev = event["rev"]
        self.meeting.update(event.get("meeting") or {})
        for item in event.get("items") or ([event["item"]] if event.get("item") else []):
            self.items[item["id"]] = item
        if event["type"] == "item_deleted":
            self.items.pop(event["item_id"], None)

    def _drain(self) -> None:
        assert self.rev is not None
        while self.rev + 1 in self.buffered:
            self._apply(self.buffered.pop(self.rev + 1))
        for rev in [rev for rev in self.buffered if rev <= self.rev]:
            del self.buffered[rev]
        if self.buffered and self._gap_timer is None:
            self._gap_timer = threading.Timer(GAP_WAIT, self._fill_gap)
            self._gap_timer.daemon = True
            self._gap_timer.start()

    def _fill_gap(self) -> None:
        self._gap_timer = None
        if self.buffered:
            self.gap_syncs += 1
            with contextlib.suppress(*LOST):  # the sender's loop notices and recovers
                self.sync()

    def sync(self) -> None:
        sio = self._sio
        if sio is None:
            raise BadNamespaceError("not connected")
        ack = sio.call("sync", {"meeting_id": self.meeting_id, "since_rev": self.rev}, timeout=8)
        assert ack and ack.get("ok"), ack
        self.you = ack.get("you", self.you)
        with self.lock:
            if ack["mode"] == "snapshot":
                snapshot = ack["snapshot"]
                self.rev = snapshot["rev"]
                self.items = {item["id"]: item for item in snapshot["items"]}
                self.meeting = dict(snapshot["meeting"])
            else:
                for event in ack["events"]:
                    if self.rev is None or event["rev"] > self.rev:
                        self._apply(event)
            self._drain()

    # --- sending ----------------------------------------------------------------------

    def send(self, kind: str, **payload: Any) -> dict[str, Any] | None:
        """Send one operation; its ack, or None while it waits in the outbox (lost link)."""
        op = {"op_id": new_op_id(), "meeting_id": self.meeting_id, "type": kind, "payload": payload}
        self.outbox[op["op_id"]] = op
        self.kinds[op["op_id"]] = kind
        return self._push(op)

    def _push(self, op: dict[str, Any]) -> dict[str, Any] | None:
        while True:
            sio = self._sio
            if sio is None:
                return None
            try:
                ack = sio.call("op", op, timeout=ACK_SECONDS)
            except LOST:
                return None
            if ack.get("error", {}).get("code") == "rate_limited":
                time.sleep(ack["error"].get("retry_after_ms", 100) / 1000)
                continue
            if ack.get("error", {}).get("code") == "server_error":
                return None  # the server could not answer for it: resend later
            self.outbox.pop(op["op_id"], None)
            self.acks[op["op_id"]] = ack
            if ack.get("ok"):
                self._on_event(ack["event"])
            return ack

    def send_together(self, ops: list[tuple[str, dict[str, Any]]]) -> bool:
        """Send several operations without waiting between them (several in flight at once,
        as a client with a backlog does); False if any was left waiting in the outbox."""
        sio = self._sio
        if sio is None:
            return False
        pending: list[tuple[dict[str, Any], threading.Event, list[Any]]] = []
        for kind, payload in ops:
            op = {"op_id": new_op_id(), "meeting_id": self.meeting_id, "type": kind,
                  "payload": payload}  # fmt: skip
            self.outbox[op["op_id"]] = op
            self.kinds[op["op_id"]] = kind
            answered, box = threading.Event(), []
            try:
                sio.emit(
                    "op", op, callback=lambda *ack, b=box, e=answered: (b.extend(ack), e.set())
                )
            except LOST:
                return False
            pending.append((op, answered, box))
        deadline = time.monotonic() + ACK_SECONDS
        complete = True
        for op, answered, box in pending:
            if not answered.wait(max(0.0, deadline - time.monotonic())) or not box:
                complete = False  # lost or slow: it stays in the outbox, resent later
                continue
            ack = box[0]
            if ack.get("error", {}).get("code") in ("rate_limited", "server_error"):
                complete = False
                continue
            self.outbox.pop(op["op_id"], None)
            self.acks[op["op_id"]] = ack
            if ack.get("ok"):
                self._on_event(ack["event"])
        return complete

    def call(self, event: str, payload: dict[str, Any]) -> dict[str, Any]:
        """Send another client event (`admit_guest`, say) and return its ack."""
        sio = self._sio
        if sio is None:
            raise BadNamespaceError("not connected")
        return dict(sio.call(event, payload, timeout=ACK_SECONDS))

    def flush(self) -> None:
        """Resend what waits, oldest first (same op_ids); raise LOST if the link drops."""
        for op in list(self.outbox.values()):
            if self._push(op) is None:
                raise DisconnectedError("lost while resending")

    # --- what it shows ----------------------------------------------------------------

    def added_items(self) -> list[dict[str, Any]]:
        """The items this client added that are still on its board."""
        ids = {
            ack["event"]["item"]["id"]
            for op_id, ack in self.acks.items()
            if ack.get("ok") and self.kinds.get(op_id) == "add_item"
        }
        with self.lock:
            return [self.items[item_id] for item_id in sorted(ids) if item_id in self.items]

    def digest(self) -> tuple[tuple[Any, ...], ...]:
        with self.lock:
            return item_digest(list(self.items.values()))

    def acked_ok(self) -> set[str]:
        return {op_id for op_id, ack in self.acks.items() if ack.get("ok")}
