"""The rows of a debtor export, converted into what the customer service takes.

Only the conversion happens here: names 1–3 joined, street and house number joined, the
country named or coded, the legal form read from its column or from the name, the WZ code
in its dotted form, the head count as a whole number; and what a file alone can show to
be wrong: a number twice, a company its own parent, parents in a circle. Whether a VAT ID,
register number or postal code is valid is the customer service's rule
(`customers_check_many`), so that an import refuses exactly what the form refuses.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass

from django.utils.translation import gettext as _

from kundenbild.customers.models import AddressKind, LegalForm
from kundenbild.imports.master.cells import Cells
from kundenbild.imports.master.kinds import KindMapping
from kundenbild.legal_forms import legal_form_from_name
from kundenbild.wz2008 import normalize_code

# the countries a German debtor export writes out, by their ISO code
COUNTRY_NAMES = {
    "deutschland": "DE", "germany": "DE", "brd": "DE", "d": "DE",
    "osterreich": "AT", "oesterreich": "AT", "austria": "AT", "a": "AT",
    "schweiz": "CH", "switzerland": "CH", "ch": "CH",
    "frankreich": "FR", "france": "FR", "niederlande": "NL", "netherlands": "NL",
    "belgien": "BE", "belgium": "BE", "luxemburg": "LU", "luxembourg": "LU",
    "italien": "IT", "italy": "IT", "spanien": "ES", "spain": "ES", "polen": "PL",
    "poland": "PL", "tschechien": "CZ", "czechia": "CZ", "danemark": "DK", "daenemark": "DK",
    "denmark": "DK", "schweden": "SE", "sweden": "SE", "vereinigteskonigreich": "GB",
    "unitedkingdom": "GB", "grossbritannien": "GB", "usa": "US", "vereinigtestaaten": "US",
    "unitedstates": "US",
}  # fmt: skip
_HEAD_COUNT = re.compile(r"^\d{1,3}(?:[.,' ]\d{3})*$|^\d+$")


@dataclass(frozen=True)
class AddressRow:
    kind: str  # an AddressKind value
    street: str
    postal_code: str
    city: str
    country: str  # ISO 3166 alpha-2


@dataclass(frozen=True)
class CustomerRow:
    """One row of the file, converted; `row` is its number in the file (header = 1)."""

    row: int
    number: str
    name: str
    legal_form: str  # a LegalForm value, or "" where neither column nor name says
    addresses: tuple[AddressRow, ...]  # the headquarters first, where the row has one
    vat_id: str = ""
    register_court: str = ""
    register_number: str = ""
    industry_code: str | None = None
    employees: int | None = None
    parent_number: str = ""
    owner: str = ""  # a user name or e-mail, resolved by the import
    segment: str = ""
    website: str = ""


@dataclass(frozen=True)
class RowProblem:
    """What is wrong with one cell: the row, the file's header, the value, and why."""

    row: int
    column: str
    value: str
    message: str


def convert_customers(
    rows: Iterable[tuple[int, Mapping[str, str]]], mapping: KindMapping
) -> tuple[list[CustomerRow], list[RowProblem]]:
    """Each row (`(row number, header → cell)`) as a CustomerRow, or its problems; then the
    problems only the whole file shows (a number twice, parents in a circle)."""
    customers: list[CustomerRow] = []
    problems: list[RowProblem] = []
    for number, cells in rows:
        converted, found = _convert(number, Cells(cells, mapping.columns))
        problems += found
        if converted is not None:
            customers.append(converted)
    first: dict[str, CustomerRow] = {}  # each number's first row in the file
    for customer in customers:
        first.setdefault(customer.number, customer)
    problems += _twice(customers, first, mapping.columns.get("number", "number"))
    problems += _circles(first, mapping.columns.get("parent_number", "parent_number"))
    return customers, problems


