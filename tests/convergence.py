"""Participants changing a board at random, and the verdict on what they end with: every
acknowledged op_id stored exactly once, every op answered, every client's board equal to
the database's. Shared by the fault tests (one server) and the topology tests (two).
"""

from __future__ import annotations

import random
import threading
import time
from collections import Counter
from collections.abc import Callable

from board_client import BoardClient, item_digest
from live_server import Database, meeting_rev, stored_items, stored_op_ids

SECTIONS = ["harm", "danger", "complicating", "strengths", "safety", "goals", "grey"]
SETTLE_SECONDS = 20.0


def step(client: BoardClient, rng: random.Random, number: int) -> dict | None:
    """One random change to this client's own items, as a participant makes them."""
    mine = client.added_items()
    roll = rng.random()
    if not mine or roll < 0.4:
        text = f"Item {number} from {id(client) % 1000}"
        return client.send("add_item", section=rng.choice(SECTIONS), text=text, view="agency")
    item = rng.choice(mine)
    if roll < 0.7:
        return client.send(
            "edit_item", item_id=item["id"], text=f"Edit {number}", base_version=item["version"]
        )
    if roll < 0.9:
        section = rng.choice(SECTIONS)
        there = [i["id"] for i in mine if i["section"] == section and i["id"] != item["id"]]
        after = rng.choice([None, *there])
        return client.send("move_item", item_id=item["id"], section=section, after_id=after)
    return client.send("delete_item", item_id=item["id"])


def facilitate(client: BoardClient, rng: random.Random, number: int) -> bool:
    """One random facilitation op, as the meeting's facilitator runs it: steps, locks,
    private collection and its reveal, scale rounds (open, rate, reveal), the question.
    False when the link dropped (the op waits in the outbox)."""
    meeting, roll = client.meeting, rng.random()
    if roll < 0.2:
        steps = max(1, len(meeting.get("agenda") or []))
        return client.send("go_to_step", index=rng.randrange(steps)) is not None
    if roll < 0.35:
        section = rng.choice(SECTIONS)
        locked = section not in (meeting.get("locked_sections") or [])
        return client.send("lock_section", section=section, locked=locked) is not None
    if roll < 0.5:
        section = rng.choice(SECTIONS)
        on = section not in (meeting.get("private_sections") or [])
        return client.send("collect_privately", section=section, on=on) is not None
    if roll < 0.85:
        return _scale(client, rng)
    return client.send("set_question", text=f"Question {number}") is not None


def _scale(client: BoardClient, rng: random.Random) -> bool:
    """Open a round, rate it, or reveal it (whichever fits what the board shows)."""
    open_ids = [
        op_ack["event"]["scale_round"]["id"]
        for op_id, op_ack in client.acks.items()
        if op_ack.get("ok") and client.kinds.get(op_id) == "open_scale_round"
    ]
    revealed = {
        op_ack["event"]["scale_round"]["id"]
        for op_id, op_ack in client.acks.items()
        if op_ack.get("ok") and client.kinds.get(op_id) == "reveal_scale_round"
    }
    open_now = [round_id for round_id in open_ids if round_id not in revealed]
    if not open_now:
        return client.send("open_scale_round", danger_item_id=None) is not None
    if rng.random() < 0.6:
        value = rng.randrange(11)
        return client.send("rate", round_id=open_now[-1], value=value, reason=None) is not None
    return client.send("reveal_scale_round", round_id=open_now[-1]) is not None


def open_up(client: BoardClient) -> None:
    """The facilitator unlocks every section and reveals every private one (at the end of
    a run, so every client can see every item and the boards can be compared)."""
    for section in list(client.meeting.get("locked_sections") or []):
        while client.send("lock_section", section=section, locked=False) is None:
            client.recover()
    for section in list(client.meeting.get("private_sections") or []):
        while client.send("collect_privately", section=section, on=False) is None:
            client.recover()


