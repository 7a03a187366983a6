"""The profiles family of labelled value-type books: valid, deterministic, and the shapes it
claims are visible in its own lines."""

from __future__ import annotations

import collections
from datetime import date

import numpy as np
import numpy.typing as npt
import pyarrow.compute as pc
import pytest

from tests.value_type_families import LINE_SCHEMA, SHAPES, LabelledBook
from tests.value_type_families.profiles import VARIANTS, generate

N = 40  # customers per type
SEED = 5
FIRST_DAY = date(2021, 1, 1)
AS_OF = date(2025, 12, 31)


@pytest.fixture(scope="module", params=VARIANTS)
def book(request: pytest.FixtureRequest) -> LabelledBook:
    return generate(variant=request.param, customers_per_type=N, seed=SEED)


def monthly(book: LabelledBook, months: int = 60) -> tuple[list[str], npt.NDArray[np.float64]]:
    """Customer ids (sorted) and their revenue per month from 2021-01."""
    ids = sorted(book.labels)
    cust = np.searchsorted(ids, book.lines["customer_id"].to_numpy(zero_copy_only=False))
    day = book.lines["date"].to_numpy().astype("datetime64[D]")
    month = (day.astype("datetime64[M]") - np.datetime64("2021-01", "M")).astype(np.int64)
    values = np.zeros((len(ids), months))
    np.add.at(values, (cust, month), book.lines["revenue"].to_numpy())
    return ids, values


def of_shape(book: LabelledBook, ids: list[str], shape: str) -> npt.NDArray[np.int64]:
    return np.array([i for i, c in enumerate(ids) if book.labels[c] == shape])


def test_schema_and_as_of(book: LabelledBook) -> None:
    assert book.lines.schema == LINE_SCHEMA
    assert book.as_of == AS_OF


def test_same_seed_same_book() -> None:
    for variant in VARIANTS:
        first = generate(variant=variant, customers_per_type=10, seed=3)
        again = generate(variant=variant, customers_per_type=10, seed=3)
        other = generate(variant=variant, customers_per_type=10, seed=4)
        assert first.lines.equals(again.lines)
        assert first.labels == again.labels
        assert not first.lines.equals(other.lines)


def test_labels_balanced_and_every_customer_has_lines(book: LabelledBook) -> None:
    assert collections.Counter(book.labels.values()) == dict.fromkeys(SHAPES, N)
    assert set(pc.unique(book.lines["customer_id"]).to_pylist()) == set(book.labels)
    assert all(len(c) == 7 and c.startswith("P") for c in book.labels)


def test_lines_are_valid_and_sorted(book: LabelledBook) -> None:
    lines = book.lines
    assert lines.num_rows > 0
    assert not any(lines[name].null_count for name in lines.column_names)
    revenue = lines["revenue"].to_numpy()
    assert (revenue > 0).all()
    assert np.allclose(revenue, np.round(revenue, 2))
    assert np.allclose(lines["cost"].to_numpy(), np.round(lines["cost"].to_numpy(), 2))
    assert pc.min(lines["date"]).as_py() >= FIRST_DAY
    assert pc.max(lines["date"]).as_py() <= AS_OF
    offerings = set(pc.unique(lines["offering"]).to_pylist())
    assert offerings <= {f"A{i:02d}" for i in range(1, 41)}
    # sorted by customer, then date
    cust = lines["customer_id"].to_numpy(zero_copy_only=False)
    day = lines["date"].to_numpy().astype(np.int64)
    assert (cust[1:] >= cust[:-1]).all()
    same = cust[1:] == cust[:-1]
    assert (day[1:][same] >= day[:-1][same]).all()
    # an invoice belongs to one customer and one day; ids are unique across customers
    invoices = lines.group_by("invoice_id").aggregate(
        [("customer_id", "count_distinct"), ("date", "count_distinct")]
    )
    assert pc.max(invoices["customer_id_count_distinct"]).as_py() == 1
    assert pc.max(invoices["date_count_distinct"]).as_py() == 1


def test_extra_months_continue_after_as_of() -> None:
    for variant in VARIANTS:
        book = generate(variant=variant, customers_per_type=10, seed=2)
        longer = generate(variant=variant, customers_per_type=10, seed=2, extra_months=6)
        assert longer.as_of == book.as_of == AS_OF
        assert longer.labels == book.labels
        last = pc.max(longer.lines["date"]).as_py()
        assert AS_OF < last <= date(2026, 6, 30)
        window = longer.lines.filter(pc.less_equal(longer.lines["date"], AS_OF))
        assert window.equals(book.lines)  # the labelled window does not depend on it


