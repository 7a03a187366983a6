"""Words a user reads: labels keep their capitals, checks say what holds (no double
negative), and the chain's tooltip speaks the user's language."""

from __future__ import annotations

from datetime import date

import pytest
from django.utils import translation

from kundenbild.imports.forms import MappingForm
from kundenbild.profile.health import _buying_center

pytestmark = pytest.mark.django_db


def test_the_column_mapping_labels_keep_the_capitals_of_the_translation() -> None:
    with translation.override("de"):
        form = MappingForm(headers=["Menge", "Preis"])
        labels = {str(field.label) for field in form.fields.values()}
    assert "Einzelpreis (Umsatz = Menge × Preis)" in labels
    assert "Rabatt oder Rückvergütung" in labels


def test_the_buying_center_checks_say_what_holds() -> None:
    with translation.override("de"):
        names = [str(name) for name, _ok in _buying_center([], today=date(2026, 12, 6))]
    assert "jede Schlüsselperson ist mindestens zwei von uns bekannt" in names
    assert not any(name.startswith("keine ") and " nur " in name for name in names)


def test_the_chain_tooltip_speaks_german() -> None:
    from kundenbild.chains.models import (
        ActorIdentity,
        ActorKind,
        ActorPerson,
        Chain,
        ChainActor,
        ChainStage,
    )
    from kundenbild.chains.selectors import chain_diagram, chain_picture

    chain = Chain.objects.create(name="Dach", scope="segment", industry_id="43")
    stage = ChainStage.objects.create(chain=chain, name="Handwerk")
    actor = ChainActor.objects.create(
        chain=chain, stage=stage, identity=ActorIdentity.GROUP, name="Dachdecker",
        kind=ActorKind.CRAFT,
    )  # fmt: skip
    ActorPerson.objects.create(actor=actor, name="Meisterin", in_contact=True)
    ActorPerson.objects.create(actor=actor, name="Einkauf", in_contact=False)
    with translation.override("de"):
        diagram = chain_diagram(chain_picture(chain), actor_url=lambda actor: "/")
    (node,) = [node for node in diagram["nodes"] if node["id"] == str(actor.pk)]
    assert "Wir kennen: Meisterin" in node["detail"]
    assert "Kein Kontakt zu: Einkauf" in node["detail"]
    assert "We know" not in node["detail"]
