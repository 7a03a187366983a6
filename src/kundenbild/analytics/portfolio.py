"""Portfolio figures: ABC classes by revenue and by contribution margin."""

from __future__ import annotations

import numpy as np
import numpy.typing as npt


def abc_classes(
    values: npt.NDArray[np.float64], a_share: float, b_share: float
) -> npt.NDArray[np.str_]:
    """A = the customers making the first `a_share` of the total, B = up to `b_share`, C = rest.

    Customers are ranked by value, largest first; a customer belongs to A while the total
    *before* it is below the A share, so the customer that crosses 80 % is still A. Only
    positive values count towards the total: a customer with none is always C.
    """
    positive = np.where(values > 0, values, 0.0)
    total = positive.sum()
    classes = np.full(len(values), "C", dtype="<U1")
    if total <= 0:
        return classes
    order = np.argsort(-positive, kind="stable")
    before = (np.cumsum(positive[order]) - positive[order]) / total
    ranked = np.where(before < a_share, "A", np.where(before < b_share, "B", "C"))
    ranked[positive[order] <= 0] = "C"
    classes[order] = ranked
    return classes
