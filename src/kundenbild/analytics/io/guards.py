"""Refuse a file that would not fit in memory, before it is parsed (see `limits`).

Excel and Parquet say how big they are before they are unpacked: the zip directory
lists every member's packed and unpacked size, the Parquet footer its rows, columns and
uncompressed bytes. Both are read here, in a few kilobytes, and a file over a limit is
refused with a `ReadError` that names the limit. What the file claims is not proof (a
forged zip directory can lie), so the parsers stay behind these checks, not instead of
them.
"""

from __future__ import annotations

import zipfile
from pathlib import Path

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

from kundenbild.analytics.io.limits import MB, Limits

PARQUET = (".parquet", ".pq")
EXCEL = (".xlsx", ".xlsm")
CSV = (".csv", ".txt", ".tsv")
# below this a member's ratio says nothing (a small XML of repeated tags packs 50:1)
RATIO_FROM_BYTES = MB


class ReadError(Exception):
    """The file as a whole cannot be read (unknown format, no header, empty, too big).

    `code` and `values` say why in a form the app translates; the message is English,
    for the command line and the logs.
    """

    def __init__(self, message: str, code: str = "unreadable", **values: object):
        super().__init__(message)
        self.code = code
        self.values = values


def check_packed(path: Path, limits: Limits) -> None:
    """Refuse an Excel or Parquet file that is damaged or over a limit, from its directory."""
    suffix = path.suffix.lower()
    if suffix in EXCEL:
        _check_xlsx(path, limits)
    elif suffix in PARQUET:
        _check_parquet(path, limits)


def _check_xlsx(path: Path, limits: Limits) -> None:
    try:
        with zipfile.ZipFile(path) as archive:
            members = archive.infolist()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, ValueError, EOFError):
        raise ReadError(
            "The file is not an Excel workbook (.xlsx), or it is damaged.", "not_xlsx"
        ) from None
    if not any(m.filename == "xl/workbook.xml" for m in members):
        raise ReadError("The file is not an Excel workbook (.xlsx), or it is damaged.", "not_xlsx")
    unpacked = sum(m.file_size for m in members)
    if unpacked > limits.max_xlsx_unpacked_bytes:
        raise _too_large(unpacked, limits.max_xlsx_unpacked_bytes)
    for member in members:
        ratio = member.file_size / max(member.compress_size, 1)
        if member.file_size >= RATIO_FROM_BYTES and ratio > limits.max_compression_ratio:
            raise ReadError(
                f"The file unpacks to {ratio:,.0f} times its size (at most "
                f"{limits.max_compression_ratio:,}): it is not an ordinary workbook.",
                "compression_ratio",
                ratio=round(ratio),
                limit=limits.max_compression_ratio,
            )


def _check_parquet(path: Path, limits: Limits) -> None:
    try:
        meta = pq.read_metadata(path)
    except (pa.ArrowException, OSError, ValueError):
        raise ReadError(
            "The file is not a Parquet file, or it is damaged.", "not_parquet"
        ) from None
    check_columns(meta.num_columns, limits)
    check_rows(meta.num_rows, limits)
    unpacked = sum(meta.row_group(i).total_byte_size for i in range(meta.num_row_groups))
    if unpacked > limits.max_parquet_unpacked_bytes:
        raise _too_large(unpacked, limits.max_parquet_unpacked_bytes)


def _too_large(unpacked: int, limit: int) -> ReadError:
    return ReadError(
        f"Unpacked, the file would take {unpacked / MB:,.0f} MB; at most {limit / MB:,.0f} MB "
        "are allowed.",
        "too_large_unpacked",
        size=round(unpacked / MB),
        limit=round(limit / MB),
    )


def check_columns(count: int, limits: Limits) -> None:
    if count > limits.max_columns:
        raise ReadError(
            f"The file has {count:,} columns; at most {limits.max_columns:,} are allowed.",
            "too_many_columns",
            count=count,
            limit=limits.max_columns,
        )


def check_rows(count: int, limits: Limits) -> None:
    if count > limits.max_rows:
        raise ReadError(
            f"The file has {count:,} rows; at most {limits.max_rows:,} are allowed.",
            "too_many_rows",
            count=count,
            limit=limits.max_rows,
        )


def check_cells(table: pa.Table, headers: list[str], first_row: int, limits: Limits) -> None:
    """Refuse a table with a text cell longer than the limit, naming its row and column.

    Why after reading, not before: Arrow holds a long cell at its own size, so reading it
    costs no more than the file; but no field of a sales line is longer than a few dozen
    characters, and a cell of a megabyte is a quotation mark that never closes, which
    has swallowed the rest of its line.
    """
    for header in headers:
        if len(header) > limits.max_cell_chars:
            raise ReadError(
                f"A column name has {len(header):,} characters; at most "
                f"{limits.max_cell_chars:,} are allowed.",
                "header_cell_too_long",
                length=len(header),
                limit=limits.max_cell_chars,
            )
    for index, column in enumerate(table.columns):
        if not (pa.types.is_string(column.type) or pa.types.is_large_string(column.type)):
            continue
        lengths = pc.utf8_length(column)
        longest = pc.max(lengths).as_py()
        if longest is None or longest <= limits.max_cell_chars:
            continue
        at = pc.index(pc.greater(lengths, limits.max_cell_chars), True).as_py()
        longest = lengths[at].as_py()
        raise ReadError(
            f"Row {first_row + at:,}, column {headers[index]!r}: a cell has {longest:,} "
            f"characters; at most {limits.max_cell_chars:,} are allowed (is a quotation mark "
            "never closed?).",
            "cell_too_long",
            row=first_row + at,
            column=headers[index],
            length=longest,
            limit=limits.max_cell_chars,
        )
