"""The XSS corpus for S8 (and the SQL injection strings for S9).

The naughty strings come from the npm package `big-list-of-naughty-strings`, pinned in
package.json and package-lock.json and installed by `make` (`npm ci`). The corpus is
every string in it that looks like markup or script, plus an evenly spaced sample of the
rest; the `alert(...)`, `prompt(...)` and `confirm(...)` calls in the payloads are turned
into calls of a sentinel function, so a payload that runs sets `window.__xss` instead of
opening a dialog (dialogs fail the browser tests as well).
"""

from __future__ import annotations

import json
import os
import re
from pathlib import Path

import pytest

from facilitator.domain.fields import UNSAFE_CHARACTERS

ROOT = Path(__file__).resolve().parents[1]
BLNS = ROOT / "node_modules" / "big-list-of-naughty-strings" / "blns.json"

SENTINEL = "__xss_sentinel"
# Installed in every page before its scripts run: a payload that runs calls this.
SENTINEL_SCRIPT = f"window.{SENTINEL} = function () {{ window.__xss = 1; }};"
MARKUP = re.compile(r"[<>]|script|javascript:|on\w+=|alert|prompt|confirm|\{\{|\$\{", re.I)
DIALOGS = re.compile(r"\b(alert|prompt|confirm)\b")
SAMPLE_EVERY = 2  # of the strings that are not markup

# Classic SQL injection strings, with the naughty list's own SQL section added by sql().
SQL_INJECTIONS = [
    "' OR '1'='1",
    "' OR 1=1 --",
    '" OR ""="',
    "1; DROP TABLE users; --",
    "'; DROP TABLE items; --",
    "1' UNION SELECT id, email, password_hash FROM users --",
    "admin'--",
    "1 OR 1=1",
    "' AND SLEEP(5) --",
    "'; SELECT pg_sleep(5); --",
    "%' OR '%'='",
    "\\'; --",
    "1)) OR ((1=1",
    "'||(SELECT sqlite_version())||'",
]


def _strings() -> list[str]:
    if not BLNS.exists():
        reason = f"{BLNS} is missing: run `make` (npm ci) to install the naughty strings"
        if os.environ.get("CI") == "true":
            pytest.fail(f"{reason} (CI=true: may not be skipped)", pytrace=False)
        pytest.skip(reason)
    strings: list[str] = json.loads(BLNS.read_text(encoding="utf-8"))
    return strings


def _fits(text: str, limit: int) -> bool:
    """Text the app stores exactly as typed: no control characters, no surrounding space."""
    cleaned = UNSAFE_CHARACTERS.sub("", text).strip()
    return cleaned == text and 0 < len(text) <= limit


def corpus(limit: int = 2000) -> list[str]:
    """Several hundred strings: every markup-like one, a sample of the rest; sentinel-armed;
    only those the app keeps unchanged (so 'shown exactly as typed' can be checked)."""
    strings = _strings()
    markup = [s for s in strings if MARKUP.search(s)]
    others = [s for s in strings if not MARKUP.search(s)][::SAMPLE_EVERY]
    armed = [DIALOGS.sub(SENTINEL, s) for s in markup] + others
    chosen = list(dict.fromkeys(s for s in armed if _fits(s, limit)))
    return chosen


def markup_corpus(limit: int) -> list[str]:
    """The markup-like strings alone, for short fields (names, owners, labels)."""
    return [s for s in corpus(limit) if MARKUP.search(s)]


def sql() -> list[str]:
    """Classic injections plus the naughty list's SQL-looking strings."""
    strings = _strings()
    listed = [s for s in strings if re.search(r"\b(select|drop|union|or 1=1)\b|'--", s, re.I)]
    return list(dict.fromkeys(SQL_INJECTIONS + listed))
