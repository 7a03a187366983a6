"""Result files are written whole or not at all, in the format their suffix names."""

from __future__ import annotations

import doctest
import json
from datetime import date
from pathlib import Path

import duckdb
import pyarrow as pa
import pyarrow.csv as pa_csv
import pyarrow.parquet as pq
import pytest

from kundenbild.analytics.io import writing
from kundenbild.analytics.io.writing import PeriodsOutput, write_json, write_table

TABLE = pa.table({"customer_id": ["K1", "K2"], "clv": [12.5, None]})


@pytest.mark.parametrize("name", ["result.parquet", "result.PARQUET"])
def test_a_parquet_suffix_writes_parquet(tmp_path: Path, name: str) -> None:
    write_table(TABLE, tmp_path / name)
    assert pq.read_table(tmp_path / name).equals(TABLE)


def test_a_csv_suffix_writes_csv(tmp_path: Path) -> None:
    write_table(TABLE, tmp_path / "result.csv")
    assert pa_csv.read_csv(tmp_path / "result.csv").equals(TABLE)


def test_a_failed_write_keeps_the_previous_file(tmp_path: Path) -> None:
    target = tmp_path / "result.parquet"
    write_table(TABLE, target)
    with pytest.raises(pa.ArrowException):
        write_table(pa.table({"bad": pa.array([{}], pa.struct([]))}), target)
    assert pq.read_table(target).equals(TABLE)


def test_nothing_partial_is_left_beside_the_files(tmp_path: Path) -> None:
    write_table(TABLE, tmp_path / "result.csv")
    write_json({"as_of": date(2026, 10, 31), "lines": 3}, tmp_path / "model.json")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["model.json", "result.csv"]
    assert json.loads((tmp_path / "model.json").read_text()) == {
        "as_of": "2026-10-31",
        "lines": 3,
    }


@pytest.mark.parametrize(
    ("name", "parquet"), [("v.parquet", True), ("v.PARQUET", True), ("v.csv", False)]
)
def test_the_value_over_time_appears_only_when_complete(
    tmp_path: Path, name: str, parquet: bool
) -> None:
    periods = PeriodsOutput.atomic(tmp_path / name, "month")
    assert periods.parquet is parquet
    periods.write(duckdb.connect(), "SELECT 'K1' AS customer_id, 1.5 AS revenue")
    assert not (tmp_path / name).exists()
    periods.complete()
    assert sorted(p.name for p in tmp_path.iterdir()) == [name]


def test_the_examples_in_the_docstrings_run() -> None:
    assert doctest.testmod(writing).failed == 0
