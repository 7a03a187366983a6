"""Fixtures shared by every test: users per role, customers, API clients."""

from __future__ import annotations

import os
import tempfile

os.environ.setdefault("KUNDENBILD_DATA_DIR", tempfile.mkdtemp(prefix="kundenbild-test-"))
os.environ.setdefault("KUNDENBILD_SECRET_KEY", "test-secret-key-not-for-production")
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

import pytest
from django.test import Client
from hypothesis import settings as hypothesis_settings

from tests.factories import CustomerFactory, UserFactory

# Hypothesis checks what a parser or calculation returns, not how fast: its 200 ms
# deadline per example is an absolute time, which these shared two-core machines cannot
# promise (a first call that loads a reader took a second under load). Speed is measured
# in bench/, against a baseline of the same run.
hypothesis_settings.register_profile("kundenbild", deadline=None)
hypothesis_settings.load_profile("kundenbild")

ROLES = ("management", "kam", "sales", "service", "controller", "admin")


@pytest.fixture(autouse=True)
def _fast_passwords(settings):  # type: ignore[no-untyped-def]
    """Argon2 is slow on purpose; tests hash with MD5 unless they test hashing."""
    settings.PASSWORD_HASHERS = [
        "django.contrib.auth.hashers.MD5PasswordHasher",
        "django.contrib.auth.hashers.Argon2PasswordHasher",
    ]


@pytest.fixture(autouse=True)
def _immediate_tasks(settings):  # type: ignore[no-untyped-def]
    """Background tasks run at once, in the process and thread that enqueue them."""
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}


@pytest.fixture
def users(db):  # type: ignore[no-untyped-def]
    """One active user per standard role, username = role code."""
    return {code: UserFactory(username=code, role_code=code) for code in ROLES}


@pytest.fixture
def customer(db):  # type: ignore[no-untyped-def]
    return CustomerFactory()


@pytest.fixture
def client_for(users):  # type: ignore[no-untyped-def]
    """A logged-in Django test client for a role."""

    def make(role: str) -> Client:
        client = Client()
        client.force_login(users[role])
        return client

    return make


@pytest.fixture
def api_client_for(users):  # type: ignore[no-untyped-def]
    """A test client that sends a fresh bearer token of the role's user."""
    from kundenbild.accounts.services import api_token_create

    def make(role: str) -> Client:
        _token, raw = api_token_create(user=users[role], name="test")
        return Client(HTTP_AUTHORIZATION=f"Bearer {raw}")

    return make


DATABASE_FIXTURES = {"db", "transactional_db", "django_db_reset_sequences", "live_server"}


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--database-tests-only",
        action="store_true",
        help="run only the tests that use the database (the second pass, on PostgreSQL)",
    )


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """With --database-tests-only, leave out the tests that never touch the database.

    The suite runs twice, on SQLite and on PostgreSQL; a test of the analytics core, of a
    parser or of a command in a subprocess of its own gives the same answer on both, so
    the PostgreSQL pass would only spend minutes repeating it. The browser tests run once
    too: they check what a person sees and does in Chromium, while every page's queries
    run on PostgreSQL in the integration tests (`test_every_page` and the page tests).
    """
    if not config.getoption("--database-tests-only"):
        return
    kept, left_out = [], []
    for item in items:
        uses_database = item.get_closest_marker("django_db") is not None or bool(
            DATABASE_FIXTURES & set(getattr(item, "fixturenames", ()))
        )
        in_browser = "e2e" in item.path.parts
        (kept if uses_database and not in_browser else left_out).append(item)
    config.hook.pytest_deselected(items=left_out)
    items[:] = kept
