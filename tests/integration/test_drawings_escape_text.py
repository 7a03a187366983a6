"""The drawings the server makes (the chain as SVG, the profile PDF with its value chart and
chain) show every user-entered text as text: with script payloads in every free text of
the demo, the SVG parses with no element or handler of a payload, and the PDF prints the
payloads as characters."""

from __future__ import annotations

import io
import xml.etree.ElementTree as ET

import pytest
from django.urls import reverse
from pypdf import PdfReader

from kundenbild.chains.models import Chain
from kundenbild.customers.models import Customer
from kundenbild.demo.loader import load_demo
from kundenbild.insights.models import RunStatus
from kundenbild.insights.services import run_analysis
from tests.payloads import inject_everywhere

pytestmark = pytest.mark.django_db

FOREIGN = {"script", "img", "foreignObject", "iframe", "object", "embed"}


@pytest.fixture
def injected(users) -> None:  # type: ignore[no-untyped-def]
    load_demo(customers=8, seed=7)
    for user in users.values():
        user.refresh_from_db()  # the demo gave them its password: log in with the new one
    assert inject_everywhere() >= 30
    assert run_analysis().status == RunStatus.DONE


def test_every_chain_drawing_holds_the_payloads_as_text(injected, client_for) -> None:  # type: ignore[no-untyped-def]
    client = client_for("management")
    chains = list(Chain.objects.all())
    assert chains
    for chain in chains:
        response = client.get(reverse("chains:diagram-svg", args=[chain.pk]))
        assert response.status_code == 200
        root = ET.fromstring(response.content)  # noqa: S314 - our own answer, parsed to check it
        for element in root.iter():
            assert element.tag.rsplit("}", 1)[-1] not in FOREIGN
            assert not [name for name in element.attrib if name.lower().startswith("on")]
        texts = "".join(root.itertext())
        assert "<img src=x onerror=" in texts


def test_the_profile_pdf_prints_the_payloads(injected, client_for) -> None:  # type: ignore[no-untyped-def]
    customer = Customer.objects.filter(chains__isnull=False, values__isnull=False).first()
    assert customer is not None
    response = client_for("management").get(
        reverse("profile:customer-profile-pdf", args=[customer.pk])
    )
    assert response.status_code == 200
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(response.content)).pages)
    assert "onerror=" in text
