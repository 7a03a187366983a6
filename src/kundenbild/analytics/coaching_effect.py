"""Did coaching work? The value a customer in focus gained beyond similar customers.

A customer in a coaching focus is compared with **peers**: customers never in focus, of
the same value type and size class at the start, with the nearest starting value
(`match_peers`). Each changes between the analysis run before the start and a run since;
the effect is the focus customer's change minus the peers' mean change,

    effect = (after_f - before_f) - mean_j (after_j - before_j),

a difference in differences with matched controls (Heckman, Ichimura & Todd 1997,
"Matching as an econometric evaluation estimator", Review of Economic Studies 64(4);
nearest-neighbour matching as in Abadie & Imbens 2006, Econometrica 74(1)). Whatever
moves all customers of a kind alike (the economy, prices, the season) cancels; what is
left is what the focus customer did differently.

The uncertainty is a bootstrap (Efron & Tibshirani 1993, "An Introduction to the
Bootstrap"): in each replicate the peers are drawn again with replacement, and the focus
customer's own change is allowed to stray from its peers as much as one peer, drawn at
random, strays from theirs. The interval thus says how far a customer like the peers
moves by chance; with few peers it is wide. It is conditional on the peers found: it
does not resample the matching itself (which the bootstrap cannot do faithfully, Abadie &
Imbens 2008, Econometrica 76(6)). Summed over the foci of a goal, the replicates add up
focus by focus (`total_effect`): the interval of the gain of these very customers, not a
promise for the next one.

Pure NumPy; the app finds the runs and the values (`kundenbild.portfolio.effect`, and
docs/selection.md, "Did it work?").
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Literal

import numpy as np
import numpy.typing as npt

Array = npt.NDArray[np.float64]
Verdict = Literal["gain", "loss", "unclear"]


@dataclass(frozen=True)
class EffectConfig:
    """How many peers a focus customer is compared with, how few are too few, and the
    bootstrap's replicates and interval level."""

    peers: int = 10
    min_peers: int = 3
    replicates: int = 2_000
    level: float = 0.90


@dataclass(frozen=True)
class Peers:
    """The rows of the pool chosen as peers, nearest starting value first;
    `size_matched` is False where too few of the same size class were found and the
    size was left out of the match."""

    rows: npt.NDArray[np.int64]
    size_matched: bool


@dataclass(frozen=True)
class Effect:
    """The effect on one customer at one run, in the unit of the values (euros)."""

    estimate: float  # the customer's change minus the peers' mean change
    low: float  # the bootstrap interval at the config's level
    high: float
    change: float  # the customer's own change: after - before
    peer_change: float  # the peers' mean change
    peers: int
    replicates: Array = field(repr=False, compare=False)

    @property
    def verdict(self) -> Verdict:
        """ "gain" where the whole interval lies above 0, "loss" where below, else
        "unclear": the customer did not move distinguishably from its peers."""
        return _verdict(self.low, self.high)


@dataclass(frozen=True)
class Total:
    """The effect summed over several customers (the gain of a goal's foci)."""

    estimate: float
    low: float
    high: float
    customers: int

    @property
    def mean(self) -> float:
        return self.estimate / self.customers

    @property
    def verdict(self) -> Verdict:
        return _verdict(self.low, self.high)


def _verdict(low: float, high: float) -> Verdict:
    if low > 0:
        return "gain"
    if high < 0:
        return "loss"
    return "unclear"


def signed_log(values: npt.ArrayLike) -> Array:
    """log(1 + |x|) with the sign of x: starting values on a scale where 10,000 € is as
    far from 100,000 € as 100,000 € from 1,000,000 €, credit notes (below 0) included.

    >>> signed_log([0.0, -9.0, 99.0]).round(3).tolist()
    [0.0, -2.303, 4.605]
    """
    x = np.asarray(values, dtype=np.float64)
    result: Array = np.sign(x) * np.log1p(np.abs(x))
    return result


