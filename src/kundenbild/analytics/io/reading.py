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
from datetime import date
from pathlib import Path
from typing import Any

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pacsv
import pyarrow.parquet as pq

from kundenbild.analytics.io.columns import (
    NUMBER_FIELDS,
    REQUIRED,
    REVENUE_FACTORS,
    ColumnMapping,
)
from kundenbild.analytics.io.guards import (
    CSV,
    EXCEL,
    PARQUET,
    check_cells,
    check_columns,
    check_packed,
    check_rows,
)
from kundenbild.analytics.io.guards import ReadError as ReadError
from kundenbild.analytics.io.limits import Limits

SAMPLE_BYTES = 1 << 16
MAX_REPORTED_ERRORS = 1000
MAX_SHOWN_CHARS = 100  # of a refused cell's value in a report
DATE_FORMATS = ("%d.%m.%Y", "%Y-%m-%d", "%d.%m.%y", "%d/%m/%Y")
TEXT_FIELDS = ("customer_number", "invoice_number", "article_number")
# why a cell is refused: stable codes, which the app turns into sentences in German/English
EMPTY = "empty"
NOT_A_DATE = "not_a_date"
NOT_A_NUMBER = "not_a_number"
NOT_A_LINE_NUMBER = "not_a_line_number"
OUT_OF_RANGE = "out_of_range"
DATE_OUT_OF_RANGE = "date_out_of_range"
TOO_LONG = "too_long"
# what the database holds: customer, invoice and article numbers of up to 40 characters,
# quantities of 14 digits with 3 decimals, amounts with 2, lines up to 2^31 - 1; a value
# beyond is refused as a bad cell here, not by the database halfway through an import
MAX_TEXT_CHARS = 40
MAX_QUANTITY = 1e11
MAX_AMOUNT = 1e12
MAX_LINE_NUMBER = 2**31 - 1
# invoice dates before 1901 are placeholders (01.01.1900) or Excel's 29.02.1900, which
# never existed; after 2199 typing errors
FIRST_YEAR, LAST_YEAR = 1901, 2199
# what a parser may raise on a damaged file, besides its own ReadError: turned into one
PARSER_ERRORS = (pa.ArrowException, OSError, ValueError, EOFError, csv.Error, UnicodeError)


# Arrow's CSV readers, called from the main thread, start a thread that waits for SIGINT on
# a self-pipe, so that Ctrl-C cancels a read. That thread outlives the interpreter; when the
# process exits while Arrow tears it down, libstdc++ aborts ("terminate called without an
# active exception", SIGABRT) after the output was written: about 1 run of analyze-file
# in 10 under load failed so. The files are read in batches, so Python's own handling of
# Ctrl-C still stops a read within a batch; Arrow's is not needed, and never started.
pa.enable_signal_handlers(False)


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


def _header_line(path: Path, dialect: Dialect, limits: Limits) -> list[str]:
    """The header row, read no further than `limits.max_header_bytes`.

    Why bounded: a file without line breaks (binary data, one endless row) would
    otherwise be read whole into one string. A longer header row is refused with its
    number of columns, counted by its delimiters without keeping it.
    """
    with path.open("rb") as f:
        line = f.readline(limits.max_header_bytes + 1)
        if len(line) > limits.max_header_bytes and not line.endswith(b"\n"):
            columns = line.count(dialect.delimiter.encode()) + 1
            while (chunk := f.readline(1 << 20)) and not line.endswith(b"\n"):
                columns += chunk.count(dialect.delimiter.encode())
                line = chunk
            check_columns(columns, limits)
            raise ReadError(
                f"The header row is longer than {limits.max_header_bytes:,} bytes.",
                "header_too_long",
                limit=limits.max_header_bytes,
            )
    text = line.decode(dialect.encoding, errors="replace").lstrip("\ufeff")
    try:
        headers = _parse_header(text, dialect.delimiter)
    except csv.Error as error:
        raise _unreadable_csv(error) from None
    if not headers or not any(headers):
        raise ReadError("The file has no header row.", "no_header")
    check_columns(len(headers), limits)
    return headers


