"""Each value type and phase is explained where it appears (a tooltip) and on a help page,
in the seed's words."""

from __future__ import annotations

import html

import pytest
from django.urls import reverse

from kundenbild.analytics.shapes.phases import PHASES
from kundenbild.analytics.shapes.value_types import VALUE_TYPES
from kundenbild.insights.explanations import PHASE_HELP, VALUE_TYPE_HELP
from tests.integration.selection_world import build_portfolio

pytestmark = pytest.mark.django_db


def test_every_type_and_phase_has_its_explanation() -> None:
    assert set(VALUE_TYPE_HELP) == set(VALUE_TYPES)
    assert set(PHASE_HELP) == set(PHASES)


def test_the_help_page_explains_them_in_german_and_english(users, client_for) -> None:  # type: ignore[no-untyped-def]
    url = reverse("insights:value-types-help")
    german = html.unescape(client_for("kam").get(url).content.decode())
    assert "Klette" in german
    assert "manche kosten sogar mehr, als sie einbringen" in german  # the seed's words
    assert "Oft verbergen sich hier die Perlen" in german
    users["kam"].language = "en"
    users["kam"].save()
    english = html.unescape(client_for("kam").get(url).content.decode())
    assert "some cost more than they bring" in english
    assert "Anlaufphase" not in english


def test_the_badges_carry_the_explanation_as_a_tooltip(users, client_for) -> None:  # type: ignore[no-untyped-def]
    build_portfolio(users)  # three steady customers in a finished run
    page = client_for("management").get(reverse("portfolio:selection")).content.decode()
    assert 'title="Behält seinen Wert über einen längeren Zeitraum bei' in page
    assert reverse("insights:value-types-help") in page
