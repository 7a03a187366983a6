"""Read an ERP export (CSV, Excel, Parquet) into one typed Arrow table of sales lines.

Pure: no Django. German exports differ in every detail, so the dialect (encoding,
delimiter, decimal mark, date format) is detected and can be overridden. Every value is
checked; a row that fails is reported with its row number in the file, its column and
why, and never imported half.
"""

from __future__ import annotations

import codecs
import csv
import re
from collections.abc import Iterator
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pacsv
import pyarrow.parquet as pq

from kundenbild.analytics.columns import (
    NUMBER_FIELDS,
    REQUIRED,
    REVENUE_FACTORS,
    ColumnMapping,
)

SAMPLE_BYTES = 1 << 16
MAX_REPORTED_ERRORS = 1000
DATE_FORMATS = ("%d.%m.%Y", "%Y-%m-%d", "%d.%m.%y", "%d/%m/%Y")
TEXT_FIELDS = ("customer_number", "invoice_number", "article_number")
# why a cell is refused: stable codes, which the app turns into sentences in German/English
EMPTY = "empty"
NOT_A_DATE = "not_a_date"
NOT_A_NUMBER = "not_a_number"
NOT_A_LINE_NUMBER = "not_a_line_number"


class ReadError(Exception):
    """The file as a whole cannot be read (unknown format, no header, empty)."""


@dataclass(frozen=True)
class Dialect:
    encoding: str = "utf-8"  # "utf-8", "utf-8-sig" or "cp1252"
    delimiter: str = ";"
    decimal: str = ","  # "," (German) or "."
    date_format: str = "%d.%m.%Y"


@dataclass(frozen=True)
class RawFile:
    """The file's own columns, as read; `first_row` is the row number of the first line."""

    table: pa.Table
    headers: list[str]
    kind: str  # "csv", "xlsx" or "parquet"
    dialect: Dialect
    first_row: int


@dataclass(frozen=True)
class RowError:
    row: int
    column: str
    value: str
    reason: str


@dataclass(frozen=True)
class Lines:
    """Valid lines in canonical columns plus `row`; the errors of the invalid ones."""

    table: pa.Table
    errors: list[RowError]
    invalid_rows: int
    dialect: Dialect


def _encoding(sample: bytes) -> str:
    if sample.startswith(b"\xef\xbb\xbf"):
        return "utf-8-sig"
    try:
        sample[: len(sample) - 4 if len(sample) == SAMPLE_BYTES else None].decode("utf-8")
    except UnicodeDecodeError:
        return "cp1252"
    return "utf-8"


def sniff_csv(sample: bytes) -> Dialect:
    """Encoding and delimiter from the start of the file (decimal and dates come later)."""
    encoding = _encoding(sample)
    text = sample.decode(encoding, errors="ignore")
    header = text.lstrip("\ufeff").splitlines()[0] if text.strip() else ""
    counts = {d: header.count(d) for d in (";", ",", "\t", "|")}
    delimiter = max(counts, key=lambda d: counts[d])
    if counts[delimiter] == 0:
        delimiter = ";"
    return Dialect(encoding=encoding, delimiter=delimiter)


def _csv_options(
    path: Path, dialect: Dialect
) -> tuple[list[str], pacsv.ReadOptions, pacsv.ParseOptions, pacsv.ConvertOptions]:
    with path.open("rb") as f:
        header_bytes = f.readline()
    header_text = header_bytes.decode(dialect.encoding, errors="replace").lstrip("\ufeff")
    headers = _parse_header(header_text, dialect.delimiter)
    if not headers:
        raise ReadError("The file has no header row.")
    names = unique_names(headers)
    arrow_encoding = "utf8" if dialect.encoding.startswith("utf-8") else dialect.encoding
    return (
        headers,
        pacsv.ReadOptions(
            encoding=arrow_encoding, column_names=names, skip_rows=1, block_size=1 << 24
        ),
        pacsv.ParseOptions(delimiter=dialect.delimiter),
        pacsv.ConvertOptions(
            column_types=dict.fromkeys(names, pa.string()),
            strings_can_be_null=False,
            quoted_strings_can_be_null=False,
        ),
    )