def _csv_options(
    path: Path, dialect: Dialect, limits: Limits
) -> tuple[list[str], pacsv.ReadOptions, pacsv.ParseOptions, pacsv.ConvertOptions]:
    headers = _header_line(path, dialect, limits)
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


def _csv_sample(path: Path) -> bytes:
    """The start of a CSV file; refused if empty or binary (a picture, a zip, UTF-16)."""
    with path.open("rb") as f:
        sample = f.read(SAMPLE_BYTES)
    if not sample.strip():
        raise ReadError("The file is empty.", "empty")
    if b"\x00" in sample:
        raise ReadError("The file contains binary data: it is no CSV file.", "binary")
    return sample


def _csv_dialect(path: Path, sample: bytes, dialect: Dialect | None) -> Dialect:
    """The given dialect, else the sniffed one with the encoding of the whole file."""
    if dialect is not None:
        return dialect
    chosen = sniff_csv(sample)
    whole = _file_encoding(path)
    if whole == "mixed":
        raise ReadError(
            "The file mixes two encodings (UTF-8 and Windows-1252); save it again in one.",
            "mixed_encoding",
        )
    if whole == "cp1252" and chosen.encoding != "cp1252":
        chosen = replace(chosen, encoding="cp1252")  # UTF-8 at the start, not further on
    return chosen


def _unreadable_csv(error: Exception) -> ReadError:
    detail = str(error).splitlines()[0][:200] if str(error) else type(error).__name__
    return ReadError(f"The file cannot be read as CSV: {detail}", "not_csv", detail=detail)


def iter_raw_batches(
    path: Path, dialect: Dialect | None = None, limits: Limits | None = None
) -> Iterator[RawFile]:
    """The file in batches of about a million rows, so memory stays bounded on big files.

    Each batch is a `RawFile` whose `first_row` is its first row's number in the file, so
    errors found by `convert` name the row in the file. Excel files come in one batch.
    """
    limits = limits or Limits.from_env()
    suffix = path.suffix.lower()
    if suffix in PARQUET:
        check_packed(path, limits)
        row = 1
        try:
            parquet = pq.ParquetFile(path, page_checksum_verification=True)
            for batch in parquet.iter_batches(batch_size=1 << 20):
                table = pa.Table.from_batches([batch])
                check_cells(table, table.column_names, row, limits)
                yield RawFile(table, table.column_names, "parquet", dialect or Dialect(), row)
                row += batch.num_rows
        except PARSER_ERRORS:
            raise _not_parquet() from None
        return
    if suffix not in CSV:
        yield read_file(path, dialect, limits)
        return
    chosen = _csv_dialect(path, _csv_sample(path), dialect)
    headers, read, parse, convert_options = _csv_options(path, chosen, limits)
    row = 2
    try:
        with pacsv.open_csv(
            path, read_options=read, parse_options=parse, convert_options=convert_options
        ) as reader:
            for batch in reader:
                table = pa.Table.from_batches([batch]).rename_columns(headers)
                check_cells(table, headers, row, limits)
                yield RawFile(table, headers, "csv", chosen, row)
                row += batch.num_rows
    except PARSER_ERRORS as error:
        raise _unreadable_csv(error) from None


def read_sample(path: Path, dialect: Dialect | None = None) -> RawFile | None:
    """The first lines of a CSV or Parquet file (None for other kinds): enough to map the
    headers and sniff the dialect without reading, or even decoding, the whole file.

    None, too, for a file that cannot be read or is over a limit: the checked stream
    then reads it and says why."""
    try:
        return _read_sample(path, dialect, Limits.from_env())
    except (ReadError, *PARSER_ERRORS):
        return None


