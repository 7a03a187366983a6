"""Customer pages: list, profile, form; German by default, English per user."""

from __future__ import annotations

import pytest
from django.urls import reverse

from kundenbild.customers.models import Customer
from tests.factories import CustomerFactory, SalesLineFactory

pytestmark = pytest.mark.django_db


def test_list_searches_filters_sorts_and_pages(client_for, users) -> None:
    for i in range(30):
        CustomerFactory(name=f"Beta {i:02d} GmbH", number=f"B{i:02d}", legal_form="GmbH")
    CustomerFactory(name="Gamma AG", number="G1", legal_form="AG", owner=users["kam"])
    client = client_for("kam")
    url = reverse("profile:customer-list")
    first = client.get(url, {"owner": ""}).content.decode()  # all, not only the kam's own
    assert "31 Kunden" in first
    assert "Seite 1 von 2" in first
    assert "Gamma AG" in client.get(url, {"q": "gamma"}).content.decode()
    assert "Beta 00" not in client.get(url, {"q": "gamma"}).content.decode()
    by_form = client.get(url, {"legal_form": "AG"}).content.decode()
    assert "Gamma AG" in by_form
    assert "1 Kunde" in by_form
    by_owner = client.get(url, {"owner": users["kam"].pk}).content.decode()
    assert "Gamma AG" in by_owner
    assert "Beta 01" not in by_owner
    desc = client.get(url, {"sort": "-number", "owner": ""}).content.decode()
    assert desc.index("Gamma AG") < desc.index("Beta 29")


def test_htmx_requests_get_only_the_table(client_for) -> None:
    CustomerFactory(name="Delta KG")
    response = client_for("sales").get(reverse("profile:customer-list"), HTTP_HX_REQUEST="true")
    html = response.content.decode()
    assert "Delta KG" in html
    assert "<html" not in html


def test_garbage_query_parameters_do_not_break_the_list(client_for) -> None:
    response = client_for("kam").get(
        reverse("profile:customer-list"),
        {"owner": "x", "page": "-5", "sort": "drop", "size": "?"},
    )
    assert response.status_code == 200


def test_profile_shows_all_sections_with_honest_empty_states(client_for, customer) -> None:
    html = (
        client_for("kam")
        .get(reverse("profile:customer-detail", args=[customer.pk]))
        .content.decode()
    )
    for heading in (
        "Unternehmen",
        "Buying Center",
        "Faszination",
        "Bedürfnisse und Potenzial",
        "Finanzen",
        "Kundenwert",
        "Aktivitäten",
    ):
        assert heading in html
    assert "Es wurden noch keine Personen" in html
    assert "Für diesen Kunden wurden noch keine Umsatzzeilen importiert." in html


def test_money_and_dates_follow_the_users_language(client_for, users) -> None:
    line = SalesLineFactory(net_revenue=1234567.89, cost_of_goods=234567.89, discount=0, freight=0)
    url = reverse("profile:customer-detail", args=[line.customer.pk])
    german = client_for("controller").get(url).content.decode()
    assert "1.234.568\u00a0€" in german
    users["controller"].language = "en"
    users["controller"].save()
    english = client_for("controller").get(url).content.decode()
    assert "€1,234,568" in english
    assert "Customer value" in english
    assert "Contribution margin I" in english


def test_language_switch_is_saved_on_the_account(client_for, users) -> None:
    client = client_for("service")
    client.post(reverse("accounts:language-switch"), {"language": "en", "next": "/customers/"})
    users["service"].refresh_from_db()
    assert users["service"].language == "en"
    assert "Customers" in client.get(reverse("profile:customer-list")).content.decode()


def test_language_switch_refuses_foreign_redirects(client) -> None:
    response = client.post(
        reverse("accounts:language-switch"), {"language": "en", "next": "https://evil.example/"}
    )
    assert response["Location"] == "/"


