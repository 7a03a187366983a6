"""Labelled value-type families: books of invoice lines whose customers were made with a
known shape, from the definitions in DOMAIN.md alone, each family by a different
construction. The analysis never reads the labels; the accuracy tests compare with them.

Every family module offers `generate(variant=..., customers_per_type=..., seed=...,
extra_months=...) -> LabelledBook` and its `VARIANTS`.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import pyarrow as pa

SHAPES = ("steady", "cyclical", "bell", "growth", "shrinking", "burr")

# the columns every family writes; `analyze_lines` reads them through `LineSource`'s
# column mapping (customer, date, revenue, cost, invoice, article)
LINE_SCHEMA = pa.schema(
    [
        ("customer_id", pa.string()),
        ("date", pa.date32()),
        ("revenue", pa.float64()),
        ("cost", pa.float64()),
        ("invoice_id", pa.string()),
        ("offering", pa.string()),
    ]
)


@dataclass(frozen=True)
class LabelledBook:
    """Invoice lines (`LINE_SCHEMA`) and the shape each customer was made with.

    `as_of` is the last day of the labelled window: the shapes describe the history up to
    it. With `extra_months`, the lines go on after it by the same process (for forecast
    backtests); a classifier must be run with `as_of`.
    """

    lines: pa.Table
    labels: dict[str, str]
    as_of: date
