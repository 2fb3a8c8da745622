"""Finding English UI text on a page meant to be in another language: every piece of a
catalog msgid (between its placeholders) that the translation does not also use."""

from __future__ import annotations

import re
from pathlib import Path

from babel.messages.pofile import read_po

TRANSLATIONS = Path(__file__).resolve().parents[1] / "facilitator" / "translations"
PLACEHOLDER = re.compile(r"%(?:\(\w+\))?[sd]")


def english_ui_strings(code: str = "es") -> list[re.Pattern[str]]:
    """Patterns for the English pieces of every msgid, in any case (headings may be shown
    in capitals), whole words only; a piece the translation also uses is left out."""
    with (TRANSLATIONS / code / "LC_MESSAGES" / "messages.po").open("rb") as source:
        catalog = read_po(source)
    translated = "\n".join(
        form
        for message in catalog
        if message.id
        for form in ([message.string] if isinstance(message.string, str) else message.string)
    )
    patterns = {}
    for message in catalog:
        for msgid in [message.id] if isinstance(message.id, str) else list(message.id):
            for piece in PLACEHOLDER.split(msgid or ""):
                piece = piece.strip(" .,:;·/()…\u201c\u201d")
                if len(piece) < 3 or not re.search(r"[A-Za-z]{3}", piece):
                    continue
                pattern = re.compile(rf"(?<![\w]){re.escape(piece)}(?![\w])", re.IGNORECASE)
                if not pattern.search(translated):
                    patterns[piece] = pattern
    return list(patterns.values())


def english_in(text: str, patterns: list[re.Pattern[str]]) -> list[str]:
    """The English pieces found in the text."""
    return sorted({p.pattern for p in patterns if p.search(text)})
