"""A chunk of customers as dense monthly arrays, and each customer's life in them.

Everything that judges a shape works on these arrays (customers × months) for a chunk of
customers at once: the value types, the phases, the forecast's shape model. `Life` holds
what they all measure first: when each customer ordered first and last, how long its
history is, how often it orders.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

Array = npt.NDArray[np.float64]
IntArray = npt.NDArray[np.int64]
BoolArray = npt.NDArray[np.bool_]


@dataclass(frozen=True)
class MonthlyValues:
    """A chunk of customers: revenue, cost and orders per calendar month.

    Column 0 is the first month of the data (the start of the export), the last column the
    month of the as-of date. `first_month_of_year` is that first column's month (1-12).
    """

    revenue: Array
    cost: Array
    orders: Array
    first_month_of_year: int
    has_cost: bool = True


@dataclass(frozen=True)
class Life:
    """Per customer: its history in the chunk's months, from the first order on."""

    first: IntArray  # month of the first order (the last month without any)
    last: IntArray  # month of the last order
    has: BoolArray  # whether it ordered at all
    history: IntArray  # months from the first order to the as-of month
    active: IntArray  # months from the first to the last order
    orders: IntArray
    revenue: Array  # over the whole history
    since_last: IntArray  # months since the last order
    rhythm: Array  # mean months between orders (the chunk's length for a single order)

    @classmethod
    def of(cls, values: MonthlyValues) -> Life:
        months = values.revenue.shape[1]
        first, last, has = history_bounds(values)
        active = np.where(has, last - first + 1, 0)
        orders = values.orders.sum(axis=1).astype(np.int64)
        return cls(
            first=first,
            last=last,
            has=has,
            history=np.where(has, months - first, 0),
            active=active,
            orders=orders,
            revenue=values.revenue.sum(axis=1),
            since_last=np.where(has, months - 1 - last, 0),
            rhythm=np.where(orders > 1, (active - 1) / np.maximum(orders - 1, 1), float(months)),
        )


def history_bounds(values: MonthlyValues) -> tuple[IntArray, IntArray, BoolArray]:
    """First and last month with an order, and whether the customer has any order."""
    ordered = values.orders > 0
    months = ordered.shape[1]
    has: BoolArray = np.asarray(ordered.any(axis=1))
    first = np.where(has, ordered.argmax(axis=1), months - 1).astype(np.int64)
    last = np.where(has, months - 1 - ordered[:, ::-1].argmax(axis=1), months - 1).astype(np.int64)
    return first, last, has
