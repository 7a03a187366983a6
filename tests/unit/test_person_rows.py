"""A people export's rows become what the buying center's service takes, and what only the
file shows to be wrong is named with its row and column (issue 20)."""

from __future__ import annotations

import pytest
from django.utils import translation
from hypothesis import given
from hypothesis import strategies as st

from kundenbild.buying_center.models import BuyingRoleCode
from kundenbild.imports.master.cells import Words, fold, split_list
from kundenbild.imports.master.customers import RowProblem
from kundenbild.imports.master.kinds import PEOPLE, guess_mapping
from kundenbild.imports.master.people import (
    ATTITUDES,
    BUYING_ROLES,
    INFLUENCES,
    ROLE_SEPARATORS,
    SALUTATIONS,
    PersonRow,
    convert_people,
)

HEADERS = [
    "Kundennummer", "Anrede", "Titel", "Vorname", "Nachname", "Funktion", "Abteilung",
    "E-Mail", "Telefon", "Mobil", "Rolle", "Einfluss", "Haltung", "Bekannt mit",
]  # fmt: skip
MAPPING = guess_mapping(PEOPLE, HEADERS)
ROLE_WORDS = {
    BuyingRoleCode.INITIATOR: ["Initiator", "Auslöser", "initiator"],
    BuyingRoleCode.USER: ["Anwender", "Nutzer", "user", "End User"],
    BuyingRoleCode.INFLUENCER: ["Beeinflusser", "Influencer", "influencer"],
    BuyingRoleCode.DECIDER: ["Entscheider", "Entscheidungsträger", "decision maker", "Decider"],
    BuyingRoleCode.BUYER: ["Einkäufer", "EINKAEUFER", "Einkaufer", "buyer", "Purchaser"],
    BuyingRoleCode.GATEKEEPER: [
        "Gatekeeper", "Türsteher", "Informationsselektierer", "gate keeper",
        "Informationsselektierer (Gatekeeper)",
    ],
}  # fmt: skip


def _row(**cells: str) -> dict[str, str]:
    return {header: "" for header in HEADERS} | {"Kundennummer": "10042"} | cells


def _convert(*rows: dict[str, str]) -> tuple[list[PersonRow], list[RowProblem]]:
    return convert_people(enumerate(rows, start=2), MAPPING)


def test_a_crm_row_becomes_a_person_with_roles_influence_and_attitude() -> None:
    people, problems = _convert(
        _row(
            Anrede="Frau", Titel="Dr.", Vorname="Eva", Nachname="Roth",
            Funktion="Leiterin Einkauf", Abteilung="Einkauf", **{"E-Mail": "Eva.Roth@Kunde.DE"},
            Telefon="0561 1234-0", Mobil="0171 555", Rolle="Entscheider, Einkäufer",
            Einfluss="hoch", Haltung="Befürworterin", **{"Bekannt mit": "kam; sales@firma.de"},
        )
    )  # fmt: skip
    assert problems == []
    assert people == [
        PersonRow(
            row=2,
            customer_number="10042",
            last_name="Roth",
            first_name="Eva",
            salutation="ms",
            title="Dr.",
            function="Leiterin Einkauf",
            department="Einkauf",
            email="eva.roth@kunde.de",
            phone="0561 1234-0",
            mobile="0171 555",
            buying_roles=("decider", "buyer"),
            influence="high",
            attitude="champion",
            known_by=("kam", "sales@firma.de"),
        )
    ]


def test_an_english_export_with_empty_optional_cells_is_read_alike() -> None:
    headers = ["Customer ID", "Salutation", "First name", "Last name", "Email", "Buying role"]
    english = guess_mapping(PEOPLE, headers)
    cells = ["C-7", "Mr.", "John", "Smith", "", "decision maker; user"]
    row = dict(zip(headers, cells, strict=True))
    [person], problems = convert_people([(2, row)], english)
    assert problems == []
    assert (person.salutation, person.first_name, person.email) == ("mr", "John", "")
    assert person.buying_roles == ("decider", "user")
    assert (person.influence, person.attitude, person.known_by) == ("", "", ())


@pytest.mark.parametrize(
    ("cells", "salutation", "title"),
    [
        ({"Anrede": "Hr."}, "mr", ""),
        ({"Anrede": "Herrn"}, "mr", ""),
        ({"Anrede": "Ms"}, "ms", ""),
        ({"Anrede": "divers"}, "mx", ""),
        ({"Anrede": ""}, "", ""),
        ({"Anrede": "Herr Dr."}, "mr", "Dr."),
        ({"Anrede": "Frau Prof. Dr.", "Titel": ""}, "ms", "Prof. Dr."),
        ({"Anrede": "Frau Dr.", "Titel": "Dr. med."}, "ms", "Dr. med."),
    ],
)
def test_the_salutation_may_carry_the_title(
    cells: dict[str, str], salutation: str, title: str
) -> None:
    [person], problems = _convert(_row(Nachname="Roth", **cells))
    assert problems == []
    assert (person.salutation, person.title) == (salutation, title)


