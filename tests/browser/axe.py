"""axe-core in a Playwright page: inject it, run it at WCAG 2.1 A + AA, list what it finds.

axe comes from the npm registry (package.json devDependency) and is read from
node_modules: it is never served by the app, so production pages do not carry it.

It is injected with page.evaluate(), which the DevTools protocol runs outside the
page's Content-Security-Policy. add_script_tag() would add an inline <script>, which
the app's CSP (script-src 'self', no unsafe-inline) rightly refuses; so the scan
needs neither bypass_csp nor a weaker CSP, and the page is checked as users get it.
"""

from __future__ import annotations

from functools import cache
from typing import Any

from browser_support import ROOT

AXE_SOURCE = ROOT / "node_modules" / "axe-core" / "axe.min.js"
WCAG_21_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]

# Runs in the page: axe.run on the whole document; only the parts a reader needs return.
_RUN = """
async ([exclude, options]) => {
  const context = exclude.length
    ? { include: [document], exclude: exclude.map((selector) => [selector]) }
    : document;
  const result = await axe.run(context, options);
  return result.violations.map((v) => ({
    id: v.id,
    impact: v.impact,
    help: v.help,
    nodes: v.nodes.map((n) => ({ target: n.target.map(String), summary: n.failureSummary })),
  }));
}
"""


@cache
def _source() -> str:
    if not AXE_SOURCE.exists():
        raise AssertionError(f"{AXE_SOURCE} is missing: run `make setup` (npm ci) first")
    return AXE_SOURCE.read_text(encoding="utf-8")


def inject(page: Any) -> None:
    """Load axe into the page unless it is there already (a navigation removes it)."""
    if not page.evaluate("typeof window.axe === 'object'"):
        page.evaluate(_source())


def violations(
    page: Any,
    *,
    tags: list[str] | None = None,
    rules: list[str] | None = None,
    also: list[str] | None = None,
    exclude: list[str] | None = None,
) -> list[dict[str, Any]]:
    """axe's violations on the page: WCAG 2.1 A + AA by default, or only the given rules;
    `also` adds rules to the tags' (the display's AAA color-contrast-enhanced).

    exclude: CSS selectors axe skips; only for a proven false positive, with the reason
    written where it is passed."""
    inject(page)
    run_only = (
        {"type": "rule", "values": rules}
        if rules
        else {"type": "tag", "values": tags or WCAG_21_AA}
    )
    options: dict[str, Any] = {"runOnly": run_only, "resultTypes": ["violations"]}
    if also:
        options["rules"] = {rule: {"enabled": True} for rule in also}
    return list(page.evaluate(_RUN, [exclude or [], options]))


def report(found: list[dict[str, Any]]) -> str:
    """The violations as lines a person can act on: rule, impact, where, what is wrong."""
    lines = []
    for violation in found:
        lines.append(f"{violation['id']} ({violation['impact']}): {violation['help']}")
        for node in violation["nodes"][:8]:
            summary = " ".join((node["summary"] or "").split())
            lines.append(f"    at {' '.join(node['target'])}: {summary[:300]}")
        if len(violation["nodes"]) > 8:
            lines.append(f"    ... and {len(violation['nodes']) - 8} more")
    return "\n".join(lines)


def assert_no_violations(page: Any, **options: Any) -> None:
    """Fail with axe's readable report when the page has any violation."""
    found = violations(page, **options)
    assert not found, f"axe found {len(found)} kinds of violation on {page.url}:\n" + report(found)