def _read_csv(path: Path, dialect: Dialect) -> pa.Table:
    headers, read, parse, convert_options = _csv_options(path, dialect)
    table = pacsv.read_csv(
        path, read_options=read, parse_options=parse, convert_options=convert_options
    )
    return table.rename_columns(headers)


def iter_raw_batches(path: Path, dialect: Dialect | None = None) -> Iterator[RawFile]:
    """The file in batches of about a million rows, so memory stays bounded on big files.

    Each batch is a `RawFile` whose `first_row` is its first row's number in the file, so
    errors found by `convert` name the row in the file. Excel files come in one batch.
    """
    suffix = path.suffix.lower()
    if suffix in (".parquet", ".pq"):
        parquet = pq.ParquetFile(path)
        row = 1
        for batch in parquet.iter_batches(batch_size=1 << 20):
            table = pa.Table.from_batches([batch])
            yield RawFile(table, table.column_names, "parquet", dialect or Dialect(), row)
            row += batch.num_rows
        return
    if suffix not in (".csv", ".txt", ".tsv"):
        yield read_file(path, dialect)
        return
    with path.open("rb") as f:
        sample = f.read(SAMPLE_BYTES)
    if not sample.strip():
        raise ReadError("The file is empty.")
    chosen = dialect or sniff_csv(sample)
    if dialect is None and chosen.encoding == "utf-8" and not _all_utf8(path):
        chosen = replace(chosen, encoding="cp1252")  # UTF-8 at the start, not further on
    headers, read, parse, convert_options = _csv_options(path, chosen)
    row = 2
    try:
        with pacsv.open_csv(
            path, read_options=read, parse_options=parse, convert_options=convert_options
        ) as reader:
            for batch in reader:
                table = pa.Table.from_batches([batch]).rename_columns(headers)
                yield RawFile(table, headers, "csv", chosen, row)
                row += batch.num_rows
    except pa.ArrowInvalid as error:
        raise ReadError(f"The file cannot be read as CSV: {error}") from None


def read_sample(path: Path, dialect: Dialect | None = None) -> RawFile | None:
    """The first lines of a CSV or Parquet file (None for other kinds): enough to map the
    headers and sniff the dialect without reading, or even decoding, the whole file."""
    suffix = path.suffix.lower()
    if suffix in (".parquet", ".pq"):
        parquet = pq.ParquetFile(path)
        batch = next(parquet.iter_batches(batch_size=2000), None)
        if batch is None:
            return None
        table = pa.Table.from_batches([batch])
        return RawFile(table, table.column_names, "parquet", dialect or Dialect(), 1)
    if suffix not in (".csv", ".txt", ".tsv"):
        return None
    with path.open("rb") as f:
        sample = f.read(SAMPLE_BYTES)
    if not sample.strip():
        return None
    chosen = dialect or sniff_csv(sample)
    complete = sample if len(sample) < SAMPLE_BYTES else sample[: sample.rfind(b"\n") + 1]
    headers, read, parse, convert_options = _csv_options(path, chosen)
    try:
        table = pacsv.read_csv(
            pa.BufferReader(complete),
            read_options=read,
            parse_options=parse,
            convert_options=convert_options,
        )
    except pa.ArrowInvalid:
        return None
    return RawFile(table.rename_columns(headers), headers, "csv", chosen, 2)


def _all_utf8(path: Path) -> bool:
    """Whether the whole file is valid UTF-8 (checked in chunks: about 1 s per GB)."""
    decoder = codecs.getincrementaldecoder("utf-8")()
    with path.open("rb") as f:
        try:
            while chunk := f.read(1 << 24):
                decoder.decode(chunk)
            decoder.decode(b"", final=True)
        except UnicodeDecodeError:
            return False
    return True


def _parse_header(line: str, delimiter: str) -> list[str]:
    rows = list(csv.reader([line.rstrip("\r\n")], delimiter=delimiter))
    return [h.strip() for h in rows[0]] if rows else []


