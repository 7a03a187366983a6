"""Every page answers for every role, in German and in English, without a server error."""

from __future__ import annotations

from datetime import date

import pytest
from django.urls import reverse

from kundenbild.activities.services import ActivityData, activity_create
from kundenbild.buying_center.models import BuyingCenter
from kundenbild.buying_center.services import relation_add
from kundenbild.chains.services import (
    ActorData,
    ChainData,
    FlowData,
    PersonData,
    StageData,
    actor_save,
    chain_save,
    flow_save,
    person_save,
    stage_save,
)
from kundenbild.potential.models import Demand, EffectiveDemand, Need
from tests.factories import ContactFactory, CustomerFactory, SalesLineFactory

pytestmark = pytest.mark.django_db

ROLES = ("management", "kam", "sales", "service", "controller", "admin")


@pytest.mark.parametrize("language", ["de", "en"])
@pytest.mark.parametrize("role", ROLES)
def test_every_page_answers_in_both_languages(client_for, users, role: str, language: str) -> None:
    parent = CustomerFactory(name="Holding AG", owner=users[role])
    customer = CustomerFactory(parent=parent, owner=users[role])
    SalesLineFactory(customer=customer)
    boss = ContactFactory(customer=customer, roles=["decider"], influence="high")
    person = ContactFactory(customer=customer, roles=["user"], attitude="sceptic")
    relation_add(source=person, target=boss, kind="reports_to")
    center = BuyingCenter.objects.create(customer=customer, name="Neues Lager")
    center.members.add(boss)
    call = activity_create(
        customer=customer,
        data=ActivityData(
            kind="call", occurred_on=date.today(), subject="Anruf", contact_ids=(boss.pk,)
        ),
        by=users["sales"],
    )
    need = Need.objects.create(customer=customer, title="Stillstand senken")
    demand = Demand.objects.create(need=need, competitor="Würth", description="Kanban")
    EffectiveDemand.objects.create(demand=demand, year=2026, amount=1000)
    chain = chain_save(
        data=ChainData(name="Kette", scope="customer", customer_id=customer.pk), by=users[role]
    )
    first = stage_save(chain=chain, data=StageData(name="Wir"))
    second = stage_save(chain=chain, data=StageData(name="OEM", follows_ids=(first.pk,)))
    us = actor_save(
        chain=chain,
        data=ActorData(stage_id=first.pk, identity="ourselves", kind="manufacturer"),
    )
    oem = actor_save(
        chain=chain,
        data=ActorData(
            stage_id=second.pk, identity="customer", customer_id=customer.pk, kind="manufacturer"
        ),
    )
    flow_save(chain=chain, data=FlowData(source_id=us.pk, target_id=oem.pk, kind="goods"))
    person_save(actor=oem, data=PersonData(contact_id=boss.pk))
    person_save(actor=oem, data=PersonData(role="Qualitätssicherung", in_contact=False))
    users[role].language = language
    users[role].save()
    client = client_for(role)
    pages = [
        reverse("profile:customer-list"),
        reverse("profile:customer-list") + "?q=holding&sort=-revenue&page=2",
        reverse("profile:customer-detail", args=[customer.pk]),
        reverse("profile:customer-detail", args=[parent.pk]),
        reverse("profile:customer-history", args=[customer.pk]),
        reverse("profile:customer-group", args=[customer.pk]),
        reverse("customers:customer-company", args=[customer.pk]),
        reverse("offerings:catalogue"),
        reverse("offerings:matrix"),
        reverse("offerings:customer-fascination", args=[customer.pk]),
        reverse("finance:customer-finance", args=[customer.pk]),
        reverse("activities:customer-activities", args=[customer.pk]),
        reverse("activities:activity-update", args=[call.pk]),
        reverse("buying_center:buying-center", args=[customer.pk]),
        reverse("buying_center:buying-center", args=[customer.pk]) + f"?center={center.pk}",
        reverse("buying_center:contact-update", args=[customer.pk, person.pk]),
        reverse("buying_center:coverage"),
        reverse("buying_center:coverage") + "?all=1",
        reverse("potential:customer-potential", args=[customer.pk]),
        reverse("imports:index"),
        reverse("insights:run-list"),
        reverse("profile:customer-list")
        + "?value_type=steady&phase=mature&abc=A&sort=-value_margin",
        reverse("finance:overhead-rates"),
        reverse("finance:customer-finance", args=[customer.pk]) + "?year=2025",
        reverse("potential:customer-potential", args=[customer.pk]) + "?year=2026",
        reverse("potential:need-update", args=[customer.pk, need.pk]),
        reverse("home"),
        reverse("customers:customer-create"),
        reverse("customers:customer-update", args=[customer.pk]),
        reverse("customers:customer-merge", args=[customer.pk]),
        reverse("customers:customer-merge", args=[customer.pk]) + f"?survivor={parent.number}",
        reverse("accounts:settings"),
        reverse("accounts:password-change"),
        reverse("accounts:user-list"),
        reverse("accounts:user-create"),
        reverse("accounts:user-update", args=[users["service"].pk]),
        reverse("accounts:security-log"),
        reverse("accounts:security-log") + "?kind=login&page=2",
        reverse("chains:list"),
        reverse("chains:list") + "?q=kette&page=2",
        reverse("chains:create"),
        reverse("chains:create") + f"?customer={customer.pk}",
        reverse("chains:detail", args=[chain.pk]),
        reverse("chains:detail", args=[chain.pk]) + f"?actor={oem.pk}",
        reverse("chains:actor", args=[chain.pk, oem.pk]),
        reverse("chains:edit", args=[chain.pk]),
        reverse("chains:copy", args=[chain.pk]),
        reverse("chains:history", args=[chain.pk]),
        reverse("chains:stage-edit", args=[chain.pk, second.pk]),
        reverse("chains:diagram-svg", args=[chain.pk]),
        reverse("workspace:search"),
        reverse("workspace:search") + "?q=kette+holding",
        "/api/docs",
        "/api/openapi.json",
    ]
    for url in pages:
        response = client.get(url)
        assert response.status_code in {200, 403}, (url, response.status_code)
        assert response["Content-Language"] == language, url
        if response["Content-Type"].startswith("image/"):
            continue  # the chain diagram's SVG download
        if not url.startswith("/api/"):  # Swagger UI is the library's own, English page
            html = response.content.decode()
            assert f'<html lang="{language}">' in html, url
    expected_title = "Kunden" if language == "de" else "Customers"
    assert (
        f'<h1 class="h3 mb-0">{expected_title}</h1>'
        in client.get(reverse("profile:customer-list")).content.decode()
    )


def test_unknown_pages_and_customers_get_a_friendly_404(client_for) -> None:
    client = client_for("kam")
    for url in ("/gibt-es-nicht/", reverse("profile:customer-detail", args=[999999])):
        response = client.get(url)
        assert response.status_code == 404
        assert "Zur Kundenliste" in response.content.decode()
