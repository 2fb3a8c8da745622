"""Exports in English, Spanish, or both side by side, read back from the real files: the
labels and the file's own words in the chosen language(s), what people wrote exactly once."""

from __future__ import annotations

import io
import re
import shutil
import subprocess

import docx
import pytest
from artifacts import ARTIFACTS
from builders import fill_board, make_user, op, staff_in
from flask_babel import force_locale, gettext

from facilitator.extensions import db
from facilitator.models import Meeting, Team, User
from facilitator.services import exports as export_service
from facilitator.services.board import apply_operation


@pytest.fixture
def filled(app, scene):
    with app.app_context():
        meeting = db.session.get(Meeting, scene.meeting_id)
        facilitator = staff_in(meeting, db.session.get(User, scene.supervisor.id))
        rater = staff_in(meeting, make_user("worker", db.session.get(Team, scene.team_id)))
        return fill_board(scene.meeting_id, facilitator, rater)


def _flat(text: str) -> str:
    return " ".join(text.split())


def _pdf_text(data: bytes, name: str) -> str:
    """The PDF's text as poppler's pdftotext reads it (the file is kept to look at)."""
    if shutil.which("pdftotext") is None:
        pytest.skip("pdftotext (poppler-utils) is not installed")
    ARTIFACTS.mkdir(exist_ok=True)
    path = ARTIFACTS / name
    path.write_bytes(data)
    out = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, check=True)
    return _flat(out.stdout.decode())


def _docx_text(data: bytes) -> str:
    document = docx.Document(io.BytesIO(data))
    parts = [p.text for p in document.paragraphs]
    parts += [c.text for t in document.tables for row in t.rows for c in row.cells]
    return _flat(" ".join(parts))


def _get(client, scene, fmt: str, lang: str) -> bytes:
    response = client.get(f"/meetings/{scene.meeting_id}/export.{fmt}?lang={lang}")
    assert response.status_code == 200
    return response.data


def test_pdf_in_spanish(scene, staff_client, filled):
    text = _pdf_text(_get(staff_client(scene.worker), scene, "pdf", "es"), "export-es.pdf")
    for wanted in ("¿Qué nos preocupa?", "Declaraciones de peligro", "Metas de seguridad",
                   "Próximos pasos", "Registro confidencial de bienestar infantil",
                   "Página 1 de", "3 dic 2026", "Acordado", "mediana 5,5"):  # fmt: skip
        assert wanted in text, wanted
    for english in ("What are we worried about?", "Danger statements", "Confidential child"):
        assert english not in text, english
    for written in filled["texts"][:6]:
        assert _flat(written) in text  # items as written


def test_pdf_with_both_languages_side_by_side_and_items_once(scene, staff_client, filled):
    text = _pdf_text(_get(staff_client(scene.worker), scene, "pdf", "en+es"), "export-en-es.pdf")
    assert "What are we worried about? / ¿Qué nos preocupa?" in text
    assert "Agreed / Acordado" in text
    assert "Page 1 of 1 / Página 1 de 1" in text
    harm = "Father hit the child with a belt; bruising on the legs."
    assert text.count(harm) == 1


def test_docx_in_spanish_and_in_both(scene, staff_client, filled):
    client = staff_client(scene.worker)
    spanish = _docx_text(_get(client, scene, "docx", "es"))
    assert "Participantes:" in spanish and "3 dic 2026" in spanish
    assert "Participants:" not in spanish
    both = _docx_text(_get(client, scene, "docx", "en+es"))
    assert "Participants / Participantes:" in both
    assert both.count("Mother walks the children to school every day.") == 1


def test_markdown_follows_the_staff_language_when_none_is_asked(app, scene, staff_client, filled):
    client = staff_client(scene.worker)
    client.post("/language", data={"language": "es", "next": "/"})
    text = client.get(f"/meetings/{scene.meeting_id}/export.md").get_data(as_text=True)
    assert "## Participantes" in text and "## Escala" in text


def test_csv_keeps_its_column_keys_and_iso_dates_for_spreadsheets(scene, staff_client, filled):
    text = _get(staff_client(scene.worker), scene, "csv", "es").decode()
    assert text.startswith("section,text,view,author,status,owner,due_on")
    assert "2026-12-03" in text and "Acordado" in text


def test_an_unknown_language_is_refused_and_nothing_is_exported(app, scene, staff_client):
    client = staff_client(scene.worker)
    for lang in ("xx", "es+es", "en+es+en", "en+"):
        response = client.get(f"/meetings/{scene.meeting_id}/export.pdf?lang={lang}")
        assert response.status_code == 400, lang


def _labels_in(source: dict) -> set[str]:
    """Every label an export may print, as gathered for one language: the files' own words
    (each piece between placeholders), the framework's titles, kinds, roles, views, statuses."""
    labels = source["labels"]
    found = {source["meeting"]["kind_label"], source["framework"]["name"]}
    for words in source["texts"].values():
        found.update(piece.strip(" .:") for piece in re.split(r"%\(\w+\)s", words))
    for group in ("roles", "views", "statuses", "network_roles", "anchors"):
        found.update(labels[group].values())
    found.update(column["question"] for column in source["framework"]["columns"])
    found.update(section["title"] for section in source["framework"]["sections"])
    return {label for label in found if len(label) >= 4}


@pytest.mark.parametrize("fmt", ["docx", "pdf", "md"])
def test_a_spanish_export_prints_no_english_label(app, scene, staff_client, filled, fmt):
    with app.app_context():
        meeting = db.session.get(Meeting, scene.meeting_id)
        lead = staff_in(meeting, db.session.get(User, scene.supervisor.id))
        person = op(scene.meeting_id, "add_person", name="M.L.", relationship="mother",
                    household="Home 1", role="parent")  # fmt: skip
        apply_operation(lead, person)
        english = export_service.meeting_source(meeting)
        with force_locale("es"):
            spanish_labels = _labels_in(export_service.meeting_source(meeting, gettext))
    body = _get(staff_client(scene.worker), scene, fmt, "es")
    text = {"docx": _docx_text, "md": lambda data: _flat(data.decode())}.get(
        fmt, lambda data: _pdf_text(data, "export-es-labels.pdf")
    )(body)
    assert "M.L. (mother, Home 1" in text  # in the map's "who is involved", translated
    written = " ".join([*filled["texts"], *filled["reasons"], "M.L. mother Home 1"])
    english_only = {label for label in _labels_in(english) - spanish_labels
                    if label not in written}  # fmt: skip
    assert {"People around the child", "Parent or caregiver", "Participants"} <= english_only
    printed = [
        label for label in english_only if re.search(rf"(?<!\w){re.escape(label)}(?!\w)", text)
    ]
    assert sorted(printed) == []  # whole words: "Context" is not in "Contexto"
