"""Probable duplicates: the same VAT ID, or a similar name at the same postal code."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from kundenbild.imports.master.duplicates import Party, find_duplicates, name_key


def test_a_name_is_compared_without_legal_form_case_umlauts_and_punctuation() -> None:
    assert name_key("Müller Maschinenbau GmbH") == name_key("MUELLER Maschinenbau")
    assert name_key("Brenner Antriebe G.m.b.H.") == name_key("Brenner Antriebe GmbH")
    assert name_key("Huber e.K.") == "huber"


def test_same_vat_id_and_similar_names_at_one_postal_code_are_flagged() -> None:
    file = [
        Party("1", "Kessler Hydraulik GmbH", "DE111111111", "70173", row=2),
        Party("2", "Keßler Hydraulik GmbH", "", "70173", row=3),
        Party("3", "Kessler Hydraulik GmbH", "", "80335", row=4),  # elsewhere
    ]
    stored = [Party("9", "Alpha AG", "DE111111111", "10115")]
    found = {(d.number, d.other_number, d.reason) for d in find_duplicates(file, stored)}
    assert found == {("1", "9", "vat_id"), ("2", "1", "name_postal_code")}


def test_two_stored_customers_alone_are_not_the_files_business() -> None:
    stored = [Party("8", "Alpha AG", "DE1", "1"), Party("9", "Alpha AG", "DE1", "1")]
    assert find_duplicates([], stored) == []


@given(st.lists(st.text(alphabet="abcäöüß GmbH.", min_size=1, max_size=20), max_size=12))
def test_every_flag_names_a_file_row_and_two_different_numbers(names: list[str]) -> None:
    file = [Party(str(i), n, "", "12345", row=i + 2) for i, n in enumerate(names)]
    for duplicate in find_duplicates(file, []):
        assert duplicate.number != duplicate.other_number
        assert duplicate.other_row is not None
        assert duplicate.row > duplicate.other_row


def test_names_alike_in_their_trade_but_not_in_their_name_are_no_duplicates() -> None:
    file = [
        Party("1", "Lehmann Handelsgesellschaft GmbH", "", "70173", row=2),
        Party("2", "Hartmann Handelsgesellschaft OHG", "", "70173", row=3),
        Party("3", "Schmitt Handelsgesellschaft GmbH", "", "70173", row=4),
        Party("4", "Schmidt Handelsgesellschaft KG", "", "70173", row=5),
    ]
    found = {(d.number, d.other_number) for d in find_duplicates(file, [])}
    assert found == {("4", "3")}