def _convert(row: int, cells: Cells) -> tuple[CustomerRow | None, list[RowProblem]]:
    problems: list[RowProblem] = []

    def refuse(field: str, message: str) -> None:
        problems.append(RowProblem(row, cells.header(field), cells.text(field), message))

    name = " ".join(part for part in map(cells.text, ("name", "name_2", "name_3")) if part)
    for field in ("number", "name"):
        if not cells.text(field):
            refuse(field, _("is empty"))
    legal_form = _legal_form(cells.text("legal_form"), name)
    if cells.text("legal_form") and legal_form is None:
        refuse("legal_form", _("is not a legal form Kundenbild knows"))
    industry = employees = None
    try:
        industry = _industry(cells.text("industry"))
    except ValueError:
        refuse("industry", _("is not a WZ 2008 code"))
    try:
        employees = _head_count(cells.text("employees"))
    except ValueError:
        refuse("employees", _("is not a whole number of employees"))
    addresses = []
    for kind, prefix in (
        (AddressKind.HEADQUARTERS, ""),
        (AddressKind.DELIVERY, "delivery_"),
        (AddressKind.BILLING, "billing_"),
    ):
        address = _address(cells, kind, prefix, refuse)
        if address is not None:
            addresses.append(address)
    if cells.text("parent_number") and cells.text("parent_number") == cells.text("number"):
        refuse("parent_number", _("is the customer itself"))
    if problems:
        return None, problems
    return CustomerRow(
        row=row,
        number=cells.text("number"),
        name=name,
        legal_form=legal_form or "",
        addresses=tuple(addresses),
        vat_id=cells.text("vat_id"),
        register_court=cells.text("register_court"),
        register_number=cells.text("register_number"),
        industry_code=industry,
        employees=employees,
        parent_number=cells.text("parent_number"),
        owner=cells.text("owner"),
        segment=cells.text("segment"),
        website=cells.text("website"),
    ), []


def _legal_form(column: str, name: str) -> str | None:
    """The legal form the column gives (as LegalForm stores it, or as a name would say
    it), else the one the name states."""
    if not column:
        return legal_form_from_name(name)
    by_value = {value.casefold(): value for value in LegalForm.values}
    return by_value.get(column.casefold()) or legal_form_from_name(column)


def _industry(text: str) -> str | None:
    """The dotted WZ 2008 code; None where the cell is empty; ValueError where it is none."""
    return normalize_code(text) if text else None


def _head_count(text: str) -> int | None:
    """A head count as ERPs write it ("1.250", "1 250", "85"); None where the cell is
    empty; ValueError where it is not a whole number."""
    if not text:
        return None
    if not _HEAD_COUNT.match(text):
        raise ValueError(text)
    return int(re.sub(r"\D", "", text))


def _address(
    cells: Cells, kind: str, prefix: str, refuse: Callable[[str, str], None]
) -> AddressRow | None:
    """The address of `kind` where the row has any part of it; its country as a code. The
    house number, where it has a column of its own, belongs to the headquarters' street."""
    street = cells.text(prefix + "street")
    if kind == AddressKind.HEADQUARTERS and cells.text("house_number"):
        street = f"{street} {cells.text('house_number')}".strip()
    parts = (street, cells.text(prefix + "postal_code"), cells.text(prefix + "city"))
    if not any(parts):
        return None
    country = _country(cells.text(prefix + "country"))
    if country is None:
        refuse(prefix + "country", _("is not a country Kundenbild knows"))
        return None
    return AddressRow(kind, *parts, country)


def _country(text: str) -> str | None:
    """ISO code from a code or a German or English name; Germany where the cell is empty."""
    if not text:
        return "DE"
    if re.fullmatch(r"[A-Za-z]{2}", text):
        return text.upper()
    folded = text.casefold().replace("ä", "a").replace("ö", "o").replace("ü", "u")
    return COUNTRY_NAMES.get(re.sub(r"[^a-z]", "", folded.replace("ß", "ss")))


def _twice(
    customers: list[CustomerRow], first: Mapping[str, CustomerRow], header: str
) -> list[RowProblem]:
    """Every row after the first that names a customer number already in the file."""
    problems = []
    for customer in customers:
        earlier = first[customer.number].row
        if earlier != customer.row:
            message = _("is in the file twice (first in row %(row)s)") % {"row": earlier}
            problems.append(RowProblem(customer.row, header, customer.number, message))
    return problems


def _circles(first: Mapping[str, CustomerRow], header: str) -> list[RowProblem]:
    """The rows whose parents, followed within the file, lead back to themselves (a number
    the file holds twice counts by its first row; the later ones are refused already)."""
    parent = {c.number: c.parent_number for c in first.values() if c.parent_number}
    problems = []
    for customer in first.values():
        seen = {customer.number}
        above = parent.get(customer.number)
        while above and above not in seen:
            seen.add(above)
            above = parent.get(above)
        if above == customer.number and customer.parent_number != customer.number:
            message = _("makes a circle of parents (%(chain)s)") % {
                "chain": " → ".join(_chain(customer.number, parent))
            }
            problems.append(RowProblem(customer.row, header, customer.parent_number, message))
    return problems


def _chain(start: str, parent: Mapping[str, str]) -> list[str]:
    chain, above = [start], parent[start]
    while above != start:
        chain.append(above)
        above = parent[above]
    return [*chain, start]
