"""The demo generator: deterministic, valid master data, and sales lines with the six shapes."""

from __future__ import annotations

import collections
from datetime import date
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pa_csv
import pyarrow.parquet as pq
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kundenbild.demo.generator import (
    SALES_LINE_SCHEMA,
    SHAPES,
    generate_companies,
    generate_contacts,
    sales_line_batches,
    write_sales_lines,
)
from kundenbild.identifiers import is_valid_vat_id, parse_register_number
from kundenbild.wz2008 import division

END = date(2026, 10, 31)


@pytest.fixture(scope="module")
def book() -> tuple[list, pa.Table]:
    companies = generate_companies(400, seed=11, end=END)
    lines = pa.Table.from_batches(list(sales_line_batches(companies, seed=11, end=END)))
    return companies, lines


def per_customer_year(lines: pa.Table) -> dict[tuple[str, int], float]:
    years = pc.year(lines["invoice_date"])
    table = pa.table({"c": lines["customer_number"], "y": years, "r": lines["net_revenue"]})
    grouped = table.group_by(["c", "y"]).aggregate([("r", "sum")])
    return {
        (c, y): r
        for c, y, r in zip(
            grouped["c"].to_pylist(),
            grouped["y"].to_pylist(),
            grouped["r_sum"].to_pylist(),
            strict=True,
        )
    }


def test_same_seed_gives_the_same_book_and_another_seed_another() -> None:
    a = generate_companies(60, seed=5)
    assert a == generate_companies(60, seed=5)
    assert a != generate_companies(60, seed=6)
    lines_a = pa.Table.from_batches(list(sales_line_batches(a, seed=5)))
    lines_b = pa.Table.from_batches(list(sales_line_batches(a, seed=5)))
    assert lines_a.equals(lines_b)


def test_master_data_is_valid(book) -> None:
    companies, _lines = book
    assert len({c.number for c in companies}) == len(companies)
    assert len({c.name for c in companies}) == len(companies)
    for company in companies:
        assert is_valid_vat_id(company.vat_id), company.vat_id
        parse_register_number(company.register_number)
        assert division(company.wz_division)
        assert company.name.endswith(company.legal_form)
        assert len(company.postal_code) == 5


def test_group_hierarchy_has_no_cycles_and_at_most_three_levels(book) -> None:
    companies, _lines = book
    parent = {c.number: c.parent_number for c in companies}
    assert 0.05 < sum(p is not None for p in parent.values()) / len(companies) < 0.2
    for number in parent:
        depth, node = 0, parent[number]
        while node is not None:
            depth += 1
            assert depth <= 2, number
            node = parent[node]


def test_all_six_shapes_appear_in_realistic_proportions(book) -> None:
    companies, _lines = book
    counts = collections.Counter(c.shape for c in companies)
    assert set(counts) == set(SHAPES)
    assert counts["steady"] == max(counts.values())
    for shape in SHAPES:
        assert 0.05 < counts[shape] / len(companies) < 0.45, counts


def test_contacts_are_plausible(book) -> None:
    companies, _lines = book
    contacts = generate_contacts(companies[:50], seed=11)
    staff = [c for c in contacts if not c.organisation]
    per_company = collections.Counter(c.customer_number for c in staff)
    assert set(per_company.values()) <= set(range(2, 7))
    assert all(c.email.isascii() and "@" in c.email for c in contacts)
    assert all(c.phone.startswith("+49 ") for c in staff)
    externals = [c for c in contacts if c.organisation]
    assert 0 < len(externals) < len(companies[:50]) / 2  # some consultants, not everywhere
    assert all(c.roles == ("influencer",) for c in externals)


def test_lines_have_the_schema_unique_invoices_and_numbered_lines(book) -> None:
    _companies, lines = book
    assert lines.schema == SALES_LINE_SCHEMA
    keys = list(
        zip(lines["invoice_number"].to_pylist(), lines["line_number"].to_pylist(), strict=True)
    )
    assert len(set(keys)) == len(keys)
    by_invoice = collections.defaultdict(list)
    customer_of: dict[str, str] = {}
    for (invoice, line), customer in zip(keys, lines["customer_number"].to_pylist(), strict=True):
        by_invoice[invoice].append(line)
        assert customer_of.setdefault(invoice, customer) == customer
    assert all(sorted(v) == list(range(1, len(v) + 1)) for v in by_invoice.values())
    assert all(1 <= len(v) <= 8 for v in by_invoice.values())
    credit = [i for i in by_invoice if i.startswith("G")]
    assert len(credit) / len(by_invoice) < 0.02


