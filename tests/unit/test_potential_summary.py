"""Share of wallet and white space from effective demand and sales (no database needed)."""

from __future__ import annotations

from decimal import Decimal

from hypothesis import given
from hypothesis import strategies as st

from kundenbild.offerings.models import Offering
from kundenbild.potential.models import Demand, EffectiveDemand, Need
from kundenbild.potential.selectors import summarise

OFFERINGS = [Offering(pk=i, number=f"A-{i}", name_de=f"Angebot {i}") for i in range(1, 4)]
money = st.decimals(min_value=0, max_value=10_000_000, places=2, allow_nan=False)


@st.composite
def effective_demand(draw: st.DrawFn) -> EffectiveDemand:
    offering = draw(st.sampled_from([None, *OFFERINGS]))
    need = Need(title=draw(st.sampled_from(["Stillstand", "Lager", "Energie"])))
    demand = Demand(
        pk=draw(st.integers(1, 10_000)),
        need=need,
        offering=offering,
        competitor=draw(st.sampled_from(["", "Würth", "Hoffmann"])),
        competitor_offering="" if offering else "Automaten",
    )
    return EffectiveDemand(
        demand=demand,
        year=2026,
        amount=draw(money),
        confidence=draw(st.integers(0, 100)),
        our_revenue=draw(st.none() | money),
    )


@given(
    st.lists(effective_demand(), max_size=12),
    st.dictionaries(st.sampled_from([o.number for o in OFFERINGS]), money),
)
def test_totals_are_the_sums_of_the_rows_and_white_space_is_never_negative(
    rows: list[EffectiveDemand], sold: dict[str, Decimal]
) -> None:
    summary = summarise(rows, sold, year=2026)
    assert summary.potential == sum((e.amount for e in rows), Decimal(0))
    assert summary.our_revenue == sum((r.our_revenue for r in summary.rows), Decimal(0))
    assert all(r.white_space >= 0 for r in summary.rows)
    assert all(r.white_space == max(r.potential - r.our_revenue, 0) for r in summary.rows)
    offerings_in_rows = [r.offering.pk for r in summary.rows if r.offering]
    assert len(offerings_in_rows) == len(set(offerings_in_rows))  # one row per offering
    for r in summary.rows:
        if r.offering is not None and r.offering.number in sold:
            assert (r.revenue_source, r.our_revenue) == ("sales", sold[r.offering.number])
        if r.potential > 0 and r.share is not None:
            assert abs(r.share - r.our_revenue / r.potential * 100) <= Decimal("0.05")


def test_sales_data_win_over_entered_revenue_and_competitor_demand_is_all_white_space() -> None:
    need = Need(title="Stillstand")
    ours = Demand(pk=1, need=need, offering=OFFERINGS[0], competitor="Würth")
    theirs = Demand(pk=2, need=need, competitor="Hoffmann", competitor_offering="Automaten")
    rows = [
        EffectiveDemand(demand=ours, year=2026, amount=Decimal(100_000), our_revenue=Decimal(10)),
        EffectiveDemand(demand=theirs, year=2026, amount=Decimal(50_000), confidence=50),
    ]
    summary = summarise(rows, {"A-1": Decimal(40_000)}, year=2026)
    first, second = summary.rows
    assert (first.our_revenue, first.revenue_source, first.share) == (
        Decimal(40_000),
        "sales",
        Decimal("40.0"),
    )
    assert first.white_space == Decimal(60_000)
    assert first.competitors == ["Würth"]
    assert (second.our_revenue, second.white_space) == (0, Decimal(50_000))
    assert summary.share == Decimal("26.7")  # 40,000 of 150,000
    assert summary.weighted == Decimal(100_000) * 50 / 100 + Decimal(25_000)
    without_sales = summarise(rows, {}, year=2026)
    assert (without_sales.rows[0].our_revenue, without_sales.rows[0].revenue_source) == (
        Decimal(10),
        "entered",
    )
