"""Importing sales lines from real files in every dialect: all or nothing, never twice."""

from __future__ import annotations

import json
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import pytest
import xlsxwriter
from typer.testing import CliRunner

from kundenbild.cli import app
from kundenbild.core.errors import ConflictError
from kundenbild.customers.models import Customer
from kundenbild.finance.models import SalesLine
from kundenbild.imports.models import ImportRun, ImportStatus
from kundenbild.imports.selectors import sales_totals
from kundenbild.imports.services import ImportRefusedError, import_file, import_rollback
from tests.factories import CustomerFactory

pytestmark = pytest.mark.django_db

# customer, date, invoice, line, article, quantity, revenue, cost
LINES = [
    (
        "K-100",
        date(2025, 1, 15),
        "R-1001",
        1,
        "Schraube M8 verzinkt",
        1200,
        Decimal("1234.56"),
        Decimal("800.10"),
    ),
    ("K-100", date(2025, 1, 15), "R-1001", 2, "Dübel Ø10", 50, Decimal("99.90"), Decimal("40.00")),
    (
        "K-200",
        date(2025, 6, 30),
        "R-1002",
        1,
        "Wartung Hydraulik",
        1,
        Decimal("12500.00"),
        Decimal("7000.00"),
    ),
    ("K-200", date(2025, 12, 31), "G-0001", 1, "Dübel Ø10", -5, Decimal("-9.99"), Decimal("-4.00")),
    (
        "K-300",
        date(2026, 2, 1),
        "R-1003",
        1,
        "Schraube M8 verzinkt",
        3000,
        Decimal("3086.40"),
        Decimal("2000.25"),
    ),
]
TOTAL = sum((line[6] for line in LINES), Decimal(0))
COST = sum((line[7] for line in LINES), Decimal(0))


def german(value: Decimal) -> str:
    return f"{value:,.2f}".replace(",", "X").replace(".", ",").replace("X", ".")


def write_german_csv(path: Path, lines: list[tuple] = LINES) -> Path:  # type: ignore[type-arg]
    header = "Kundennummer;Rechnungsdatum;Belegnummer;Pos.;Artikel;Menge;Nettoumsatz;Wareneinsatz"
    rows = [
        f"{c};{d:%d.%m.%Y};{i};{n};{a};{q};{german(r)};{german(k)}"
        for c, d, i, n, a, q, r, k in lines
    ]
    path.write_bytes(("\r\n".join([header, *rows]) + "\r\n").encode("cp1252"))
    return path


def write_utf8_bom_csv(path: Path) -> Path:
    header = "customer_id,date,invoice_id,line,article,quantity,revenue,cost"
    rows = [
        f'{c},{d:%Y-%m-%d},{i},{n},"{a}",{q},"{r:,.2f}",{k}' for c, d, i, n, a, q, r, k in LINES
    ]
    path.write_text("\n".join([header, *rows]) + "\n", encoding="utf-8-sig")
    return path


def write_xlsx(path: Path) -> Path:
    book = xlsxwriter.Workbook(str(path))
    sheet = book.add_worksheet("Umsätze")
    dates = book.add_format({"num_format": "dd.mm.yyyy"})
    for col, title in enumerate(
        [
            "Kunde",
            "Belegdatum",
            "Rechnungsnummer",
            "Position",
            "Artikelnummer",
            "Menge",
            "Umsatz",
            "Kosten",
        ]
    ):
        sheet.write(0, col, title)
    for row, (c, d, i, n, a, q, r, k) in enumerate(LINES, start=1):
        sheet.write_string(row, 0, c)
        sheet.write_datetime(row, 1, datetime(d.year, d.month, d.day), dates)
        sheet.write_string(row, 2, i)
        sheet.write_number(row, 3, n)
        sheet.write_string(row, 4, a)
        sheet.write_number(row, 5, q)
        sheet.write_number(row, 6, float(r))
        sheet.write_number(row, 7, float(k))
    book.close()
    return path


