"""The acceptance walk-through of the customer profile, in German, on demo data.

A key account manager opens a demo customer, adds a person with two buying roles and a
relation, finds them on the relationship map and in the coverage, places an offering on
the fascination pyramid, records a need with demand and potential and watches the share
of wallet change, and finds every one of these changes in the history.
"""

from __future__ import annotations

import json
from decimal import Decimal

import pytest
from django.db.models import Sum
from django.db.models.functions import ExtractYear
from playwright.sync_api import Page, expect

from kundenbild.buying_center.models import BuyingRole, BuyingRoleCode
from kundenbild.customers.models import Customer, Industry
from kundenbild.demo.loader import load_demo
from kundenbild.finance.models import SalesLine
from kundenbild.offerings.models import Offering
from kundenbild.potential.models import EffectiveDemand
from kundenbild.wz2008 import DIVISIONS
from tests.e2e.test_journeys import login

# The demo loader needs the rows migrations seed (industries, buying roles), which a
# transactional test's flush removes; serialized rollback restores them first.
pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def _customer_with_sales() -> tuple[Customer, Offering, int, Decimal]:
    """A demo customer of the key account manager, an offering it bought, that year's sum."""
    rows = (
        SalesLine.objects.filter(customer__owner__username="kam")
        .exclude(article_number="")
        .annotate(year=ExtractYear("invoice_date"))
        .values("customer_id", "article_number", "year")
        .annotate(revenue=Sum("net_revenue"))
        .order_by("-year", "-revenue")
    )
    for row in rows:
        offering = Offering.objects.filter(number=row["article_number"]).first()
        customer = Customer.objects.get(pk=row["customer_id"])
        already = EffectiveDemand.objects.filter(
            demand__need__customer=customer, demand__offering=offering, year=row["year"]
        ).exists()
        if offering is not None and not already and customer.contacts.count() >= 2:
            return customer, offering, row["year"], row["revenue"]
    raise AssertionError("the demo data hold no suitable customer")


def _reference_data() -> None:
    """The rows migrations seed (industries, buying roles), which the flush after each
    browser test removes; the demo loader needs them."""
    Industry.objects.bulk_create(
        [
            Industry(code=d.code, section=d.section, name_de=d.name_de, name_en=d.name_en)
            for d in DIVISIONS
        ],
        ignore_conflicts=True,
    )
    BuyingRole.objects.bulk_create(
        [BuyingRole(code=code) for code in BuyingRoleCode.values], ignore_conflicts=True
    )


