"""The forecast against what really happened, at rolling origins (issue 17).

At every origin the analysis sees only the lines up to it, forecasts the months after,
and is scored against them: the default must beat the last-12-months run rate in mean
absolute error and in rank correlation, keep the error of the total within ±15 %, forecast
fewer than 1 % of the customers above three times their last twelve months plus 1,000,
and its 80 % band must hold 75-85 % of the actual values.

Three kinds of data, none used to tune the models:
- Online Retail II (real wholesale invoices, one year): monthly origins, six months each,
  the last ending with the data;
- CDNOW (a cohort of new customers): 39 weeks of calibration and 39 of holdout, as in
  Fader, Hardie & Lee (2005);
- generated B2B books of three constructions (tests/value_type_families), one year ahead.

Where a requirement does not hold yet, the test says so as a strict expected failure with
the measured figures: it fails the day the requirement holds, so that the mark goes.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from functools import partial
from pathlib import Path

import pytest

from kundenbild.analytics.analysis import AnalysisResult, analyze_lines, analyze_source
from kundenbild.analytics.evaluation import Score, evaluate
from kundenbild.analytics.io.lines import LineSource
from kundenbild.cli.evaluation import add_months
from tests.value_type_families import LabelledBook, demo, profiles, renewal
from tests.value_type_families.accuracy import as_line_table

pytestmark = pytest.mark.slow

DATA = Path(__file__).parent.parent / "data"
ONLINE_RETAIL_ORIGINS = (date(2010, 3, 31), date(2010, 4, 30), date(2010, 5, 31), date(2010, 6, 9))


def _scores(result: AnalysisResult) -> tuple[Score, Score]:
    rows = {s.model: s for s in evaluate(result).scores if s.value_type == "all"}
    return rows["default"], rows["last_12m"]


def _backtest(
    analyse: Callable[[date, date], AnalysisResult], origin: date, months: int
) -> tuple[Score, Score]:
    return _scores(analyse(origin, add_months(origin, months)))


def _online_retail(origin: date, until: date) -> AnalysisResult:
    source = LineSource([DATA / "online_retail_ii_2009_2010.parquet"], skip_without_customer=True)
    return analyze_source(source, as_of=origin, evaluate_until=until)


@pytest.fixture(scope="module")
def online_retail() -> dict[date, tuple[Score, Score]]:
    return {origin: _backtest(_online_retail, origin, 6) for origin in ONLINE_RETAIL_ORIGINS}


@pytest.mark.parametrize("origin", ONLINE_RETAIL_ORIGINS, ids=str)
def test_online_retail_default_beats_the_run_rate_per_customer_and_keeps_the_total(
    online_retail: dict[date, tuple[Score, Score]], origin: date
) -> None:
    ours, run_rate = online_retail[origin]
    assert ours.mean_absolute_error < run_rate.mean_absolute_error
    assert abs(ours.total_error_percent) <= 15.0
    assert ours.above_bound_share < 0.01


@pytest.mark.xfail(
    strict=True,
    reason="issue 17, open: with 4 to 6 months of history the default ranks the customers "
    "slightly worse than their revenue so far (Spearman 0.554/0.569/0.588/0.591 against "
    "0.568/0.582/0.591/0.591): the purchase model's P(alive) moves wholesalers who pause",
)
def test_online_retail_default_ranks_the_customers_better_than_the_run_rate(
    online_retail: dict[date, tuple[Score, Score]],
) -> None:
    for ours, run_rate in online_retail.values():
        assert ours.rank_correlation > run_rate.rank_correlation


@pytest.mark.parametrize("origin", ONLINE_RETAIL_ORIGINS[2:], ids=str)
def test_online_retail_band_holds_four_in_five_with_half_a_year_of_history(
    online_retail: dict[date, tuple[Score, Score]], origin: date
) -> None:
    ours, _ = online_retail[origin]
    assert 0.75 <= ours.band_coverage <= 0.85


@pytest.mark.xfail(
    strict=True,
    reason="issue 17, open: with 4 and 5 months of data the internal backtest has one or "
    "two months to learn the band from; it holds 64 % and 74 % of the actual values",
)
def test_online_retail_band_holds_four_in_five_with_four_months_of_history(
    online_retail: dict[date, tuple[Score, Score]],
) -> None:
    for origin in ONLINE_RETAIL_ORIGINS[:2]:
        assert 0.75 <= online_retail[origin][0].band_coverage <= 0.85


@pytest.fixture(scope="module")
def cdnow() -> tuple[Score, Score]:
    source = LineSource([DATA / "cdnow_sample.csv"])
    result = analyze_source(source, as_of=date(1997, 9, 30), evaluate_until=date(1998, 6, 30))
    assert not result.left_truncated  # a cohort: every customer's first order is in the data
    return _scores(result)


def test_cdnow_default_beats_the_run_rate_and_its_band_holds(cdnow: tuple[Score, Score]) -> None:
    ours, run_rate = cdnow
    assert ours.mean_absolute_error < run_rate.mean_absolute_error
    assert ours.rank_correlation > run_rate.rank_correlation
    assert ours.above_bound_share < 0.01
    assert 0.75 <= ours.band_coverage <= 0.85


@pytest.mark.xfail(
    strict=True,
    reason="issue 17, open: the papers' BG/NBD and Gamma-Gamma, with the published "
    "parameters, expect 1,653 repeat order days against 1,882: the total is -15.8 %",
)
def test_cdnow_total_within_fifteen_percent(cdnow: tuple[Score, Score]) -> None:
    assert abs(cdnow[0].total_error_percent) <= 15.0


LAST_TWO_YEARS = (date(2024, 12, 31), date(2025, 12, 31))
BOOKS: dict[str, tuple[Callable[[], LabelledBook], tuple[date, date]]] = {
    "demo": (
        lambda: demo.generate(seed=2027, customers_per_type=500, extra_months=12),
        (date(2023, 12, 31), date(2024, 12, 31)),
    ),
    **{
        f"{family.__name__.rsplit('.', 1)[-1]}-{variant}": (
            partial(family.generate, variant=variant, seed=2027, extra_months=12),
            LAST_TWO_YEARS,
        )
        for family in (profiles, renewal)
        for variant in ("clean", "messy")
    },
}


@pytest.fixture(scope="module")
def books() -> dict[str, list[tuple[Score, Score]]]:
    """Every generated book's scores at its two origins."""
    scores = {}
    for name, (make, origins) in BOOKS.items():
        lines = as_line_table(make().lines)
        scores[name] = [
            _scores(analyze_lines(lines, as_of=origin, evaluate_until=add_months(origin, 12)))
            for origin in origins
        ]
    return scores


