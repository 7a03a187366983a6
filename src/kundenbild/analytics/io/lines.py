"""Invoice lines from CSV, Excel or Parquet files as one stream of checked Arrow batches.

The files are read batch by batch (see `reading.iter_raw_batches`) and every value is
checked with the same rules as the import, so a file that imports also analyses. The
stream is consumed once by the engine; a bad cell stops it with `LinesError`, which names
the file, the row and the column, and the caller throws the partial result away.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

import pyarrow as pa

from kundenbild.analytics.io.columns import ColumnMapping, guess_mapping
from kundenbild.analytics.io.reading import (
    DATE_OUT_OF_RANGE,
    EMPTY,
    FIRST_YEAR,
    LAST_YEAR,
    MAX_TEXT_CHARS,
    NOT_A_DATE,
    NOT_A_LINE_NUMBER,
    NOT_A_NUMBER,
    OUT_OF_RANGE,
    TOO_LONG,
    Dialect,
    ReadError,
    RowError,
    convert,
    iter_raw_batches,
    sniff_values,
)

LINE_SCHEMA = pa.schema(
    [
        ("customer_number", pa.string()),
        ("invoice_number", pa.string()),
        ("invoice_date", pa.date32()),
        ("article_number", pa.string()),
        ("quantity", pa.float64()),
        ("net_revenue", pa.float64()),
        ("cost_of_goods", pa.float64()),
    ]
)
REASONS = {
    EMPTY: "is empty",
    NOT_A_DATE: "is not a date",
    NOT_A_NUMBER: "is not a number",
    NOT_A_LINE_NUMBER: "is not a line number",
    OUT_OF_RANGE: "is too large",
    DATE_OUT_OF_RANGE: f"is not between the years {FIRST_YEAR} and {LAST_YEAR}",
    TOO_LONG: f"is longer than {MAX_TEXT_CHARS} characters",
}


# the fields the analysis reads; the others (line number, rebates, freight) are neither
# needed nor checked, so that a file is judged the same whichever reader takes it
ANALYSIS_FIELDS = (
    "customer_number",
    "invoice_number",
    "invoice_date",
    "article_number",
    "quantity",
    "unit_price",
    "net_revenue",
    "cost_of_goods",
)


def analysis_mapping(headers: Sequence[str]) -> ColumnMapping:
    """The import's header mapping, cut down to the fields the analysis reads."""
    mapping = guess_mapping(headers)
    return ColumnMapping({f: h for f, h in mapping.columns.items() if f in ANALYSIS_FIELDS})


class LinesError(Exception):
    """The lines cannot be analysed; the message names the file, row and column."""


@dataclass
class LineSource:
    """The files to read, and what was learnt while reading them."""

    paths: Sequence[Path]
    dialect: Dialect | None = None
    has_cost: bool = True
    # lines without a customer number are left out (and counted) instead of refused
    skip_without_customer: bool = False

    def reader(self) -> pa.RecordBatchReader:
        """A one-pass reader over every file; raises `LinesError` on the first bad cell."""
        return pa.RecordBatchReader.from_batches(LINE_SCHEMA, self._batches())

    def check_files(self) -> None:
        """Refuse a missing file before any engine work starts."""
        for path in self.paths:
            if not path.is_file():
                raise LinesError(f"{path}: no such file")

    def _batches(self) -> Iterator[pa.RecordBatch]:
        for path in self.paths:
            mapping: ColumnMapping | None = None
            dialect = self.dialect
            try:
                for raw in iter_raw_batches(path, self.dialect):
                    if mapping is None:
                        mapping = analysis_mapping(raw.headers)
                        missing = mapping.missing_required()
                        if missing:
                            raise LinesError(
                                f"{path}: required columns not found: {', '.join(missing)} "
                                f"(columns in the file: {', '.join(raw.headers)})"
                            )
                        self.has_cost &= "cost_of_goods" in mapping.columns
                        dialect = dialect or sniff_values(raw, mapping)
                    lines = convert(
                        raw, mapping, dialect, skip_without_customer=self.skip_without_customer
                    )
                    if lines.errors:
                        raise LinesError(_describe(path, lines.errors[0], lines.invalid_rows))
                    table = lines.table.select(LINE_SCHEMA.names).cast(LINE_SCHEMA)
                    yield from table.to_batches()
            except ReadError as error:
                raise LinesError(f"{path}: {error}") from None


def _describe(path: Path, error: RowError, invalid_rows: int) -> str:
    more = invalid_rows - 1
    tail = f" (and {more} more invalid row{'s' if more != 1 else ''} in this part)" if more else ""
    value = f" ({error.value!r})" if error.value else ""
    reason = REASONS.get(error.reason, error.reason)
    return f"{path}, row {error.row}, column {error.column!r}: the value {reason}{value}{tail}"
