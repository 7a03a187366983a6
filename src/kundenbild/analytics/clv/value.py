"""What a customer's forecast revenue is worth: its margin, discounted over the years.

The lifetime value of the `clv` column is the default forecast's revenue of each coming
year (`forecast`) times the customer's margin rate, discounted to today: the margin rate
is shrunk towards the population's for customers with few orders, whose own rate is
mostly chance.
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt

from kundenbild.analytics.config import ForecastConfig

Array = npt.NDArray[np.float64]


def margin_rate(revenue: Array, cost: Array, orders: Array, config: ForecastConfig) -> Array:
    """Each customer's contribution margin rate, shrunk towards the population's rate the
    fewer orders it has: w = orders / (orders + k), k = `margin_shrinkage_orders`."""
    total = float(revenue[revenue > 0].sum())
    population = float((revenue - cost)[revenue > 0].sum()) / total if total > 0 else 0.0
    with np.errstate(invalid="ignore", divide="ignore"):
        own = np.where(revenue > 0, (revenue - cost) / revenue, population)
    weight = orders / (orders + config.margin_shrinkage_orders)
    result: Array = weight * own + (1.0 - weight) * population
    return result


def lifetime_value(yearly_margin: Array, discount_rate: float) -> Array:
    """Discounted margin of the coming years (customers × years), each year's margin
    counted at the middle of the year."""
    years = yearly_margin.shape[1]
    factors = (1.0 + discount_rate) ** -(np.arange(years) + 0.5)
    result: Array = yearly_margin @ factors
    return result
