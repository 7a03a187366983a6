"""Probable duplicates among the customers of a file and those Kundenbild holds: the same
VAT ID, or a similar name at the same postal code. Flagged in the report, never
refused: whether two records are one company is for a person to decide (and to merge).

A name is compared without its legal form, case, umlauts and punctuation ("Müller
Maschinenbau GmbH" and "Mueller Maschinenbau" are one name). Similar means a ratio
(rapidfuzz's: difflib's measure, in C++) of at least SIMILAR, and FIRST for the first
words; compared only within a postal code and there among neighbours
(`_similar_names`), so that 100,000 customers are not 10¹⁰ comparisons.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from rapidfuzz import fuzz

from kundenbild.customers.models import AddressKind, Customer, LegalForm
from kundenbild.legal_forms import legal_form_from_name

SIMILAR = 0.9
# and the first words, at least this alike: "Lehmann Handelsgesellschaft" and "Hartmann
# Handelsgesellschaft" share most letters, but not the name that tells them apart
FIRST = 0.75
WINDOW = 4  # neighbours each name is compared with, in each sort order
_FOLD = str.maketrans({"ä": "ae", "ö": "oe", "ü": "ue", "ß": "ss"})


@dataclass(frozen=True)
class Party:
    """A customer as duplicates are looked for: from the file (`row`) or the database."""

    number: str
    name: str
    vat_id: str
    postal_code: str
    row: int | None = None


@dataclass(frozen=True)
class Duplicate:
    """A customer of the file and the one it probably duplicates (in the file or not)."""

    row: int
    number: str
    name: str
    other_number: str
    other_name: str
    other_row: int | None
    reason: str  # "vat_id" or "name_postal_code"


def _key(text: str) -> str:
    return re.sub(r"[^0-9a-z]", "", text.casefold().translate(_FOLD))


# the legal forms as `_key` writes them, longest first ("gmbhcokg" before "kg")
_FORM_KEYS = sorted({_key(form) for form in LegalForm.values} - {""}, key=len, reverse=True)


def name_key(name: str) -> str:
    """The name without legal form, case, umlauts, spaces and punctuation."""
    key = _key(name)
    if legal_form_from_name(name):  # the name ends in one, however it is written
        for form in _FORM_KEYS:
            if key.endswith(form) and len(key) > len(form):
                return key[: -len(form)]
    return key


def stored_parties(excluded: Iterable[str]) -> list[Party]:
    """Every customer in the database except the numbers of the file (the file's rows
    stand for them, with the values they will have)."""
    skip = set(excluded)
    headquarters = dict(
        Customer.objects.filter(addresses__kind=AddressKind.HEADQUARTERS).values_list(
            "number", "addresses__postal_code"
        )
    )
    return [
        Party(number, name, vat_id, headquarters.get(number, ""))
        for number, name, vat_id in Customer.objects.values_list("number", "name", "vat_id")
        if number not in skip
    ]


def find_duplicates(file: Sequence[Party], stored: Sequence[Party]) -> list[Duplicate]:
    """Each pair of a file's customer and another customer that share a VAT ID, or a
    similar name and a postal code; a pair is named once, on the file's later row."""
    found: dict[tuple[str, str], Duplicate] = {}
    everyone = [*file, *stored]
    by_vat: dict[str, list[Party]] = defaultdict(list)
    for party in everyone:
        if party.vat_id:
            by_vat[party.vat_id].append(party)
    for group in by_vat.values():
        _pairs(group, "vat_id", found)
    by_postal_code: dict[str, list[tuple[str, Party]]] = defaultdict(list)
    for party in everyone:
        key = name_key(party.name)
        if party.postal_code and key:
            by_postal_code[party.postal_code].append((key, party))
    for named in by_postal_code.values():
        _similar_names(named, found)
    return sorted(found.values(), key=lambda d: (d.row, d.other_number))


def _similar_names(named: list[tuple[str, Party]], found: dict[tuple[str, str], Duplicate]) -> None:
    """Equal names, each pair; similar ones among the WINDOW neighbours of each name,
    sorted once as written and once from the end (the sorted-neighbourhood method,
    Hernández and Stolfo 1995): a name that differs in its first letters still meets
    its twin in the second order, and the comparisons grow with the names, not with
    their square."""
    equal: dict[str, list[Party]] = defaultdict(list)
    for key, party in named:
        equal[key].append(party)
    for group in equal.values():
        if len(group) > 1:
            _pairs(group, "name_postal_code", found)
    for order in (lambda k: k, lambda k: k[::-1]):
        ranked = sorted(equal, key=order)
        for i, key in enumerate(ranked):
            for other in ranked[i + 1 : i + 1 + WINDOW]:
                if _similar(key, other) and _similar(
                    _first_word(equal[key][0].name), _first_word(equal[other][0].name), FIRST
                ):
                    _pairs([*equal[key], *equal[other]], "name_postal_code", found)


def _similar(a: str, b: str, least: float = SIMILAR) -> bool:
    """The Indel similarity (as difflib's ratio: matching characters twice over both
    lengths) at least `least`; rapidfuzz computes it in C++ and stops early."""
    return bool(a and b) and fuzz.ratio(a, b, score_cutoff=100 * least) > 0


def _first_word(name: str) -> str:
    return _key(name.split()[0]) if name.split() else ""


def _pairs(
    group: Sequence[Party],
    reason: str,
    found: dict[tuple[str, str], Duplicate],
    first: Party | None = None,
) -> None:
    """Name the pairs of the group with a file row in them (all pairs, or those with
    `first`); the first reason found for a pair stands."""
    pairs = (
        [(first, other) for other in group if other is not first]
        if first is not None
        else [(a, b) for i, a in enumerate(group) for b in group[i + 1 :]]
    )
    for a, b in pairs:
        if a.number == b.number or (a.row is None and b.row is None):
            continue
        mine, other = (a, b) if b.row is None or (a.row or 0) > b.row else (b, a)
        key = tuple(sorted((a.number, b.number)))
        assert mine.row is not None
        found.setdefault(
            (key[0], key[1]),
            Duplicate(
                mine.row, mine.number, mine.name, other.number, other.name, other.row, reason
            ),
        )
