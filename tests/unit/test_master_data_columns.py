"""The headers of a debtor export, a people export and an article list are found by their
German and English names (issue 20)."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from kundenbild.analytics.io.columns import normalise_header
from kundenbild.imports.master.kinds import CUSTOMERS, KINDS, OFFERINGS, PEOPLE, Kind, guess_mapping

GERMAN_DEBTORS = [
    "Debitor", "Name 1", "Name 2", "Name 3", "Straße", "Hausnummer", "PLZ", "Ort", "Land",
    "USt-IdNr.", "Handelsregister", "Registergericht", "Branche/WZ", "Mitarbeiter",
    "Konzern/Mutter", "Betreuer", "Kundengruppe", "Lieferstraße", "Liefer-PLZ", "Lieferort",
    "Rechnungsstraße", "Rechnungs-PLZ", "Rechnungsort",
]  # fmt: skip
ENGLISH_ACCOUNTS = [
    "Customer No", "Company Name", "Street", "Postal Code", "City", "Country", "VAT ID",
    "Industry", "Employees", "Parent", "Owner", "Website",
]  # fmt: skip


@pytest.mark.parametrize("kind", KINDS.values(), ids=lambda kind: kind.name)
def test_within_a_kind_a_header_names_one_field(kind: Kind) -> None:
    seen: dict[str, str] = {}
    for field, headers in kind.known_headers.items():
        for header in headers:
            assert header == normalise_header(header), f"{header!r} is not normalised"
            assert seen.setdefault(header, field) == field, f"{header!r}: {seen[header]}, {field}"


@pytest.mark.parametrize("kind", KINDS.values(), ids=lambda kind: kind.name)
def test_the_required_fields_are_fields_of_the_kind(kind: Kind) -> None:
    assert set(kind.required) <= set(kind.fields)


def test_a_german_debtor_export_maps_every_column() -> None:
    mapping = guess_mapping(CUSTOMERS, GERMAN_DEBTORS)
    assert mapping.missing_required() == []
    assert sorted(mapping.columns.values()) == sorted(GERMAN_DEBTORS)
    assert mapping.columns["number"] == "Debitor"
    assert mapping.columns["parent_number"] == "Konzern/Mutter"
    assert mapping.columns["industry"] == "Branche/WZ"
    assert mapping.columns["delivery_postal_code"] == "Liefer-PLZ"
    assert mapping.columns["billing_street"] == "Rechnungsstraße"


def test_an_english_account_export_maps_every_column() -> None:
    mapping = guess_mapping(CUSTOMERS, ENGLISH_ACCOUNTS)
    assert mapping.missing_required() == []
    assert sorted(mapping.columns.values()) == sorted(ENGLISH_ACCOUNTS)


def test_people_and_articles_map_their_usual_headers() -> None:
    people = guess_mapping(
        PEOPLE, ["Kundennummer", "Anrede", "Titel", "Vorname", "Nachname", "E-Mail", "Mobil"]
    )
    assert people.missing_required() == []
    assert people.columns["email"] == "E-Mail"
    articles = guess_mapping(OFFERINGS, ["Artikelnummer", "Bezeichnung", "Warengruppe", "ME"])
    assert articles.columns == {
        "number": "Artikelnummer",
        "name": "Bezeichnung",
        "group": "Warengruppe",
        "unit": "ME",
    }


def test_a_saved_mapping_wins_and_a_header_serves_one_field() -> None:
    mapping = guess_mapping(CUSTOMERS, ["Nr", "Firma", "Kurzname"], saved={"name": "Kurzname"})
    assert mapping.columns == {"number": "Nr", "name": "Kurzname"}
    twice = guess_mapping(CUSTOMERS, ["Kundennummer", "Debitor", "Firma"])
    assert twice.columns["number"] == "Kundennummer"
    assert "Debitor" not in twice.columns.values()


def test_a_file_without_a_name_says_what_is_missing() -> None:
    assert guess_mapping(CUSTOMERS, ["Debitor", "Ort"]).missing_required() == ["name"]


@given(
    st.sampled_from(GERMAN_DEBTORS),
    st.sampled_from([str.upper, str.lower, str.title, lambda s: s]),
    st.sampled_from(["", " ", "  "]),
)
def test_case_and_surrounding_space_do_not_change_the_field(header, case, space) -> None:  # type: ignore[no-untyped-def]
    assert CUSTOMERS.field_of(space + case(header) + space) == CUSTOMERS.field_of(header)


def test_a_field_the_user_left_out_is_not_guessed_again() -> None:
    from kundenbild.imports.master.kinds import CUSTOMERS, guess_mapping

    headers = ["Debitor", "Name 1", "Betreuer"]
    assert "owner" in guess_mapping(CUSTOMERS, headers).columns
    left_out = guess_mapping(CUSTOMERS, headers, {"owner": ""})
    assert "owner" not in left_out.columns
    assert left_out.columns["number"] == "Debitor"
