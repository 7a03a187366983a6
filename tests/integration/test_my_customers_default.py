"""The customer list starts with "my customers" for those who own customers, as the
coverage list does; a switch shows all, and an address with a filter keeps its meaning."""

from __future__ import annotations

import pytest
from django.urls import reverse

from tests.factories import CustomerFactory

pytestmark = pytest.mark.django_db

LIST = reverse("profile:customer-list")


@pytest.fixture
def book(users):  # type: ignore[no-untyped-def]
    CustomerFactory(name="Eigene Kunde GmbH", owner=users["kam"])
    CustomerFactory(name="Fremde Kunde GmbH", owner=users["sales"])
    CustomerFactory(name="Niemandes Kunde GmbH")


EVERYONE = {"Eigene", "Fremde", "Niemandes"}


def _names(html: str) -> set[str]:
    return {n for n in ("Eigene", "Fremde", "Niemandes") if f">{n} Kunde GmbH<" in html}


def test_a_key_account_manager_starts_with_own_customers(book, client_for) -> None:  # type: ignore[no-untyped-def]
    html = client_for("kam").get(LIST).content.decode()
    assert _names(html) == {"Eigene"}
    assert 'data-testid="owner-switch"' in html
    assert "Meine Kunden" in html
    assert "Alle Kunden" in html


@pytest.mark.parametrize("role", ["management", "service", "controller", "admin"])
def test_who_owns_no_customer_starts_with_all(book, client_for, role: str) -> None:  # type: ignore[no-untyped-def]
    html = client_for(role).get(LIST).content.decode()
    assert _names(html) == EVERYONE
    assert 'data-testid="owner-switch"' not in html


def test_the_switch_shows_all_and_back(book, client_for, users) -> None:  # type: ignore[no-untyped-def]
    client = client_for("kam")
    assert _names(client.get(LIST, {"owner": ""}).content.decode()) == EVERYONE
    mine = client.get(LIST, {"owner": str(users["kam"].pk), "q": "kunde"}).content.decode()
    assert _names(mine) == {"Eigene"}
    assert "?owner=&amp;q=kunde" in mine  # "all customers" keeps the search


def test_a_bookmark_with_a_filter_keeps_meaning_all_customers(book, client_for, users) -> None:  # type: ignore[no-untyped-def]
    client = client_for("kam")
    assert _names(client.get(LIST, {"q": "kunde"}).content.decode()) == EVERYONE
    bookmark = client.get(LIST, {"owner": str(users["sales"].pk)}).content.decode()
    assert _names(bookmark) == {"Fremde"}


def test_sorting_and_paging_keep_the_default(book, client_for) -> None:  # type: ignore[no-untyped-def]
    client = client_for("kam")
    assert _names(client.get(LIST, {"sort": "-name", "page": "1"}).content.decode()) == {"Eigene"}


def test_the_excel_download_of_the_default_list_holds_own_customers(book, client_for) -> None:  # type: ignore[no-untyped-def]
    from io import BytesIO

    from openpyxl import load_workbook

    response = client_for("kam").get(reverse("profile:customer-list-download"))
    sheet = load_workbook(BytesIO(response.content)).active
    assert sheet is not None
    names = {row[1] for row in sheet.iter_rows(min_row=2, values_only=True)}
    assert names == {"Eigene Kunde GmbH"}
