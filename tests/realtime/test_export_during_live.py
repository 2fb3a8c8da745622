"""An export never stalls a meeting (issue 19, item 4), against a real wsgi.py on eventlet.

While a 300-item PDF of one meeting renders (in the server's render worker process), two
devices in another meeting keep adding items: every op is acknowledged once, stored once
and on both boards; the PDF comes back whole. Timings are never asserted here (the bench
is bench/export_stall.py); only lost or duplicated operations fail it.
"""

from __future__ import annotations

import io
import os
import secrets
import threading
from collections import Counter
from pathlib import Path

import pypdf
import pytest
from board_client import BoardClient
from live_server import (
    Server,
    base_settings,
    running,
    scratch_database,
    seed_meetings,
    sign_in_staff,
    stored_items,
    stored_op_ids,
    with_cookie,
)

from facilitator import create_app
from facilitator.domain.frameworks import CISF
from facilitator.extensions import db
from facilitator.models import Item, Meeting

pytestmark = pytest.mark.timeout(600)

ITEMS = 300
AT_LEAST = 15  # ops per device, however fast the PDF is


def fill(settings: dict[str, str], monkeypatch: pytest.MonkeyPatch, meeting_id: int) -> None:
    """ITEMS items in the meeting, written straight to the database (threading mode)."""
    with monkeypatch.context() as patch:
        for name in list(os.environ):
            if name.startswith("FACILITATOR_"):
                patch.delenv(name)
        for name, value in settings.items():
            patch.setenv(name, value)
        patch.setenv("FACILITATOR_ASYNC_MODE", "threading")
        app = create_app({"SERVER_ID": "live-test-filler", "MESSAGE_QUEUE": None})
    with app.app_context():
        try:
            meeting = db.session.get(Meeting, meeting_id)
            author = meeting.participants[0].id
            sections = [key for key in CISF.section_keys if key != "next_steps"]
            for n in range(ITEMS):
                db.session.add(Item(
                    meeting_id=meeting_id, section=sections[n % len(sections)],
                    position=f"a{n:05d}", author_id=author, view="agency",
                    text=f"Seeded item number {n} for the long export.",
                ))  # fmt: skip
            db.session.commit()
        finally:
            db.session.remove()
            db.engine.dispose()


def test_a_300_item_pdf_renders_while_another_meeting_loses_and_repeats_nothing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    with scratch_database(tmp_path) as database:
        settings = base_settings(database, tmp_path, secrets.token_hex(32))
        seeded = seed_meetings(settings, monkeypatch, meetings=2)
        live, exported = seeded.meeting_ids
        fill(settings, monkeypatch, exported)
        server = Server(settings, tmp_path / "server.log")
        with running(server):
            base = server.url
            devices = [
                BoardClient([base], sign_in_staff(base, seeded.staff_email), live) for _ in range(2)
            ]
            for device in devices:
                device.connect()
            exporter = with_cookie(sign_in_staff(base, seeded.staff_email))
            answers: list[object] = []
            done = threading.Event()

            def export() -> None:
                try:
                    url = f"{base}/meetings/{exported}/export.pdf"
                    answers.append(exporter.get(url, timeout=300))
                finally:
                    done.set()

            def keep_adding(device: BoardClient, index: int) -> None:
                sent = 0
                while not done.is_set() or sent < AT_LEAST:
                    device.send("add_item", section="harm", view="agency",
                                text=f"Device {index} item {sent}")  # fmt: skip
                    sent += 1

            adders = [
                threading.Thread(target=keep_adding, args=(device, n))
                for n, device in enumerate(devices)
            ]
            for adder in adders:
                adder.start()
            exporting = threading.Thread(target=export)
            exporting.start()
            exporting.join()
            for adder in adders:
                adder.join(timeout=120)
                assert not adder.is_alive()
            for device in devices:
                device.flush()  # anything a lost link left waiting, resent with its op_id
                device.sync()

            (answer,) = answers
            assert answer.status_code == 200, answer.status_code  # type: ignore[attr-defined]
            body = answer.content  # type: ignore[attr-defined]
            text = "".join(p.extract_text() for p in pypdf.PdfReader(io.BytesIO(body)).pages)
            assert f"Seeded item number {ITEMS - 1} " in text

            acked = [op for device in devices for op in device.acked_ok()]
            sent = [op for device in devices for op in device.kinds]
            assert sorted(acked) == sorted(sent)  # every op answered, none refused
            stored = Counter(stored_op_ids(database, [live]))
            assert [op for op, times in stored.items() if times > 1] == []  # none twice
            assert set(acked) <= set(stored)  # none lost
            texts = sorted(i["text"] for i in stored_items(database, live))
            assert texts == sorted(
                f"Device {n} item {k}"
                for n, device in enumerate(devices)
                for k in range(len(device.kinds))
            )
            for device in devices:
                assert device.digest() == devices[0].digest()  # both boards show it all
                device.disconnect()
        assert "Traceback" not in server.log(), server.log()