def write_parquet(path: Path) -> Path:
    columns = list(zip(*LINES, strict=True))
    table = pa.table(
        {
            "customer_number": pa.array(columns[0]),
            "invoice_date": pa.array(columns[1], pa.date32()),
            "invoice_number": pa.array(columns[2]),
            "line_number": pa.array(columns[3], pa.int32()),
            "article_number": pa.array(columns[4]),
            "quantity": pa.array([float(q) for q in columns[5]]),
            "net_revenue": pa.array(columns[6], pa.decimal128(12, 2)),
            "cost_of_goods": pa.array(columns[7], pa.decimal128(12, 2)),
        }
    )
    pq.write_table(table, path)
    return path


WRITERS = {
    "german.csv": write_german_csv,
    "utf8-bom.csv": write_utf8_bom_csv,
    "export.xlsx": write_xlsx,
    "export.parquet": write_parquet,
}


def customers() -> None:
    for number in ("K-100", "K-200", "K-300"):
        CustomerFactory(number=number)


def totals() -> tuple[int, Decimal, Decimal]:
    row = sales_totals()[0]
    return row["lines"], row["revenue"], row["cost"]


@pytest.mark.parametrize("name", WRITERS)
def test_every_dialect_gives_the_same_totals(tmp_path: Path, name: str) -> None:
    customers()
    path = WRITERS[name](tmp_path / name)
    result = import_file(path, by=None)
    assert (result.lines_added, result.lines_replaced, result.lines_unchanged) == (5, 0, 0)
    assert result.revenue_total == TOTAL
    assert totals() == (5, TOTAL, COST)
    by_year = {r["key"]: r["revenue"] for r in sales_totals("year")}
    assert by_year == {2025: Decimal("13824.47"), 2026: Decimal("3086.40")}
    dowel = SalesLine.objects.get(invoice_number="R-1001", line_number=2)
    assert dowel.article_number == "Dübel Ø10"
    assert dowel.customer.number == "K-100"
    credit = SalesLine.objects.get(invoice_number="G-0001")
    assert (credit.quantity, credit.net_revenue) == (Decimal(-5), Decimal("-9.99"))


def test_a_bad_row_in_the_middle_refuses_the_whole_file(tmp_path: Path) -> None:
    customers()
    import_file(write_german_csv(tmp_path / "first.csv", LINES[:2]), by=None)
    before = totals()
    lines = list(LINES)
    path = write_german_csv(tmp_path / "bad.csv", lines)
    text = path.read_bytes().decode("cp1252").splitlines()
    text[3] = text[3].replace("12.500,00", "12.500,00 EUR brutto")  # row 4 of the file
    path.write_bytes(("\n".join(text) + "\n").encode("cp1252"))
    with pytest.raises(ImportRefusedError) as refused:
        import_file(path, by=None)
    problems = refused.value.result.problems
    assert [(p.row, p.column) for p in problems] == [(4, "Nettoumsatz")]
    assert "keine Zahl" in problems[0].message
    assert totals() == before
    assert ImportRun.objects.count() == 1


def test_unknown_customers_are_refused_unless_created(tmp_path: Path) -> None:
    CustomerFactory(number="K-100")
    path = write_german_csv(tmp_path / "e.csv")
    with pytest.raises(ImportRefusedError) as refused:
        import_file(path, by=None)
    assert {p.value for p in refused.value.result.problems} == {"K-200", "K-300"}
    assert not SalesLine.objects.exists()
    dry = import_file(path, by=None, create_missing=True, dry_run=True)
    assert dry.lines_added == 5
    assert sorted(dry.customers_created) == ["K-200", "K-300"]
    assert not SalesLine.objects.exists()
    assert not Customer.objects.filter(number="K-200").exists()
    assert not ImportRun.objects.exists()
    done = import_file(path, by=None, create_missing=True)
    assert done.lines_added == 5
    assert Customer.objects.filter(number__in=["K-200", "K-300"]).count() == 2


