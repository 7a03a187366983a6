"""The demo-data generator as a labelled family: monthly levels per shape, orders as a
gamma renewal process in operational time, lines with articles from the catalogue. It is
the family the first value-type rules were written against; here it is held out."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from tempfile import TemporaryDirectory

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pa_csv
import pyarrow.parquet as pq

from kundenbild.demo.generator import write_sales_lines
from tests.value_type_families import LINE_SCHEMA, SHAPES, LabelledBook

VARIANTS = ("clean",)
AS_OF = date(2025, 12, 31)


def generate(
    *, variant: str = "clean", customers_per_type: int = 100, seed: int = 0, extra_months: int = 0
) -> LabelledBook:
    """About `customers_per_type` × 6 customers in the generator's own mix of shapes, five
    years up to `AS_OF` (the generator's shares, not balanced)."""
    if variant not in VARIANTS:
        raise ValueError(f"variant must be one of {VARIANTS}")
    index = AS_OF.year * 12 + AS_OF.month - 1 + extra_months
    end = date(index // 12, index % 12 + 1, 28)
    with TemporaryDirectory() as folder:
        path = Path(folder) / "lines.parquet"
        years = 5 + -(-extra_months // 12)
        write_sales_lines(
            path, customers=customers_per_type * len(SHAPES), years=years, seed=seed, end=end
        )
        raw = pq.read_table(path)
        labels = pa_csv.read_csv(path.with_name(path.name + ".labels.csv")).to_pydict()
    raw = raw.filter(pc.field("invoice_date") >= pa.scalar(date(AS_OF.year - 4, 1, 1), pa.date32()))
    if not extra_months:
        raw = raw.filter(pc.field("invoice_date") <= pa.scalar(AS_OF, pa.date32()))
    lines = pa.table(
        {
            "customer_id": raw.column("customer_number"),
            "date": raw.column("invoice_date"),
            "revenue": raw.column("net_revenue"),
            "cost": raw.column("cost_of_goods"),
            "invoice_id": raw.column("invoice_number"),
            "offering": raw.column("article_number"),
        },
        schema=LINE_SCHEMA,
    )
    shapes = dict(zip(labels["customer_number"], labels["shape"], strict=True))
    present = set(lines.column("customer_id").to_pylist())
    return LabelledBook(lines, {c: s for c, s in shapes.items() if c in present}, AS_OF)