def match_peers(
    value_type: str,
    size_class: str,
    start: float,
    pool_types: Sequence[str] | npt.NDArray[np.str_],
    pool_sizes: Sequence[str] | npt.NDArray[np.str_],
    pool_starts: npt.ArrayLike,
    config: EffectConfig = EffectConfig(),
) -> Peers:
    """The peers of a customer among the pool (one row per customer never in focus): the
    same value type, the same size class (blank matches blank), and the `config.peers`
    nearest starting values on the log scale. Where fewer than `config.min_peers` share
    the size class, the size is left out of the match (`size_matched` False); fewer
    than that of the same type give fewer rows, and `focus_effect` then gives none.

    >>> peers = match_peers("steady", "small", 1000.0, ["steady", "steady", "growth",
    ...     "steady", "steady"], ["small", "small", "small", "small", "large"],
    ...     [900.0, 50_000.0, 1000.0, 1200.0, 1000.0], EffectConfig(peers=2, min_peers=2))
    >>> peers.rows.tolist(), peers.size_matched
    ([0, 3], True)
    """
    starts = signed_log(pool_starts)
    same_type = np.asarray(pool_types, dtype=str) == value_type
    same_size = same_type & (np.asarray(pool_sizes, dtype=str) == size_class)
    size_matched = int(same_size.sum()) >= config.min_peers
    eligible = np.flatnonzero(same_size if size_matched else same_type)
    distance = np.abs(starts[eligible] - signed_log([start])[0])
    nearest = eligible[np.argsort(distance, kind="stable")[: config.peers]]
    return Peers(nearest.astype(np.int64), size_matched)


def focus_effect(
    before: float,
    after: float,
    peer_before: npt.ArrayLike,
    peer_after: npt.ArrayLike,
    *,
    config: EffectConfig = EffectConfig(),
    seed: int | Sequence[int] = 0,
) -> Effect | None:
    """The effect on one customer: its change from `before` to `after` minus the mean
    change of its peers, with a bootstrap interval; None with fewer than
    `config.min_peers` peers or an unknown value (NaN). The same seed gives the same
    interval.

    >>> effect = focus_effect(100.0, 150.0, [100.0, 200.0, 300.0], [110.0, 210.0, 310.0])
    >>> effect.estimate, effect.change, effect.peer_change, effect.peers
    (40.0, 50.0, 10.0, 3)
    """
    b0 = np.asarray(peer_before, dtype=np.float64)
    b1 = np.asarray(peer_after, dtype=np.float64)
    known = np.isfinite(b0) & np.isfinite(b1)
    peer_changes = b1[known] - b0[known]
    if len(peer_changes) < config.min_peers or not np.isfinite(before + after):
        return None
    change = after - before
    peer_change = float(peer_changes.mean())
    rng = np.random.default_rng(seed)
    n = len(peer_changes)
    drawn = peer_changes[rng.integers(0, n, size=(config.replicates, n))].mean(axis=1)
    stray = peer_changes[rng.integers(0, n, size=config.replicates)] - peer_change
    replicates: Array = change - drawn - stray
    low, high = _interval(replicates, config.level)
    return Effect(
        estimate=change - peer_change,
        low=low,
        high=high,
        change=change,
        peer_change=peer_change,
        peers=n,
        replicates=replicates,
    )


def total_effect(effects: Sequence[Effect], level: float = 0.90) -> Total | None:
    """The effects of several customers summed, with the interval of the sum: their
    replicates (each customer's peers and chance drawn on their own) added up. None
    without any effect.

    >>> one = focus_effect(0.0, 50.0, [0.0] * 3, [0.0, 10.0, 20.0], seed=1)
    >>> two = focus_effect(0.0, -10.0, [0.0] * 3, [0.0, 10.0, 20.0], seed=2)
    >>> total_effect([one, two]).estimate
    20.0
    """
    if not effects:
        return None
    replicates = np.sum([effect.replicates for effect in effects], axis=0)
    low, high = _interval(replicates, level)
    return Total(
        estimate=float(sum(effect.estimate for effect in effects)),
        low=low,
        high=high,
        customers=len(effects),
    )


def _interval(replicates: Array, level: float) -> tuple[float, float]:
    """The central percentile interval of the replicates at the level (0.90: 5 % to 95 %)."""
    tail = 100.0 * (1.0 - level) / 2.0
    low, high = np.percentile(replicates, [tail, 100.0 - tail])
    return float(low), float(high)