def _read_sample(path: Path, dialect: Dialect | None, limits: Limits) -> RawFile | None:
    suffix = path.suffix.lower()
    if suffix in PARQUET:
        check_packed(path, limits)
        parquet = pq.ParquetFile(path)
        batch = next(parquet.iter_batches(batch_size=2000), None)
        if batch is None:
            return None
        table = pa.Table.from_batches([batch])
        return RawFile(table, table.column_names, "parquet", dialect or Dialect(), 1)
    if suffix not in CSV:
        return None
    sample = _csv_sample(path)
    chosen = dialect or sniff_csv(sample)
    complete = sample if len(sample) < SAMPLE_BYTES else sample[: sample.rfind(b"\n") + 1]
    headers, read, parse, convert_options = _csv_options(path, chosen, limits)
    table = pacsv.read_csv(
        pa.BufferReader(complete),
        read_options=read,
        parse_options=parse,
        convert_options=convert_options,
    )
    return RawFile(table.rename_columns(headers), headers, "csv", chosen, 2)


# a character beyond ASCII as UTF-8 writes it; in a Windows-1252 file these byte pairs
# are an accented capital followed by a sign such as € or °, which no export has
_UTF8_SEQUENCE = re.compile(
    rb"[\xc2-\xdf][\x80-\xbf]|[\xe0-\xef][\x80-\xbf]{2}|[\xf0-\xf4][\x80-\xbf]{3}"
)


def _file_encoding(path: Path) -> str:
    """ "utf-8", "cp1252", or "mixed" for a file that is not UTF-8 but has UTF-8 in it
    (two exports pasted together): read as either, one part would become gibberish.

    Checked in chunks, about 1 s per GB."""
    decoder = codecs.getincrementaldecoder("utf-8")()
    valid, multibyte, tail = True, False, b""
    with path.open("rb") as f:
        while chunk := f.read(1 << 24):
            if valid:
                try:
                    decoder.decode(chunk)
                except UnicodeDecodeError:
                    valid = False
            if not multibyte:
                multibyte = _UTF8_SEQUENCE.search(tail + chunk) is not None
                tail = chunk[-3:]
            if not valid and multibyte:
                return "mixed"
    if valid:
        try:
            decoder.decode(b"", final=True)
        except UnicodeDecodeError:
            valid = False
    return "utf-8" if valid else "cp1252"


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


def _read_xlsx(path: Path, limits: Limits) -> pa.Table:
    """The first worksheet; its size is checked from the zip directory first, and its
    rows and columns before they become Python objects (about 100 bytes a cell)."""
    from python_calamine import CalamineError, CalamineWorkbook

    check_packed(path, limits)
    try:
        sheet = CalamineWorkbook.from_path(str(path)).get_sheet_by_index(0)
        check_columns(sheet.width, limits)
        check_rows(sheet.height, limits)
        rows = sheet.to_python()
    except (CalamineError, *PARSER_ERRORS):
        raise ReadError(
            "The file is not an Excel workbook (.xlsx), or it is damaged.", "not_xlsx"
        ) from None
    if not rows:
        raise ReadError("The worksheet is empty.", "empty_sheet")
    headers = [str(h).strip() for h in rows[0]]
    body = rows[1:]
    columns = [
        _excel_column([r[i] if i < len(r) else None for r in body]) for i in range(len(headers))
    ]
    return pa.Table.from_arrays(columns, names=unique_names(headers)).rename_columns(headers)


def _not_parquet() -> ReadError:
    return ReadError("The file is not a Parquet file, or it is damaged.", "not_parquet")


