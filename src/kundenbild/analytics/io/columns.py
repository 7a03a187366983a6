"""The columns of a sales line and the headers German and English ERPs give them.

Pure: no Django, so the reader and its tests stay fast and the CLI can use it early.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

REQUIRED = ("customer_number", "invoice_date", "net_revenue")
OPTIONAL = (
    "invoice_number",
    "line_number",
    "article_number",
    "quantity",
    "unit_price",
    "cost_of_goods",
    "discount",
    "freight",
)
# without a revenue column, revenue is quantity times unit price (e.g. Online Retail II)
REVENUE_FACTORS = ("quantity", "unit_price")
FIELDS = REQUIRED + OPTIONAL
MONEY_FIELDS = ("net_revenue", "cost_of_goods", "discount", "freight")
NUMBER_FIELDS = (*MONEY_FIELDS, "quantity")

# the known headers of each field, normalised (see `normalise_header`)
KNOWN_HEADERS: dict[str, tuple[str, ...]] = {
    "customer_number": (
        "kundennummer", "kundennr", "kdnr", "kundenid", "kunde", "debitor", "debitorennummer",
        "debitornr", "customer", "customerid", "customernumber", "customerno", "account",
        "accountnumber",
    ),
    "invoice_date": (
        "datum", "rechnungsdatum", "belegdatum", "buchungsdatum", "fakturadatum", "date",
        "invoicedate", "orderdate", "documentdate",
    ),
    "net_revenue": (
        "umsatz", "nettoumsatz", "netto", "nettobetrag", "erlos", "erloes", "nettoerlos",
        "nettoerloes", "umsatznetto", "revenue", "netrevenue", "net", "sales", "netsales",
        "amount",
    ),
    "invoice_number": (
        "belegnummer", "belegnr", "rechnungsnummer", "rechnungsnr", "rechnung", "beleg",
        "fakturanummer", "invoice", "invoicenumber", "invoiceno", "invoiceid", "documentnumber",
    ),
    "line_number": (
        "position", "pos", "positionsnummer", "posnr", "zeile", "line", "linenumber", "lineno",
    ),
    "article_number": (
        "artikel", "artikelnummer", "artikelnr", "material", "materialnummer", "artnr", "item",
        "itemnumber", "sku", "article", "articlenumber", "product", "productnumber", "offering",
    ),
    "quantity": ("menge", "anzahl", "stuck", "stueck", "quantity", "qty"),
    "unit_price": (
        "preis", "einzelpreis", "stuckpreis", "stueckpreis", "nettopreis", "verkaufspreis",
        "price", "unitprice", "netprice", "salesprice",
    ),
    "cost_of_goods": (
        "wareneinsatz", "kosten", "einstandspreis", "einstandswert", "einstandskosten", "cost",
        "costs", "cogs", "costofgoods", "costofgoodssold",
    ),
    "discount": (
        "rabatt", "nachtraglicherrabatt", "bonus", "ruckvergutung", "rueckverguetung",
        "skonto", "discount", "rebate",
    ),
    "freight": ("fracht", "frachtkosten", "versand", "versandkosten", "freight", "shipping"),
}  # fmt: skip
ALIASES: dict[str, str] = {
    header: field for field, headers in KNOWN_HEADERS.items() for header in headers
}


def normalise_header(header: str) -> str:
    """Lower case, umlauts folded (ä → a), everything but letters and digits dropped."""
    folded = unicodedata.normalize("NFKD", header.strip().lower())
    ascii_only = folded.encode("ascii", "ignore").decode("ascii")
    return re.sub(r"[^a-z0-9]", "", ascii_only)


@dataclass(frozen=True)
class ColumnMapping:
    """Which header of the file holds which field (`field → header`)."""

    columns: Mapping[str, str]

    def missing_required(self) -> list[str]:
        """Required fields without a column; revenue is not missing if it can be computed
        as quantity times unit price."""
        return [f for f in REQUIRED if f not in self.columns and not self.derives(f)]

    def derives(self, field: str) -> bool:
        """Whether `field` is computed from other columns rather than read."""
        return (
            field == "net_revenue"
            and field not in self.columns
            and all(f in self.columns for f in REVENUE_FACTORS)
        )


def guess_mapping(headers: Sequence[str], saved: Mapping[str, str] | None = None) -> ColumnMapping:
    """Map headers by their known names; a saved mapping (`field → header`) wins.

    A header is used for at most one field, and the first header of a field wins.
    """
    columns: dict[str, str] = {}
    for field, header in (saved or {}).items():
        if field in FIELDS and header in headers:
            columns[field] = header
    taken = set(columns.values())
    for header in headers:
        known = ALIASES.get(normalise_header(header))
        if known and known not in columns and header not in taken:
            columns[known] = header
            taken.add(header)
    return ColumnMapping(columns)
