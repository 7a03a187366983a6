"""The demo's companies, people and catalogue as a German ERP and CRM export them: a
debtor export, a contact export and an article list, in Windows-1252 with semicolons
(or as Excel workbooks). Imported into an empty installation in the order articles,
customers, people, and followed by the demo's sales lines (`write_sales_lines`, same
seed and size), they give the demo's picture: docs/examples/ holds a small set, the
acceptance test and bench/bench_master_import.py large ones.
"""

from __future__ import annotations

import csv
from collections.abc import Sequence
from pathlib import Path

from kundenbild.demo.generator import (
    DemoCompany,
    DemoContact,
    DemoOffering,
    generate_companies,
    generate_contacts,
    offerings,
    write_sales_lines,
)

DEBTOR_HEADER = (
    "Debitor",
    "Name 1",
    "Straße",
    "PLZ",
    "Ort",
    "Land",
    "USt-IdNr.",
    "Handelsregister",
    "Registergericht",
    "Branche (WZ)",
    "Mitarbeiter",
    "Konzern",
    "Kundengruppe",
)
PEOPLE_HEADER = (
    "Kundennummer",
    "Anrede",
    "Vorname",
    "Nachname",
    "Funktion",
    "Abteilung",
    "E-Mail",
    "Telefon",
    "Rolle",
    "Einfluss",
    "Haltung",
)
ARTICLE_HEADER = ("Artikelnummer", "Bezeichnung", "Bezeichnung EN", "Warengruppe", "Art", "Einheit")
ROLE_WORDS = {
    "decider": "Entscheider", "buyer": "Einkäufer", "user": "Anwender",
    "influencer": "Beeinflusser", "gatekeeper": "Gatekeeper", "initiator": "Initiator",
}  # fmt: skip
INFLUENCE_WORDS = {"high": "hoch", "medium": "mittel", "low": "gering"}
ATTITUDE_WORDS = {
    "champion": "Befürworter", "supporter": "Unterstützer", "neutral": "neutral",
    "sceptic": "Skeptiker", "opponent": "Gegner",
}  # fmt: skip
SALES_COLUMNS = (
    "customer_number", "invoice_number", "line_number", "invoice_date", "article_number",
    "quantity", "net_revenue", "cost_of_goods", "discount", "freight",
)  # fmt: skip
SALES_HEADER = (
    "Kundennummer", "Rechnungsnummer", "Position", "Rechnungsdatum", "Artikelnummer",
    "Menge", "Nettoumsatz", "Wareneinsatz", "Rabatt", "Fracht",
)  # fmt: skip
KIND_WORDS = {"product": "Ware", "service": "Dienstleistung", "solution": "Lösung"}
FEMALE_ENDINGS = ("in", "erin")  # the demo gives women the female form of their function


def debtor_rows(companies: Sequence[DemoCompany]) -> list[tuple[str, ...]]:
    return [
        (
            c.number,
            c.name,
            c.street,
            c.postal_code,
            c.city,
            "Deutschland",
            c.vat_id,
            c.register_number,
            c.register_court,
            c.wz_division,
            f"{c.employees:,}".replace(",", "."),
            c.parent_number or "",
            _segment(c.employees),
        )
        for c in companies
    ]


def people_rows(contacts: Sequence[DemoContact]) -> list[tuple[str, ...]]:
    return [
        (
            p.customer_number,
            _salutation(p),
            p.first_name,
            p.last_name,
            p.function,
            p.department,
            p.email,
            p.phone,
            ", ".join(ROLE_WORDS[r] for r in p.roles),
            INFLUENCE_WORDS.get(p.influence, ""),
            ATTITUDE_WORDS.get(p.attitude, ""),
        )
        for p in contacts
        if not p.organisation  # externals belong to their own firm, not to this export
    ]


