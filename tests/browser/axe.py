"""axe-core in the page: scan what a person sees and fail on serious or critical violations.

axe's source is handed to the page through the DevTools protocol, which the page's
Content-Security-Policy does not govern: either once for a whole browser context (`install_axe`:
Playwright's init script, run in every page it opens before the page's own scripts) or into the
page at hand (`page.evaluate`). No policy is loosened and no script tag is added, so the scan sees
the page exactly as it is served.
"""

from __future__ import annotations

from functools import cache

import pytest
from axe_playwright_python.base import AXE_SCRIPT
from playwright.sync_api import BrowserContext, Page

# What fails a page: axe's two highest impacts.
BLOCKING = frozenset({"serious", "critical"})
# WCAG 2.1 A and AA, and axe's own best practices (they catch a scroll region out of the keyboard's reach).
TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice"]


@cache
def _axe_source() -> str:
    return AXE_SCRIPT


def install_axe(context: BrowserContext) -> None:
    """axe in every page the context opens: cheaper than handing it over again after each navigation."""
    context.add_init_script(script=_axe_source())


def violations_of(page: Page) -> list[dict]:
    """axe's serious and critical violations on the page as it is now."""
    if not page.evaluate("() => typeof window.axe === 'object'"):
        page.evaluate(_axe_source())
    found = page.evaluate(
        "async (tags) => (await axe.run(document, {runOnly: {type: 'tag', values: tags}, resultTypes: ['violations']}))"
        ".violations.map(v => ({id: v.id, impact: v.impact, help: v.help,"
        " nodes: v.nodes.map(n => ({target: n.target.join(' '), summary: n.failureSummary}))}))",
        TAGS,
    )
    return [v for v in found if v["impact"] in BLOCKING]


def describe(url: str, violations: list[dict]) -> str:
    lines = [f"{url}:"]
    for v in violations:
        lines.append(f"  [{v['impact']}] {v['id']}: {v['help']}")
        for node in v["nodes"][:5]:
            lines.append(f"      at {node['target']}")
            lines.extend(f"        {line}" for line in (node["summary"] or "").splitlines()[1:3])
        if len(v["nodes"]) > 5:
            lines.append(f"      … and {len(v['nodes']) - 5} more")
    return "\n".join(lines)


def expect_no_serious_violations(page: Page) -> None:
    """Fails the test, naming each rule and element, when axe finds a serious or critical violation."""
    found = violations_of(page)
    if found:
        pytest.fail(
            "axe found serious or critical accessibility violations\n" + describe(page.url, found), pytrace=False
        )