def test_bad_cells_are_named_with_row_column_and_value() -> None:
    people, problems = _convert(
        _row(Nachname="A", Anrede="Frau Müller"),
        _row(Nachname="B", **{"E-Mail": "b.at.kunde.de"}),
        _row(Nachname="C", Rolle="Entscheider, Chef"),
        _row(Nachname="D", Einfluss="riesig"),
        _row(Nachname="E", Haltung="egal"),
        _row(Nachname=""),
        _row(Nachname="G", Kundennummer=""),
        _row(Nachname="H", Titel="Dr. " * 20),
    )
    assert people == []
    assert [(p.row, p.column, p.value) for p in problems] == [
        (2, "Anrede", "Frau Müller"),
        (3, "E-Mail", "b.at.kunde.de"),
        (4, "Rolle", "Entscheider, Chef"),
        (5, "Einfluss", "riesig"),
        (6, "Haltung", "egal"),
        (7, "Nachname", ""),
        (8, "Kundennummer", ""),
        (9, "Titel", ("Dr. " * 20).strip()),
    ]
    messages = [p.message for p in problems]
    assert messages[0] == (
        "ist keine Anrede, die Kundenbild kennt; bekannt sind: Herr, Frau, divers"
    )
    assert messages[1] == "ist keine E-Mail-Adresse"
    assert messages[2].startswith("„Chef“ ist keine Rolle im Buying Center")
    assert "Entscheider, Einkäufer" in messages[2]
    assert messages[3].endswith("bekannt sind: gering, mittel, hoch")
    assert "Fürsprecher, Unterstützer, neutral, Skeptiker, Gegner" in messages[4]
    assert messages[7] == "ist länger als 40 Zeichen"
    with translation.override("en"):
        _people, in_english = _convert(_row(Nachname="D", Einfluss="riesig"))
    assert in_english[0].message == (
        "is not a level of influence Kundenbild knows; known are: low, medium, high"
    )


def test_an_email_twice_and_a_person_twice_without_email_are_refused() -> None:
    people, problems = _convert(
        _row(Vorname="Eva", Nachname="Roth", **{"E-Mail": "eva@kunde.de"}),
        _row(Vorname="Jan", Nachname="Roth"),
        _row(Vorname="Eva", Nachname="Roth", **{"E-Mail": "e.roth@kunde.de"}),
        _row(Vorname="Eve", Nachname="Weber", **{"E-Mail": "EVA@kunde.de"}),
        _row(Vorname="jan", Nachname="ROTH"),
        _row(Vorname="Eva", Nachname="Roth"),
        _row(Vorname="Jan", Nachname="Roth", Kundennummer="10043"),
    )
    assert len(people) == 7
    assert [(p.row, p.column, p.value, p.message) for p in problems] == [
        (5, "E-Mail", "eva@kunde.de", "steht zweimal in der Datei (zuerst in Zeile 2)"),
        (6, "Nachname", "ROTH", _same_as(3)),
        (7, "Nachname", "Roth", _same_as(2)),
    ]


def _same_as(row: int) -> str:
    return (
        f"nennt dieselbe Person dieses Kunden wie Zeile {row}; geben Sie jeder eine "
        "E-Mail-Adresse, wenn es zwei Personen sind"
    )


@pytest.mark.parametrize(
    "words", [SALUTATIONS, BUYING_ROLES, INFLUENCES, ATTITUDES], ids=lambda w: w.choices.__name__
)
def test_every_word_names_its_own_value_and_every_label_is_known(words: Words) -> None:
    for value, synonyms in words.synonyms.items():
        for word in synonyms:
            assert words.value_of(word) == value, word
    for choice in words.choices:
        for language in ("de", "en"):
            with translation.override(language):
                assert words.value_of(str(choice.label)) == choice.value


@given(
    st.lists(
        st.sampled_from([(role, word) for role, words in ROLE_WORDS.items() for word in words]),
        min_size=1,
        max_size=8,
    ),
    st.lists(st.sampled_from(ROLE_SEPARATORS), min_size=7, max_size=7),
    st.sampled_from(["", " ", "  "]),
)
def test_roles_read_back_in_order_however_they_are_written_and_separated(
    chosen: list[tuple[str, str]], separators: list[str], space: str
) -> None:
    cell = chosen[0][1]
    for (_role, word), separator in zip(chosen[1:], separators, strict=False):
        cell += f"{space}{separator}{space}{word}"
    [person], problems = _convert(_row(Nachname="Roth", Rolle=cell))
    assert problems == []
    assert person.buying_roles == tuple(dict.fromkeys(role for role, _word in chosen))


names = st.text(
    st.characters(categories=["L", "N"], include_characters="@.-_ "), min_size=1, max_size=12
).map(lambda name: " ".join(name.split()))


@given(st.lists(names.filter(bool), max_size=6), st.sampled_from([",", ";", "\n", " ; "]))
def test_a_list_splits_into_its_items_each_once(items: list[str], separator: str) -> None:
    assert split_list(separator.join(items), ",;") == tuple(dict.fromkeys(items))
    assert split_list(f"{separator}{separator.join(items)}{separator}", ",;") == tuple(
        dict.fromkeys(items)
    )


@given(st.sampled_from([w for words in ROLE_WORDS.values() for w in words]))
def test_folding_ignores_case_umlaut_spelling_and_punctuation(word: str) -> None:
    spelled = word.upper().replace("Ä", "AE").replace("Ü", "UE") + "."
    assert fold(spelled) == fold(word) == fold(fold(word))
