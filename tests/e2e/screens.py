"""The two screens issue 22 walks every page at, a page too wide for its screen, and
reaching a control by keyboard.

Shared by the browser tests so that "a laptop" and "a phone" mean the same everywhere.
"""

from __future__ import annotations

import pytest
from playwright.sync_api import Locator, Page

LAPTOP = {"width": 1280, "height": 800}  # a 13" laptop at 100 %
PHONE = {"width": 390, "height": 844}  # a phone upright
SCREENS = pytest.mark.parametrize("viewport", [LAPTOP, PHONE], ids=["laptop", "phone"])


def sideways_overflow(page: Page) -> int:
    """How many pixels the page is wider than its window: above 0, it scrolls sideways
    (a wide table must scroll inside its own box instead)."""
    return int(
        page.evaluate(
            "() => document.documentElement.scrollWidth - document.documentElement.clientWidth"
        )
    )


def tab_to(page: Page, control: Locator, *, limit: int, what: str) -> None:
    """Press Tab until `control` has the focus, failing with `what` if `limit` presses
    do not get there: the keyboard alone must reach it."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        if control.evaluate("element => element === document.activeElement"):
            return
    pytest.fail(f"{what} cannot be reached with the Tab key")
