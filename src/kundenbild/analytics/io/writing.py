"""Result tables, the value over time and the model written to files, whole or not at all.

Each file is written beside its target first, with `.partial` added to its name, and
renamed over the target once it is complete: whoever reads the target (a user, the next
step of a pipeline) finds the previous file or the whole new one, never half of one, and
an analysis that fails midway leaves no truncated result behind. A table's format follows
its target's suffix: Parquet for `.parquet`, CSV for `.csv`.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import duckdb
import pyarrow as pa
import pyarrow.csv as pa_csv
import pyarrow.parquet as pq

TABLE_SUFFIXES = (".csv", ".parquet")


def partial_path(path: Path) -> Path:
    """Where `path` is written until it is complete: beside it, `.partial` added."""
    return path.with_name(path.name + ".partial")


def is_parquet(path: Path) -> bool:
    """Whether a table written to `path` is Parquet (else CSV), by its suffix."""
    return path.suffix.lower() == ".parquet"


def write_table(table: pa.Table, path: Path) -> None:
    """Write `table` to `path` atomically, as Parquet or CSV by the suffix.

    >>> import tempfile
    >>> folder = Path(tempfile.mkdtemp())
    >>> write_table(pa.table({"customer_id": ["K1"], "clv": [12.5]}), folder / "result.csv")
    >>> (folder / "result.csv").read_text()
    '"customer_id","clv"\\n"K1",12.5\\n'
    >>> sorted(p.name for p in folder.iterdir())
    ['result.csv']
    """
    partial = partial_path(path)
    if is_parquet(path):
        pq.write_table(table, partial)
    else:
        pa_csv.write_csv(table, partial)
    partial.replace(path)


def write_json(data: Mapping[str, Any], path: Path) -> None:
    """Write `data` to `path` atomically as indented JSON; dates and other values JSON has
    no type for as their text."""
    partial = partial_path(path)
    partial.write_text(json.dumps(data, indent=2, default=str), encoding="utf-8")
    partial.replace(path)


@dataclass(frozen=True)
class PeriodsOutput:
    """Where the engine writes each customer's value over time, and in which unit (week,
    month, quarter).

    Made by `atomic`, it writes to the partial file beside `final`, and `complete` puts
    it in place once the whole analysis has succeeded.
    """

    path: Path
    unit: str = "month"
    parquet: bool = False  # else CSV; not read from `path`, which may be a temporary name
    final: Path | None = None

    @classmethod
    def atomic(cls, path: Path, unit: str) -> PeriodsOutput:
        return cls(partial_path(path), unit, parquet=is_parquet(path), final=path)

    def write(self, con: duckdb.DuckDBPyConnection, sql: str) -> None:
        """Copy the rows of the query `sql` to the file, in the engine: millions of rows
        never pass through Python."""
        form = "PARQUET" if self.parquet else "CSV, HEADER"
        target = "'" + str(self.path).replace("'", "''") + "'"
        con.execute(f"COPY ({sql}) TO {target} (FORMAT {form})")

    def complete(self) -> None:
        """Put the written file in place (nothing to do unless made by `atomic`)."""
        if self.final is not None:
            self.path.replace(self.final)