def unique_names(headers: list[str]) -> list[str]:
    seen: dict[str, int] = {}
    names = []
    for h in headers:
        n = seen.get(h, 0)
        seen[h] = n + 1
        names.append(h if n == 0 else f"{h}.{n}")
    return names


def _excel_column(values: list[Any]) -> pa.Array:
    """One Excel column: numbers stay numbers, dates dates, anything mixed becomes text."""
    present = [v for v in values if v not in (None, "")]
    if present and all(isinstance(v, int | float) and not isinstance(v, bool) for v in present):
        return pa.array([None if v in (None, "") else float(v) for v in values], pa.float64())
    if present and all(hasattr(v, "year") for v in present):
        return pa.array(
            [None if v in (None, "") else (v.date() if hasattr(v, "hour") else v) for v in values],
            pa.date32(),
        )

    def text(v: Any) -> str:
        if v is None:
            return ""
        if isinstance(v, float) and v.is_integer():
            return str(int(v))
        if hasattr(v, "isoformat"):
            return str(v.isoformat())[:10]
        return str(v)

    return pa.array([text(v) for v in values], pa.string())


def _read_xlsx(path: Path) -> pa.Table:
    from python_calamine import CalamineWorkbook

    rows = CalamineWorkbook.from_path(str(path)).get_sheet_by_index(0).to_python()
    if not rows:
        raise ReadError("The worksheet is empty.")
    headers = [str(h).strip() for h in rows[0]]
    body = rows[1:]
    columns = [
        _excel_column([r[i] if i < len(r) else None for r in body]) for i in range(len(headers))
    ]
    return pa.Table.from_arrays(columns, names=unique_names(headers)).rename_columns(headers)


def read_file(path: Path, dialect: Dialect | None = None) -> RawFile:
    """Read the file's own columns; CSV values stay text until `convert` checks them."""
    suffix = path.suffix.lower()
    if suffix in (".parquet", ".pq"):
        table = pq.read_table(path)
        return RawFile(table, table.column_names, "parquet", dialect or Dialect(), 1)
    if suffix in (".xlsx", ".xlsm"):
        table = _read_xlsx(path)
        return RawFile(table, table.column_names, "xlsx", dialect or Dialect(), 2)
    if suffix not in (".csv", ".txt", ".tsv"):
        raise ReadError(f"Unknown file type {suffix!r}: use CSV, Excel (.xlsx) or Parquet.")
    with path.open("rb") as f:
        sample = f.read(SAMPLE_BYTES)
    if not sample.strip():
        raise ReadError("The file is empty.")
    sniffed = sniff_csv(sample)
    chosen = dialect or sniffed
    try:
        table = _read_csv(path, chosen)
    except pa.ArrowInvalid as error:
        if "UTF8" not in str(error) or dialect is not None:
            raise ReadError(f"The file cannot be read as CSV: {error}") from None
        chosen = replace(chosen, encoding="cp1252")  # UTF-8 at the start, not further on
        table = _read_csv(path, chosen)
    return RawFile(table, table.column_names, "csv", chosen, 2)


def sniff_override(path: Path, overrides: dict[str, str]) -> Dialect | None:
    """The detected CSV dialect with the user's choices applied; None without choices."""
    chosen = dict(overrides)
    if not chosen:
        return None
    if path.suffix.lower() in (".csv", ".txt", ".tsv"):
        with path.open("rb") as f:
            base = sniff_csv(f.read(SAMPLE_BYTES))
    else:
        base = Dialect()
    delimiter = chosen.get("delimiter")
    if delimiter in ("\\t", "tab"):
        chosen["delimiter"] = "\t"
    return replace(base, **chosen)


_COMMA_DECIMAL = re.compile(r"^[-+]?[\d.]*\d,\d+-?$")
_POINT_DECIMAL = re.compile(r"^[-+]?[\d,]*\d\.\d+-?$")
_DATE_PATTERNS = (
    (re.compile(r"^\d{1,2}\.\d{1,2}\.\d{4}$"), "%d.%m.%Y"),
    (re.compile(r"^\d{4}-\d{2}-\d{2}"), "%Y-%m-%d"),
    (re.compile(r"^\d{1,2}\.\d{1,2}\.\d{2}$"), "%d.%m.%y"),
    (re.compile(r"^\d{1,2}/\d{1,2}/\d{4}$"), "%d/%m/%Y"),
)


