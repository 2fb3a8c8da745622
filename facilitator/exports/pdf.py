"""The export model as a one-page landscape PDF (WeasyPrint), laid out like the CISF map.

The HTML comes from templates/exports/summary.html with static/css/export.css inlined.
Nothing is fetched: the URL fetcher refuses every URL, and fonts come from the system
(DejaVu Sans: Debian's fonts-dejavu-core; Noto for Ethiopic, CJK and emoji: fonts-noto-core,
fonts-noto-cjk, fonts-noto-color-emoji). The library's loggers are quieted in wiring.py.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from jinja2 import Environment, FileSystemLoader, select_autoescape

ROOT = Path(__file__).resolve().parents[2]
_env = Environment(
    loader=FileSystemLoader(ROOT / "templates" / "exports"),
    autoescape=select_autoescape(default=True),
)


def _no_fetching(url: str, *args: Any, **kwargs: Any) -> Any:
    raise ValueError("exports fetch nothing")


def page_counter(text: str) -> str:
    """'Page %(num)s of %(count)s', translated, as a CSS content value with counters."""
    parts = re.split(r"(%\((?:num|count)\)s)", text)
    counters = {"%(num)s": "counter(page)", "%(count)s": "counter(pages)"}
    quoted = (
        counters.get(p) or '"' + p.replace("\\", "").replace('"', "") + '"' for p in parts if p
    )
    return " ".join(quoted)


# Type sizes tried in turn until the summary fits on its one page (1: export.css as written).
FITS = (1.0, 0.9, 0.8, 0.72, 0.66)


def html(model: dict[str, Any], fit: float = 1.0, continued: bool = False) -> str:
    """The summary's HTML, its type scaled by fit; continued: page 1 says that it goes on."""
    css = (ROOT / "static" / "css" / "export.css").read_text(encoding="utf-8")
    template = _env.get_template("summary.html")
    return template.render(
        m=model,
        css=css,
        page_counter=page_counter(model["t"]["page_of"]),
        fit=fit,
        continued=_quoted(model["t"].get("continued", "")) if continued else "",
    )


def _quoted(text: str) -> str:
    return '"' + text.replace("\\", "").replace('"', "") + '"'


def render(model: dict[str, Any]) -> bytes:
    """The summary as PDF bytes: on one page, the type shrunk as far as it stays readable;
    a board bigger than that goes on, and page 1 says so ("Continued on page 2")."""
    from weasyprint import HTML  # heavy import (Pango, fonts): only when a PDF is asked for

    for fit in FITS:
        document = HTML(string=html(model, fit), url_fetcher=_no_fetching).render()
        if len(document.pages) == 1:
            return bytes(document.write_pdf())
        if len(document.pages) > 4:  # far too big for even the smallest type: don't try each
            break
    more = HTML(string=html(model, FITS[-1], continued=True), url_fetcher=_no_fetching)
    return bytes(more.write_pdf())


FIT_SIZES = (11.0, 9.5, 8.0, 7.0, 6.0, 5.0)  # points: the type shrinks until one page holds it


def one_page(pages: list[str]) -> bytes:
    """A page's HTML at each of FIT_SIZES, as a one-page PDF: the first that fits one page;
    a plan too long even at the smallest size runs over rather than losing its end."""
    from weasyprint import HTML

    for page in pages:
        document = HTML(string=page, url_fetcher=_no_fetching).render()
        if len(document.pages) == 1:
            break
    return bytes(document.write_pdf())
