"""Did coaching work? Each coaching focus's effect against its peers, run by run.

For every focus, the baseline is the latest finished analysis run on or before its start;
every later run (up to its closing, if closed) measures it: the customer's revenue and
contribution margin of the last 12 months at that run against the baseline, minus the
same change of its peers. Peers are customers never in any focus up to that run, with
the same value type and size class at the baseline and the nearest starting revenue
(`kundenbild.analytics.coaching_effect` holds the method and its references). A goal's
*Wirkung* is the sum over its foci of their latest measurement.

Each run's values are read once (customer, type, revenue, margin as arrays), and the peer
pool of a baseline and a later run once for all foci that share them.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from typing import Literal

import numpy as np
import numpy.typing as npt
from django.db.models import Min
from django.utils.functional import Promise

from kundenbild.analytics.coaching_effect import (
    Effect,
    EffectConfig,
    Total,
    focus_effect,
    match_peers,
    total_effect,
)
from kundenbild.customers.models import Customer
from kundenbild.insights.models import AnalysisRun, CustomerValue, RunStatus
from kundenbild.portfolio.models import CoachingFocus, CoachingGoal

Array = npt.NDArray[np.float64]
Ids = npt.NDArray[np.int64]
StrOrPromise = str | Promise

# why a focus has no effect figure (yet); the pages say it in words
Status = Literal["measured", "no_baseline", "no_run_since", "too_few_peers"]
MEASURED: Status = "measured"
NO_BASELINE: Status = "no_baseline"  # no run on or before the start covers the customer
NO_RUN_SINCE: Status = "no_run_since"  # no run after the start yet
TOO_FEW_PEERS: Status = "too_few_peers"


@dataclass(frozen=True)
class RunValues:
    """One run's customer values as arrays, by customer id (ascending)."""

    run: AnalysisRun
    ids: Ids
    types: npt.NDArray[np.str_]
    sizes: npt.NDArray[np.str_]  # the customer's size class now ("" without one)
    revenue: Array
    margin: Array  # NaN where the sales lines carry no cost of goods

    def row(self, customer_id: int) -> int | None:
        at = int(np.searchsorted(self.ids, customer_id))
        return at if at < len(self.ids) and self.ids[at] == customer_id else None


@dataclass(frozen=True)
class Pool:
    """The customers a focus can be compared with between a baseline and a later run:
    valued in both and in no focus up to the later run."""

    types: npt.NDArray[np.str_]
    sizes: npt.NDArray[np.str_]
    revenue_before: Array
    revenue_after: Array
    margin_before: Array
    margin_after: Array


@dataclass(frozen=True)
class Measurement:
    """The effect on a focus customer at one run since its start."""

    run: AnalysisRun
    revenue: Effect | None  # None: too few peers
    margin: Effect | None  # None also where the customer's margin is unknown
    peers: int
    size_matched: bool


@dataclass(frozen=True)
class FocusEffect:
    focus: CoachingFocus
    baseline: AnalysisRun | None
    measurements: list[Measurement]  # oldest run first
    status: Status

    @property
    def latest(self) -> Measurement | None:
        """The newest measurement with a revenue effect: the focus's figure."""
        measured = [m for m in self.measurements if m.revenue is not None]
        return measured[-1] if measured else None


@dataclass(frozen=True)
class GoalEffect:
    """A goal's *Wirkung*: revenue and margin its foci gained beyond their peers."""

    goal: str
    label: str
    foci: int
    measured: int
    revenue: Total | None
    margin: Total | None


@dataclass(frozen=True)
class CoachingEffect:
    foci: list[FocusEffect]
    goals: list[GoalEffect]
    config: EffectConfig
    by_focus: dict[int, FocusEffect] = field(default_factory=dict)

    @property
    def level_percent(self) -> int:
        return round(100 * self.config.level)

    @property
    def any_measured(self) -> bool:
        return any(goal.measured for goal in self.goals)


def coaching_effect(
    *, up_to: AnalysisRun | None = None, config: EffectConfig | None = None
) -> CoachingEffect:
    """The effect of every coaching focus, open or closed, measured at each finished run
    since its start (up to the run `up_to`, if given), and per goal the sum of the
    latest measurements."""
    config = config or EffectConfig()
    runs = _runs(up_to)
    foci = list(CoachingFocus.objects.select_related("customer", "owner").order_by("pk"))
    first_start = dict(
        CoachingFocus.objects.values("customer_id")
        .annotate(first=Min("started_on"))
        .values_list("customer_id", "first")
    )
    sizes = dict(Customer.objects.values_list("pk", "size_class"))
    values: dict[int, RunValues] = {}
    pools: dict[tuple[int, int], Pool] = {}

    def values_of(run: AnalysisRun) -> RunValues:
        if run.pk not in values:
            values[run.pk] = _run_values(run, sizes)
        return values[run.pk]

    def pool_of(baseline: AnalysisRun, run: AnalysisRun) -> Pool:
        key = (baseline.pk, run.pk)
        if key not in pools:
            pools[key] = _pool(values_of(baseline), values_of(run), first_start)
        return pools[key]

    measured = [_focus_effect(focus, runs, values_of, pool_of, config) for focus in foci]
    return CoachingEffect(
        foci=measured,
        goals=[_goal_effect(goal, label, measured, config) for goal, label in CoachingGoal.choices],
        config=config,
        by_focus={effect.focus.pk: effect for effect in measured},
    )


