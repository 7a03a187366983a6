"""Relations between people, how well we know them, buying centers, and the coverage list."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.urls import reverse

from kundenbild.buying_center.models import (
    Acquaintance,
    BuyingCenter,
    Contact,
    ContactRelation,
)
from kundenbild.buying_center.selectors import (
    buying_center_coverage,
    contact_list,
    coverage_overview,
)
from kundenbild.buying_center.services import relation_add
from kundenbild.core.errors import ApplicationError
from kundenbild.customers.models import BusinessUnit
from tests.factories import ContactFactory, CustomerFactory

pytestmark = pytest.mark.django_db


def person_url(name: str, contact: Contact, *extra: int) -> str:
    return reverse(f"buying_center:{name}", args=[contact.customer_id, contact.pk, *extra])


def test_adding_a_person_leads_to_their_page_for_relations(client_for, users) -> None:
    customer = CustomerFactory(owner=users["kam"])
    boss = ContactFactory(customer=customer, last_name="Weber")
    client = client_for("kam")
    response = client.post(
        reverse("buying_center:buying-center", args=[customer.pk]),
        {"last_name": "Roth", "roles": ["decider", "buyer"]},
    )
    roth = Contact.objects.get(last_name="Roth")
    assert response["Location"].startswith(person_url("contact-update", roth))
    response = client.post(
        person_url("relation-add", roth),
        {"relation-direction": "out", "relation-kind": "reports_to", "relation-other": boss.pk},
    )
    assert response.status_code == 302
    relation = ContactRelation.objects.get()
    assert (relation.source, relation.kind, relation.target) == (roth, "reports_to", boss)
    # the other direction: Weber influences Roth
    client.post(
        person_url("relation-add", roth),
        {"relation-direction": "in", "relation-kind": "influences", "relation-other": boss.pk},
    )
    assert ContactRelation.objects.filter(source=boss, target=roth, kind="influences").exists()
    page = client.get(reverse("buying_center:buying-center", args=[customer.pk])).content.decode()
    assert "relationship-map-data" in page
    assert f'"source": "c{roth.pk}", "target": "c{boss.pk}", "kind": "reports_to"' in page


def test_a_reporting_circle_is_refused_with_a_clear_message(client_for, users) -> None:
    customer = CustomerFactory(owner=users["kam"])
    a, b, c = (ContactFactory(customer=customer, last_name=n) for n in ("Adler", "Bauer", "Claus"))
    relation_add(source=a, target=b, kind="reports_to")
    relation_add(source=b, target=c, kind="reports_to")
    client = client_for("kam")
    response = client.post(
        person_url("relation-add", c),
        {"relation-direction": "out", "relation-kind": "reports_to", "relation-other": a.pk},
    )
    assert response.status_code == 400
    assert "würde die Berichtslinie zu einem Kreis machen" in response.content.decode()
    assert ContactRelation.objects.count() == 2
    # informal relations may well go round in circles
    relation_add(source=c, target=a, kind="influences")


def test_relations_stay_within_one_customer_and_are_not_doubled(users) -> None:
    a = ContactFactory()
    stranger = ContactFactory()
    with pytest.raises(ApplicationError):
        relation_add(source=a, target=stranger, kind="trusts")
    with pytest.raises(ApplicationError):
        relation_add(source=a, target=a, kind="trusts")
    b = ContactFactory(customer=a.customer)
    relation_add(source=a, target=b, kind="trusts")
    with pytest.raises(ApplicationError):
        relation_add(source=a, target=b, kind="trusts")
    assert ContactRelation.objects.count() == 1


def test_how_well_we_know_someone_survives_an_edit_of_the_person(client_for, users) -> None:
    customer = CustomerFactory(owner=users["kam"])
    roth = ContactFactory(customer=customer, last_name="Roth")
    client = client_for("kam")
    client.post(
        person_url("acquaintance-set", roth),
        {"acquaintance-user": users["kam"].pk, "acquaintance-closeness": "close"},
    )
    form = client.get(person_url("contact-update", roth)).context["form"]
    data = {k: v for k, v in form.initial.items() if v is not None}
    data["known_by"] = [users["kam"].pk, users["sales"].pk]
    data["known_by"] = [u for u in data["known_by"]]
    data["roles"] = []
    data["buying_centers"] = []
    assert client.post(person_url("contact-update", roth), data).status_code == 302
    closeness = dict(Acquaintance.objects.values_list("user__username", "closeness"))
    assert closeness == {"kam": "close", "sales": "slight"}


def test_a_stale_edit_of_a_person_is_refused_and_changes_nothing(client_for, users) -> None:
    customer = CustomerFactory(owner=users["kam"])
    roth = ContactFactory(customer=customer, last_name="Roth", function="Einkauf")
    client = client_for("kam")
    first = {"last_name": "Roth", "function": "Leiter Einkauf", "version": roth.version}
    assert client.post(person_url("contact-update", roth), first).status_code == 302
    second = {"last_name": "Roth", "function": "Geschäftsführer", "version": roth.version}
    response = client.post(person_url("contact-update", roth), second)
    assert response.status_code == 400
    assert "während Sie sie bearbeitet haben" in response.content.decode()
    roth.refresh_from_db()
    assert roth.function == "Leiter Einkauf"


def test_a_buying_center_per_purchase_decision_filters_map_and_coverage(client_for, users) -> None:
    customer = CustomerFactory(owner=users["kam"])
    unit = BusinessUnit.objects.create(customer=customer, name="Logistik")
    roth = ContactFactory(customer=customer, last_name="Roth", roles=["decider"])
    ContactFactory(customer=customer, last_name="Klein", roles=["user"])
    client = client_for("kam")
    response = client.post(
        reverse("buying_center:center-create", args=[customer.pk]),
        {"center-name": "Neues Lager", "center-business_unit": unit.pk, "center-decision": "Q2"},
    )
    center = BuyingCenter.objects.get()
    assert response.status_code == 302
    assert f"center={center.pk}" in response["Location"]
    duplicate = client.post(
        reverse("buying_center:center-create", args=[customer.pk]), {"center-name": "neues lager"}
    )
    assert duplicate.status_code == 400
    center.members.add(roth)
    page = client.get(
        reverse("buying_center:buying-center", args=[customer.pk]), {"center": center.pk}
    )
    assert [c.last_name for c in page.context["contacts"]] == ["Roth"]
    assert "Anwender" in page.context["coverage"].roles_missing
    whole = client.get(reverse("buying_center:buying-center", args=[customer.pk]))
    assert "Anwender" in whole.context["coverage"].roles_filled


def test_the_coverage_list_counts_the_same_gaps_as_the_customer_page(client_for, users) -> None:
    today = date.today()
    customers = [CustomerFactory(owner=users["kam"]) for _ in range(4)]
    a, b, c, _empty = customers
    ContactFactory(customer=a, roles=["decider", "buyer"])  # unknown key person
    known_once = ContactFactory(customer=a, influence="high")
    Acquaintance.objects.create(contact=known_once, user=users["kam"])
    known_twice = ContactFactory(customer=b, roles=["decider"], last_contact_on=today)
    Acquaintance.objects.create(contact=known_twice, user=users["kam"])
    Acquaintance.objects.create(contact=known_twice, user=users["sales"])
    ContactFactory(customer=c, roles=["user"], last_contact_on=today - timedelta(days=400))
    rows = {r.pk: r for r in coverage_overview(owner=users["kam"], today=today)}
    assert set(rows) == {x.pk for x in customers}
    for customer in customers:
        expected = buying_center_coverage(list(contact_list(customer=customer)), today=today)
        row = rows[customer.pk]
        assert row.roles_filled == len(expected.roles_filled)
        assert row.unknown_key == len(expected.unknown_key_people)
        assert row.single_threaded == len(expected.single_threaded)
        assert row.stale == len(expected.stale)
    assert (rows[a.pk].unknown_key, rows[a.pk].single_threaded) == (1, 1)
    page = client_for("kam").get(reverse("buying_center:coverage"))
    assert page.status_code == 200
    assert next(iter(page.context["page"])).pk == _empty.pk  # nobody known: the largest gap first
    others = client_for("sales").get(reverse("buying_center:coverage"))
    assert not list(others.context["page"])
    assert (
        len(
            client_for("sales").get(reverse("buying_center:coverage"), {"all": "1"}).context["page"]
        )
        == 4
    )


def test_without_the_edit_right_relations_cannot_be_added(client_for, users) -> None:
    customer = CustomerFactory(owner=users["management"])
    a, b = ContactFactory(customer=customer), ContactFactory(customer=customer)
    response = client_for("service").post(
        person_url("relation-add", a),
        {"relation-direction": "out", "relation-kind": "trusts", "relation-other": b.pk},
    )
    assert response.status_code == 403
    assert not ContactRelation.objects.exists()