def test_a_new_user_walks_through_the_customer_profile(page: Page) -> None:
    _reference_data()
    load_demo(customers=15, seed=11)
    customer, offering, year, revenue = _customer_with_sales()
    colleague = customer.contacts.order_by("last_name").first()
    assert colleague is not None

    login(page, "kam", "demo")
    page.get_by_role("link", name="Kunden", exact=True).click()
    page.get_by_label("Suche").fill(customer.number)
    page.get_by_test_id("customer-table").get_by_role("link", name=customer.name).click()
    expect(page.get_by_test_id("customer-name")).to_have_text(customer.name)

    # the buying center: a person with two roles and a relation
    page.get_by_test_id("buying-center-link").click()
    page.get_by_role("button", name="Person hinzufügen").click()
    form = page.get_by_test_id("contact-form")
    form.get_by_label("Vorname").fill("Eva")
    form.get_by_label("Nachname").fill("Roth")
    form.get_by_label("Funktion").fill("Leiterin Instandhaltung")
    form.get_by_role("group", name="Rollen im Buying Center").get_by_label("Entscheider").check()
    form.get_by_role("group", name="Rollen im Buying Center").get_by_label("Anwender").check()
    form.get_by_label("Einfluss", exact=True).select_option(label="hoch")
    form.get_by_label("Haltung zu uns").select_option(label="Fürsprecher")
    form.get_by_role("button", name="Speichern").click()
    expect(page.get_by_role("alert").first).to_contain_text("Eva Roth wurde dem Buying Center")

    page.get_by_role("button", name="Beziehung hinzufügen").click()
    relation = page.get_by_test_id("relation-form")
    relation.get_by_label("Beziehung").select_option(label="berichtet an")
    relation.get_by_label("Andere Person").select_option(label=str(colleague))
    relation.get_by_role("button", name="Beziehung eintragen").click()
    expect(page.get_by_test_id("person-relations")).to_contain_text(
        f"Eva Roth berichtet an {colleague}"
    )

    # … on the relationship map, drawn, with her edge
    chart = page.get_by_test_id("relationship-map")
    expect(chart.locator("svg")).to_have_count(1)
    expect(chart.locator("svg")).to_contain_text("Eva Roth")
    data = json.loads(page.locator("#relationship-map-data").text_content() or "{}")
    eva = next(n for n in data["nodes"] if n["name"] == "Eva Roth")
    assert eva["symbolSize"] == 58  # high influence: the largest circle
    assert eva["itemStyle"]["color"] == "#198754"  # champion: green
    assert {"source": eva["id"], "target": f"c{colleague.pk}", "kind": "reports_to"}.items() <= {
        **next(link for link in data["links"] if link["source"] == eva["id"])
    }.items()

    # … and in the coverage: a decider none of us knows
    coverage = page.get_by_test_id("coverage")
    expect(coverage).to_contain_text("Entscheider")
    expect(coverage).to_contain_text("Eva Roth")
    page.get_by_role("link", name="Abdeckung", exact=True).click()
    row = page.get_by_test_id("coverage-table").get_by_role("row").filter(has_text=customer.name)
    expect(row).to_have_count(1)

    # the fascination pyramid
    page.goto(f"/customers/{customer.pk}/")
    page.get_by_test_id("fascination-link").click()
    assess = page.get_by_test_id("assessment-form")
    choice = assess.get_by_label("Marktleistung")
    label = choice.locator("option", has_text=offering.name_de).first.text_content() or ""
    choice.select_option(label=label.strip())
    assess.get_by_label("Stufe").select_option(label="faszinierend")
    assess.get_by_role("button", name="Speichern").click()
    expect(page.get_by_test_id("pyramid").locator("[data-level='4']")).to_contain_text(
        offering.name_de
    )

    # needs → demand → potential: the share of wallet changes
    page.goto(f"/potential/customers/{customer.pk}/?year={year}")
    before = page.get_by_test_id("potential-summary").inner_text()
    need = page.get_by_test_id("need-form")
    need.get_by_label("Bedürfnis").fill("Ausfallzeiten senken")
    need.get_by_label("Priorität").select_option(label="hoch")
    need.get_by_label("Unsere Marktleistung").select_option(label=str(offering.name_de))
    need.get_by_label("Wettbewerber", exact=True).fill("Hoffmann Group")
    need.get_by_label("Jahr", exact=True).fill(str(year))
    potential = (revenue * 4).quantize(Decimal("1"))
    need.get_by_label("Nachfrage pro Jahr (EUR)").fill(str(potential))
    need.get_by_label("Sicherheit in %").fill("70")
    need.get_by_role("button", name="Speichern").click()
    expect(page.get_by_role("alert").first).to_contain_text("Ausfallzeiten senken")
    page.goto(f"/potential/customers/{customer.pk}/?year={year}")
    row = (
        page.get_by_test_id("potential-table").get_by_role("row").filter(has_text=offering.name_de)
    )
    expect(row).to_contain_text("25,0 %")  # our sales of it that year ÷ four times as much
    expect(row).to_contain_text("Hoffmann Group")
    after = page.get_by_test_id("potential-summary").inner_text()
    assert after != before

    # every change is in the history
    page.goto(f"/customers/{customer.pk}/")
    page.get_by_role("link", name="Änderungen").click()
    history = page.locator("main, body").first
    for text in (
        "Ansprechpartner: Eva Roth",
        f"Beziehung: Eva Roth berichtet an {colleague}",
        "Faszinationsbewertung",
        "Bedürfnis: Ausfallzeiten senken",
        f"Nachfrage: {offering.name_de} {year}",
    ):
        expect(history).to_contain_text(text)
    expect(history).to_contain_text("Jonas Weber")