def _runs(up_to: AnalysisRun | None) -> list[AnalysisRun]:
    """The finished runs by as-of date, oldest first; of several runs on one date the one
    finished last (a rerun replaces what the earlier one found)."""
    runs = AnalysisRun.objects.filter(status=RunStatus.DONE, as_of__isnull=False)
    if up_to is not None and up_to.as_of is not None:
        runs = runs.filter(as_of__lte=up_to.as_of)
    by_date: dict[date, AnalysisRun] = {}
    for run in runs.order_by("as_of", "finished_at", "pk"):
        assert run.as_of is not None
        by_date[run.as_of] = run
    return list(by_date.values())


def _run_values(run: AnalysisRun, sizes: dict[int, str]) -> RunValues:
    rows = list(
        CustomerValue.objects.filter(run=run)
        .order_by("customer_id")
        .values_list("customer_id", "value_type", "revenue_12m", "contribution_margin_12m")
    )
    return RunValues(
        run=run,
        ids=np.array([r[0] for r in rows], dtype=np.int64),
        types=np.array([r[1] for r in rows], dtype=str),
        sizes=np.array([sizes.get(r[0], "") for r in rows], dtype=str),
        revenue=np.array([float(r[2]) for r in rows], dtype=np.float64),
        margin=np.array([np.nan if r[3] is None else float(r[3]) for r in rows]),
    )


def _pool(before: RunValues, after: RunValues, first_start: dict[int, date]) -> Pool:
    """The customers valued in both runs that no focus had taken up to the later run."""
    assert after.run.as_of is not None
    ids, at_before, at_after = np.intersect1d(
        before.ids, after.ids, assume_unique=True, return_indices=True
    )
    until = after.run.as_of
    in_focus = np.array([c for c, first in first_start.items() if first <= until], dtype=np.int64)
    free = ~np.isin(ids, in_focus)
    b, a = at_before[free], at_after[free]
    return Pool(
        types=before.types[b],
        sizes=before.sizes[b],
        revenue_before=before.revenue[b],
        revenue_after=after.revenue[a],
        margin_before=before.margin[b],
        margin_after=after.margin[a],
    )


def _focus_effect(
    focus: CoachingFocus,
    runs: list[AnalysisRun],
    values_of: Callable[[AnalysisRun], RunValues],
    pool_of: Callable[[AnalysisRun, AnalysisRun], Pool],
    config: EffectConfig,
) -> FocusEffect:
    """The focus measured at every run since its start against its baseline."""
    earlier = [run for run in runs if run.as_of is not None and run.as_of <= focus.started_on]
    baseline = earlier[-1] if earlier else None
    if baseline is None or values_of(baseline).row(focus.customer_id) is None:
        return FocusEffect(focus, baseline, [], NO_BASELINE)
    end = focus.closed_on or date.max
    later = [run for run in runs if run.as_of is not None and focus.started_on < run.as_of <= end]
    measurements = []
    for run in later:
        measurement = _measure(focus, baseline, run, values_of, pool_of(baseline, run), config)
        if measurement is not None:
            measurements.append(measurement)
    if not measurements:
        return FocusEffect(focus, baseline, [], NO_RUN_SINCE)
    found = any(m.revenue is not None for m in measurements)
    return FocusEffect(focus, baseline, measurements, MEASURED if found else TOO_FEW_PEERS)


def _measure(
    focus: CoachingFocus,
    baseline: AnalysisRun,
    run: AnalysisRun,
    values_of: Callable[[AnalysisRun], RunValues],
    pool: Pool,
    config: EffectConfig,
) -> Measurement | None:
    """The focus at one run; None where the run has no value for the customer."""
    before, after = values_of(baseline), values_of(run)
    b, a = before.row(focus.customer_id), after.row(focus.customer_id)
    if b is None or a is None:
        return None
    peers = match_peers(
        str(before.types[b]),
        str(before.sizes[b]),
        float(before.revenue[b]),
        pool.types,
        pool.sizes,
        pool.revenue_before,
        config,
    )
    rows = peers.rows
    revenue = focus_effect(
        float(before.revenue[b]),
        float(after.revenue[a]),
        pool.revenue_before[rows],
        pool.revenue_after[rows],
        config=config,
        seed=(focus.pk, run.pk, 0),
    )
    margin = focus_effect(
        float(before.margin[b]),
        float(after.margin[a]),
        pool.margin_before[rows],
        pool.margin_after[rows],
        config=config,
        seed=(focus.pk, run.pk, 1),
    )
    return Measurement(run, revenue, margin, len(rows), peers.size_matched)


def _goal_effect(
    goal: str, label: StrOrPromise, foci: list[FocusEffect], config: EffectConfig
) -> GoalEffect:
    """The goal's foci, how many of them are measured, and the sums of their latest
    revenue and margin effects."""
    mine = [effect for effect in foci if effect.focus.goal == goal]
    latest = [m for m in (effect.latest for effect in mine) if m is not None]
    return GoalEffect(
        goal=goal,
        label=str(label),
        foci=len(mine),
        measured=len(latest),
        revenue=total_effect([m.revenue for m in latest if m.revenue is not None], config.level),
        margin=total_effect([m.margin for m in latest if m.margin is not None], config.level),
    )