@pytest.mark.parametrize("name", BOOKS)
def test_generated_books_a_year_ahead(
    books: dict[str, list[tuple[Score, Score]]], name: str
) -> None:
    for at, (ours, run_rate) in zip(BOOKS[name][1], books[name], strict=True):
        where = f"{name} at {at}"
        assert ours.mean_absolute_error < run_rate.mean_absolute_error, where
        assert ours.rank_correlation > run_rate.rank_correlation, where
        assert abs(ours.total_error_percent) <= 15.0, where
        assert ours.above_bound_share < 0.01, where


BAND_SHORT = {
    "profiles-clean": "73.8 % at 2024-12-31 (76.7 % a year later)",
    "profiles-messy": "74.5 % and 74.8 %",
}


@pytest.mark.parametrize(
    "name",
    [
        pytest.param(
            name,
            marks=pytest.mark.xfail(
                strict=True,
                reason="issue 17, open: in the monthly-profile books the bells and shrinking "
                "customers fall faster in the forecast year than in the year the band was "
                f"learnt on; the band holds {BAND_SHORT[name]}",
            ),
        )
        if name in BAND_SHORT
        else name
        for name in BOOKS
    ],
)
def test_generated_books_band_holds_four_in_five_at_every_origin(
    books: dict[str, list[tuple[Score, Score]]], name: str
) -> None:
    coverage = [ours.band_coverage for ours, _ in books[name]]
    assert all(0.75 <= share <= 0.85 for share in coverage), coverage
