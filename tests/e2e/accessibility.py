"""Accessibility checks with axe-core, for the browser tests.

axe-core is the rule engine the testers use; it comes from npm, pinned in
tests/e2e/axe/package.json and installed by scripts/test (`npm ci --prefix tests/e2e/axe`).
The acceptance of the key account manager's day asks for no violation of impact
"serious" or "critical" on any page of the journey, so that is what these helpers report.

Usage in a Playwright test, after the page has loaded::

    from tests.e2e.accessibility import assert_accessible, serious_violations

    page.goto("/customers/")
    assert_accessible(page)  # fails with one line per offending element
    problems = serious_violations(page)  # or collect them across pages and assert once

axe's source is run through the DevTools protocol (Playwright's `page.evaluate`), which
the page's Content-Security-Policy does not govern; the policy stays as strict as it is
for users, so a script the policy would block is not made to work by this check.
"""

from __future__ import annotations

import os
from functools import cache
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Page

AXE_SOURCE = Path(__file__).parent / "axe" / "node_modules" / "axe-core" / "axe.min.js"
SERIOUS = ("serious", "critical")
EVERY_IMPACT = ("minor", "moderate", "serious", "critical")


@cache
def _read_axe() -> str:
    return AXE_SOURCE.read_text(encoding="utf-8")


def axe_source() -> str:
    """axe-core's script; skips the test if it is not installed, or fails it where the
    browser tests must run (KUNDENBILD_REQUIRE_BROWSER, as in CI), so that a missing
    `npm ci` cannot pass as an accessible app."""
    if not AXE_SOURCE.is_file():
        message = (
            f"axe-core is not installed at {AXE_SOURCE}; "
            "run `npm ci --prefix tests/e2e/axe` (scripts/test does)"
        )
        if os.environ.get("KUNDENBILD_REQUIRE_BROWSER"):
            pytest.fail(message)
        pytest.skip(message)
    return _read_axe()


def violations(
    page: Page, impacts: tuple[str, ...] = SERIOUS, rules: tuple[str, ...] = ()
) -> list[str]:
    """Runs axe-core on the page as it is now and describes each offending element of a
    violation whose impact is one of `impacts`, one line each:
    ``/customers/ color-contrast (serious) at .badge: Element has insufficient …``.
    With `rules` (axe rule ids, e.g. "empty-table-header") only those rules run."""
    if not page.evaluate("() => typeof window.axe === 'object'"):
        page.evaluate(axe_source() + "\n;true")
    options: dict[str, Any] = {"resultTypes": ["violations"]}
    if rules:
        options["runOnly"] = {"type": "rule", "values": list(rules)}
    results: dict[str, Any] = page.evaluate(
        "async (options) => await axe.run(document, options)", options
    )
    path = page.evaluate("() => location.pathname + location.search")
    found = []
    for rule in results["violations"]:
        for node in rule["nodes"]:
            impact = node.get("impact") or rule.get("impact")
            if impact in impacts:
                found.append(f"{path} {rule['id']} ({impact}) at {_target(node)}: {_summary(node)}")
    return found


def serious_violations(page: Page) -> list[str]:
    """The violations of impact serious or critical on the page (see `violations`)."""
    return violations(page, SERIOUS)


def assert_accessible(page: Page) -> None:
    """Fails the test, listing them, if axe-core finds a serious or critical violation."""
    found = serious_violations(page)
    assert not found, f"{len(found)} accessibility violation(s):\n" + "\n".join(found)


def _target(node: dict[str, Any]) -> str:
    """The element's CSS selector (for one inside a shadow root or frame: the path)."""
    return " >> ".join(
        " ".join(part) if isinstance(part, list) else str(part) for part in node["target"]
    )


def _summary(node: dict[str, Any]) -> str:
    """The check's own message, e.g. the contrast ratio and the two colours; axe's
    failure summary when no single check says it."""
    messages = [check["message"] for key in ("any", "all", "none") for check in node[key]]
    text = "; ".join(m for m in messages if m) or node.get("failureSummary", "")
    return " ".join(text.split())
