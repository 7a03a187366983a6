"""Read clean files straight into the engine: the fast path for big exports.

Checking every cell in Python (`lines.LineSource`) costs more than the whole analysis of
a clean file. So Parquet and UTF-8 CSV files are scanned by DuckDB itself, with the same
parsing rules as `reading.convert` written in SQL, and every line carries a `bad` flag
instead of being checked one by one. When any line is bad, the caller throws the scan
away and reads the files through the checked stream, which names the first bad row; a
file the scan cannot take (Excel, Windows-1252, float customer numbers) goes that way
from the start.

Identifiers and paths are quoted here, never taken from the user unquoted.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq

from kundenbild.analytics.io.columns import REVENUE_FACTORS, ColumnMapping
from kundenbild.analytics.io.lines import analysis_mapping
from kundenbild.analytics.io.reading import (
    FIRST_YEAR,
    LAST_YEAR,
    MAX_AMOUNT,
    MAX_QUANTITY,
    MAX_TEXT_CHARS,
    Dialect,
    read_sample,
    sniff_values,
    unique_names,
)

_NUMBER = r"[+-]?(\d+(\.\d*)?|\.\d+)"


def _identifier(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def _literal(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


@dataclass(frozen=True)
class Scan:
    sql: str  # one SELECT over all files: `lines.LINE_SCHEMA` plus `bad`
    has_cost: bool


def scan_sql(
    paths: Sequence[Path], dialect: Dialect | None = None, *, skip_without_customer: bool = False
) -> Scan | None:
    """The engine's direct scan of the files, or None if a file needs the checked stream.
    With `skip_without_customer`, a line without customer number gets a null one instead
    of the `bad` flag."""
    parts = []
    has_cost = True
    for path in paths:
        found = _file_sql(path, dialect, skip_without_customer)
        if found is None:
            return None
        parts.append(found[0])
        has_cost &= found[1]
    return Scan("\nUNION ALL\n".join(parts), has_cost)


def _file_sql(
    path: Path, dialect: Dialect | None, skip_without_customer: bool
) -> tuple[str, bool] | None:
    suffix = path.suffix.lower()
    raw = read_sample(path, dialect) if path.is_file() else None
    if raw is None:
        return None
    mapping = analysis_mapping(raw.headers)
    if mapping.missing_required():
        return None
    chosen = dialect or sniff_values(raw, mapping)
    if suffix in (".parquet", ".pq"):
        types = {field.name: field.type for field in pq.read_schema(path)}
        source = f"read_parquet({_literal(str(path))})"
    else:
        if chosen.encoding not in ("utf-8", "utf-8-sig"):
            return None
        names = unique_names(raw.headers)
        columns = "{" + ", ".join(f"{_literal(n)}: 'VARCHAR'" for n in names) + "}"
        source = (
            f"read_csv({_literal(str(path))}, delim={_literal(chosen.delimiter)}, "
            f"header=true, auto_detect=false, columns={columns}, quote='\"', escape='\"')"
        )
        types = dict.fromkeys(names, pa.string())
    select = _select(source, mapping, types, chosen, skip_without_customer)
    return None if select is None else (select, "cost_of_goods" in mapping.columns)


def _select(
    source: str,
    mapping: ColumnMapping,
    types: dict[str, pa.DataType],
    dialect: Dialect,
    skip_without_customer: bool,
) -> str | None:
    checks: list[str] = []

    def column(field: str) -> tuple[str, pa.DataType] | None:
        header = mapping.columns.get(field)
        return None if header is None else (_identifier(header), types[header])

    customer = column("customer_number")
    assert customer is not None  # required columns were checked
    ident, kind = customer
    if pa.types.is_floating(kind):
        return None  # whole-number floats become integers in the checked stream
    customer_sql = _trimmed(f"CAST({ident} AS VARCHAR)")
    if skip_without_customer:
        customer_sql = f"nullif({customer_sql}, '')"
    else:
        checks.append(f"coalesce({customer_sql}, '') = ''")
    checks.append(_too_long(customer_sql))

    date_sql = _date(column("invoice_date"), dialect, checks)
    if date_sql is None:
        return None
    values = {}
    derived = mapping.derives("net_revenue")
    for field in ("net_revenue", "cost_of_goods", "quantity", "unit_price"):
        needed = field in REVENUE_FACTORS if derived else field == "net_revenue"
        values[field] = _number(column(field), dialect, checks, required=needed)
        if values[field] is None:
            return None
        if field in mapping.columns and (derived or field != "unit_price"):
            digits = {"quantity": 3, "unit_price": 6}.get(field, 2)
            limit = MAX_QUANTITY if field == "quantity" else MAX_AMOUNT
            checks.append(_beyond(f"round({values[field]}, {digits})", limit))
    if derived:
        quantity = f"round({values['quantity']}, 3)"
        values["net_revenue"] = f"{quantity} * round({values['unit_price']}, 6)"
        checks.append(_beyond(f"round({values['net_revenue']}, 2)", MAX_AMOUNT))
    texts = {}
    for field in ("invoice_number", "article_number"):
        found = column(field)
        texts[field] = (
            _trimmed(f"CAST({found[0]} AS VARCHAR)")
            if found
            else ("CAST(NULL AS VARCHAR)" if field == "invoice_number" else "''")
        )
        if found:
            checks.append(_too_long(texts[field]))
    return (
        f"SELECT {customer_sql} AS customer_number, "
        f"{texts['invoice_number']} AS invoice_number, {date_sql} AS invoice_date, "
        f"coalesce({texts['article_number']}, '') AS article_number, "
        f"round(coalesce({values['quantity']}, 0), 3) AS quantity, "
        f"round(coalesce({values['net_revenue']}, 0), 2) AS net_revenue, "
        f"round(coalesce({values['cost_of_goods']}, 0), 2) AS cost_of_goods, "
        f"({' OR '.join(checks)}) AS bad FROM {source}"
    )


def _too_long(text: str) -> str:
    return f"coalesce(length({text}) > {MAX_TEXT_CHARS}, false)"


def _beyond(number: str, limit: float) -> str:
    """Too large for the database, or not finite (NaN sorts above all): as `reading`."""
    return f"coalesce(NOT (abs({number}) < {limit:.0f}), false)"


def _trimmed(text: str) -> str:
    """`text` without leading and trailing spaces; trimmed only where it has any, which
    costs a tenth of trimming every one of ten million customer and invoice numbers."""
    return (
        f"CASE WHEN starts_with({text}, ' ') OR ends_with({text}, ' ') "
        f"THEN trim({text}) ELSE {text} END"
    )


def _date(found: tuple[str, pa.DataType] | None, dialect: Dialect, checks: list[str]) -> str | None:
    assert found is not None
    ident, kind = found
    if pa.types.is_date(kind) or pa.types.is_timestamp(kind):
        checks.append(f"{ident} IS NULL")
        checks.append(_outside(f"CAST({ident} AS DATE)"))
        return f"CAST({ident} AS DATE)"
    if not pa.types.is_string(kind) and not pa.types.is_large_string(kind):
        return None
    text = f"trim(coalesce({ident}, ''))"
    if dialect.date_format == "%Y-%m-%d":
        text = f"left({text}, 10)"
    parsed = f"CAST(try_strptime({text}, {_literal(dialect.date_format)}) AS DATE)"
    checks.append(f"{parsed} IS NULL")  # also a day that does not exist, as in `reading`
    checks.append(_outside(parsed))
    return parsed


def _outside(day: str) -> str:
    return f"coalesce(year({day}) NOT BETWEEN {FIRST_YEAR} AND {LAST_YEAR}, false)"


def _number(
    found: tuple[str, pa.DataType] | None, dialect: Dialect, checks: list[str], *, required: bool
) -> str | None:
    if found is None:
        return "0.0"
    ident, kind = found
    if pa.types.is_integer(kind) or pa.types.is_floating(kind) or pa.types.is_decimal(kind):
        if required:
            checks.append(f"{ident} IS NULL")
        return f"CAST({ident} AS DOUBLE)"
    if not pa.types.is_string(kind) and not pa.types.is_large_string(kind):
        return None
    raw = f"coalesce({ident}, '')"
    # most cells are plain numbers ("1234.5", or "1234,5" in German files): cast them at
    # once; only the rest takes the full rules (spaces, €, thousands marks, SAP minus)
    mark = "," if dialect.decimal == "," else "\\."
    plain = f"regexp_full_match({raw}, '-?[0-9]+({mark}[0-9]+)?')"
    text = f"regexp_replace(trim({raw}), '[\\s\u00a0€]|EUR', '', 'g')"
    text = f"regexp_replace({text}, '^([0-9.,]+)-$', '-\\1')"
    if dialect.decimal == ",":
        text = f"replace(replace({text}, '.', ''), ',', '.')"
    else:
        text = f"replace({text}, ',', '')"
    valid = f"regexp_full_match({text}, {_literal(_NUMBER)})"
    # CASE, not AND: DuckDB evaluates a CASE branch only for the rows that reach it
    checks.append(f"(CASE WHEN {plain} THEN false ELSE {text} <> '' AND NOT {valid} END)")
    if required:
        checks.append(f"(CASE WHEN {plain} THEN false ELSE {text} = '' END)")
    return (
        f"CASE WHEN {plain} THEN CAST(replace({raw}, ',', '.') AS DOUBLE) "
        f"WHEN {valid} THEN CAST({text} AS DOUBLE) END"
    )