def test_about_twenty_lines_per_customer_and_year(book) -> None:
    companies, lines = book
    assert 10 < lines.num_rows / (len(companies) * 5) < 30


def test_burr_customers_earn_almost_nothing_and_others_clearly_something(book) -> None:
    companies, lines = book
    shape = {c.number: c.shape for c in companies}
    contribution = (
        np.asarray(lines["net_revenue"])
        - np.asarray(lines["cost_of_goods"])
        - np.asarray(lines["discount"])
        - np.asarray(lines["freight"])
    )
    revenue = np.asarray(lines["net_revenue"])
    numbers = np.asarray(lines["customer_number"].to_pylist(), dtype=object)
    is_burr = np.array([shape[n] == "burr" for n in numbers])
    burr_ratio = contribution[is_burr].sum() / revenue[is_burr].sum()
    other_ratio = contribution[~is_burr].sum() / revenue[~is_burr].sum()
    assert burr_ratio <= 0.03
    assert other_ratio > 0.15
    burr_sizes = [revenue[numbers == n].sum() for n in set(numbers[is_burr])]
    other_sizes = [revenue[numbers == n].sum() for n in set(numbers[~is_burr])]
    assert np.median(burr_sizes) < 0.1 * np.median(other_sizes)


def test_growth_rises_and_shrinking_falls_by_a_large_factor(book) -> None:
    companies, lines = book
    revenue = per_customer_year(lines)
    ratios: dict[str, list[float]] = collections.defaultdict(list)
    for company in companies:
        if company.first_order > date(2022, 1, 1):
            continue
        early, late = (
            revenue.get((company.number, 2022), 0.0),
            revenue.get((company.number, 2025), 0.0),
        )
        if early > 0:
            ratios[company.shape].append(late / early)
    assert np.median(ratios["growth"]) > 2.5
    assert np.median(ratios["shrinking"]) < 0.4
    assert 0.6 < np.median(ratios["steady"]) < 1.6


def test_cyclical_customers_concentrate_revenue_in_few_months(book) -> None:
    companies, lines = book
    months = pc.month(lines["invoice_date"]).to_numpy()
    numbers = np.asarray(lines["customer_number"].to_pylist(), dtype=object)
    revenue = np.asarray(lines["net_revenue"])

    def top_quarter_share(number: str) -> float:
        by_month = np.bincount(
            months[numbers == number], weights=revenue[numbers == number], minlength=13
        )
        return float(np.sort(by_month)[-3:].sum() / by_month.sum())

    cyclical = [top_quarter_share(c.number) for c in companies if c.shape == "cyclical"]
    steady = [top_quarter_share(c.number) for c in companies if c.shape == "steady"]
    assert np.median(cyclical) > 0.7
    assert np.median(steady) < 0.45


@pytest.mark.parametrize("suffix", [".parquet", ".csv"])
def test_written_files_round_trip_with_labels(tmp_path: Path, suffix: str) -> None:
    seen: list[tuple[int, int]] = []
    path = tmp_path / f"lines{suffix}"
    summary = write_sales_lines(
        path, customers=30, years=2, progress=lambda d, t: seen.append((d, t))
    )
    table = pq.read_table(path) if suffix == ".parquet" else pa_csv.read_csv(path)
    assert table.num_rows == summary.lines > 0
    assert table.column_names == SALES_LINE_SCHEMA.names
    labels = (tmp_path / f"lines{suffix}.labels.csv").read_text().splitlines()
    assert labels[0] == "customer_number,shape,first_order,last_order"
    assert len(labels) == 31
    assert seen[-1] == (30, 30)


def test_an_unknown_output_format_is_refused(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match=r"parquet or \.csv"):
        write_sales_lines(tmp_path / "x.json", customers=3)


@settings(max_examples=15, deadline=None)
@given(st.integers(min_value=0, max_value=2**32))
def test_any_seed_gives_valid_vat_numbers_and_positive_sales(seed: int) -> None:
    companies = generate_companies(12, seed=seed)
    assert all(is_valid_vat_id(c.vat_id) for c in companies)
    for batch in sales_line_batches(companies, seed=seed, years=1):
        quantity = np.asarray(batch["quantity"])
        revenue = np.asarray(batch["net_revenue"])
        assert np.all(np.sign(quantity) == np.sign(revenue))
        assert np.all(np.asarray(batch["freight"]) >= 0)