def article_rows(catalogue: Sequence[DemoOffering], extra: int = 0) -> list[tuple[str, ...]]:
    """The demo's catalogue, and `extra` further articles nobody has bought yet (a real
    article list is longer than what a customer base buys)."""
    rows: list[tuple[str, ...]] = [
        (o.number, o.name_de, o.name_en, o.group_de, KIND_WORDS[o.kind], _unit(o))
        for o in catalogue
    ]
    for i in range(extra):
        rows.append(
            (
                f"E-{20_000 + i}",
                f"Ersatzteil {20_000 + i}",
                f"Spare part {20_000 + i}",
                "Ersatzteile",
                "Ware",
                "Stück",
            )
        )
    return rows


def write_master_exports(
    directory: Path,
    *,
    customers: int,
    seed: int = 42,
    extra_articles: int = 0,
    people: int | None = None,
    excel: bool = False,
) -> dict[str, Path]:
    """Write articles, debtors and people (the first `people`, or all) of the demo's
    first `customers` companies; returns the path of each by kind ("offerings",
    "customers", "people")."""
    companies = generate_companies(customers, seed=seed)
    contacts = people_rows(generate_contacts(companies, seed=seed))[:people]
    tables = {
        "offerings": (ARTICLE_HEADER, article_rows(offerings(), extra_articles), "artikel"),
        "customers": (DEBTOR_HEADER, debtor_rows(companies), "debitoren"),
        "people": (PEOPLE_HEADER, contacts, "kontakte"),
    }
    directory.mkdir(parents=True, exist_ok=True)
    paths = {}
    for kind, (header, rows, name) in tables.items():
        path = directory / f"{name}.{'xlsx' if excel else 'csv'}"
        (_write_xlsx if excel else _write_csv)(path, header, rows)
        paths[kind] = path
    return paths


def write_sales_export(
    path: Path, *, customers: int, years: int = 1, seed: int = 42, excel: bool = False
) -> int:
    """The demo's sales lines of the last `years` as a German ERP exports them: German
    headers, dates as 31.10.2026, decimal commas (or an Excel workbook). Returns the
    number of lines."""
    import tempfile

    import pyarrow.parquet as pq

    with tempfile.TemporaryDirectory() as tmp:
        generated = Path(tmp) / "lines.parquet"
        write_sales_lines(generated, customers=customers, years=years, seed=seed)
        table = pq.read_table(generated)
    columns = [table.column(name).to_pylist() for name in SALES_COLUMNS]
    rows = [
        (number, invoice, str(line), day.strftime("%d.%m.%Y"), article,
         *(_decimal(v) for v in amounts))
        for number, invoice, line, day, article, *amounts in zip(*columns, strict=True)
    ]  # fmt: skip
    (_write_xlsx if excel else _write_csv)(path, SALES_HEADER, rows)
    return len(rows)


def _decimal(value: float) -> str:
    return f"{value:.2f}".replace(".", ",")


def _write_csv(path: Path, header: Sequence[str], rows: Sequence[Sequence[str]]) -> None:
    with path.open("w", encoding="cp1252", newline="") as f:
        writer = csv.writer(f, delimiter=";", lineterminator="\r\n")
        writer.writerow(header)
        writer.writerows(rows)


def _write_xlsx(path: Path, header: Sequence[str], rows: Sequence[Sequence[str]]) -> None:
    import xlsxwriter

    book = xlsxwriter.Workbook(str(path), {"constant_memory": True})
    sheet = book.add_worksheet()
    for index, row in enumerate([header, *rows]):
        sheet.write_row(index, 0, row)
    book.close()


def _segment(employees: int) -> str:
    return "A-Kunde" if employees >= 250 else "B-Kunde" if employees >= 50 else "C-Kunde"


def _salutation(person: DemoContact) -> str:
    female = person.function.split(" ")[0].endswith(FEMALE_ENDINGS)
    return "Frau" if female else "Herr"


def _unit(offering: DemoOffering) -> str:
    return "Stück" if offering.kind == "product" else "Auftrag"
