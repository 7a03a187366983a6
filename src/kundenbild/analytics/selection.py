"""Selection by goal: rank customers by a documented, explainable score for one goal.

The seed: "choose the promising customers with whom you best reach your goals, such as
revenue growth, better profitability or more innovation strength". For each goal a few
criteria count, each with a visible weight (`GOALS`, adjustable per call). A criterion's
value is turned into its percentile among the customers that have a value (0 = lowest,
1 = highest, ties share their mean rank), so euros, percentages and counts are
comparable, and one outlier does not swamp the rest. A customer without a value for a
criterion scores 0 there: the data is missing, and the reasons say so.

    score = 100 * sum(weight_k * percentile_k) / sum(weight_k)

The top reasons are the criteria with the largest weighted percentiles. Pure NumPy: the
app gathers the criteria (`docs/selection.md` lists where each comes from).
"""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

Array = npt.NDArray[np.float64]

# criterion -> what it measures; higher is always better (costs enter negated)
CRITERIA = {
    "future_value": "forecast revenue of the next 12 months",
    "future_growth": "forecast revenue against the last 12 months",
    "white_space": "potential not yet won (potential - revenue)",
    "wallet_headroom": "share of the potential not yet won (100 % - share of wallet)",
    "p_alive": "probability that the customer is still active",
    "buying_center_coverage": "share of deciders and influencers we have contact with",
    "future_margin": "forecast contribution margin I of the next 12 months",
    "margin_rate": "forecast contribution margin I in % of revenue",
    "margin_trend": "forecast margin against the margin of the last 12 months",
    "payment_discipline": "days paid before (+) or after (-) the agreed term",
    "customer_lifetime_value": "discounted margin of the next years (CLV)",
    "fascination": "share of assessed offerings the customer finds inspiring or fascinating",
    "fascination_breadth": "offerings the customer finds inspiring or fascinating",
    "new_offerings": "offerings bought for the first time in the last 24 months",
    "champions": "champions in the buying center",
    "fascination_unrealised": "offerings the customer finds inspiring or fascinating but "
    "bought nothing of in the last 12 months",
    "close_deciders": "deciders one of us knows well (a good or close relationship)",
    "history_years": "years since the first order",
}

GOALS: dict[str, dict[str, float]] = {
    "growth": {
        "future_growth": 3.0,
        "white_space": 3.0,
        "wallet_headroom": 1.5,
        "future_value": 1.5,
        "p_alive": 0.5,
        "buying_center_coverage": 0.5,
    },
    "profitability": {
        "future_margin": 3.0,
        "margin_rate": 2.5,
        "margin_trend": 1.5,
        "customer_lifetime_value": 1.5,
        "payment_discipline": 1.5,
    },
    "innovation": {
        "fascination": 3.0,
        "fascination_breadth": 2.0,
        "new_offerings": 2.5,
        "champions": 1.5,
        "future_value": 1.0,
    },
    # the seed: "look closely at the steady customers: the pearls often hide there".
    # Hidden potential first, then what would make it reachable: the offerings it is
    # taken with, the deciders we know, a long and reliable history
    "pearls": {
        "white_space": 3.0,
        "wallet_headroom": 2.0,
        "fascination_unrealised": 2.0,
        "close_deciders": 1.5,
        "history_years": 1.0,
        "p_alive": 1.0,
    },
}


# the value types and lifecycle phases a goal leaves out unless the user includes them
# (docs/selection.md): a burr or a lost customer is no growth candidate (a burr's way to
# profitability is serving it at less cost, not selling it more), and a lost customer's
# margin or fascination is history
LEFT_OUT: dict[str, frozenset[str]] = {
    "growth": frozenset({"burr", "lost"}),
    "profitability": frozenset({"lost"}),
    "innovation": frozenset({"lost"}),
    "pearls": frozenset({"lost"}),
}

# the value types a goal ranks unless the user names others: pearls are found among the
# steady customers
ONLY_TYPES: dict[str, frozenset[str]] = {"pearls": frozenset({"steady"})}


def candidates(
    goal: str,
    value_types: Sequence[str],
    phases: Sequence[str],
    *,
    include: Collection[str] = (),
    only_types: Collection[str] = (),
    only_phases: Collection[str] = (),
) -> npt.NDArray[np.bool_]:
    """Which customers (one per row of the arrays) the goal ranks: not of a value type or
    in a phase the goal leaves out, unless `include` names it; only customers of the
    types in `only_types` (else of the goal's `ONLY_TYPES`, if it has any) and in the
    phases of `only_phases`, where these name any. A customer without a judgement has no
    type and no phase."""
    left_out = LEFT_OUT.get(goal, frozenset()) - set(include)
    types = set(only_types) or set(ONLY_TYPES.get(goal, ()))
    wanted_phases = set(only_phases)
    return np.array(
        [
            t not in left_out
            and p not in left_out
            and (not types or t in types)
            and (not wanted_phases or p in wanted_phases)
            for t, p in zip(value_types, phases, strict=True)
        ],
        dtype=bool,
    )