def read_file(path: Path, dialect: Dialect | None = None, limits: Limits | None = None) -> RawFile:
    """Read the file's own columns; CSV values stay text until `convert` checks them.

    A file over a limit (`limits.Limits`, from the environment unless given) or one the
    parsers choke on is refused with a `ReadError`, never another exception."""
    limits = limits or Limits.from_env()
    suffix = path.suffix.lower()
    if suffix in PARQUET:
        check_packed(path, limits)
        try:
            table = pq.read_table(path, page_checksum_verification=True)
        except PARSER_ERRORS:
            raise _not_parquet() from None
        check_cells(table, table.column_names, 1, limits)
        return RawFile(table, table.column_names, "parquet", dialect or Dialect(), 1)
    if suffix in EXCEL:
        table = _read_xlsx(path, limits)
        check_cells(table, table.column_names, 2, limits)
        return RawFile(table, table.column_names, "xlsx", dialect or Dialect(), 2)
    if suffix not in CSV:
        raise ReadError(
            f"Unknown file type {suffix!r}: use CSV, Excel (.xlsx) or Parquet.",
            "unknown_type",
            suffix=suffix,
        )
    chosen = _csv_dialect(path, _csv_sample(path), dialect)
    try:
        table = _read_csv(path, chosen, limits)
    except PARSER_ERRORS as error:
        raise _unreadable_csv(error) from None
    check_cells(table, table.column_names, 2, limits)
    return RawFile(table, table.column_names, "csv", chosen, 2)


def _read_csv(path: Path, dialect: Dialect, limits: Limits) -> pa.Table:
    headers, read, parse, convert_options = _csv_options(path, dialect, limits)
    table = pacsv.read_csv(
        path, read_options=read, parse_options=parse, convert_options=convert_options
    )
    return table.rename_columns(headers)


def sniff_override(path: Path, overrides: dict[str, str]) -> Dialect | None:
    """The detected CSV dialect with the user's choices applied; None without choices."""
    chosen = dict(overrides)
    if not chosen:
        return None
    if path.suffix.lower() in CSV:
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


_FIRST_DAY = (date(FIRST_YEAR, 1, 1) - date(1970, 1, 1)).days
_LAST_DAY = (date(LAST_YEAR, 12, 31) - date(1970, 1, 1)).days


def _day_position(date_format: str) -> int | None:
    """Which of the numbers in a date written so is the day (None: no day, or names)."""
    directives = re.findall(r"%(.)", date_format)
    if "d" not in directives:
        return None
    before = directives[: directives.index("d")]
    return None if any(d not in "YymdHMSjf" for d in before) else len(before)


def _impossible(text: pa.ChunkedArray, values: pa.ChunkedArray, date_format: str) -> pa.Array:
    """Where the day written is not the day parsed: Arrow's strptime takes 31.02.2026
    and rolls it over into 03.03.2026, instead of refusing a day that does not exist."""
    position = _day_position(date_format)
    if position is None:
        return pa.array(np.zeros(len(text), dtype=bool))
    pattern = r"^\D*" + r"\d+\D+" * position + r"(?P<day>\d{1,2})(?:\D|$)"
    written = pc.cast(pc.struct_field(pc.extract_regex(text, pattern), [0]), pa.int64())
    return pc.fill_null(pc.not_equal(written, pc.day(values)), False)


def _dates(
    column: pa.ChunkedArray, date_format: str
) -> tuple[pa.ChunkedArray, np.ndarray, np.ndarray, np.ndarray]:
    """Dates, and masks of the empty cells, the cells that are no date (or a date that
    does not exist) and the dates outside FIRST_YEAR to LAST_YEAR."""
    if pa.types.is_timestamp(column.type) or pa.types.is_date(column.type):
        values = pc.cast(column, pa.date32())
        empty = values.is_null().to_numpy(zero_copy_only=False)
        bad = np.zeros(len(column), dtype=bool)
    else:
        text = pc.utf8_trim_whitespace(pc.cast(column, pa.string()))
        if date_format == "%Y-%m-%d":
            text = pc.utf8_slice_codeunits(text, 0, 10)
        empty = pc.equal(text, "").to_numpy(zero_copy_only=False)
        parsed = pc.cast(
            pc.strptime(text, format=date_format, unit="s", error_is_null=True), pa.date32()
        )
        impossible = _impossible(text, parsed, date_format)
        values = pc.if_else(impossible, pa.scalar(None, pa.date32()), parsed)
        bad = values.is_null().to_numpy(zero_copy_only=False) & ~empty
    # compared as days since 1970: Arrow's year() wraps round for a date millions of
    # years ahead, as a damaged Parquet file has them
    days = pc.cast(values, pa.int32())
    outside = pc.or_(pc.less(days, _FIRST_DAY), pc.greater(days, _LAST_DAY))
    return values, empty, bad, pc.fill_null(outside, False).to_numpy(zero_copy_only=False)


