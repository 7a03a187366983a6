"""Can the user reach every action on the page without scrolling sideways?

A browser-test helper for Playwright pages. An *action* is what a person clicks to do
something: ``button``, ``a.btn``, ``input[type=submit]``, ``[role=button]`` and dropdown
toggles. An action counts when it is rendered (not ``display: none``, not inside a closed
dropdown menu or modal); it is *out of view* when it lies, even in part, left or right of
the viewport, or of the visible box of an enclosing ``.card`` or ``.table-responsive``
(where a wide table hides it until one scrolls the table sideways). Only the x axis
counts: scrolling down a long page is fine.

Usage::

    from tests.e2e.visible_actions import actions_out_of_view, assert_actions_in_view

    page.goto("/imports/")
    assert_actions_in_view(page)  # fails with one line per action that is out of view
    problems = actions_out_of_view(page)  # or collect them over many pages
"""

from __future__ import annotations

from playwright.sync_api import Page

__all__ = ["ACTIONS", "actions_out_of_view", "assert_actions_in_view"]

ACTIONS = "button, a.btn, input[type=submit], [role=button], [data-bs-toggle=dropdown]"

# Tolerance in CSS pixels for sub-pixel rounding and focus rings.
_SLACK = 1

_FIND = """
([selector, slack]) => {
  const describe = (el) => {
    const label = (el.getAttribute("aria-label") || el.innerText || el.value
      || el.getAttribute("title") || "").trim().replace(/\\s+/g, " ").slice(0, 60);
    const kind = el.tagName.toLowerCase() + (el.classList.contains("btn") ? ".btn" : "");
    return `${kind} "${label}"`;
  };
  const visible = (el) => el.checkVisibility({visibilityProperty: true, opacityProperty: true})
    && el.getClientRects().length > 0;
  const boxes = (el) => {
    const found = [["viewport", 0, document.documentElement.clientWidth]];
    for (let up = el.parentElement; up; up = up.parentElement) {
      if (up.matches(".card, .table-responsive")) {
        const r = up.getBoundingClientRect();
        const name = up.classList.contains("card") ? "its card" : "its .table-responsive";
        found.push([name, r.left + up.clientLeft, r.left + up.clientLeft + up.clientWidth]);
      }
    }
    return found;
  };
  const problems = [];
  for (const el of document.querySelectorAll(selector)) {
    if (!visible(el) || el.closest(".visually-hidden, .visually-hidden-focusable")) continue;
    const r = el.getBoundingClientRect();
    if (r.width === 0 && r.height === 0) continue;
    for (const [name, left, right] of boxes(el)) {
      if (r.left < left - slack || r.right > right + slack) {
        problems.push(`${describe(el)} at x = ${Math.round(r.left)}–${Math.round(r.right)}`
          + ` lies outside ${name} (x = ${Math.round(left)}–${Math.round(right)})`);
        break;
      }
    }
  }
  return problems;
}
"""


def actions_out_of_view(page: Page) -> list[str]:
    """Describe each rendered action that sticks out sideways, one line each, prefixed
    with the page's path; an empty list when every action is reachable."""
    path = page.evaluate("() => location.pathname + location.search")
    found: list[str] = page.evaluate(_FIND, [ACTIONS, _SLACK])
    return [f"{path}: {problem}" for problem in found]


def assert_actions_in_view(page: Page) -> None:
    """Fail, naming every offender, when an action lies outside the viewport or its card."""
    problems = actions_out_of_view(page)
    assert not problems, "actions out of view:\n" + "\n".join(problems)
