"""The languages Facilitator speaks: English (the source) and every catalog present.

Adding a language is adding its catalog (docs/languages.md): nothing here names Spanish.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

from babel import Locale

SOURCE = "en"  # the language the strings are written in
TRANSLATIONS = Path(__file__).resolve().parent / "translations"


@cache
def available() -> tuple[str, ...]:
    """The source language, then each language with a catalog, in code order."""
    found = sorted(p.parent.parent.name for p in TRANSLATIONS.glob("*/LC_MESSAGES/messages.po"))
    return (SOURCE, *(code for code in found if code != SOURCE))


def known(code: object) -> str | None:
    """The code if Facilitator speaks that language, else None."""
    return code if isinstance(code, str) and code in available() else None


def own_name(code: str) -> str:
    """A language's name in itself ('English', 'Español'): what its speakers look for."""
    name = Locale.parse(code).get_display_name(code) or code
    return name[:1].upper() + name[1:]


def choices() -> list[tuple[str, str]]:
    """(code, own name) for every available language, for a switcher."""
    return [(code, own_name(code)) for code in available()]


def export_choices() -> list[tuple[str, str]]:
    """What an export can be printed in: each language, and English beside each other one
    ('en+es': labels in both, what people wrote once)."""
    pairs = [
        (f"{SOURCE}+{code}", f"{own_name(SOURCE)} + {own_name(code)}")
        for code in available()
        if code != SOURCE
    ]
    return [*choices(), *pairs]


def parse_export_choice(value: str | None) -> tuple[str, ...] | None:
    """'es' -> ('es',), 'en+es' -> ('en', 'es'); None for anything else."""
    codes = tuple((value or "").replace(" ", "+").split("+"))  # an unescaped '+' reads as ' '
    if not 1 <= len(codes) <= 2 or len(set(codes)) != len(codes):
        return None
    return codes if all(known(code) for code in codes) else None
