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


def work(
    client: BoardClient,
    rng: random.Random,
    stop: threading.Event,
    offline: Callable[[], bool] = lambda: False,
) -> None:
    """Change the board until stopped; while offline, queue changes; then reconnect."""
    number = 0
    while not stop.is_set():
        number += 1
        if not client.connected:
            if offline():
                client.send("add_item", section=rng.choice(SECTIONS), text=f"Offline {number}")
                time.sleep(rng.uniform(0.05, 0.2))
                continue
            client.recover()
        if step(client, rng, number) is None and not stop.is_set():
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
        for client in clients:
            if client.meeting_id == meeting_id:
                assert client.digest() == expected, f"{note}: a client's board differs"
    return acked
