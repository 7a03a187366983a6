"""The labelled family made outside the team (`tests/data/value_types_external/`, copied
from the shared data with its README): order-level, irregular rhythms, late starts,
project orders. Checked on, never tuned on."""

from __future__ import annotations

import csv
from datetime import date
from pathlib import Path

import pyarrow.parquet as pq

from tests.value_type_families import LINE_SCHEMA, LabelledBook

FOLDER = Path(__file__).parent.parent / "data" / "value_types_external"
VARIANTS = ("orders",)


def generate(*, variant: str = "orders", **_: object) -> LabelledBook:
    """The one fixed set: 300 customers, 50 per type, as of 2025-12-31."""
    lines = pq.read_table(FOLDER / "lines.parquet").cast(LINE_SCHEMA)
    with (FOLDER / "labels.csv").open(encoding="utf-8") as file:
        labels = {row["customer_id"]: row["value_type"] for row in csv.DictReader(file)}
    return LabelledBook(lines, labels, date(2025, 12, 31))
