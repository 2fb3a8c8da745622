"""The PDF summary writes every script families write (Noto fonts) and puts no case text
into the server's log: WeasyPrint's per-glyph warnings and progress lines are quieted."""

from __future__ import annotations

import logging
import shutil
import subprocess

import pytest
from builders import add_op, staff_in

from facilitator.extensions import db
from facilitator.models import Meeting, User
from facilitator.services.board import apply_operation

WRITTEN = "ሰላም ልጄ 你好孩子 🏠"  # Amharic, Chinese, an emoji


def export(app, scene, staff_client) -> bytes:
    with app.app_context():
        meeting = db.session.get(Meeting, scene.meeting_id)
        me = staff_in(meeting, db.session.get(User, scene.supervisor.id))
        apply_operation(me, add_op(meeting.id, WRITTEN))
    answer = staff_client(scene.supervisor).get(f"/meetings/{scene.meeting_id}/export.pdf")
    assert answer.status_code == 200
    return answer.data


def test_a_pdf_export_logs_no_case_text_and_no_progress(app, scene, staff_client, caplog, capfd):
    caplog.set_level(logging.DEBUG)
    export(app, scene, staff_client)
    assert any(r.name == "facilitator.web.exports" for r in caplog.records)  # we do see logs
    characters = set(WRITTEN.replace(" ", ""))
    leaked = [r.getMessage() for r in caplog.records if characters & set(r.getMessage())]
    assert not leaked
    assert not [r for r in caplog.records if r.name.startswith(("weasyprint", "fontTools"))]
    # the render worker (a process of its own) writes its log to the server's stderr
    worker_said = capfd.readouterr().err
    assert not characters & set(worker_said)
    assert "weasyprint" not in worker_said.lower() and "fonttools" not in worker_said.lower()


@pytest.mark.skipif(shutil.which("pdftotext") is None, reason="poppler-utils not installed")
def test_a_pdf_export_draws_amharic_chinese_and_emoji_with_noto(app, scene, staff_client, tmp_path):
    path = tmp_path / "summary.pdf"
    path.write_bytes(export(app, scene, staff_client))
    text = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True).stdout
    assert "ሰላም ልጄ" in text and "你好孩子" in text
    fonts = subprocess.run(["pdffonts", str(path)], capture_output=True, text=True).stdout
    for font in ("Noto-Sans-Ethiopic", "Noto-Sans-CJK", "Noto-Color-Emoji"):
        assert font in fonts, font  # embedded: the glyphs came from it, not empty boxes