def work(
    client: BoardClient,
    rng: random.Random,
    stop: threading.Event,
    offline: Callable[[], bool] = lambda: False,
    *,
    together: int = 1,
    facilitating: bool = False,
) -> None:
    """Change the board until stopped; while offline, queue changes; then reconnect. With
    `together` > 1, that many adds go at once (several ops in flight); a facilitator also
    runs the meeting (every other change is a facilitation op)."""
    number = 0
    while not stop.is_set():
        number += 1
        if not client.connected:
            if offline():
                client.send("add_item", section=rng.choice(SECTIONS), text=f"Offline {number}")
                time.sleep(rng.uniform(0.05, 0.2))
                continue
            client.recover()
        if facilitating and number % 2 == 0:
            sent = facilitate(client, rng, number)
        elif together > 1 and rng.random() < 0.5:
            sent = client.send_together([
                ("add_item", {"section": rng.choice(SECTIONS), "text": f"Together {number}.{k}",
                              "view": "agency"})
                for k in range(together)
            ])  # fmt: skip
        else:
            sent = step(client, rng, number) is not None
        if not sent and not stop.is_set():
            client.recover()  # the link dropped: reconnect, sync, resend with the same op_ids
        time.sleep(rng.uniform(0.005, 0.04))


def settle(
    clients: list[BoardClient], database: Database, meeting_ids: list[int], note: str
) -> None:
    """Wait until every client has caught up with its meeting's last revision."""
    last = {meeting_id: meeting_rev(database, meeting_id) for meeting_id in meeting_ids}
    deadline = time.monotonic() + SETTLE_SECONDS
    while time.monotonic() < deadline:
        behind = [c for c in clients if (c.rev or 0) < last[c.meeting_id] or c.outbox]
        if not behind:
            return
        time.sleep(0.1)
    raise AssertionError(f"{note}: {len(behind)} clients never caught up")


def assert_converged(
    writers: list[BoardClient],
    clients: list[BoardClient],
    database: Database,
    meeting_ids: list[int],
    note: str,
) -> set[str]:
    """Every op answered; the acknowledged ones stored exactly once (and nothing else);
    every client's board equal to the database's. Returns the acknowledged op_ids."""
    stored = stored_op_ids(database, meeting_ids)
    acked = set().union(*(client.acked_ok() for client in writers))
    sent = sum(len(client.kinds) for client in writers)
    answered = sum(len(client.acks) for client in writers)
    assert answered == sent, f"{note}: {sent - answered} ops never answered"
    doubled = [op_id for op_id, times in Counter(stored).items() if times > 1]
    assert not doubled, f"{note}: stored twice: {doubled}"
    assert set(stored) == acked, (
        f"{note}: acked but not stored {acked - set(stored)}, "
        f"stored but never acked {set(stored) - acked}"
    )
    for meeting_id in meeting_ids:
        expected = item_digest(stored_items(database, meeting_id))
        boards = [c for c in clients if c.meeting_id == meeting_id]
        for client in boards:
            assert client.digest() == expected, f"{note}: a client's board differs: " + differences(
                client, expected
            )
        states = {_meeting_state(client) for client in boards}
        assert len(states) == 1, f"{note}: clients disagree on the meeting's state: {states}"
    return acked


def differences(client: BoardClient, expected: tuple[tuple[object, ...], ...]) -> str:
    """What this client shows that the database does not hold, and the other way round."""
    shown = set(client.digest())
    kind = "display" if client.display else f"participant {client.you}"
    return (
        f"{kind}, rev {client.rev}, meeting {client.meeting_id}: only on the client "
        f"{sorted(shown - set(expected))}, only in the database {sorted(set(expected) - shown)}"
    )


MEETING_FIELDS = ("step_index", "locked_sections", "private_sections", "question", "status")


def _meeting_state(client: BoardClient) -> tuple[object, ...]:
    return tuple(repr(client.meeting.get(field)) for field in MEETING_FIELDS)
