"""The global search of the top bar: its suggestions, its results page, and the customers
a user opened last."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse
from hypothesis import given
from hypothesis import strategies as st

from kundenbild.chains.services import ChainData, chain_save
from kundenbild.core.text_search import case_variants
from kundenbild.customers.models import Address
from kundenbild.offerings.models import Offering, OfferingGroup
from kundenbild.profile.recent import RECENT_LIMIT, recent_customer_ids, recent_customer_remember
from kundenbild.profile.selectors import CustomerFilters, customer_list
from kundenbild.workspace.search import search_everything, search_words
from tests.factories import ContactFactory, CustomerFactory, UserFactory

pytestmark = pytest.mark.django_db

SEARCH = reverse("workspace:search")
SUGGEST = reverse("workspace:search-suggestions")


@pytest.fixture
def world(users):  # type: ignore[no-untyped-def]
    """One of each kind, all answering to "kessel", and one of each that does not."""
    boiler = CustomerFactory(name="Kesselbau Nord GmbH", number="K20001", owner=users["sales"])
    other = CustomerFactory(name="Blechwerk Süd AG", number="K20002")
    ContactFactory(customer=other, first_name="Erika", last_name="Kesselring", email="e@x.de")
    ContactFactory(customer=other, first_name="Max", last_name="Muster", email="max@kessel.de")
    ContactFactory(customer=boiler, first_name="Otto", last_name="Normal", email="o@nord.de")
    group = OfferingGroup.objects.create(name_de="Anlagen")
    offerings = {"KES-100": "Druckbehälter", "P-7": "Kesselreinigung", "P-8": "Schrauben"}
    for number, name in offerings.items():
        Offering.objects.create(number=number, name_de=name, group=group, kind="product")
    for name, customer in (("Kessel bis Kraftwerk", boiler), ("Schraube", other)):
        data = ChainData(name=name, scope="customer", customer_id=customer.pk)
        chain_save(data=data, by=users["sales"])
    return {"boiler": boiler, "other": other}


def test_the_search_finds_each_kind_by_its_fields(world, users) -> None:  # type: ignore[no-untyped-def]
    found = search_everything(user=users["service"], text="kessel", limit=25)
    assert [c.name for c in found.customers] == ["Kesselbau Nord GmbH"]
    assert [p.last_name for p in found.people] == ["Kesselring", "Muster"]  # name, e-mail
    assert [o.number for o in found.offerings] == ["P-7"]  # by name
    by_number = search_everything(user=users["kam"], text="kes-1", limit=5)
    assert [o.number for o in by_number.offerings] == ["KES-100"]
    assert [c.name for c in found.chains] == ["Kessel bis Kraftwerk"]
    assert search_everything(user=users["kam"], text="K20002", limit=5).customers == [
        world["other"]
    ]


def test_every_word_must_match_some_field_of_a_customer(world, users) -> None:  # type: ignore[no-untyped-def]
    Address.objects.filter(customer=world["other"]).update(city="Kassel")
    found = search_everything(user=users["kam"], text="blech kassel", limit=5)
    assert found.customers == [world["other"]]
    assert search_everything(user=users["kam"], text="blech hamburg", limit=5).customers == []
    assert search_everything(user=users["kam"], text="kassel", limit=5).customers == [
        world["other"]
    ]


def test_prefix_matches_come_first_and_the_limit_holds(users) -> None:  # type: ignore[no-untyped-def]
    for i in range(8):
        CustomerFactory(name=f"Alpha Werk {i}")
    werk = CustomerFactory(name="Werkzeugbau Zander")
    found = search_everything(user=users["kam"], text="werk", limit=5)
    assert found.customers[0] == werk
    assert len(found.customers) == 5


def test_names_that_begin_with_the_text_come_first_then_those_with_a_word_that_does(
    users,
) -> None:  # type: ignore[no-untyped-def]
    for name in ("Intralogistik AG", "Meyer Logistik GmbH", "Logistik Nord KG"):
        CustomerFactory(name=name)
    CustomerFactory(name="Zeta GmbH", number="LOG-1")
    found = search_everything(user=users["kam"], text="logistik", limit=5).customers
    assert [c.name for c in found] == [
        "Logistik Nord KG",
        "Meyer Logistik GmbH",
        "Intralogistik AG",
    ]
    by_number = search_everything(user=users["kam"], text="log-", limit=5).customers
    assert [c.name for c in by_number] == ["Zeta GmbH"]


def test_nobody_inactive_finds_anything(world) -> None:  # type: ignore[no-untyped-def]
    gone = UserFactory(is_active=False)
    assert search_everything(user=gone, text="kessel", limit=5).empty


def test_the_pages_need_a_login(world) -> None:  # type: ignore[no-untyped-def]
    for url in (SEARCH + "?q=kessel", SUGGEST + "?q=kessel"):
        response = Client().get(url)
        assert response.status_code == 302
        assert "/accounts/login/" in response["Location"]
        assert "Kesselbau" not in response.content.decode()


@pytest.mark.parametrize("role", ["kam", "service", "controller"])
def test_every_role_finds_what_its_lists_show_and_no_finance(world, client_for, role: str) -> None:  # type: ignore[no-untyped-def]
    html = client_for(role).get(SEARCH, {"q": "kessel"}).content.decode()
    for text in ("Kesselbau Nord GmbH", "Kesselring", "Kesselreinigung", "Kessel bis Kraftwerk"):
        assert text in html
    assert "€" not in html


def test_the_results_page_works_without_javascript_in_german_and_english(
    world, users, client_for
) -> None:  # type: ignore[no-untyped-def]
    client = client_for("kam")
    html = client.get(SEARCH, {"q": "kessel"}).content.decode()
    assert '<form class="row g-2 mb-4" method="get" action="/search/"' in html
    assert reverse("profile:customer-detail", args=[world["boiler"].pk]) in html
    assert "Personen" in html
    assert "Ketten" in html
    nothing = client.get(SEARCH, {"q": "zzzz"}).content.decode()
    assert nothing.count("Nichts gefunden für „zzzz“.") == 1
    users["kam"].language = "en"
    users["kam"].save()
    html = client.get(SEARCH, {"q": "zzzz"}).content.decode()
    assert "Nothing found for “zzzz”." in html


def test_the_suggestions_list_options_and_a_link_to_all_results(world, client_for) -> None:  # type: ignore[no-untyped-def]
    html = client_for("kam").get(SUGGEST, {"q": "kessel"}, HTTP_HX_REQUEST="true").content.decode()
    assert html.count('role="option"') == 6  # a customer, two people, an offering, a chain, "all"
    assert 'href="/search/?q=kessel"' in html
    assert "<html" not in html


def test_names_are_escaped_in_suggestions_and_results(client_for) -> None:  # type: ignore[no-untyped-def]
    CustomerFactory(name='<img src=x onerror="alert(1)"> Kessel')
    ContactFactory(last_name="<script>alert(2)</script>Kessel")
    client = client_for("kam")
    for url in (SEARCH, SUGGEST):
        html = client.get(url, {"q": "<script>kessel"}).content.decode()
        html += client.get(url, {"q": "kessel"}).content.decode()
        assert "<img src=x" not in html
        assert "<script>alert" not in html
        assert "&lt;img src=x" in html


@given(st.text(max_size=300))
def test_search_words_are_few_short_and_never_blank(text: str) -> None:
    words = search_words(text)
    assert len(words) <= 5
    assert all(word and not word.isspace() and len(word) <= 100 for word in words)
    assert len({w.casefold() for w in words}) == len(words)


def test_recently_viewed_keeps_the_last_eight_newest_first(client_for) -> None:  # type: ignore[no-untyped-def]
    customers = [CustomerFactory(name=f"Besucht {i}") for i in range(10)]
    client = client_for("kam")
    for customer in [*customers, customers[3]]:
        client.get(reverse("profile:customer-detail", args=[customer.pk]))
    html = client.get(SUGGEST, {"q": ""}).content.decode()
    shown = [c.name for c in customers if f">{c.name}<" in html]
    assert len(shown) == RECENT_LIMIT
    order = sorted(shown, key=lambda name: html.index(f">{name}<"))
    assert order == [f"Besucht {i}" for i in (3, 9, 8, 7, 6, 5, 4, 2)]
    page = client.get(SEARCH).content.decode()
    assert page.index(">Besucht 3<") < page.index(">Besucht 9<")
    assert ">Besucht 0<" not in page


def test_recently_viewed_is_per_session_and_forgets_deleted_customers(client_for) -> None:  # type: ignore[no-untyped-def]
    kept, removed = CustomerFactory(name="Bleibt"), CustomerFactory(name="Geht")
    client = client_for("kam")
    for customer in (kept, removed):
        client.get(reverse("profile:customer-detail", args=[customer.pk]))
    removed.delete()
    html = client.get(SEARCH).content.decode()
    assert ">Bleibt<" in html
    assert ">Geht<" not in html
    assert ">Bleibt<" not in client_for("sales").get(SEARCH).content.decode()


def test_a_tampered_session_value_counts_as_nothing() -> None:
    session: dict[str, object] = {"kundenbild.recent_customers": "1,2"}
    assert recent_customer_ids(session) == []
    session["kundenbild.recent_customers"] = [5, True, "x", 6]
    assert recent_customer_ids(session) == [5, 6]
    recent_customer_remember(session, 6)
    assert session["kundenbild.recent_customers"] == [6, 5]


@pytest.mark.parametrize("typed", ["ölmühle", "ÖLMÜHLE", "Ölmühle", "überlingen", "ÜBERLINGEN"])
def test_case_never_hides_a_name_or_city_with_umlauts(users, typed: str) -> None:  # type: ignore[no-untyped-def]
    """SQLite's LIKE ignores the case of ASCII letters only: "ölmühle" used to miss "Müller
    Ölmühle GmbH" there (PostgreSQL found it). The same on the customer list."""
    mill = CustomerFactory(name="Müller Ölmühle GmbH", number="K30001")
    Address.objects.filter(customer=mill).update(city="Überlingen")
    CustomerFactory(name="Olmo Metall GmbH", number="K30002")  # no umlaut: not found
    assert search_everything(user=users["kam"], text=typed, limit=5).customers == [mill]
    listed = customer_list(user=users["kam"], filters=CustomerFilters(search=typed))
    assert list(listed) == [mill]


def test_case_never_hides_a_person_with_umlauts(users) -> None:  # type: ignore[no-untyped-def]
    person = ContactFactory(first_name="Ümit", last_name="Özdemir")
    ContactFactory(first_name="Uwe", last_name="Ozean")
    for typed in ("özdemir", "ÖZDEMIR", "ümit özdemir"):
        assert search_everything(user=users["kam"], text=typed, limit=5).people == [person]


@given(st.text(alphabet="abcmsäöüßÄÖÜAMS-. 0123456789", max_size=12))
def test_case_variants_keep_the_word_and_differ_only_in_case(word: str) -> None:
    variants = case_variants(word)
    assert variants[0] == word
    assert len(set(variants)) == len(variants)
    assert {v.casefold() for v in variants} == {word.casefold()}
    assert (len(variants) == 1) == word.isascii()
