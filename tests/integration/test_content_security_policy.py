"""The Content-Security-Policy is on every response and allows no inline script, and no
template needs one: a forgotten escape can show a payload, but never run it."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse

TEMPLATES = Path(settings.BASE_DIR) / "templates"
INLINE_SCRIPT = re.compile(r"<script(?![^>]*\bsrc=)(?![^>]*application/json)[^>]*>", re.I)
EVENT_HANDLER = re.compile(r"\son[a-z]+\s*=", re.I)
SCRIPT_URL = re.compile(r"javascript:", re.I)


def policy(response) -> dict[str, list[str]]:  # type: ignore[no-untyped-def]
    header = response.headers["Content-Security-Policy"]
    directives = (part.split() for part in header.split(";") if part.strip())
    return {name: sources for name, *sources in directives}


@pytest.mark.parametrize(
    "template", sorted(TEMPLATES.rglob("*.html")), ids=lambda p: str(p.relative_to(TEMPLATES))
)
def test_no_template_carries_inline_script(template: Path) -> None:
    text = template.read_text(encoding="utf-8")
    assert not INLINE_SCRIPT.search(text)
    assert not EVENT_HANDLER.search(text)
    assert not SCRIPT_URL.search(text)


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("who", "path"),
    [
        ("anonymous", "/accounts/login/"),
        ("anonymous", "/api/customers/"),
        ("kam", "/"),
        ("kam", "/customers/"),
        ("kam", "/customers/999999/"),
        ("kam", "/api/docs"),
        ("kam", "/api/customers/"),
        ("kam", "/customers/export.xlsx"),
    ],
)
def test_every_kind_of_response_carries_the_policy(client_for, users, who: str, path: str) -> None:  # type: ignore[no-untyped-def]
    client = Client() if who == "anonymous" else client_for(who)
    directives = policy(client.get(path))
    assert directives["script-src"] == ["'self'"]
    assert directives["object-src"] == ["'none'"]
    assert directives["frame-ancestors"] == ["'none'"]
    assert "'unsafe-inline'" not in directives["default-src"]


@pytest.mark.django_db
def test_confirmation_and_autosubmit_are_declared_for_the_script_file(client_for, customer) -> None:  # type: ignore[no-untyped-def]
    page = client_for("admin").get(reverse("potential:customer-potential", args=[customer.pk]))
    html = page.content.decode()
    assert "kundenbild/behaviour" in html
    assert "data-autosubmit" in html
