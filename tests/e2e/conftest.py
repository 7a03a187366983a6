"""Browser journeys: Playwright drives Debian's Chromium against a live server."""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator

import pytest
from django.db import close_old_connections

CHROMIUM = os.environ.get("KUNDENBILD_CHROMIUM", "/usr/bin/chromium")


@pytest.fixture(scope="session")
def browser() -> Iterator[object]:
    if not shutil.which(CHROMIUM):
        if os.environ.get("KUNDENBILD_REQUIRE_BROWSER"):
            pytest.fail(f"Chromium not found at {CHROMIUM}; the browser tests must run here.")
        pytest.skip("Chromium is not installed (apt-get install chromium)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-quic",
                "--no-first-run",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
            ],
        )
        yield browser
        browser.close()


@pytest.fixture
def page(browser, live_server, transactional_db) -> Iterator[object]:  # type: ignore[no-untyped-def]
    context = browser.new_context(base_url=live_server.url, locale="de-DE")
    page = context.new_page()
    page.set_default_timeout(15_000)
    yield page
    context.close()
    close_old_connections()


@pytest.fixture(autouse=True)
def _close_connections() -> Iterator[None]:
    """The live server thread shares the test database; stale connections break PostgreSQL."""
    yield
    close_old_connections()
