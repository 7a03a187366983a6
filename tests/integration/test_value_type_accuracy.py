"""The value types against labels the analysis never reads.

The demo-data generator records the shape it generated for each customer. A fresh set
with a seed used nowhere else (noise, lumpy ordering, seasons, late starts, customers who
stop) is analysed from its Parquet file, like any user's file, and compared.
"""

from __future__ import annotations

import collections
from pathlib import Path

import pyarrow.csv as pa_csv

from kundenbild.analytics.analysis import analyze_source
from kundenbild.analytics.lines import LineSource
from kundenbild.demo.generator import SHAPES, write_sales_lines


def test_value_types_match_the_generated_shapes(tmp_path: Path) -> None:
    path = tmp_path / "labelled.parquet"
    write_sales_lines(path, customers=3000, years=5, seed=2027)
    labels = pa_csv.read_csv(path.with_name(path.name + ".labels.csv")).to_pydict()
    truth = dict(zip(labels["customer_number"], labels["shape"], strict=True))

    result = analyze_source(LineSource([path])).table
    judged = dict(
        zip(
            result.column("customer_id").to_pylist(),
            result.column("value_type").to_pylist(),
            strict=True,
        )
    )

    assert len(judged) >= 2900  # a customer without any line in five years is not judged
    hits = collections.Counter(truth[c] for c in judged if judged[c] == truth[c])
    totals = collections.Counter(truth[c] for c in judged)
    assert sum(hits.values()) / len(judged) >= 0.95, (hits, totals)
    for shape in SHAPES:
        assert totals[shape] >= 100, totals  # every type is really tested
        assert hits[shape] / totals[shape] >= 0.90, (shape, hits[shape], totals[shape])
