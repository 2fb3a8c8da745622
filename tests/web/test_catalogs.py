"""The catalogs are complete: every string the source marks is in the committed .pot, and
every language has a reviewed (non-fuzzy), non-empty translation of each, with the same
placeholders and HTML tags. Fails on any untranslated, fuzzy or stale string."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest
from babel.messages.catalog import Catalog, Message
from babel.messages.pofile import read_po

from facilitator import languages

ROOT = Path(__file__).resolve().parents[2]
POT = ROOT / "facilitator" / "translations" / "messages.pot"
PLACEHOLDER = re.compile(r"%(?:\(\w+\))?[sd]")
TAG = re.compile(r"</?[a-zA-Z][^>]*>")


def _read(path: Path) -> Catalog:
    with path.open("rb") as source:
        return read_po(source)


def _ids(catalog: Catalog) -> set[object]:
    """Each message by its context and id: the same words in two contexts are two strings."""
    return {(message.context, message.id) for message in catalog if message.id}


@pytest.fixture(scope="module")
def extracted(tmp_path_factory: pytest.TempPathFactory) -> Catalog:
    """A catalog extracted afresh from the source, as `make messages` does."""
    target = tmp_path_factory.mktemp("catalog") / "messages.pot"
    pybabel = Path(sys.executable).with_name("pybabel")
    subprocess.run(
        [str(pybabel), "extract", "-F", "babel.cfg", "-k", "N_", "-k", "lazy_gettext",
         "--no-location", "--sort-output", "-o", str(target), "."],
        cwd=ROOT, check=True, capture_output=True,
    )  # fmt: skip
    return _read(target)


def _translated_languages() -> list[str]:
    return [code for code in languages.available() if code != languages.SOURCE]


def test_spanish_is_a_language_with_a_catalog():
    assert "es" in _translated_languages()


def test_the_committed_template_holds_every_marked_string_and_no_stale_one(extracted):
    committed = _ids(_read(POT))
    missing, stale = _ids(extracted) - committed, committed - _ids(extracted)
    assert not missing, (
        f"run `make messages`: {len(missing)} new strings, e.g. {sorted(map(str, missing))[:5]}"
    )
    assert not stale, (
        f"run `make messages`: {len(stale)} strings gone, e.g. {sorted(map(str, stale))[:5]}"
    )


def _forms(message: Message) -> list[str]:
    return [message.string] if isinstance(message.string, str) else list(message.string)


@pytest.mark.parametrize("code", _translated_languages())
def test_every_string_is_translated_and_reviewed(extracted, code):
    catalog = _read(ROOT / "facilitator" / "translations" / code / "LC_MESSAGES" / "messages.po")
    problems = []
    for wanted in extracted:
        if not wanted.id:
            continue
        found = catalog.get(wanted.id, context=wanted.context)
        if found is None:
            problems.append(f"missing: {wanted.id!r} (context {wanted.context!r})")
        elif found.fuzzy:
            problems.append(f"fuzzy: {wanted.id!r}")
        elif not all(_forms(found)) or (
            wanted.pluralizable and len(_forms(found)) != catalog.num_plurals
        ):
            problems.append(f"untranslated: {wanted.id!r}")
    assert not problems, "\n".join(problems[:20])


def mismatches(source: str, translation: str) -> list[str]:
    """What a translation drops, adds or renames: %(name)s placeholders and HTML tags."""
    found = []
    if set(PLACEHOLDER.findall(translation)) != set(PLACEHOLDER.findall(source)):
        found.append(f"placeholders differ: {source!r} -> {translation!r}")
    if sorted(TAG.findall(translation)) != sorted(TAG.findall(source)):
        found.append(f"tags differ: {source!r} -> {translation!r}")
    return found


@pytest.mark.parametrize("code", _translated_languages())
def test_translations_keep_placeholders_and_tags(code):
    catalog = _read(ROOT / "facilitator" / "translations" / code / "LC_MESSAGES" / "messages.po")
    problems = []
    for message in catalog:
        if message.id:
            source = message.id if isinstance(message.id, str) else " ".join(message.id)
            problems += [p for form in _forms(message) for p in mismatches(source, form)]
    assert not problems, "\n".join(problems[:20])


def test_the_check_catches_a_renamed_placeholder_or_a_lost_tag():
    assert mismatches("Remove %(name)s", "Quitar a %(nombre)s")
    assert mismatches("Hello <b>%(name)s</b>", "Hola %(name)s")
    assert not mismatches("Remove %(name)s", "Quitar a %(name)s")