def _beyond(values: pa.ChunkedArray, field: str) -> np.ndarray:
    """Where a number is too large for the database, or not finite (NaN in Parquet)."""
    limit = MAX_QUANTITY if field == "quantity" else MAX_AMOUNT
    within = pc.less(pc.abs(values), limit)  # false for NaN and infinity
    inside: np.ndarray = pc.fill_null(within, True).to_numpy(zero_copy_only=False)
    return ~inside


def _shown(cell: pa.Scalar) -> str:
    """A refused cell's value for the report: cut short, and as Arrow writes it where
    Python cannot hold it (a date 4 million years ahead, from a damaged Parquet file)."""
    try:
        value = cell.as_py()
    except (OverflowError, ValueError):
        value = pc.cast(cell, pa.string()).as_py()
    text = "" if value is None else str(value)
    return text if len(text) <= MAX_SHOWN_CHARS else text[:MAX_SHOWN_CHARS] + "…"


def text_column(column: pa.ChunkedArray) -> pa.ChunkedArray:
    if pa.types.is_floating(column.type):
        # whole numbers (Excel has no other) as integers, where an integer holds them
        whole = pc.and_(pc.equal(pc.round(column), column), pc.less(pc.abs(column), 2.0**53))
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
    cells = _Cells(raw, mapping)
    columns = _texts(cells, skip_without_customer=skip_without_customer)
    columns["invoice_date"] = _invoice_dates(cells, dialect.date_format)
    columns.update(_amounts(cells, dialect.decimal))
    columns["line_number"] = _line_numbers(cells)
    keep = pa.array(~cells.invalid)
    table = pa.table({**columns, "row": pa.array(cells.rows)}).filter(keep)
    return Lines(
        table=table, errors=cells.errors, invalid_rows=int(cells.invalid.sum()), dialect=dialect
    )


class _Cells:
    """The cells of one batch while they are checked: a refused cell marks its row
    invalid, and the first `MAX_REPORTED_ERRORS` are reported with their row number in
    the file, column, value and why."""

    def __init__(self, raw: RawFile, mapping: ColumnMapping) -> None:
        self.raw, self.mapping = raw, mapping
        self.count = raw.table.num_rows
        self.rows = np.arange(raw.first_row, raw.first_row + self.count, dtype=np.int64)
        self.invalid = np.zeros(self.count, dtype=bool)
        self.errors: list[RowError] = []

    def column(self, field: str) -> pa.ChunkedArray | None:
        """The file's column of `field`; None if the file has none."""
        header = self.mapping.columns.get(field)
        return None if header is None else self.raw.table.column(header)

    def refuse(self, mask: np.ndarray, field: str, reason: str) -> None:
        self.invalid |= mask
        if len(self.errors) >= MAX_REPORTED_ERRORS or not mask.any():
            return
        header = self.mapping.columns[field]
        source = self.raw.table.column(header)
        for i in np.flatnonzero(mask)[: MAX_REPORTED_ERRORS - len(self.errors)]:
            self.errors.append(RowError(int(self.rows[i]), header, _shown(source[int(i)]), reason))