class SelectionError(ValueError):
    """The goal or its weights cannot be used; the message says why."""


@dataclass(frozen=True)
class Reason:
    criterion: str
    value: float
    percentile: float  # 0..1 among the customers with a value; NaN without one
    contribution: float  # weight * percentile / sum of weights, in score points


@dataclass(frozen=True)
class Selection:
    """Customers ranked for a goal: `order` indexes the input rows, best first."""

    goal: str
    weights: dict[str, float]
    scores: Array  # 0..100 per input row
    percentiles: dict[str, Array]  # per criterion, per input row (NaN: no value)
    order: npt.NDArray[np.int64]

    def ranked(self, eligible: npt.NDArray[np.bool_] | None = None) -> npt.NDArray[np.int64]:
        """The rows, best first, of the eligible customers only (`candidates`); their
        scores and percentiles stay those among all customers."""
        return self.order if eligible is None else self.order[eligible[self.order]]

    def reasons(self, row: int, values: Mapping[str, Array], top: int = 3) -> list[Reason]:
        """The criteria that lifted this customer most, largest first; criteria without
        a value come last with a contribution of 0."""
        total = sum(self.weights.values())
        found = []
        for name, weight in self.weights.items():
            percentile = float(self.percentiles[name][row])
            contribution = 0.0 if np.isnan(percentile) else 100.0 * weight * percentile / total
            found.append(Reason(name, float(values[name][row]), percentile, contribution))
        found.sort(key=lambda reason: -reason.contribution)
        return found[:top]


def weights_for(goal: str, overrides: Mapping[str, float] | None = None) -> dict[str, float]:
    """The goal's weights, with `overrides` for some criteria (0 switches one off)."""
    if goal not in GOALS:
        raise SelectionError(f"unknown goal {goal!r}; choose one of {', '.join(GOALS)}")
    weights = dict(GOALS[goal])
    for name, weight in (overrides or {}).items():
        if name not in CRITERIA:
            raise SelectionError(f"unknown criterion {name!r}")
        if not np.isfinite(weight) or weight < 0:
            raise SelectionError(f"the weight of {name} must be a number >= 0")
        weights[name] = float(weight)
    weights = {name: weight for name, weight in weights.items() if weight > 0}
    if not weights:
        raise SelectionError("at least one criterion needs a weight above 0")
    return weights


def select(
    goal: str,
    values: Mapping[str, npt.ArrayLike],
    overrides: Mapping[str, float] | None = None,
) -> Selection:
    """Score every customer (one row per customer in each of `values`' arrays, NaN where
    a criterion is unknown) for the goal, and rank them, best first; ties keep the input
    order."""
    weights = weights_for(goal, overrides)
    missing = [name for name in weights if name not in values]
    if missing:
        raise SelectionError(f"values missing for {', '.join(missing)}")
    arrays = {name: np.asarray(values[name], dtype=np.float64) for name in weights}
    sizes = {len(array) for array in arrays.values()}
    if len(sizes) > 1:
        raise SelectionError("every criterion needs one value per customer")
    n = sizes.pop()
    total = sum(weights.values())
    scores = np.zeros(n)
    percentiles = {}
    for name, weight in weights.items():
        percentile = percentile_ranks(arrays[name])
        percentiles[name] = percentile
        scores += weight * np.nan_to_num(percentile, nan=0.0)
    scores = 100.0 * scores / total
    order = np.argsort(-scores, kind="stable").astype(np.int64)
    return Selection(goal, weights, scores, percentiles, order)


def percentile_ranks(values: Array) -> Array:
    """Each value's place among the known values, 0 (lowest) to 1 (highest); tied values
    share their mean place; NaN stays NaN. A single known value is 1."""
    result = np.full(len(values), np.nan)
    known = np.flatnonzero(np.isfinite(values))
    if len(known) == 0:
        return result
    if len(known) == 1:
        result[known] = 1.0
        return result
    _, inverse, counts = np.unique(values[known], return_inverse=True, return_counts=True)
    # mean 0-based position of each distinct value: start of its run + (count - 1) / 2
    starts = np.concatenate([[0], np.cumsum(counts)[:-1]])
    mean_position = starts + (counts - 1) / 2.0
    result[known] = mean_position[inverse.reshape(-1)] / (len(known) - 1)
    return result
