"""The renewal family of labelled value-type books: shape of the output, determinism, the
window and its continuation, margins, and a few shape checks computed from the lines."""

from __future__ import annotations

import collections
from datetime import date

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pytest

from tests.value_type_families import LINE_SCHEMA, SHAPES, LabelledBook
from tests.value_type_families.renewal import VARIANTS, generate

PER_TYPE = 40
AS_OF = date(2025, 12, 31)


@pytest.fixture(scope="module", params=VARIANTS)
def book(request: pytest.FixtureRequest) -> LabelledBook:
    return generate(variant=request.param, customers_per_type=PER_TYPE, seed=5)


def monthly(book: LabelledBook) -> tuple[list[str], np.ndarray, np.ndarray]:
    """Customer ids, their labels, and revenue per month 2021-01 .. 2025-12 (rows)."""
    lines = book.lines
    ids = sorted(book.labels)
    row = {c: i for i, c in enumerate(ids)}
    rows = np.array([row[c] for c in lines["customer_id"].to_pylist()])
    months = lines["date"].to_numpy(zero_copy_only=False).astype("datetime64[M]").astype(int)
    months = months - (2021 - 1970) * 12
    grid = np.zeros((len(ids), 60))
    inside = months < 60
    np.add.at(grid, (rows[inside], months[inside]), lines["revenue"].to_numpy()[inside])
    return ids, np.array([book.labels[c] for c in ids]), grid


def yearly(grid: np.ndarray) -> np.ndarray:
    years: np.ndarray = grid.reshape(len(grid), 5, 12).sum(axis=2)
    return years


def test_schema_ids_and_rounding(book: LabelledBook) -> None:
    lines = book.lines
    assert lines.schema == LINE_SCHEMA
    assert lines.num_rows > 0
    revenue = lines["revenue"].to_numpy()
    cost = lines["cost"].to_numpy()
    assert np.all(revenue > 0)
    assert np.allclose(revenue, np.round(revenue, 2))
    assert np.allclose(cost, np.round(cost, 2))
    assert set(lines["offering"].to_pylist()) <= {f"S{i:02d}" for i in range(1, 61)}
    # an invoice belongs to one customer and one day
    invoices = lines.group_by("invoice_id").aggregate(
        [("customer_id", "count_distinct"), ("date", "count_distinct")]
    )
    assert pc.max(invoices["customer_id_count_distinct"]).as_py() == 1
    assert pc.max(invoices["date_count_distinct"]).as_py() == 1


def test_sorted_by_customer_then_date(book: LabelledBook) -> None:
    customers = book.lines["customer_id"].to_pylist()
    days = book.lines["date"].to_pylist()
    keys = list(zip(customers, days, strict=True))
    assert keys == sorted(keys)


def test_deterministic_for_a_seed() -> None:
    first = generate(variant="messy", customers_per_type=10, seed=3)
    again = generate(variant="messy", customers_per_type=10, seed=3)
    other = generate(variant="messy", customers_per_type=10, seed=4)
    assert first.lines.equals(again.lines)
    assert first.labels == again.labels
    assert not first.lines.equals(other.lines)


def test_labels_balanced_and_every_customer_has_lines(book: LabelledBook) -> None:
    assert collections.Counter(book.labels.values()) == {s: PER_TYPE for s in SHAPES}
    labelled = book.lines.filter(pc.less_equal(book.lines["date"], pa.scalar(AS_OF)))
    assert set(labelled["customer_id"].to_pylist()) == set(book.labels)


def test_window_and_as_of(book: LabelledBook) -> None:
    assert book.as_of == AS_OF
    assert pc.min(book.lines["date"]).as_py() >= date(2021, 1, 1)
    assert pc.max(book.lines["date"]).as_py() <= AS_OF


def test_extra_months_continue_the_same_process() -> None:
    base = generate(variant="clean", customers_per_type=15, seed=9)
    longer = generate(variant="clean", customers_per_type=15, seed=9, extra_months=6)
    assert longer.as_of == AS_OF
    assert longer.labels == base.labels
    last = pc.max(longer.lines["date"]).as_py()
    assert AS_OF < last <= date(2026, 6, 30)
    up_to_as_of = longer.lines.filter(pc.less_equal(longer.lines["date"], pa.scalar(AS_OF)))
    assert up_to_as_of.equals(base.lines)


def test_margins_of_burrs_and_others(book: LabelledBook) -> None:
    totals = book.lines.group_by("customer_id").aggregate([("revenue", "sum"), ("cost", "sum")])
    revenue = totals["revenue_sum"].to_numpy()
    margin = 1.0 - totals["cost_sum"].to_numpy() / revenue
    burr = np.array([book.labels[c] == "burr" for c in totals["customer_id"].to_pylist()])
    assert np.all(margin[burr] <= 0.05 + 1e-3)
    assert np.all(margin[burr] >= -0.15 - 1e-3)
    assert np.all(margin[~burr] >= 0.08 - 1e-3)


def test_burrs_are_small_and_regular(book: LabelledBook) -> None:
    _, labels, grid = monthly(book)
    active_months = (grid > 0).cumsum(axis=1) > 0
    per_year = grid.sum(axis=1) / active_months.sum(axis=1) * 12
    burr = labels == "burr"
    typical = np.median(per_year[~burr])
    assert np.all(per_year[burr] < 0.2 * typical)
    # orders in most months of their relationship
    months_with_orders = (grid > 0).sum(axis=1) / active_months.sum(axis=1)
    assert np.median(months_with_orders[burr]) > 0.75


def first_full_year(grid: np.ndarray) -> np.ndarray:
    first_month = np.argmax(grid > 0, axis=1)
    year: np.ndarray = (first_month + 11) // 12
    return year


def test_growth_ends_above_its_first_full_year(book: LabelledBook) -> None:
    _, labels, grid = monthly(book)
    years = yearly(grid)[labels == "growth"]
    first = first_full_year(grid[labels == "growth"])
    rising = years[:, 4] > years[np.arange(len(years)), first]
    assert rising.mean() >= 0.9


def test_shrinking_ends_below_its_first_year(book: LabelledBook) -> None:
    _, labels, grid = monthly(book)
    years = yearly(grid)[labels == "shrinking"]
    falling = years[:, 4] < 0.8 * years[:, 0]
    assert falling.mean() >= 0.9


def test_bells_peak_inside_their_history(book: LabelledBook) -> None:
    _, labels, grid = monthly(book)
    bells = grid[labels == "bell"]
    smooth = np.apply_along_axis(lambda m: np.convolve(m, np.ones(6) / 6, "same"), 1, bells)
    first = np.argmax(bells > 0, axis=1)
    last = 59 - np.argmax(bells[:, ::-1] > 0, axis=1)
    peak = np.argmax(smooth, axis=1)
    inside = (peak > first + 3) & (peak < last - 3)
    assert inside.mean() >= 0.9
    # and the last year is well below the best one
    years = yearly(grid)[labels == "bell"]
    assert np.mean(years[:, 4] < 0.6 * years.max(axis=1)) >= 0.9


def test_cyclical_best_months_hold_the_year(book: LabelledBook) -> None:
    _, labels, grid = monthly(book)
    by_calendar_month = grid.reshape(len(grid), 5, 12).sum(axis=1)
    best_half = np.sort(by_calendar_month, axis=1)[:, 6:].sum(axis=1) / grid.sum(axis=1)
    cyclical = best_half[labels == "cyclical"]
    steady = best_half[labels == "steady"]
    assert np.mean(cyclical > 0.75) >= 0.9
    assert np.median(cyclical) > np.median(steady) + 0.15