def test_importing_twice_or_an_overlap_never_doubles_a_line(tmp_path: Path) -> None:
    customers()
    path = write_german_csv(tmp_path / "jan.csv", LINES[:4])
    import_file(path, by=None)
    again = import_file(path, by=None)
    assert (again.lines_added, again.lines_replaced, again.lines_unchanged) == (0, 0, 4)
    assert totals()[:2] == (4, TOTAL - LINES[4][6])
    corrected = list(LINES)
    corrected[2] = (*LINES[2][:6], Decimal("12000.00"), LINES[2][7])
    overlap = import_file(write_german_csv(tmp_path / "feb.csv", corrected[2:]), by=None)
    assert (overlap.lines_added, overlap.lines_replaced, overlap.lines_unchanged) == (1, 1, 1)
    assert totals()[:2] == (5, TOTAL - Decimal(500))


def test_lines_without_invoice_numbers_get_a_stable_content_key(tmp_path: Path) -> None:
    CustomerFactory(number="K-1")
    path = tmp_path / "plain.csv"
    path.write_text(
        "Kunde;Datum;Artikel;Umsatz\nK-1;01.03.2026;A;10,00\nK-1;01.03.2026;A;10,00\nK-1;02.03.2026;B;5,00\n"
    )
    first = import_file(path, by=None)
    assert first.lines_added == 3  # two identical lines are two lines
    second = import_file(path, by=None)
    assert (second.lines_added, second.lines_unchanged) == (0, 3)


def test_an_import_can_be_rolled_back_newest_first(tmp_path: Path, users) -> None:
    customers()
    first = import_file(write_german_csv(tmp_path / "a.csv", LINES[:3]), by=users["controller"])
    after_first = totals()
    corrected = [(*LINES[0][:6], Decimal("1000.00"), LINES[0][7]), *LINES[3:]]
    second = import_file(write_german_csv(tmp_path / "b.csv", corrected), by=users["controller"])
    assert (second.lines_added, second.lines_replaced) == (2, 1)
    with pytest.raises(ConflictError, match="Nur der neueste Import"):
        import_rollback(run=ImportRun.objects.get(pk=first.run_id), by=users["controller"])
    import_rollback(run=ImportRun.objects.get(pk=second.run_id), by=users["controller"])
    assert totals() == after_first
    line = SalesLine.objects.get(invoice_number="R-1001", line_number=1)
    assert (line.net_revenue, line.import_run_id) == (Decimal("1234.56"), first.run_id)
    assert ImportRun.objects.get(pk=second.run_id).status == ImportStatus.ROLLED_BACK
    import_rollback(run=ImportRun.objects.get(pk=first.run_id), by=users["controller"])
    assert totals()[0] == 0


def test_the_cli_imports_reports_json_and_fails_clearly(tmp_path: Path) -> None:
    customers()
    runner = CliRunner()
    path = write_german_csv(tmp_path / "cli.csv")
    dry = runner.invoke(app, ["import-sales", str(path), "--dry-run", "--json"])
    assert dry.exit_code == 0, dry.output
    assert json.loads(dry.stdout)["lines_added"] == 5
    assert not SalesLine.objects.exists()
    done = runner.invoke(app, ["import-sales", str(path), "--json"])
    summary = json.loads(done.stdout)
    assert summary["lines_added"] == 5
    assert summary["revenue_total"] == float(TOTAL)
    assert summary["customers_created"] == 0
    totals_out = runner.invoke(app, ["sales-totals", "--json"])
    assert json.loads(totals_out.stdout) == {
        "lines": 5,
        "revenue": float(TOTAL),
        "cost": float(COST),
        "contribution_margin_1": float(TOTAL - COST),
    }
    missing = runner.invoke(app, ["import-sales", str(tmp_path / "nope.csv")])
    assert missing.exit_code == 2
    bad = tmp_path / "bad.csv"
    bad.write_text("Kundennummer;Datum;Umsatz\nK-100;gestern;5\n")
    refused = runner.invoke(app, ["import-sales", str(bad)])
    assert refused.exit_code == 1
    assert "row 2" in refused.output


