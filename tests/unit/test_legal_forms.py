"""The legal form read from a company's name, as a debtor export without a column for it
gives it (issue 20)."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from kundenbild.customers.models import LegalForm
from kundenbild.legal_forms import legal_form_from_name

CASES = [
    ("Müller Maschinenbau GmbH", "GmbH"),
    ("Brenner Antriebe G.m.b.H.", "GmbH"),
    ("Bauer Verwaltungs-gGmbH", "GmbH"),
    ("Gesellschaft mit beschränkter Haftung Müller", "GmbH"),
    ("Schmidt GmbH & Co. KG", "GmbH & Co. KG"),
    ("Schmidt GmbH & Co KG", "GmbH & Co. KG"),
    ("Weber GmbH u. Co. KG", "GmbH & Co. KG"),
    ("Weber Beteiligungs mbH + Co. KG", "GmbH & Co. KG"),
    ("Hansa AG & Co. KG", "KG"),
    ("Start UG (haftungsbeschraenkt) & Co. KG", "KG"),
    ("Henkel AG & Co. KGaA", "KGaA"),
    ("Merck KGaA", "KGaA"),
    ("Start UG (haftungsbeschränkt)", "UG (haftungsbeschränkt)"),
    ("Siemens AG", "AG"),
    ("Allianz SE", "SE"),
    ("Huber oHG", "OHG"),
    ("Brandt KG", "KG"),
    ("Bäckerei Kuhn e.K.", "e.K."),
    ("Kuhn e. Kfm.", "e.K."),
    ("Praxis Dr. Lang GbR", "GbR"),
    ("Volksbank Mittelhessen eG", "eG"),
    ("Tennisclub Blau-Weiß e.V.", "e.V."),
    # the last company form named is the company's
    ("Maier AG Verwaltungs-GmbH", "GmbH"),
    # a company form beats the look of a public body
    ("Stadtwerke Musterstadt GmbH", "GmbH"),
    ("Stadt Kassel", "public"),
    ("Landkreis Fulda", "public"),
    ("Abfallwirtschaft Nordhessen AöR", "public"),
    ("Zweckverband Wasser", "public"),
    ("Acme Ltd.", "foreign"),
    ("Philips B.V.", "foreign"),
    ("Nordic Tools AB", "foreign"),
    ("Polska Stal sp. z o.o.", "foreign"),
    # names that state no form
    ("Lebensmittel Krause", None),
    ("Ab- und Zuluft Technik", None),
    ("Hotel EG Nord", None),
]


@pytest.mark.parametrize(("name", "form"), CASES)
def test_the_name_says_the_legal_form(name: str, form: str | None) -> None:
    assert legal_form_from_name(name) == form


def test_every_answer_is_a_legal_form_the_customer_can_hold() -> None:
    answers = {legal_form_from_name(name) for name, _form in CASES} - {None}
    assert answers <= set(LegalForm.values)


WORDS = st.sampled_from(
    ["Müller", "Schmidt", "Bäckerei", "Technik", "Nord", "Hansa", "Weber", "Logistik", "Bau"]
)
SPELLINGS = st.sampled_from(
    [
        ("GmbH", "GmbH"),
        ("mbH", "GmbH"),
        ("GmbH & Co. KG", "GmbH & Co. KG"),
        ("GmbH & Co.KG", "GmbH & Co. KG"),
        ("AG", "AG"),
        ("Aktiengesellschaft", "AG"),
        ("KG", "KG"),
        ("e.K.", "e.K."),
        ("eK", "e.K."),
        ("OHG", "OHG"),
        ("Ltd", "foreign"),
        ("", None),
    ]
)


@given(st.lists(WORDS, min_size=1, max_size=4), SPELLINGS, st.sampled_from([" ", "  ", "\t"]))
def test_the_form_at_the_end_of_any_name_is_found_however_it_is_spaced(
    words: list[str], spelling: tuple[str, str | None], space: str
) -> None:
    suffix, form = spelling
    name = space.join([*words, *suffix.split(" ")]) if suffix else space.join(words)
    assert legal_form_from_name(name) == form
    assert legal_form_from_name(f"  {name}  ") == form
