"""R5 over real sockets: two people edit one item at the same moment, against a real wsgi.py.

Each round both save from the same version, released together: exactly one wins, the
revisions strictly increase, the other gets a conflict carrying the current text (never a
silent overwrite), and both boards end equal to the database. An edit made offline that
meets a newer version on return is answered the same way when the outbox resends it, and
saving over it then takes the version the conflict showed.
"""

from __future__ import annotations

import secrets
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from board_client import BoardClient, item_digest
from live_server import (
    Database,
    Server,
    base_settings,
    running,
    scratch_database,
    seed_meetings,
    sign_in_staff,
    stored_items,
)

ROUNDS = 12

pytestmark = pytest.mark.timeout(120)


@dataclass
class Live:
    server: Server
    database: Database
    meeting_id: int
    staff_email: str

    def editor(self) -> BoardClient:
        """A device of the meeting's staff member, with its own session, connected."""
        cookie = sign_in_staff(self.server.url, self.staff_email)
        client = BoardClient([self.server.url], cookie, self.meeting_id)
        client.connect()
        return client

    def stored(self, item_id: int) -> dict[str, Any]:
        [item] = [i for i in stored_items(self.database, self.meeting_id) if i["id"] == item_id]
        return item


@pytest.fixture(scope="module")
def live(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Live]:
    """One real server on a scratch database with one meeting."""
    tmp_path: Path = tmp_path_factory.mktemp("concurrent-edits")
    with pytest.MonkeyPatch.context() as monkeypatch, scratch_database(tmp_path) as database:
        settings = base_settings(database, tmp_path, secrets.token_hex(32))
        seeded = seed_meetings(settings, monkeypatch)
        server = Server(settings, tmp_path / "server.log")
        with running(server):
            yield Live(server, database, seeded.meeting_ids[0], seeded.staff_email)
        assert "Traceback" not in server.log(), server.log()


def both_at_once(editors: list[BoardClient], item_id: int, version: int) -> list[dict[str, Any]]:
    """Both editors save their own text over `version`, released at the same moment."""
    start = threading.Barrier(len(editors))
    acks: list[dict[str, Any] | None] = [None] * len(editors)

    def save(index: int) -> None:
        start.wait()
        acks[index] = editors[index].send(
            "edit_item", item_id=item_id, text=f"Editor {index} at {version}", base_version=version
        )

    threads = [threading.Thread(target=save, args=(i,)) for i in range(len(editors))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert all(ack is not None for ack in acks), acks
    return [ack for ack in acks if ack is not None]


def caught_up(clients: list[BoardClient], live: Live) -> None:
    """Every client's board equals the database's, once the last event has reached it."""
    expected = item_digest(stored_items(live.database, live.meeting_id))
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline and any(c.digest() != expected for c in clients):
        time.sleep(0.05)
    assert [c.digest() for c in clients] == [expected] * len(clients)


def test_simultaneous_edits_one_wins_the_other_gets_a_conflict_with_the_current_text(live):
    editors = [live.editor(), live.editor()]
    added = editors[0].send("add_item", section="harm", text="Original", view="agency")
    assert added and added["ok"], added
    item_id = added["event"]["item"]["id"]
    version, revs = 1, [added["rev"]]
    for _ in range(ROUNDS):
        acks = both_at_once(editors, item_id, version)
        winners = [i for i, ack in enumerate(acks) if ack["ok"]]
        assert len(winners) == 1, acks
        won, lost = acks[winners[0]], acks[1 - winners[0]]
        assert lost["error"]["code"] == "conflict", lost
        current = won["event"]["item"]
        assert (current["version"], current["text"]) == (
            version + 1,
            f"Editor {winners[0]} at {version}",
        )
        # the loser is shown what won, to choose between the two texts
        assert lost["error"]["item"]["text"] == current["text"]
        assert lost["error"]["item"]["version"] == current["version"]
        stored = live.stored(item_id)
        assert (stored["text"], stored["version"]) == (current["text"], current["version"])
        revs.append(won["rev"])
        version += 1
    assert revs == sorted(set(revs)), revs  # strictly increasing, one revision per winner
    caught_up(editors, live)
    for editor in editors:
        editor.disconnect()


def test_an_edit_made_offline_meets_the_newer_version_as_a_conflict_on_return(live):
    staying, leaving = live.editor(), live.editor()
    added = staying.send("add_item", section="strengths", text="Gran helps", view="agency")
    assert added and added["ok"], added
    item_id = added["event"]["item"]["id"]

    leaving.disconnect()
    assert leaving.send("edit_item", item_id=item_id, text="Offline words", base_version=1) is None
    [queued] = leaving.outbox  # kept, with its op_id, until the server answers it
    newer = staying.send("edit_item", item_id=item_id, text="Newer words", base_version=1)
    assert newer and newer["ok"], newer

    leaving.recover()  # reconnect, sync, resend the outbox with the same op_id
    assert leaving.outbox == {}
    ack = leaving.acks[queued]
    assert ack["error"]["code"] == "conflict", ack
    assert (ack["error"]["item"]["text"], ack["error"]["item"]["version"]) == ("Newer words", 2)
    assert live.stored(item_id)["text"] == "Newer words"  # nothing overwritten silently

    # the writer chose their own text: saved over the version the conflict showed
    over = leaving.send("edit_item", item_id=item_id, text="Offline words", base_version=2)
    assert over and over["ok"], over
    assert (live.stored(item_id)["text"], live.stored(item_id)["version"]) == ("Offline words", 3)
    caught_up([staying, leaving], live)
    staying.disconnect()
    leaving.disconnect()