def _texts(cells: _Cells, *, skip_without_customer: bool) -> dict[str, Any]:
    """Customer, invoice and article numbers as trimmed text of at most `MAX_TEXT_CHARS`;
    a customer number is required (null instead with `skip_without_customer`)."""
    columns: dict[str, Any] = {}
    for field in TEXT_FIELDS:
        column = cells.column(field)
        if column is None:
            columns[field] = (
                pa.nulls(cells.count, pa.string())
                if field == "invoice_number"
                else pa.array([""] * cells.count)
            )
            continue
        text = text_column(column)
        if field == "customer_number":
            blank = pc.fill_null(pc.equal(text, ""), True)
            if skip_without_customer:
                text = pc.if_else(blank, pa.scalar(None, pa.string()), text)
            else:
                cells.refuse(blank.to_numpy(zero_copy_only=False), field, EMPTY)
        long = pc.greater(pc.utf8_length(text), MAX_TEXT_CHARS)
        cells.refuse(pc.fill_null(long, False).to_numpy(zero_copy_only=False), field, TOO_LONG)
        columns[field] = text
    return columns


def _invoice_dates(cells: _Cells, date_format: str) -> pa.ChunkedArray:
    """The invoice dates: required, existing, between `FIRST_YEAR` and `LAST_YEAR`."""
    column = cells.column("invoice_date")
    assert column is not None  # required columns were checked
    dates, empty, bad, outside = _dates(column, date_format)
    cells.refuse(empty, "invoice_date", EMPTY)
    cells.refuse(bad, "invoice_date", NOT_A_DATE)
    cells.refuse(outside, "invoice_date", DATE_OUT_OF_RANGE)
    return dates


def _amounts(cells: _Cells, decimal: str) -> dict[str, Any]:
    """Revenue, cost, rebate, freight (to the cent) and quantity (to 3 decimals) as
    numbers the database holds, 0 where the file has none; without a revenue column,
    revenue is quantity times unit price."""
    derived = cells.mapping.derives("net_revenue")
    columns: dict[str, Any] = {}
    for field in (*NUMBER_FIELDS, "unit_price") if derived else NUMBER_FIELDS:
        column = cells.column(field)
        if column is None:
            columns[field] = pa.array(np.zeros(cells.count))
            continue
        values, empty, bad = _numbers(column, decimal)
        if field in REQUIRED or (derived and field in REVENUE_FACTORS):
            cells.refuse(empty, field, EMPTY)
        cells.refuse(bad, field, NOT_A_NUMBER)
        digits = {"quantity": 3, "unit_price": 6}.get(field, 2)
        columns[field] = pc.round(pc.fill_null(values, 0.0), digits)
        cells.refuse(_beyond(columns[field], field), field, OUT_OF_RANGE)
    if derived:
        price = columns.pop("unit_price")
        columns["net_revenue"] = pc.round(pc.multiply(columns["quantity"], price), 2)
        cells.refuse(_beyond(columns["net_revenue"], "net_revenue"), "unit_price", OUT_OF_RANGE)
    return columns


def _line_numbers(cells: _Cells) -> pa.Array:
    """Line numbers as whole numbers from 0 to `MAX_LINE_NUMBER`; null where the file has
    none (the line is then identified by its content)."""
    column = cells.column("line_number")
    if column is None:
        return pa.nulls(cells.count, pa.int64())
    values, empty, bad = _numbers(column, ".")
    whole = pc.equal(pc.round(values), values).to_numpy(zero_copy_only=False)
    negative = pc.less(values, 0).to_numpy(zero_copy_only=False)
    huge = pc.fill_null(pc.greater(values, MAX_LINE_NUMBER), False)
    cells.refuse(bad | (~empty & ~(whole & ~negative)), "line_number", NOT_A_LINE_NUMBER)
    cells.refuse(huge.to_numpy(zero_copy_only=False) & ~bad, "line_number", OUT_OF_RANGE)
    bad |= huge.to_numpy(zero_copy_only=False)
    usable = pa.array(~(bad | empty))
    numbers: pa.Array = pc.cast(
        pc.if_else(
            usable,
            values.combine_chunks() if isinstance(values, pa.ChunkedArray) else values,
            pa.scalar(None, pa.float64()),
        ),
        pa.int64(),
        safe=False,
    )
    return numbers
