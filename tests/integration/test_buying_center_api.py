"""The buying center through the REST API: same rules, same permissions as the pages."""

from __future__ import annotations

import pytest

from kundenbild.buying_center.models import BuyingCenter, Contact, ContactRelation
from tests.factories import ContactFactory, CustomerFactory

pytestmark = pytest.mark.django_db
JSON = "application/json"


def test_people_relations_and_acquaintances_round_trip(api_client_for, users) -> None:
    customer = CustomerFactory(owner=users["kam"])
    boss = ContactFactory(customer=customer, last_name="Weber")
    client = api_client_for("kam")
    created = client.post(
        f"/api/customers/{customer.pk}/contacts",
        {
            "last_name": "Roth",
            "roles": ["decider", "buyer"],
            "influence": "high",
            "attitude": "champion",
            "known_by": ["kam"],
        },
        content_type=JSON,
    )
    assert created.status_code == 201, created.content
    roth = created.json()
    assert sorted(roth["roles"]) == ["buyer", "decider"]
    assert roth["known_by"] == [{"username": "kam", "closeness": "slight"}]

    closer = client.put(
        f"/api/contacts/{roth['id']}/known-by/kam", {"closeness": "close"}, content_type=JSON
    )
    assert closer.json() == {"username": "kam", "closeness": "close"}

    relation = client.post(
        f"/api/contacts/{roth['id']}/relations",
        {"target_id": boss.pk, "kind": "reports_to"},
        content_type=JSON,
    )
    assert relation.status_code == 201
    circle = client.post(
        f"/api/contacts/{boss.pk}/relations",
        {"target_id": roth["id"], "kind": "reports_to"},
        content_type=JSON,
    )
    assert circle.status_code == 400
    assert circle.json()["code"] == "cycle"
    assert ContactRelation.objects.count() == 1
    listed = client.get(f"/api/customers/{customer.pk}/relations").json()
    assert [(r["source_id"], r["kind"], r["target_id"]) for r in listed] == [
        (roth["id"], "reports_to", boss.pk)
    ]
    coverage = client.get(f"/api/customers/{customer.pk}/coverage").json()
    assert coverage["single_threaded"] == [roth["id"]]


def test_a_stale_api_update_is_refused_with_409(api_client_for, users) -> None:
    roth = ContactFactory(customer=CustomerFactory(owner=users["kam"]), last_name="Roth")
    client = api_client_for("kam")
    body = {"last_name": "Roth", "function": "Einkauf", "version": roth.version}
    assert client.put(f"/api/contacts/{roth.pk}", body, content_type=JSON).status_code == 200
    stale = client.put(f"/api/contacts/{roth.pk}", {**body, "function": "GF"}, content_type=JSON)
    assert stale.status_code == 409
    roth.refresh_from_db()
    assert roth.function == "Einkauf"


def test_readers_may_read_but_not_write(api_client_for, users) -> None:
    customer = CustomerFactory(owner=users["management"])
    person = ContactFactory(customer=customer)
    client = api_client_for("service")
    assert client.get(f"/api/customers/{customer.pk}/contacts").status_code == 200
    assert client.get(f"/api/contacts/{person.pk}").status_code == 200
    denied = client.post(
        f"/api/customers/{customer.pk}/contacts", {"last_name": "X"}, content_type=JSON
    )
    assert denied.status_code == 403
    assert client.delete(f"/api/contacts/{person.pk}").status_code == 403
    assert Contact.objects.count() == 1


def test_buying_centers_through_the_api(api_client_for, users) -> None:
    customer = CustomerFactory(owner=users["kam"])
    person = ContactFactory(customer=customer, last_name="Roth")
    client = api_client_for("kam")
    center = client.post(
        f"/api/customers/{customer.pk}/buying-centers",
        {"name": "Rahmenvertrag 2027", "decision": "Ausschreibung C-Teile"},
        content_type=JSON,
    ).json()
    body = {"last_name": "Roth", "buying_center_ids": [center["id"]]}
    assert client.put(f"/api/contacts/{person.pk}", body, content_type=JSON).status_code == 200
    listed = client.get(f"/api/customers/{customer.pk}/buying-centers").json()
    assert listed[0]["member_ids"] == [person.pk]
    assert client.delete(f"/api/buying-centers/{center['id']}").status_code == 204
    assert Contact.objects.filter(pk=person.pk).exists()


def test_salutation_title_and_mobile_round_trip_through_the_api(api_client_for, users) -> None:
    customer = CustomerFactory(owner=users["kam"])
    client = api_client_for("kam")
    body = {"salutation": "mr", "title": "Prof. Dr.", "last_name": "Weber", "mobile": "0171 1"}
    created = client.post(f"/api/customers/{customer.pk}/contacts", body, content_type=JSON)
    assert created.status_code == 201, created.content
    weber = created.json()
    assert (weber["salutation"], weber["title"], weber["mobile"]) == ("mr", "Prof. Dr.", "0171 1")
    unsaid = client.put(
        f"/api/contacts/{weber['id']}",
        {"last_name": "Weber", "version": weber["version"]},
        content_type=JSON,
    )
    assert unsaid.json()["salutation"] is None
    wrong = {"salutation": "sir", "last_name": "Weber"}
    refused = client.post(f"/api/customers/{customer.pk}/contacts", wrong, content_type=JSON)
    assert refused.status_code == 422


def test_joining_and_leaving_a_buying_center_is_in_the_buying_centers_history(
    api_client_for, users
) -> None:
    customer = CustomerFactory(owner=users["kam"])
    person = ContactFactory(customer=customer, last_name="Roth")
    center = BuyingCenter.objects.create(customer=customer, name="Rahmenvertrag 2027")
    client = api_client_for("kam")
    for wanted in ([center.pk], []):
        body = {"last_name": "Roth", "buying_center_ids": wanted}
        assert client.put(f"/api/contacts/{person.pk}", body, content_type=JSON).status_code == 200
    members = [
        sorted(m.contact_id for m in record.members.all())  # type: ignore[attr-defined]
        for record in center.history.order_by("history_id")  # type: ignore[attr-defined]
    ]
    assert members == [[], [person.pk], []]
