"""The purchase models fitted to one analysis' customers, and their predictions.

Glue between the engine's per-customer purchase history (`periods.purchase_table`) and the
models (`bgnbd`, `gamma_gamma`): the BG/NBD is fitted on the distinct (x, t_x, T) of all
customers, the Gamma-Gamma on the mean repeat-order values; predictions are made per chunk
of customers, at the horizons the forecast needs (`forecast.horizon.Horizon`).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

import numpy as np
import numpy.typing as npt
import pyarrow as pa
import pyarrow.compute as pc

from kundenbild.analytics.arrays import column_numbers
from kundenbild.analytics.clv.bgnbd import BgNbd, Tuples, fit_bgnbd
from kundenbild.analytics.clv.fitting import FitError
from kundenbild.analytics.clv.gamma_gamma import GammaGamma, fit_gamma_gamma

Array = npt.NDArray[np.float64]

UNIT_DAYS = {"week": 7.0, "month": 365.25 / 12, "quarter": 365.25 / 4}
# fewer customers than this make a population model a guess: the forecasts then use each
# customer's run rate, and P(alive) is 1 (nothing known against it)
MIN_CUSTOMERS = 20
FIT_CUSTOMERS = 20_000  # at most this many histories fit a BG/NBD (_fitted_on)
DAYS_PER_MONTH = 365.25 / 12


@dataclass(frozen=True)
class Histories:
    """Every customer's (x, t_x, T) in the model's time unit, and the BG/NBD fitted to
    them (None if it could not be)."""

    x: Array
    t_x: Array
    T: Array
    model: BgNbd | None

    def p_alive(self, rows: slice) -> Array:
        """P(alive) per customer; 1 where the model is missing (nothing known against)."""
        if self.model is None:
            return np.ones(len(self.x[rows]))
        return self.model.p_alive(self.x[rows], self.t_x[rows], self.T[rows])

    def expected_orders(
        self, rows: slice | npt.NDArray[np.intp], marks: tuple[float, ...], unit_days: float
    ) -> Array:
        """Orders expected up to each mark (customers × marks); NaN without a model."""
        n = len(self.x[rows])
        if self.model is None:
            return np.full((n, len(marks)), np.nan)
        columns = [
            self.model.expected_orders(
                self.x[rows], self.t_x[rows], self.T[rows], mark * DAYS_PER_MONTH / unit_days
            )
            for mark in marks
        ]
        return np.stack(columns, axis=1)


@dataclass(frozen=True)
class PurchaseModels:
    """The fitted models (None where a model could not be fitted, with the reason) and
    every customer's history in the models' terms, aligned with the customer table.

    `plain` is the BG/NBD of the papers: the first order seen is the start of the
    relationship. `truncated` knows that a B2B export is cut off: a customer whose first
    order falls near the start of the data was a customer before (left-truncated), alive
    when the data begins, so all its orders are repeat orders and it has been watched
    since the start of the data. By memorylessness that is the same likelihood with
    x = orders, t_x and T from the start of the data; new customers keep the plain terms.
    """

    plain: Histories
    truncated: Histories
    gamma_gamma: GammaGamma | None
    problems: tuple[str, ...]
    mean_value: Array  # mean value of the repeat orders (NaN without any)
    mean_value_all: Array  # mean value of all order days, the first included
    unit_days: float

    @property
    def bgnbd(self) -> BgNbd | None:
        return self.plain.model

    @property
    def x(self) -> Array:
        return self.plain.x

    def as_dict(self) -> dict[str, Any]:
        return {
            "bgnbd": self.plain.model.as_dict() if self.plain.model else None,
            "bgnbd_left_truncated": self.truncated.model.as_dict()
            if self.truncated.model
            else None,
            "gamma_gamma": self.gamma_gamma.as_dict() if self.gamma_gamma else None,
            "model_time_unit_days": self.unit_days,
            "problems": list(self.problems),
        }

    def order_value_with_first(self, rows: slice) -> Array:
        """Expected order value counting the first order too: the Gamma-Gamma papers leave
        it out, but in B2B a new customer's first order says much about its size. The
        same shrinkage towards the population, over all x + 1 orders."""
        x, m = self.x[rows] + 1.0, self.mean_value_all[rows]
        if self.gamma_gamma is None:
            return self.order_value(rows)
        return self.gamma_gamma.expected_order_value(x, m)

    def order_value(self, rows: slice) -> Array:
        """Gamma-Gamma expected order value; the customer's own mean (or the mean of all
        repeat orders) where the model is missing."""
        x, m = self.x[rows], self.mean_value[rows]
        if self.gamma_gamma is None:
            known = self.mean_value[np.isfinite(self.mean_value)]
            fallback = float(known.mean()) if len(known) else 0.0
            result: Array = np.where(np.isfinite(m), m, fallback)
            return result
        return self.gamma_gamma.expected_order_value(x, m)


def fit_purchase_models(
    customers: pa.Table,
    as_of: date,
    unit_days: float,
    *,
    data_start: date | None = None,
    truncation_days: float = 0.0,
) -> PurchaseModels:
    """Fit the models to the customer table's `order_days`, `first_day`, `last_day` and
    `repeat_revenue`. Customers without an order take no part in the fits and get x = 0.
    Customers whose first order is less than `truncation_days` after `data_start` count
    as left-truncated in `PurchaseModels.truncated`."""
    order_days = column_numbers(customers, "order_days")
    has = order_days > 0
    first = _days_before(customers.column("first_day"), as_of)
    last = _days_before(customers.column("last_day"), as_of)
    x = np.where(has, order_days - 1, 0).astype(np.int64)
    t_x_days = np.where(has, first - last, 0).astype(np.int64)
    T_days = np.where(has, first, 0).astype(np.int64)
    with np.errstate(invalid="ignore", divide="ignore"):
        mean_value = np.where(x > 0, column_numbers(customers, "repeat_revenue") / x, np.nan)
        mean_value_all = np.where(
            has, column_numbers(customers, "order_day_revenue") / np.maximum(order_days, 1), np.nan
        )
    start = (as_of - (data_start or as_of)).days  # days from the start of the data
    cut = has & (start - first < truncation_days)
    problems: list[str] = []
    plain = _histories(x, t_x_days, T_days, has, unit_days, problems, "BG/NBD")
    truncated = _histories(
        np.where(cut, x + 1, x),
        np.where(cut, start - last, t_x_days),
        np.where(cut, start, T_days),
        has,
        unit_days,
        problems,
        "BG/NBD (left-truncated)",
    )
    gamma_gamma: GammaGamma | None = None
    try:
        _enough(int(has.sum()))
        gamma_gamma = fit_gamma_gamma(x[has], mean_value[has])
    except FitError as error:
        problems.append(f"Gamma-Gamma: {error}")
    return PurchaseModels(
        plain=plain,
        truncated=truncated,
        gamma_gamma=gamma_gamma,
        problems=tuple(problems),
        mean_value=mean_value,
        mean_value_all=mean_value_all,
        unit_days=unit_days,
    )


def _histories(
    x: npt.NDArray[np.int64],
    t_x_days: npt.NDArray[np.int64],
    T_days: npt.NDArray[np.int64],
    has: npt.NDArray[np.bool_],
    unit_days: float,
    problems: list[str],
    name: str,
) -> Histories:
    model: BgNbd | None = None
    fitted = _fitted_on(has)
    try:
        _enough(int(has.sum()))
        model = fit_bgnbd(Tuples.of(x[fitted], t_x_days[fitted], T_days[fitted], unit_days))
    except FitError as error:
        problems.append(f"{name}: {error}")
    return Histories(
        x=x.astype(np.float64), t_x=t_x_days / unit_days, T=T_days / unit_days, model=model
    )


def _fitted_on(has: npt.NDArray[np.bool_]) -> npt.NDArray[np.intp]:
    """The customers a BG/NBD is fitted on: all with an order, or every k-th of them
    where there are more than `FIT_CUSTOMERS`. Four parameters of a population are about
    as well determined by 20,000 histories as by a million (standard errors of one or
    two percent of the estimate), and the fit of a big book took a tenth of the
    analysis; every customer is forecast all the same."""
    rows = np.flatnonzero(has)
    step = -(-len(rows) // FIT_CUSTOMERS)
    return rows[::step] if step > 1 else rows


def _enough(customers: int) -> None:
    if customers < MIN_CUSTOMERS:
        raise FitError(
            f"{customers} customers with orders; the model needs at least {MIN_CUSTOMERS}"
        )


def _days_before(days: pa.ChunkedArray, as_of: date) -> npt.NDArray[np.int64]:
    """Whole days from each date to the as-of date (0 where there is none)."""
    filled = pc.fill_null(days.cast(pa.date32()), pa.scalar(as_of, pa.date32()))
    epoch = np.asarray(filled.combine_chunks().cast(pa.int32()).to_numpy(), dtype=np.int64)
    result: npt.NDArray[np.int64] = (as_of - date(1970, 1, 1)).days - epoch
    return result
