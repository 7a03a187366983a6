"""The rows of an article list, converted into what the catalogue's service takes.

Only the conversion happens here: the kind read from the German or English words ERPs
use for it, the rest trimmed; and what a file alone can show to be wrong: an empty
number or name, a text longer than the catalogue keeps, an article number twice. That
a number is not yet taken in the catalogue is the offering service's rule
(`offerings_check_many`).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from django.utils.translation import gettext as _

from kundenbild.imports.master.cells import Cells, Words, max_lengths
from kundenbild.imports.master.customers import RowProblem
from kundenbild.imports.master.kinds import KindMapping
from kundenbild.offerings.models import Offering, OfferingGroup, OfferingKind

OFFERING_KINDS = Words(
    OfferingKind,
    {
        OfferingKind.PRODUCT: (
            "produkt", "artikel", "ware", "waren", "handelsware", "erzeugnis", "goods",
            "article", "item",
        ),
        OfferingKind.SERVICE: ("dienstleistung", "leistung", "dienst", "services"),
        OfferingKind.SOLUTION: ("lösung", "systemlösung", "gesamtlösung", "system"),
    },
)  # fmt: skip
_OFFERING_LENGTHS = max_lengths(Offering, ("number", "name_de", "name_en", "unit"))
# the file's field → the longest text the catalogue keeps for it
_MAX_LENGTHS = {
    "number": _OFFERING_LENGTHS["number"],
    "name": _OFFERING_LENGTHS["name_de"],
    "name_en": _OFFERING_LENGTHS["name_en"],
    "group": max_lengths(OfferingGroup, ("name_de",))["name_de"],
    "unit": _OFFERING_LENGTHS["unit"],
}


@dataclass(frozen=True)
class OfferingRow:
    """One row of the file, converted; `row` is its number in the file (header = 1)."""

    row: int
    number: str
    name_de: str
    name_en: str = ""
    group: str = ""  # the group's German name; "" where the row names none
    # an OfferingKind value; "" where the row does not say: an offering the catalogue
    # has keeps its kind, a new one is a product
    kind: str = ""
    unit: str = ""  # as the file gives it: Stück, kg, h, …


def convert_offerings(
    rows: Iterable[tuple[int, Mapping[str, str]]], mapping: KindMapping
) -> tuple[list[OfferingRow], list[RowProblem]]:
    """Each row (`(row number, header → cell)`) as an OfferingRow, or its problems; then
    the problems only the whole file shows (an article number twice)."""
    offerings: list[OfferingRow] = []
    problems: list[RowProblem] = []
    for number, cells in rows:
        converted, found = _convert(number, Cells(cells, mapping.columns))
        problems += found
        if converted is not None:
            offerings.append(converted)
    problems += _twice(offerings, mapping.columns.get("number", "number"))
    return offerings, problems


def _convert(row: int, cells: Cells) -> tuple[OfferingRow | None, list[RowProblem]]:
    problems: list[RowProblem] = []

    def refuse(field: str, message: str) -> None:
        problems.append(RowProblem(row, cells.header(field), cells.text(field), message))

    for field in ("number", "name"):
        if not cells.text(field):
            refuse(field, _("is empty"))
    for field, limit in _MAX_LENGTHS.items():
        if len(cells.text(field)) > limit:
            refuse(field, _("is longer than %(limit)s characters") % {"limit": limit})
    kind = OFFERING_KINDS.value_of(cells.text("kind")) if cells.text("kind") else ""
    if kind is None:
        message = _("is not a kind of offering Kundenbild knows; known are: %(known)s")
        refuse("kind", message % {"known": OFFERING_KINDS.known()})
    if problems:
        return None, problems
    return OfferingRow(
        row=row,
        number=cells.text("number"),
        name_de=cells.text("name"),
        name_en=cells.text("name_en"),
        group=cells.text("group"),
        kind=kind or "",
        unit=cells.text("unit"),
    ), []


def _twice(offerings: list[OfferingRow], header: str) -> list[RowProblem]:
    """Every row after the first that gives an article number already in the file."""
    first: dict[str, int] = {}
    problems = []
    for offering in offerings:
        earlier = first.setdefault(offering.number, offering.row)
        if earlier != offering.row:
            message = _("is in the file twice (first in row %(row)s)") % {"row": earlier}
            problems.append(RowProblem(offering.row, header, offering.number, message))
    return problems