def test_margins_of_burrs_minimal_others_ordinary(book: LabelledBook) -> None:
    totals = book.lines.group_by("customer_id").aggregate([("revenue", "sum"), ("cost", "sum")])
    for cust, revenue, cost in zip(
        totals["customer_id"].to_pylist(),
        totals["revenue_sum"].to_pylist(),
        totals["cost_sum"].to_pylist(),
        strict=True,
    ):
        margin = (revenue - cost) / revenue
        if book.labels[cust] == "burr":
            assert -0.16 <= margin <= 0.05 + 1e-4, cust
        else:
            assert 0.08 - 1e-4 <= margin <= 0.46, cust


def test_burrs_are_small_and_long(book: LabelledBook) -> None:
    ids, values = monthly(book)
    active = values > 0
    first = active.argmax(axis=1)
    last = 59 - active[:, ::-1].argmax(axis=1)
    yearly = values.sum(axis=1) / (60 - first) * 12
    burrs = of_shape(book, ids, "burr")
    others = np.setdiff1d(np.arange(len(ids)), burrs)
    assert yearly[burrs].max() < 0.2 * np.median(yearly[others])
    assert (last[burrs] - first[burrs] >= 30).all()  # 36+ months, with ramp-up and quarters


def test_growth_and_shrinking_move_by_a_factor(book: LabelledBook) -> None:
    ids, values = monthly(book)
    first = (values > 0).argmax(axis=1)
    # the first 12 months after a possible ramp-up, against the last 12 months
    start = np.minimum(first + 6, 48)
    first_year = np.array([values[i, s : s + 12].sum() for i, s in enumerate(start)])
    last_year = values[:, 48:].sum(axis=1)
    ratio = last_year / np.maximum(first_year, 1.0)
    growth, shrinking = of_shape(book, ids, "growth"), of_shape(book, ids, "shrinking")
    assert (ratio[growth] > 1.0).mean() >= 0.95
    assert np.median(ratio[growth]) > 1.6
    assert (ratio[shrinking] < 1.0).mean() >= 0.95
    assert np.median(ratio[shrinking]) < 0.6
    steady = of_shape(book, ids, "steady")
    assert 0.8 < np.median(ratio[steady]) < 1.25


def test_cyclical_best_months_carry_the_year(book: LabelledBook) -> None:
    ids, values = monthly(book)
    first = (values > 0).argmax(axis=1)
    top3, swing = np.zeros(len(ids)), np.zeros(len(ids))
    for i, f in enumerate(first):  # calendar-month profile over the full years
        years = values[i, (f + 11) // 12 * 12 :].reshape(-1, 12)
        profile = np.sort(years.mean(axis=0))[::-1]
        top3[i] = profile[:3].sum() / profile.sum()
        swing[i] = profile[:3].mean() / max(profile[-3:].mean(), 1.0)
    cyclical, steady = of_shape(book, ids, "cyclical"), of_shape(book, ids, "steady")
    # a six-month-wide season with troughs at 20-30 % holds only ~37 % in its best 3 months
    assert (top3[cyclical] > 0.33).all()
    assert (swing[cyclical] > 2.5).all()
    assert np.median(top3[cyclical]) > 0.5
    assert np.median(top3[steady]) < 0.45


def test_bells_rise_peak_and_fall(book: LabelledBook) -> None:
    ids, values = monthly(book)
    total = np.concatenate([np.zeros((len(ids), 1)), values.cumsum(axis=1)], axis=1)
    year = total[:, 12:] - total[:, :-12]  # year[:, k]: months k .. k + 11
    first = (values > 0).argmax(axis=1)
    bells = of_shape(book, ids, "bell")
    peak_at = year.argmax(axis=1)
    peak = year.max(axis=1)
    assert ((peak_at[bells] > first[bells]) & (peak_at[bells] < 48)).mean() >= 0.9
    assert (peak[bells] > 1.5 * year[bells, 48]).mean() >= 0.9


def test_size_is_typical() -> None:
    book = generate(variant="clean", customers_per_type=N, seed=SEED)
    ids, values = monthly(book)
    ordinary = [i for i, c in enumerate(ids) if book.labels[c] != "burr"]
    yearly = np.median(values[ordinary].sum(axis=1) / 5)
    assert 50_000 < yearly < 150_000


def test_unknown_variant() -> None:
    with pytest.raises(ValueError, match="variant"):
        generate(variant="tidy")
