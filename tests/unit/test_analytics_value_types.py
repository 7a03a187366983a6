"""Value types and lifecycle phases on constructed invoice lines, one shape at a time.

Each test writes real lines (CSV) for a small portfolio: ordinary reference customers,
so that "tiny next to the others" has a meaning, plus the customer under test.
"""

from __future__ import annotations

import csv
import json
from datetime import date
from pathlib import Path

import numpy as np
import pyarrow.parquet as pq
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kundenbild.analytics.analysis import analyze_source
from kundenbild.analytics.config import AnalysisConfig, ConfigError
from kundenbild.analytics.io.lines import LinesError, LineSource
from kundenbild.analytics.io.writing import PeriodsOutput
from kundenbild.analytics.portfolio import abc_classes
from kundenbild.reason_text import reason_text

AS_OF = date(2026, 10, 31)
MONTHS = 60


def _month(offset: int) -> date:
    """The 15th of the month `offset` months after November 2021 (month 0)."""
    index = 2021 * 12 + 10 + offset
    return date(index // 12, index % 12 + 1, 15)


def _lines(customer: str, monthly: list[float], margin: float = 0.4) -> list[list[str]]:
    rows = []
    for offset, value in enumerate(monthly):
        if value:
            cost = value * (1 - margin)
            rows.append(
                [
                    customer,
                    f"R-{customer}-{offset}",
                    _month(offset).isoformat(),
                    f"{value:.2f}",
                    f"{cost:.2f}",
                ]
            )
    return rows


def _analyse(
    tmp_path: Path, **customers: list[float] | tuple[list[float], float]
) -> dict[str, dict]:
    rng = np.random.default_rng(7)
    rows: list[list[str]] = []
    for i in range(12):  # the reference portfolio: steady customers of ordinary size
        level = 4000.0 * (1 + i / 6)
        rows += _lines(f"REF{i:02d}", list(level * rng.uniform(0.85, 1.15, MONTHS)))
    for name, spec in customers.items():
        monthly, margin = spec if isinstance(spec, tuple) else (spec, 0.4)
        rows += _lines(name, monthly, margin)
    path = tmp_path / "lines.csv"
    with path.open("w", newline="", encoding="utf-8") as f:
        writer = csv.writer(f)
        writer.writerow(["customer_id", "invoice_id", "date", "revenue", "cost"])
        writer.writerows(rows)
    result = analyze_source(LineSource([path]), as_of=AS_OF)
    return {row["customer_id"]: row for row in result.table.to_pylist()}


def _reason(row: dict, language: str) -> str:
    """The row's reason in words, as the app and `analyze-file` render it."""
    values = json.loads(row["value_type_reason_values"])
    return reason_text(row["value_type_reason_code"], values, language)


def _noisy(level: np.ndarray, seed: int = 1) -> list[float]:
    rng = np.random.default_rng(seed)
    return list(level * rng.uniform(0.85, 1.15, len(level)))


t = np.arange(MONTHS) / (MONTHS - 1)


def test_steady_customer(tmp_path: Path) -> None:
    row = _analyse(tmp_path, X=_noisy(np.full(MONTHS, 5000.0)))["X"]
    assert row["value_type"] == "steady"
    assert row["lifecycle_phase"] == "mature"
    assert row["value_type_reason_code"] == "steady_flat"
    assert abs(json.loads(row["value_type_reason_values"])["change_percent"]) < 10
    assert "stabil" in _reason(row, "de")
    assert "stable" in _reason(row, "en")


def test_growth_customer_with_lumpy_orders(tmp_path: Path) -> None:
    level = 1000.0 * np.exp(np.log(6.0) * t)
    lumpy = [v * 3 if i % 3 == 0 else 0.0 for i, v in enumerate(_noisy(level))]
    row = _analyse(tmp_path, X=lumpy)["X"]
    assert row["value_type"] == "growth"
    assert row["value_type_reason_code"] == "growth"
    assert json.loads(row["value_type_reason_values"])["factor"] > 2
    assert "gestiegen" in _reason(row, "de")
    assert "grew" in _reason(row, "en")


def test_shrinking_customer_that_stopped_is_lost(tmp_path: Path) -> None:
    level = 8000.0 * np.exp(-np.log(8.0) * t)
    monthly = _noisy(level)
    monthly[50:] = [0.0] * 10
    row = _analyse(tmp_path, X=monthly)["X"]
    assert row["value_type"] == "shrinking"
    assert row["lifecycle_phase"] == "lost"


def test_bell_customer_past_its_peak_is_phasing_out(tmp_path: Path) -> None:
    level = 9000.0 * np.exp(-(((t - 0.4) / 0.2) ** 2)) + 300.0
    row = _analyse(tmp_path, X=_noisy(level))["X"]
    assert row["value_type"] == "bell"
    assert row["lifecycle_phase"] == "phase_out"
    assert row["value_type_reason_code"] == "bell"
    assert "Höhepunkt" in _reason(row, "de")
    assert "peak" in _reason(row, "en")


def test_cyclical_customer_with_a_budget_month(tmp_path: Path) -> None:
    monthly = [24000.0 if _month(i).month == 12 else 150.0 for i in range(MONTHS)]
    row = _analyse(tmp_path, X=_noisy(np.array(monthly)))["X"]
    assert row["value_type"] == "cyclical"
    assert row["value_type_reason_code"] == "cyclical"
    assert 12 in json.loads(row["value_type_reason_values"])["months"]
    assert "Dez" in _reason(row, "de")
    assert "Dec" in _reason(row, "en")


def test_burr_is_tiny_and_thin_whatever_its_shape(tmp_path: Path) -> None:
    growing_burr = 40.0 * np.exp(np.log(3.0) * t)
    row = _analyse(tmp_path, X=(_noisy(growing_burr), 0.05))["X"]
    assert row["value_type"] == "burr"
    assert row["value_type_reason_code"] == "burr"
    assert json.loads(row["value_type_reason_values"])["margin_percent"] == 5
    assert "Deckungsbeitrag" in _reason(row, "de")


def test_tiny_customer_with_a_good_margin_is_no_burr(tmp_path: Path) -> None:
    row = _analyse(tmp_path, X=(_noisy(np.full(MONTHS, 60.0)), 0.45))["X"]
    assert row["value_type"] == "steady"


def test_negative_total_margin_tiny_customer_is_burr(tmp_path: Path) -> None:
    row = _analyse(tmp_path, X=(_noisy(np.full(MONTHS, 80.0)), -0.1))["X"]
    assert row["value_type"] == "burr"


def test_young_customer_is_ramping_up_with_insufficient_history(tmp_path: Path) -> None:
    monthly = [0.0] * 54 + list(np.linspace(1000, 4000, 6))
    row = _analyse(tmp_path, X=monthly)["X"]
    assert row["value_type"] == "insufficient_history"
    assert row["lifecycle_phase"] == "ramp_up"
    assert row["value_type_reason_code"] == "insufficient_history"
    assert "Erst 6 Monate" in _reason(row, "de")


def test_single_order_and_one_month(tmp_path: Path) -> None:
    rows = _analyse(tmp_path, ONE=[0.0] * 30 + [5000.0] + [0.0] * 29, LAST=[0.0] * 59 + [900.0])
    assert rows["ONE"]["value_type"] == "insufficient_history"
    assert rows["ONE"]["lifecycle_phase"] == "lost"
    assert rows["LAST"]["value_type"] == "insufficient_history"
    assert rows["LAST"]["lifecycle_phase"] == "ramp_up"
    # one month, one order: said in the singular
    needs = AnalysisConfig().value_types
    assert json.loads(rows["LAST"]["value_type_reason_values"]) == {
        "months": 1,
        "orders": 1,
        "min_months": needs.min_history_months,
        "min_orders": needs.min_orders,
    }
    assert _reason(rows["LAST"], "de").startswith("Erst 1 Monat Historie und 1 Bestellung;")
    assert _reason(rows["LAST"], "en").startswith("Only 1 month of history and 1 order;")


def test_only_credit_notes_and_all_zero_history(tmp_path: Path) -> None:
    rows = _analyse(tmp_path, CREDIT=[-500.0] * 20 + [0.0] * 40, ZERO=[0.0] * 60)
    assert rows["CREDIT"]["value_type"] == "insufficient_history"
    assert rows["CREDIT"]["orders_total"] == 0
    assert rows["CREDIT"]["revenue_12m"] == 0
    assert rows["CREDIT"]["value_type_reason_code"] == "no_orders"
    assert "Keine Bestellung" in _reason(rows["CREDIT"], "de")
    assert "ZERO" not in rows  # no lines at all: the customer is not in the data


def test_first_order_after_the_as_of_date_is_left_out(tmp_path: Path) -> None:
    path = tmp_path / "lines.csv"
    path.write_text(
        "Kundennummer;Datum;Umsatz\nA;01.01.2026;100,00\nA;01.02.2026;100,00\n"
        "A;01.03.2026;100,00\nLATE;15.12.2026;999,00\n",
        encoding="utf-8",
    )
    result = analyze_source(LineSource([path]), as_of=date(2026, 6, 30))
    assert result.table.column("customer_id").to_pylist() == ["A"]


def test_credit_notes_net_against_revenue_and_duplicate_lines_count(tmp_path: Path) -> None:
    path = tmp_path / "lines.csv"
    path.write_text(
        "customer_id,invoice_id,date,revenue,cost,Farbe\n"
        "A,R1,2026-01-10,1000,600,rot\nA,R1,2026-01-10,1000,600,rot\n"
        "A,G1,2026-02-10,-300,-180,blau\nA,R2,2026-03-10,500,300,grün\n",
        encoding="utf-8",
    )
    row = analyze_source(LineSource([path])).table.to_pylist()[0]
    assert row["revenue_12m"] == 2200.0  # both identical lines count, the credit note nets
    assert row["contribution_margin_12m"] == 880.0
    assert row["orders_12m"] == 2  # R1 once, the credit note is no order
    assert row["last_order"] == date(2026, 3, 10)


def test_without_invoice_numbers_orders_are_order_days(tmp_path: Path) -> None:
    path = tmp_path / "lines.csv"
    path.write_text(
        "customer_id,date,revenue\nA,2026-01-10,10\nA,2026-01-10,20\nA,2026-01-11,5\n",
        encoding="utf-8",
    )
    row = analyze_source(LineSource([path])).table.to_pylist()[0]
    assert row["orders_12m"] == 2
    assert row["contribution_margin_12m"] is None  # no costs: no margin, not a zero


def test_bad_cell_names_file_row_and_column(tmp_path: Path) -> None:
    path = tmp_path / "lines.csv"
    path.write_text(
        "Kundennummer;Datum;Umsatz\nA;01.01.2026;100,00\nA;32.01.2026;100,00\n",
        encoding="utf-8",
    )
    with pytest.raises(LinesError, match=r"lines\.csv, row 3, column 'Datum': .*not a date"):
        analyze_source(LineSource([path]))


def test_missing_required_column_is_named(tmp_path: Path) -> None:
    path = tmp_path / "lines.csv"
    path.write_text("Kundennummer;Datum\nA;01.01.2026\n", encoding="utf-8")
    with pytest.raises(LinesError, match="required columns not found: net_revenue"):
        analyze_source(LineSource([path]))


def test_config_overrides_and_refuses_unknown_keys(tmp_path: Path) -> None:
    good = tmp_path / "good.toml"
    good.write_text("[value_types]\ntrend_max_steady_drift = 3\n", encoding="utf-8")
    assert AnalysisConfig.from_toml(good).value_types.trend_max_steady_drift == 3.0
    bad = tmp_path / "bad.toml"
    bad.write_text("[value_types]\ntrend_min_facter = 3\n", encoding="utf-8")
    with pytest.raises(ConfigError, match="unknown setting 'trend_min_facter'"):
        AnalysisConfig.from_toml(bad)


def test_abc_classes_follow_the_cumulative_shares() -> None:
    values = np.array([50.0, 30.0, 10.0, 5.0, 3.0, 2.0, 0.0, -4.0])
    assert "".join(abc_classes(values, 0.8, 0.95)) == "AABBCCCC"


@settings(max_examples=60, deadline=None)
@given(st.lists(st.floats(0, 1e9, allow_nan=False), min_size=1, max_size=40))
def test_abc_a_customers_make_at_least_the_a_share(values: list[float]) -> None:
    array = np.array(values)
    classes = abc_classes(array, 0.8, 0.95)
    total = array.sum()
    if total > 0:
        assert array[classes == "A"].sum() >= 0.8 * total - 1e-6
        # dropping the smallest A customer would fall short of 80 %
        smallest = array[classes == "A"].min()
        assert array[classes == "A"].sum() - smallest < 0.8 * total + 1e-6


@pytest.mark.parametrize(
    ("unit", "expected"),
    [
        ("month", [("2026-01-01", 100.0, 1), ("2026-02-01", 0.0, 0), ("2026-03-01", 50.0, 1)]),
        (
            "week",
            [
                ("2026-02-23", 100.0, 1),
                ("2026-03-02", 0.0, 0),
                ("2026-03-09", 0.0, 0),
                ("2026-03-16", 50.0, 1),
                ("2026-03-23", 0.0, 0),
                ("2026-03-30", 0.0, 0),  # the week of the as-of date, nothing after it
            ],
        ),
    ],
)
def test_value_over_time_counts_empty_periods_as_zero(
    tmp_path: Path, unit: str, expected: list[tuple[str, float, int]]
) -> None:
    path = tmp_path / "lines.csv"
    day = "2026-01-20" if unit == "month" else "2026-02-25"
    last = "2026-03-10" if unit == "month" else "2026-03-17"
    path.write_text(
        "customer_id,invoice_id,date,revenue,cost\n"
        f"A,G0,2025-12-01,-30,-10\n"  # a credit note before the first order: no history yet
        f"A,R1,{day},100,60\nA,R2,{last},50,20\nA,R3,2026-06-01,999,0\n",
        encoding="utf-8",
    )
    out = tmp_path / f"periods-{unit}.parquet"
    analyze_source(
        LineSource([path]),
        as_of=date(2026, 3, 31),
        periods=PeriodsOutput(out, unit, parquet=True),
    )
    rows = pq.read_table(out).to_pylist()
    assert [(r["period"].isoformat(), r["revenue"], r["orders"]) for r in rows] == expected
    assert rows[0]["contribution_margin"] == 40.0
