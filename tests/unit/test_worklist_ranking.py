"""The worklist's order: the stake times the urgency, a customer's items together."""

from __future__ import annotations

import doctest
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from hypothesis import given
from hypothesis import strategies as st

from kundenbild.workspace import ranking
from kundenbild.workspace.models import WorkItemKind
from kundenbild.workspace.ranking import (
    KIND_WEIGHTS,
    OVERDUE_FULL_DAYS,
    overdue_days,
    priority,
    rank,
    stake,
    urgency,
)

kinds = st.sampled_from(sorted(KIND_WEIGHTS))
values = st.floats(min_value=0, max_value=1e9, allow_nan=False)
waits = st.one_of(st.none(), st.integers(min_value=0, max_value=2_000))


@dataclass(frozen=True)
class Item:
    customer: int
    kind: str
    value: float
    waited: int | None


def _priority(item: Item) -> float:
    return priority(stake(item.value), item.kind, item.waited)


items = st.builds(
    Item,
    customer=st.integers(min_value=1, max_value=6),
    kind=kinds,
    value=st.sampled_from([0.0, 5_000.0, 80_000.0, 1_500_000.0]),
    waited=waits,
)


def test_the_examples_in_the_docstrings_hold() -> None:
    assert doctest.testmod(ranking).failed == 0


def test_every_kind_of_item_has_a_weight() -> None:
    assert set(KIND_WEIGHTS) == set(WorkItemKind.values)


def test_what_costs_money_outranks_upkeep_at_the_same_stake() -> None:
    assert priority(1000, "margin_negative", 0) > priority(1000, "type_shrinking", 0)
    assert priority(1000, "type_shrinking", 0) > priority(1000, "follow_up_due", 0)
    assert priority(1000, "follow_up_due", 0) > priority(1000, "profile_stale", 0)


def test_a_customer_worth_ten_times_more_comes_first_whatever_the_kind() -> None:
    """The urgency spans at most a factor of 6 (weight 1 to 3, doubled by waiting)."""
    rich = priority(stake(100_000), "profile_stale", 0)
    poor = priority(stake(10_000), "margin_negative", None)
    assert rich > poor


@given(values, values, kinds, waits)
def test_the_priority_never_falls_as_the_stake_grows(
    a: float, b: float, kind: str, waited: int | None
) -> None:
    low, high = sorted((a, b))
    assert priority(stake(low), kind, waited) <= priority(stake(high), kind, waited)


@given(st.integers(0, 2_000), st.integers(0, 2_000), kinds, values)
def test_the_priority_never_falls_as_the_item_waits(
    a: int, b: int, kind: str, value: float
) -> None:
    early, late = sorted((a, b))
    assert priority(stake(value), kind, early) <= priority(stake(value), kind, late)
    assert priority(stake(value), kind, late) <= priority(stake(value), kind, None)


@given(kinds, waits)
def test_waiting_at_most_doubles_the_urgency(kind: str, waited: int | None) -> None:
    assert KIND_WEIGHTS[kind] <= urgency(kind, waited) <= 2 * KIND_WEIGHTS[kind]
    assert urgency(kind, OVERDUE_FULL_DAYS) == urgency(kind, None) == 2 * KIND_WEIGHTS[kind]


@given(
    st.one_of(st.none(), st.decimals(-1e7, 1e9, allow_nan=False, places=2)),
    st.sampled_from(["A", "B", "C", ""]),
)
def test_a_stake_is_at_least_one(value: Decimal | None, abc: str) -> None:
    assert stake(value, abc) >= 1.0


def test_without_finance_the_abc_class_orders_the_customers() -> None:
    """Whatever the kind and wait, an A customer outranks a B, a B a C."""
    calmest = min(urgency(k, 0) for k in KIND_WEIGHTS)
    most_urgent = max(urgency(k, None) for k in KIND_WEIGHTS)
    assert stake(None, "A") * calmest > stake(None, "B") * most_urgent
    assert stake(None, "B") * calmest > stake(None, "C") * most_urgent
    assert stake(None, "C") * calmest > stake(None, "") * most_urgent


def test_overdue_days_count_from_the_date_and_never_below_zero() -> None:
    today = date(2026, 3, 1)
    assert overdue_days(today - timedelta(days=12), today) == 12
    assert overdue_days(today + timedelta(days=3), today) == 0
    assert overdue_days(None, today) is None


@given(st.lists(items, max_size=30))
def test_ranking_keeps_every_item_and_a_customers_items_together(listed: list[Item]) -> None:
    ranked = rank(listed, customer=lambda i: i.customer, priority_of=_priority)
    assert sorted(map(id, ranked)) == sorted(map(id, listed))
    seen: list[int] = []
    for item in ranked:
        if not seen or seen[-1] != item.customer:
            assert item.customer not in seen, "a customer's items are split"
            seen.append(item.customer)


@given(st.lists(items, max_size=30))
def test_customers_come_by_their_most_pressing_item_and_items_by_priority(
    listed: list[Item],
) -> None:
    ranked = rank(listed, customer=lambda i: i.customer, priority_of=_priority)
    best: dict[int, float] = {}
    for item in ranked:
        best[item.customer] = max(best.get(item.customer, 0.0), _priority(item))
    order = list(dict.fromkeys(item.customer for item in ranked))
    assert [best[c] for c in order] == sorted((best[c] for c in order), reverse=True)
    for customer in order:
        own = [_priority(i) for i in ranked if i.customer == customer]
        assert own == sorted(own, reverse=True)


def test_equal_priorities_fall_back_to_the_name() -> None:
    listed = [Item(2, "profile_stale", 10, 0), Item(1, "profile_stale", 10, 0)]
    names = {1: "Zander AG", 2: "Adler GmbH"}
    ranked = rank(
        listed,
        customer=lambda i: i.customer,
        priority_of=_priority,
        tiebreak=lambda i: names[i.customer],
    )
    assert [i.customer for i in ranked] == [2, 1]
