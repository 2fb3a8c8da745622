"""Exports render in worker processes (facilitator/offload.py): real processes here too.

A PDF and a Word export still come back whole; a render that hangs is killed at the
timeout, one whose worker dies (os._exit, the memory cap) or raises is reported with the
documented error page (500, no case text in it or in the log) and its worker replaced, so
the next export works; every worker busy with the queue full answers 503 + Retry-After.
"""

from __future__ import annotations

import io
import logging
import os
import signal
import threading
import time

import docx
import pypdf
import pytest
import render_faults

from facilitator.web import exports

pytestmark = [pytest.mark.timeout(300), pytest.mark.own_render_pool]

FAILED_PAGE = b"The file could not be made"
BUSY_PAGE = b"Other files are being prepared right now. Try again in a minute."


def _url(meeting_id: int, fmt: str) -> str:
    return f"/meetings/{meeting_id}/export.{fmt}"


def _render_with(monkeypatch: pytest.MonkeyPatch, fmt: str, work) -> None:
    media_type, _real = exports.FORMATS[fmt]
    monkeypatch.setitem(exports.FORMATS, fmt, (media_type, work))


def _pdf_text(data: bytes) -> str:
    return "".join(page.extract_text() for page in pypdf.PdfReader(io.BytesIO(data)).pages)


def _workers(app) -> list[int]:
    pool = app.extensions["render_pool"]
    return [worker.proc.pid for worker in pool._idle]


def test_pdf_and_word_exports_render_in_a_worker_process_and_read_back(app, scene, staff_client):
    worker = staff_client(scene.worker)
    pdf = worker.get(_url(scene.meeting_id, "pdf"))
    assert pdf.status_code == 200 and pdf.data.startswith(b"%PDF")
    assert "J.M." in _pdf_text(pdf.data)
    word = worker.get(_url(scene.meeting_id, "docx"))
    assert word.status_code == 200
    text = "\n".join(p.text for p in docx.Document(io.BytesIO(word.data)).paragraphs)
    assert "J.M." in text
    (pid,) = _workers(app)  # one worker process rendered both, and waits for the next
    assert pid != os.getpid()


def _pool(app, **settings):
    """The app's render pool with these settings (timeout, memory_mb, queue)."""
    pool = app.extensions["render_pool"]
    for name, value in settings.items():
        setattr(pool, name, value)
    return pool


def test_a_render_that_hangs_is_killed_at_the_timeout_and_the_next_export_works(
    app, scene, staff_client, monkeypatch, caplog
):
    _pool(app, timeout=3)
    worker = staff_client(scene.worker)
    _render_with(monkeypatch, "pdf", render_faults.hang)
    with caplog.at_level(logging.ERROR, logger="facilitator.offload"):
        answer = worker.get(_url(scene.meeting_id, "pdf"))
    assert answer.status_code == 500
    assert FAILED_PAGE in answer.data
    assert any("render_faults.hang: timeout" in r.getMessage() for r in caplog.records)
    assert _workers(app) == []  # killed, not kept
    monkeypatch.undo()
    _pool(app, timeout=300)  # a real PDF on a busy machine
    again = worker.get(_url(scene.meeting_id, "pdf"))
    assert again.status_code == 200 and again.data.startswith(b"%PDF")


@pytest.mark.parametrize("fault", [render_faults.die, render_faults.hog, render_faults.fail])
def test_a_worker_that_dies_or_fails_is_reported_and_replaced(
    app, scene, staff_client, monkeypatch, caplog, fault
):
    _pool(app, memory_mb=512, timeout=300)
    worker = staff_client(scene.worker)
    assert worker.get(_url(scene.meeting_id, "docx")).status_code == 200
    (first,) = _workers(app)
    _render_with(monkeypatch, "docx", fault)
    with caplog.at_level(logging.INFO):
        answer = worker.get(_url(scene.meeting_id, "docx"))
    assert answer.status_code == 500
    assert FAILED_PAGE in answer.data and b"J.M." not in answer.data
    logged = "\n".join(r.getMessage() for r in caplog.records)
    assert f"render render_faults.{fault.__name__}" in logged
    assert "alone" not in logged and "J.M." not in logged  # the exception's text stays out
    monkeypatch.undo()
    word = worker.get(_url(scene.meeting_id, "docx"))
    assert word.status_code == 200 and word.data.startswith(b"PK")
    (now,) = _workers(app)
    assert (now == first) == (fault is render_faults.fail)  # a dead worker is replaced


def test_every_worker_busy_and_the_queue_full_answers_503_with_retry_after(
    app, scene, staff_client, monkeypatch
):
    first, second = (staff_client(scene.worker) for _ in range(2))
    assert first.get(_url(scene.meeting_id, "docx")).status_code == 200  # the worker is up
    # one worker (the default), nobody may wait; the hang holds it for the timeout, which
    # then counts no start-up (on a busy machine a start-up took most of 5 s)
    pool = _pool(app, queue=0, timeout=10)
    _render_with(monkeypatch, "pdf", render_faults.hang)
    answers = []
    hanging = threading.Thread(
        target=lambda: answers.append(first.get(_url(scene.meeting_id, "pdf")))
    )
    hanging.start()
    while pool._admitted == 0:  # the first export holds the only worker (no timing asserted)
        assert hanging.is_alive()
        time.sleep(0.01)
    busy = second.get(_url(scene.meeting_id, "docx"))
    assert busy.status_code == 503
    assert busy.headers["Retry-After"] == "60"
    assert BUSY_PAGE in busy.data
    hanging.join()
    assert answers[0].status_code == 500  # the hanging one still ends, with its error
    monkeypatch.undo()
    word = second.get(_url(scene.meeting_id, "docx"))
    assert word.status_code == 200  # the pool has room again


def test_a_worker_killed_while_idle_is_replaced_at_the_next_export(app, scene, staff_client):
    """The kernel's OOM killer or an operator may end an idle worker: the next export
    notices (before sending it anything) and starts another."""
    worker = staff_client(scene.worker)
    assert worker.get(_url(scene.meeting_id, "docx")).status_code == 200
    (first,) = _workers(app)
    os.kill(first, signal.SIGKILL)
    app.extensions["render_pool"]._idle[0].proc.wait(timeout=30)
    word = worker.get(_url(scene.meeting_id, "docx"))
    assert word.status_code == 200 and word.data.startswith(b"PK")
    (second,) = _workers(app)
    assert second != first