def test_the_api_imports_refuses_and_rolls_back(tmp_path: Path, api_client_for) -> None:
    customers()
    client = api_client_for("controller")
    path = write_german_csv(tmp_path / "api.csv")
    with path.open("rb") as f:
        dry = client.post("/api/imports/", {"file": f, "dry_run": "true"})
    assert dry.status_code == 200, dry.content
    assert dry.json()["lines_added"] == 5
    assert not SalesLine.objects.exists()
    with path.open("rb") as f:
        done = client.post("/api/imports/", {"file": f})
    assert done.status_code == 201
    import_id = done.json()["import_id"]
    assert client.get("/api/sales-totals/").json()[0]["lines"] == 5
    by_year = client.get("/api/sales-totals/?by=year").json()
    assert [row["key"] for row in by_year] == [2025, 2026]
    bad = tmp_path / "bad.csv"
    bad.write_text("Kundennummer;Datum;Umsatz\nK-100;01.01.2026;5\nK-100;gestern;5\n")
    with bad.open("rb") as f:
        refused = client.post("/api/imports/", {"file": f})
    assert refused.status_code == 422
    assert refused.json()["problems"][0]["row"] == 3
    assert client.get("/api/imports/").json()[0]["id"] == import_id
    assert client.post(f"/api/imports/{import_id}/rollback").json()["status"] == "rolled_back"
    assert not SalesLine.objects.exists()
    with path.open("rb") as f:
        denied = api_client_for("kam").post("/api/imports/", {"file": f})
    assert denied.status_code == 403
    ambiguous = tmp_path / "ambiguous.csv"
    ambiguous.write_text("Kundennummer;Datum;Beleg;Pos;Umsatz\nK-100;2026-01-05;R9;1;1.500\n")
    with ambiguous.open("rb") as f:
        told = client.post("/api/imports/", {"file": f, "decimal": ",", "dry_run": "true"})
    assert float(told.json()["revenue_total"]) == 1500.0


def test_many_bad_rows_are_all_counted_and_the_first_thousand_listed(tmp_path: Path) -> None:
    CustomerFactory(number="K-1")
    rows = [f"K-{i % 3};01.01.2026;R{i};1;;1;{'x' if i % 2 else '1,00'};0" for i in range(3000)]
    path = tmp_path / "many.csv"
    path.write_text(
        "Kundennummer;Datum;Beleg;Pos;Artikel;Menge;Umsatz;Kosten\n" + "\n".join(rows) + "\n"
    )
    with pytest.raises(ImportRefusedError) as refused:
        import_file(path, by=None)
    result = refused.value.result
    not_numbers = 1500  # odd rows
    strangers = sum(1 for i in range(0, 3000, 2) if i % 3 != 1)  # even rows, not K-1
    assert result.lines_invalid == not_numbers + strangers
    assert len(result.problems) == 1000
    assert result.problems[0].row == 2  # row 2 holds K-0, unknown


def test_the_same_invoice_line_twice_in_a_file_is_refused(tmp_path: Path) -> None:
    customers()
    doubled = [*LINES, LINES[1]]
    with pytest.raises(ImportRefusedError) as refused:
        import_file(write_german_csv(tmp_path / "twice.csv", doubled), by=None)
    (problem,) = refused.value.result.problems
    assert (problem.row, problem.value) == (7, "R-1001/2")
    assert "auch in Zeile 3" in problem.message
    assert not SalesLine.objects.exists()


def test_the_cli_takes_a_dialect_override_and_rolls_back(tmp_path: Path) -> None:
    CustomerFactory(number="K-1")
    path = tmp_path / "ambiguous.csv"
    path.write_text("Kundennummer;Datum;Beleg;Pos;Umsatz\nK-1;2026-01-05;R1;1;1.500\n")
    runner = CliRunner()
    detected = json.loads(
        runner.invoke(app, ["import-sales", str(path), "--dry-run", "--json"]).stdout
    )
    assert detected["revenue_total"] == 1.5  # "1.500" read as one and a half
    fixed = runner.invoke(app, ["import-sales", str(path), "--decimal", ",", "--json"])
    summary = json.loads(fixed.stdout)
    assert summary["revenue_total"] == 1500.0  # thousands separator, as the user says
    assert SalesLine.objects.get().invoice_date == date(2026, 1, 5)  # dates still detected
    rolled = runner.invoke(app, ["import-rollback", str(summary["import_id"])])
    assert rolled.exit_code == 0, rolled.output
    assert not SalesLine.objects.exists()
    again = runner.invoke(app, ["import-rollback", str(summary["import_id"])])
    assert again.exit_code == 1
