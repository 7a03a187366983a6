"""Import costs per customer and period (bonuses, special service, key account effort).

These feed contribution margins II and III where the invoice lines do not carry them.
A file has one row per customer, period and kind of cost; importing it again replaces
the amounts of the same customer, period and kind, so it never counts a cost twice.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from kundenbild.analytics.io.columns import KNOWN_HEADERS, normalise_header
from kundenbild.analytics.io.reading import ReadError, read_file
from kundenbild.core.errors import ApplicationError
from kundenbild.customers.models import Customer
from kundenbild.finance.models import CostKind, CustomerCost
from kundenbild.imports.read_errors import unreadable
from kundenbild.imports.services import MAX_PROBLEMS, Problem

COST_HEADERS: dict[str, tuple[str, ...]] = {
    "customer_number": KNOWN_HEADERS["customer_number"],
    "period": ("periode", "monat", "jahr", "zeitraum", "datum", "period", "month", "year", "date"),
    "kind": ("kostenart", "art", "kategorie", "kind", "type", "costtype", "category"),
    "amount": ("betrag", "kosten", "summe", "wert", "amount", "cost", "value"),
    "note": ("bemerkung", "notiz", "text", "note", "comment"),
}
KIND_NAMES: dict[str, str] = {
    **dict.fromkeys(("bonus", "jahresbonus", "umsatzbonus"), CostKind.BONUS),
    **dict.fromkeys(
        ("rebate", "ruckvergutung", "rueckverguetung", "rabatt", "nachtraglicherrabatt"),
        CostKind.REBATE,
    ),
    **dict.fromkeys(("freight", "fracht", "frachtkosten", "versand"), CostKind.FREIGHT),
    **dict.fromkeys(
        ("service", "sonderleistung", "sonderleistungen", "specialservice"),
        CostKind.SPECIAL_SERVICE,
    ),
    **dict.fromkeys(("keyaccount", "keyaccountaufwand", "betreuung", "kam"), CostKind.KEY_ACCOUNT),
    **dict.fromkeys(("support", "besuche", "visits", "kundendienst"), CostKind.SUPPORT),
}
_PERIODS = (
    (re.compile(r"^(\d{4})-(\d{1,2})$"), (1, 2)),
    (re.compile(r"^(\d{1,2})[./](\d{4})$"), (2, 1)),
    (re.compile(r"^(\d{4})-(\d{2})-\d{2}"), (1, 2)),
    (re.compile(r"^\d{1,2}\.(\d{1,2})\.(\d{4})$"), (2, 1)),
)


def parse_period(text: str) -> tuple[int, int | None] | None:
    """'2025-03', '03/2025', '03.2025', a date, or '2025' (the whole year)."""
    text = text.strip()
    if re.fullmatch(r"\d{4}", text):
        return int(text), None
    for pattern, (y, m) in _PERIODS:
        match = pattern.match(text)
        if match:
            year, month = int(match.group(y)), int(match.group(m))
            return (year, month) if 1 <= month <= 12 else None
    return None


def parse_amount(text: str) -> Decimal | None:
    """German (1.234,56) or English (1,234.56) notation."""
    cleaned = re.sub(r"[\s\u00a0€]|EUR", "", text)
    if re.fullmatch(r"-?[\d.]*\d,\d{1,2}", cleaned) or re.fullmatch(
        r"-?\d{1,3}(\.\d{3})+", cleaned
    ):
        cleaned = cleaned.replace(".", "").replace(",", ".")
    else:
        cleaned = cleaned.replace(",", "")
    try:
        return Decimal(cleaned).quantize(Decimal("0.01"))
    except InvalidOperation:
        return None


@dataclass
class CostImportResult:
    dry_run: bool
    costs_added: int = 0
    costs_replaced: int = 0
    costs_unchanged: int = 0
    rows_invalid: int = 0
    amount_total: Decimal = Decimal("0.00")
    problems: list[Problem] = field(default_factory=list)

    def summary(self) -> dict[str, Any]:
        return {
            "dry_run": self.dry_run,
            "costs_added": self.costs_added,
            "costs_replaced": self.costs_replaced,
            "costs_unchanged": self.costs_unchanged,
            "rows_invalid": self.rows_invalid,
            "amount_total": float(self.amount_total),
        }


class CostImportRefusedError(ApplicationError):
    status = 422

    def __init__(self, result: CostImportResult):
        super().__init__(
            _("%(count)s rows are invalid; nothing has been imported.")
            % {"count": result.rows_invalid},
            code="invalid_rows",
        )
        self.result = result


def _columns(headers: list[str]) -> dict[str, str]:
    columns: dict[str, str] = {}
    for header in headers:
        name = normalise_header(header)
        for field_name, known in COST_HEADERS.items():
            if name in known and field_name not in columns:
                columns[field_name] = header
    return columns


def import_costs(path: Path, *, dry_run: bool = False) -> CostImportResult:
    """Check every row, then set all amounts or none."""
    try:
        raw = read_file(path)
    except ReadError as error:
        raise unreadable(error) from None
    columns = _columns(raw.headers)
    missing = [f for f in ("customer_number", "period", "kind", "amount") if f not in columns]
    if missing:
        raise ApplicationError(
            _("Required columns not found: %(fields)s. The file has: %(headers)s.")
            % {"fields": ", ".join(missing), "headers": ", ".join(raw.headers)},
            code="columns_missing",
        )
    values = {
        f: [("" if v is None else str(v)) for v in raw.table.column(h).to_pylist()]
        for f, h in columns.items()
    }
    customers = dict(
        Customer.objects.filter(number__in=set(values["customer_number"])).values_list(
            "number", "pk"
        )
    )
    result = CostImportResult(dry_run=dry_run)
    wanted: dict[tuple[int, int, int | None, str], tuple[Decimal, str, int]] = {}
    for i in range(raw.table.num_rows):
        row = raw.first_row + i
        number = values["customer_number"][i].strip().removesuffix(".0")
        period = parse_period(values["period"][i].removesuffix(".0"))
        kind = KIND_NAMES.get(normalise_header(values["kind"][i])) or (
            values["kind"][i].strip() if values["kind"][i].strip() in CostKind.values else None
        )
        amount = parse_amount(values["amount"][i])
        checks = [
            ("customer_number", number in customers, _("is not a known customer number")),
            ("period", period is not None, _("is not a period (e.g. 2025-03, 03/2025 or 2025)")),
            ("kind", kind is not None, _("is not a kind of cost")),
            ("amount", amount is not None, _("is not a number")),
        ]
        failed = [(f, message) for f, ok, message in checks if not ok]
        if failed:
            result.rows_invalid += 1
            for f, message in failed:
                if len(result.problems) < MAX_PROBLEMS:
                    result.problems.append(Problem(row, columns[f], values[f][i], str(message)))
            continue
        assert period is not None
        assert kind is not None
        assert amount is not None
        key = (customers[number], period[0], period[1], kind)
        if key in wanted:
            result.rows_invalid += 1
            message = _("appears twice in the file (also in row %(row)s)") % {"row": wanted[key][2]}
            result.problems.append(Problem(row, columns["kind"], values["kind"][i], message))
            continue
        note = values["note"][i][:200] if "note" in values else ""
        wanted[key] = (amount, note, row)
        result.amount_total += amount
    if result.rows_invalid:
        raise CostImportRefusedError(result)
    with transaction.atomic():
        for (customer_id, year, month, kind), (amount, note, _row) in wanted.items():
            existing = CustomerCost.objects.filter(
                customer_id=customer_id, year=year, month=month, kind=kind
            ).first()
            if existing is None:
                CustomerCost.objects.create(
                    customer_id=customer_id, year=year, month=month, kind=kind,
                    amount=amount, note=note,
                )  # fmt: skip
                result.costs_added += 1
            elif existing.amount != amount or existing.note != note:
                existing.amount, existing.note = amount, note
                existing.save()
                result.costs_replaced += 1
            else:
                result.costs_unchanged += 1
        if dry_run:
            transaction.set_rollback(True)
    return result