def test_creating_a_customer_through_the_form(client_for, users) -> None:
    response = client_for("kam").post(
        reverse("customers:customer-create"),
        {
            "number": "K-1",
            "name": "Musterbau GmbH",
            "legal_form": "GmbH",
            "industries": ["41"],
            "employees": "12",
            "vat_id": "DE 136 695 976",
            "hq_street": "Hauptstr. 1",
            "hq_postal_code": "10115",
            "hq_city": "Berlin",
            "hq_country": "de",
        },
    )
    assert response.status_code == 302
    customer = Customer.objects.get(number="K-1")
    assert customer.owner == users["kam"]
    assert customer.vat_id == "DE136695976"
    assert customer.size_class == "small"
    assert customer.headquarters is not None
    assert customer.headquarters.country == "DE"
    assert customer.history.filter(history_type="+").count() == 1


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("vat_id", "DE123", "ist keine gültige Umsatzsteuer-Identifikationsnummer"),
        ("hq_postal_code", "1234", "ist keine deutsche Postleitzahl"),
        ("register_number", "Nr. 5", "ist keine gültige Registernummer"),
        ("parent_number", "GIBTSNICHT", "Es gibt keinen Kunden mit der Nummer GIBTSNICHT"),
        ("employees", "viele", "ganze Zahl"),
    ],
)
def test_malformed_form_input_is_explained_in_german_and_saves_nothing(
    client_for, field: str, value: str, message: str
) -> None:
    data = {
        "number": "K-2",
        "name": "Fehler GmbH",
        "hq_street": "Weg 1",
        "hq_postal_code": "10115",
        "hq_city": "Berlin",
        "hq_country": "DE",
        "register_court": "Amtsgericht Berlin",
    }
    data[field] = value
    response = client_for("kam").post(reverse("customers:customer-create"), data)
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not Customer.objects.filter(number="K-2").exists()


def test_a_stale_edit_is_refused_and_the_other_change_kept(client_for, users) -> None:
    customer = CustomerFactory(owner=users["kam"], name="Original GmbH")
    url = reverse("customers:customer-update", args=[customer.pk])
    client = client_for("kam")
    base = {
        "number": customer.number,
        "hq_street": "Weg 1",
        "hq_postal_code": "10115",
        "hq_city": "Berlin",
        "hq_country": "DE",
        "version": customer.version,
        "owner": users["kam"].pk,
    }
    assert client.post(url, {**base, "name": "Erste Änderung GmbH"}).status_code == 302
    stale = client.post(url, {**base, "name": "Zweite Änderung GmbH"})
    assert stale.status_code == 409
    assert "hat diesen Kunden geändert" in stale.content.decode()
    customer.refresh_from_db()
    assert customer.name == "Erste Änderung GmbH"


def test_history_lists_changes(client_for, users) -> None:
    customer = CustomerFactory(owner=users["kam"], name="Alt GmbH")
    client = client_for("kam")
    client.post(
        reverse("customers:customer-update", args=[customer.pk]),
        {"number": customer.number, "name": "Neu GmbH", "version": customer.version},
    )
    html = client.get(reverse("profile:customer-history", args=[customer.pk])).content.decode()
    assert "Alt GmbH" in html
    assert "Neu GmbH" in html


def test_group_tree_is_shown_for_group_members(client_for) -> None:
    root = CustomerFactory(name="Holding SE")
    child = CustomerFactory(name="Tochter GmbH", parent=root)
    CustomerFactory(name="Enkel GmbH", parent=child)
    html = (
        client_for("service")
        .get(reverse("profile:customer-detail", args=[child.pk]))
        .content.decode()
    )
    tree = html[html.index('data-testid="group-tree"') :]
    assert tree.index("Holding SE") < tree.index("Tochter GmbH") < tree.index("Enkel GmbH")


def test_all_problems_of_a_form_are_reported_at_once(client_for) -> None:
    response = client_for("kam").post(
        reverse("customers:customer-create"),
        {
            "number": "K-3",
            "name": "Zwei Fehler GmbH",
            "vat_id": "DE12",
            "hq_street": "Weg 1",
            "hq_postal_code": "123",
            "hq_city": "Berlin",
            "hq_country": "DE",
        },
    )
    html = response.content.decode()
    assert response.status_code == 400
    assert "ist keine gültige Umsatzsteuer-Identifikationsnummer" in html
    assert "ist keine deutsche Postleitzahl" in html
    assert html.count("is-invalid") >= 2
    assert not Customer.objects.filter(number="K-3").exists()
