"""How big a file may be, unpacked and in rows, columns and cells, before it is read.

Why limits at all: a file is read into memory whole (Excel, the import) or in large
batches (the analysis), so a 3.6 MB .xlsx that unpacks to a gigabyte, or a CSV with
200,000 columns, would take the server's memory with it. Every limit is checked on
what the file says about itself (the zip directory, the Parquet footer, the header row)
before anything is parsed in full. The defaults take ten million invoice lines; each
can be set in the environment (`KUNDENBILD_MAX_ROWS` etc.).

Light on purpose (no Arrow): the settings module imports it.
"""

from __future__ import annotations

import os
from dataclasses import dataclass

MB = 1 << 20


def _env_int(name: str, default: int) -> int:
    value = os.environ.get(name, "").strip()
    return int(value) if value else default


@dataclass(frozen=True)
class Limits:
    # an export of 10 M lines has about 10 M rows and a dozen columns
    max_rows: int = 15_000_000
    max_columns: int = 1_000
    # a longer cell is a quotation mark that never closes, or no export at all
    max_cell_chars: int = 10_000
    # the header row is read before the delimiter is certain: this much, no more
    max_header_bytes: int = MB
    # Excel: the sum of the unpacked sizes in the zip directory (1,048,576 rows at most)
    max_xlsx_unpacked_bytes: int = 256 * MB
    # Parquet: the uncompressed size of all row groups, from the footer
    max_parquet_unpacked_bytes: int = 4096 * MB
    # unpacked : packed of one zip member; real workbooks stay below 30
    max_compression_ratio: int = 100

    @classmethod
    def from_env(cls) -> Limits:
        default = cls()
        return cls(
            max_rows=_env_int("KUNDENBILD_MAX_ROWS", default.max_rows),
            max_columns=_env_int("KUNDENBILD_MAX_COLUMNS", default.max_columns),
            max_cell_chars=_env_int("KUNDENBILD_MAX_CELL_CHARS", default.max_cell_chars),
            max_header_bytes=default.max_header_bytes,
            max_xlsx_unpacked_bytes=_env_int(
                "KUNDENBILD_MAX_XLSX_UNPACKED_MB", default.max_xlsx_unpacked_bytes // MB
            )
            * MB,
            max_parquet_unpacked_bytes=_env_int(
                "KUNDENBILD_MAX_PARQUET_UNPACKED_MB", default.max_parquet_unpacked_bytes // MB
            )
            * MB,
            max_compression_ratio=_env_int(
                "KUNDENBILD_MAX_COMPRESSION_RATIO", default.max_compression_ratio
            ),
        )


def max_upload_bytes() -> int:
    """The largest file the API and the import page take (`KUNDENBILD_MAX_UPLOAD_MB`).

    1 GB: a German CSV of ten million lines is about 900 MB, its Parquet a tenth of it.
    """
    return _env_int("KUNDENBILD_MAX_UPLOAD_MB", 1024) * MB