def sniff_values(raw: RawFile, mapping: ColumnMapping) -> Dialect:
    """The decimal mark and date format, from the mapped columns' values."""
    dialect = raw.dialect
    comma = point = 0
    for field in (*NUMBER_FIELDS, "unit_price"):
        header = mapping.columns.get(field)
        if header is None or not pa.types.is_string(raw.table.schema.field(header).type):
            continue
        for value in raw.table.column(header).slice(0, 2000).to_pylist():
            text = (value or "").replace(" ", "").replace("\u00a0", "").replace("€", "")
            comma += bool(_COMMA_DECIMAL.match(text))
            point += bool(_POINT_DECIMAL.match(text))
    if comma or point:
        dialect = replace(dialect, decimal="," if comma >= point else ".")
    header = mapping.columns.get("invoice_date")
    if header is not None and pa.types.is_string(raw.table.schema.field(header).type):
        values = [v.strip() for v in raw.table.column(header).slice(0, 2000).to_pylist() if v]
        for pattern, fmt in _DATE_PATTERNS:
            if values and sum(bool(pattern.match(v)) for v in values) > len(values) / 2:
                dialect = replace(dialect, date_format=fmt)
                break
    return dialect


def _numbers(
    column: pa.ChunkedArray, decimal: str
) -> tuple[pa.ChunkedArray, np.ndarray, np.ndarray]:
    """Values as float64, a mask of empty cells and a mask of cells that are no number."""
    if not pa.types.is_string(column.type):
        values = pc.cast(column, pa.float64())
        empty = values.is_null().to_numpy(zero_copy_only=False)
        return values, empty, np.zeros(len(column), dtype=bool)
    text = pc.utf8_trim_whitespace(column)
    text = pc.replace_substring_regex(text, "[\\s\u00a0€]|EUR", "")
    text = pc.replace_substring_regex(text, r"^([0-9.,]+)-$", r"-\1")  # SAP: 12,50-
    if decimal == ",":
        text = pc.replace_substring(pc.replace_substring(text, ".", ""), ",", ".")
    else:
        text = pc.replace_substring(text, ",", "")
    empty = pc.equal(text, "").to_numpy(zero_copy_only=False)
    valid = pc.match_substring_regex(text, r"^[+-]?(\d+(\.\d*)?|\.\d+)$")
    bad = ~valid.to_numpy(zero_copy_only=False) & ~empty
    values = pc.cast(pc.if_else(valid, text, pa.scalar(None, pa.string())), pa.float64())
    return values, empty, bad


def _dates(
    column: pa.ChunkedArray, date_format: str
) -> tuple[pa.ChunkedArray, np.ndarray, np.ndarray]:
    if pa.types.is_timestamp(column.type) or pa.types.is_date(column.type):
        values = pc.cast(column, pa.date32())
        empty = values.is_null().to_numpy(zero_copy_only=False)
        return values, empty, np.zeros(len(column), dtype=bool)
    text = pc.utf8_trim_whitespace(pc.cast(column, pa.string()))
    if date_format == "%Y-%m-%d":
        text = pc.utf8_slice_codeunits(text, 0, 10)
    empty = pc.equal(text, "").to_numpy(zero_copy_only=False)
    parsed = pc.strptime(text, format=date_format, unit="s", error_is_null=True)
    values = pc.cast(parsed, pa.date32())
    bad = values.is_null().to_numpy(zero_copy_only=False) & ~empty
    return values, empty, bad


def _text(column: pa.ChunkedArray) -> pa.ChunkedArray:
    if pa.types.is_floating(column.type):
        whole = pc.equal(pc.round(column), column)
        if pc.all(pc.or_kleene(whole, column.is_null())).as_py():
            column = pc.cast(column, pa.int64())
    return pc.utf8_trim_whitespace(pc.cast(column, pa.string()))


