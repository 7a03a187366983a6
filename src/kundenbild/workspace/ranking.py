"""The order of a worklist: what is at stake first, grouped by customer.

An item's priority is the customer's *stake* times the item's *urgency*:

- The stake is what the customer is worth to us in the latest analysis: the larger of the
  revenue of the last 12 months and the forecast for the next 12 (a shrinking customer
  puts its current revenue at stake, a growing one its forecast). Revenue rather than the
  contribution margin or the CLV, because both are empty where the sales lines carry no
  costs, and because revenue is what every user with finance rights sees on the customer
  page. Users without finance rights must not learn a ranking of revenues finer than the
  ABC class they see anyway: for them the stake is the class (A 1000, B 100, C 10, a
  customer without class 0; each a factor 10 apart, more than the urgency spans), so their
  list runs A before B before C, each by urgency. A stake never drops below 0 (credit
  notes) and gets 1 added, so that customers without value still order by urgency.
- The urgency is the kind's weight (what costs money first, then what is due, people,
  upkeep) times 1 to 2 for how long the item has waited: one more share per day up to
  `OVERDUE_FULL_DAYS`; an item with no date (a decider nobody ever spoke to) counts as
  waited in full.

A customer's items stay together: the customers are ordered by their most pressing item,
their items by priority. Pure: plain numbers and dates in, an order out.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Iterable
from datetime import date
from decimal import Decimal
from functools import cache
from typing import TypeVar

# weights of the kinds, by the values of WorkItemKind (kept plain: this module is pure)
KIND_WEIGHTS: dict[str, float] = {
    "margin_negative": 3.0,
    "type_shrinking": 2.8,
    "p_alive_dropped": 2.5,
    "bell_past_peak": 2.0,
    "follow_up_due": 2.0,
    "coaching_review_due": 1.5,
    "decider_without_contact": 1.2,
    "profile_stale": 1.0,
}
OVERDUE_FULL_DAYS = 90  # from then on waiting longer adds no urgency
ABC_STAKES: dict[str, float] = {"A": 1000.0, "B": 100.0, "C": 10.0}

T = TypeVar("T")


def stake(value: Decimal | float | None, abc: str = "") -> float:
    """What a customer puts at stake: its value in euros where the user may see it (None
    where not), else its ABC class; never below 0.

    >>> stake(Decimal("250000.50"))
    250001.5
    >>> stake(None, "B"), stake(Decimal("-300")), stake(None)
    (101.0, 1.0, 1.0)
    """
    if value is not None:
        return max(float(value), 0.0) + 1.0
    return ABC_STAKES.get(abc, 0.0) + 1.0


def overdue_days(since: date | None, today: date) -> int | None:
    """Days an item has waited since it happened or fell due; None for never (no date).

    >>> overdue_days(date(2026, 1, 1), date(2026, 1, 31)), overdue_days(None, date(2026, 1, 1))
    (30, None)
    """
    if since is None:
        return None
    return max((today - since).days, 0)


@cache  # a handful of kinds times a few hundred days: 100,000 items need few of them
def urgency(kind: str, overdue: int | None) -> float:
    """The kind's weight, up to doubled by waiting.

    >>> urgency("profile_stale", 0), urgency("profile_stale", 45), urgency("margin_negative", None)
    (1.0, 1.5, 6.0)
    """
    waited = OVERDUE_FULL_DAYS if overdue is None else min(max(overdue, 0), OVERDUE_FULL_DAYS)
    return KIND_WEIGHTS.get(kind, 1.0) * (1.0 + waited / OVERDUE_FULL_DAYS)


def priority(stake_: float, kind: str, overdue: int | None) -> float:
    """How pressing one item is: the stake times the urgency."""
    return stake_ * urgency(kind, overdue)


def rank(
    items: Iterable[T],
    *,
    customer: Callable[[T], Hashable],
    priority_of: Callable[[T], float],
    tiebreak: Callable[[T], str] = lambda _item: "",
) -> list[T]:
    """Items grouped by customer, the customer with the most pressing item first, each
    customer's items by priority; customers of equal priority by `tiebreak` (e.g. the
    name), so the order is stable from one day to the next; equal items as given."""
    scored = [(priority_of(item), customer(item), item) for item in items]
    best: dict[Hashable, float] = {}
    names: dict[Hashable, str] = {}
    for score, key, item in scored:
        if score > best.get(key, float("-inf")):
            best[key] = score
        if key not in names:
            names[key] = tiebreak(item)
    scored.sort(key=lambda row: (-best[row[1]], names[row[1]], str(row[1]), -row[0]))
    return [item for _score, _key, item in scored]
