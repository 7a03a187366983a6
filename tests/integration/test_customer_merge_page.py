"""The "Merge into…" page: who may use it, the preview of what moves, the merge."""

from __future__ import annotations

import pytest
from django.urls import reverse

from kundenbild.customers.models import Customer, CustomerMerge
from tests.factories import ContactFactory, CustomerFactory, SalesLineFactory

pytestmark = pytest.mark.django_db


def _url(customer: Customer) -> str:
    return reverse("customers:customer-merge", args=[customer.pk])


@pytest.mark.parametrize("role", ["service", "controller", "sales"])
def test_without_the_right_to_edit_the_duplicate_the_page_is_forbidden(
    client_for, users, role: str
) -> None:
    survivor = CustomerFactory(owner=users["management"])
    duplicate = CustomerFactory(owner=users["management"], headquarters="Augsburg")
    client = client_for(role)
    assert client.get(_url(duplicate)).status_code == 403
    assert client.get(_url(duplicate), {"survivor": survivor.number}).status_code == 403
    assert client.post(_url(duplicate), {"survivor": survivor.number}).status_code == 403
    assert Customer.objects.filter(pk=duplicate.pk).exists()
    detail = client.get(reverse("profile:customer-detail", args=[duplicate.pk]))
    assert 'data-testid="merge-link"' not in detail.content.decode()


def test_merging_into_a_customer_the_user_may_not_edit_is_forbidden(client_for, users) -> None:
    survivor = CustomerFactory(name="Fremd GmbH", owner=users["management"])
    duplicate = CustomerFactory(owner=users["kam"], headquarters="Augsburg")
    client = client_for("kam")
    preview = client.get(_url(duplicate), {"survivor": survivor.number})
    assert preview.status_code == 403
    assert "Sie dürfen Fremd GmbH nicht bearbeiten" in preview.content.decode()
    assert 'data-testid="merge-confirm-form"' not in preview.content.decode()
    assert client.post(_url(duplicate), {"survivor": survivor.number}).status_code == 403
    assert Customer.objects.filter(pk=duplicate.pk).exists()
    assert not CustomerMerge.objects.exists()


def test_the_page_shows_what_moves_and_the_confirmation_merges(client_for, users) -> None:
    survivor = CustomerFactory(name="Bleibt GmbH", owner=users["kam"])
    duplicate = CustomerFactory(name="Doppelt GmbH", owner=users["kam"], headquarters="Ulm")
    ContactFactory(customer=duplicate)
    ContactFactory(customer=duplicate)
    SalesLineFactory(customer=duplicate)
    client = client_for("kam")
    detail = client.get(reverse("profile:customer-detail", args=[duplicate.pk])).content.decode()
    assert _url(duplicate) in detail

    empty = client.get(_url(duplicate))
    assert empty.status_code == 200
    assert 'data-testid="merge-preview"' not in empty.content.decode()
    shown = client.get(_url(duplicate), {"survivor": f" {survivor.number} "})
    page = shown.content.decode()
    assert shown.status_code == 200
    assert "Von Doppelt GmbH zu Bleibt GmbH" in page
    assert 'Ansprechpartner</span><span class="badge text-bg-light border">2<' in page
    assert 'Umsatzzeilen</span><span class="badge text-bg-light border">1<' in page
    assert Customer.objects.filter(pk=duplicate.pk).exists()  # showing changes nothing

    merged = client.post(_url(duplicate), {"survivor": survivor.number}, follow=True)
    assert merged.redirect_chain == [(reverse("profile:customer-detail", args=[survivor.pk]), 302)]
    assert (
        f"Doppelt GmbH ({duplicate.number}) wurde mit diesem Kunden zusammengeführt."
        in merged.content.decode()
    )
    assert not Customer.objects.filter(pk=duplicate.pk).exists()
    assert survivor.contacts.count() == 2
    assert CustomerMerge.objects.get().merged_by == users["kam"]


def test_an_unknown_number_and_the_customer_itself_are_refused_with_a_message(
    client_for, users
) -> None:
    customer = CustomerFactory(owner=users["kam"])
    client = client_for("kam")
    unknown = client.get(_url(customer), {"survivor": "K-404"})
    assert unknown.status_code == 400
    assert "Es gibt keinen Kunden mit der Nummer K-404." in unknown.content.decode()
    itself = client.post(_url(customer), {"survivor": customer.number})
    assert itself.status_code == 400
    assert "nicht mit sich selbst zusammengeführt" in itself.content.decode()
    assert Customer.objects.filter(pk=customer.pk).exists()


def test_the_page_speaks_english_to_an_english_user(client_for, users) -> None:
    users["kam"].language = "en"
    users["kam"].save()
    survivor = CustomerFactory(owner=users["kam"])
    duplicate = CustomerFactory(owner=users["kam"], headquarters="Ulm")
    page = client_for("kam").get(_url(duplicate), {"survivor": survivor.number})
    html = page.content.decode()
    assert "Merge into another customer" in html
    assert "Addresses</span>" in html


def test_the_survivors_changes_name_the_merge_and_its_reason(client_for, users) -> None:
    survivor = CustomerFactory(owner=users["kam"])
    duplicate = CustomerFactory(name="Doppelt GmbH", owner=users["sales"], headquarters="Ulm")
    ContactFactory(customer=duplicate)
    client_for("management").post(_url(duplicate), {"survivor": survivor.number})
    history = reverse("profile:customer-history", args=[survivor.pk])
    page = client_for("kam").get(history).content.decode()
    assert f"Mit diesem Kunden zusammengeführt: Doppelt GmbH ({duplicate.number})" in page
    assert "2 Datensätze hierher übernommen." in page  # the person and the address
    assert (
        f"Geändert durch die Zusammenführung von Doppelt GmbH ({duplicate.number}) mit "
        f"{survivor.number}." in page  # the account team gained the duplicate's manager
    )