def convert(
    raw: RawFile,
    mapping: ColumnMapping,
    dialect: Dialect | None = None,
    *,
    skip_without_customer: bool = False,
) -> Lines:
    """Check and type every value; report each bad cell with its row number and why.

    With `skip_without_customer`, a line without a customer number is no error: its
    customer number becomes null, for the caller to count and leave out (anonymous
    counter sales in a retail export)."""
    missing = mapping.missing_required()
    if missing:
        raise ReadError("Required columns not found: " + ", ".join(missing))
    dialect = dialect or sniff_values(raw, mapping)
    n = raw.table.num_rows
    rows = np.arange(raw.first_row, raw.first_row + n, dtype=np.int64)
    invalid = np.zeros(n, dtype=bool)
    errors: list[RowError] = []
    columns: dict[str, Any] = {}

    def report(mask: np.ndarray, field: str, reason: str) -> None:
        nonlocal invalid
        invalid |= mask
        if len(errors) >= MAX_REPORTED_ERRORS or not mask.any():
            return
        header = mapping.columns[field]
        source = raw.table.column(header)
        for i in np.flatnonzero(mask)[: MAX_REPORTED_ERRORS - len(errors)]:
            value = source[int(i)].as_py()
            errors.append(
                RowError(int(rows[i]), header, "" if value is None else str(value), reason)
            )

    for field in TEXT_FIELDS:
        header = mapping.columns.get(field)
        if header is None:
            columns[field] = (
                pa.nulls(n, pa.string()) if field == "invoice_number" else pa.array([""] * n)
            )
            continue
        text = _text(raw.table.column(header))
        if field == "customer_number":
            blank = pc.fill_null(pc.equal(text, ""), True)
            if skip_without_customer:
                text = pc.if_else(blank, pa.scalar(None, pa.string()), text)
            else:
                report(blank.to_numpy(zero_copy_only=False), field, EMPTY)
        columns[field] = text
    header = mapping.columns["invoice_date"]
    dates, empty, bad = _dates(raw.table.column(header), dialect.date_format)
    report(empty, "invoice_date", EMPTY)
    report(bad, "invoice_date", NOT_A_DATE)
    columns["invoice_date"] = dates
    derived = mapping.derives("net_revenue")
    for field in (*NUMBER_FIELDS, "unit_price") if derived else NUMBER_FIELDS:
        header = mapping.columns.get(field)
        if header is None:
            columns[field] = pa.array(np.zeros(n))
            continue
        values, empty, bad = _numbers(raw.table.column(header), dialect.decimal)
        if field in REQUIRED or (derived and field in REVENUE_FACTORS):
            report(empty, field, EMPTY)
        report(bad, field, NOT_A_NUMBER)
        digits = {"quantity": 3, "unit_price": 6}.get(field, 2)
        columns[field] = pc.round(pc.fill_null(values, 0.0), digits)
    if derived:
        price = columns.pop("unit_price")
        columns["net_revenue"] = pc.round(pc.multiply(columns["quantity"], price), 2)
    header = mapping.columns.get("line_number")
    if header is None:
        columns["line_number"] = pa.nulls(n, pa.int64())
    else:
        values, empty, bad = _numbers(raw.table.column(header), ".")
        whole = pc.equal(pc.round(values), values).to_numpy(zero_copy_only=False)
        negative = pc.less(values, 0).to_numpy(zero_copy_only=False)
        report(bad | (~empty & ~(whole & ~negative)), "line_number", NOT_A_LINE_NUMBER)
        usable = pa.array(~(bad | empty))
        columns["line_number"] = pc.cast(
            pc.if_else(
                usable,
                values.combine_chunks() if isinstance(values, pa.ChunkedArray) else values,
                pa.scalar(None, pa.float64()),
            ),
            pa.int64(),
            safe=False,
        )
    keep = pa.array(~invalid)
    table = pa.table({**columns, "row": pa.array(rows)}).filter(keep)
    return Lines(table=table, errors=errors, invalid_rows=int(invalid.sum()), dialect=dialect)
