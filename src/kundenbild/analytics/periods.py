"""Invoice lines → one row per customer and period, computed in the engine (Ibis).

The expression is backend-neutral: here it runs on DuckDB; the same expression runs on
PostgreSQL or PySpark. Never a Python loop per line.
"""

from __future__ import annotations

from datetime import date

import ibis
import ibis.expr.types as ir

TIME_UNITS = {"week": "W", "month": "M", "quarter": "Q"}
INTERVALS = {"week": "INTERVAL 1 WEEK", "month": "INTERVAL 1 MONTH", "quarter": "INTERVAL 3 MONTH"}


def daily_table(lines: ir.Table) -> ir.Table:
    """Per customer and day: revenue, cost, lines and orders; every later step reads this.

    Credit notes (negative lines) net against revenue and cost but are no orders. Orders
    are distinct invoice numbers, or the order day itself where the file has none. Lines
    from a direct scan carry a `bad` flag; their count is kept as `bad_lines`.
    """
    invoice = lines.invoice_number.nullif("")
    is_order = lines.net_revenue >= 0
    return lines.group_by(customer=lines.customer_number, day=lines.invoice_date).aggregate(
        revenue=lines.net_revenue.sum(),
        cost=lines.cost_of_goods.sum(),
        lines=lines.count(),
        orders=ibis.greatest(invoice.nunique(where=is_order), is_order.any().cast("int64")),
        **({"bad_lines": lines.bad.sum()} if "bad" in lines.columns else {}),
    )


def period_table(days: ir.Table, *, as_of: date, unit: str = "month") -> ir.Table:
    """Per customer and period (week, month, quarter): revenue, cost, orders, lines, and the
    last-12-months figures over (as_of - 1 year, as_of], exact to the day."""
    if unit not in TIME_UNITS:
        raise ValueError(f"time unit must be one of {', '.join(TIME_UNITS)}")
    t = days.filter(days.day <= as_of)
    recent = t.day > _year_before(as_of)
    ordered = t.orders > 0
    return t.group_by(customer=t.customer, period=t.day.truncate(TIME_UNITS[unit])).aggregate(
        revenue=t.revenue.sum(),
        cost=t.cost.sum(),
        lines=t.lines.sum(),
        orders=t.orders.sum(),
        first_order=t.day.min(where=ordered),
        last_order=t.day.max(where=ordered),
        revenue_12m=t.revenue.sum(where=recent),
        cost_12m=t.cost.sum(where=recent),
        orders_12m=t.orders.sum(where=recent),
    )


def customer_table(periods: ir.Table) -> ir.Table:
    """Per customer: totals, last-12-months figures, first and last order."""
    p = periods
    return p.group_by("customer").aggregate(
        revenue=p.revenue.sum(),
        cost=p.cost.sum(),
        orders=p.orders.sum(),
        revenue_12m=p.revenue_12m.sum(),
        cost_12m=p.cost_12m.sum(),
        orders_12m=p.orders_12m.sum(),
        first_order=p.first_order.min(),
        last_order=p.last_order.max(),
    )


def dense_index(periods: ir.Table) -> ir.Table:
    """Periods with integer positions for NumPy: `row` (customer, 0-based, in customer
    order, matching `customer_table` sorted by customer) and `month` (year * 12 + month
    - 1), sorted by both."""
    p = periods
    row = ibis.dense_rank().over(order_by=p.customer)
    month = p.period.year() * 12 + p.period.month() - 1
    return p.select(
        row=row.cast("int64"),
        month=month.cast("int64"),
        revenue=p.revenue,
        cost=p.cost,
        orders=p.orders,
    ).order_by(["row", "month"])


def value_over_time_sql(periods_sql: str, *, as_of: date, unit: str) -> str:
    """DuckDB SQL: every customer's periods from its first order to the as-of date, with
    the periods without orders as zero (revenue, cost, contribution margin I, orders,
    lines). `periods_sql` is the compiled `period_table` in the same unit.

    Raw SQL because Ibis has no portable way to generate a series of dates per row.
    """
    if unit not in INTERVALS:
        raise ValueError(f"time unit must be one of {', '.join(INTERVALS)}")
    step = INTERVALS[unit]
    last = f"CAST(date_trunc('{unit}', DATE '{as_of.isoformat()}') AS DATE)"
    # unit comes from a fixed set and as_of is a date: nothing of the user's text goes in
    return f"""
        WITH p AS ({periods_sql}),
        c AS (SELECT customer, min(period) FILTER (WHERE orders > 0) AS first_period
              FROM p GROUP BY customer HAVING first_period IS NOT NULL),
        s AS (SELECT customer,
                     CAST(unnest(generate_series(first_period, {last}, {step})) AS DATE)
                         AS period
              FROM c)
        SELECT s.customer AS customer_id, s.period,
               round(coalesce(p.revenue, 0), 2) AS revenue,
               round(coalesce(p.cost, 0), 2) AS cost,
               round(coalesce(p.revenue, 0) - coalesce(p.cost, 0), 2) AS contribution_margin,
               CAST(coalesce(p.orders, 0) AS BIGINT) AS orders,
               CAST(coalesce(p.lines, 0) AS BIGINT) AS lines
        FROM s LEFT JOIN p ON p.customer = s.customer AND CAST(p.period AS DATE) = s.period
        ORDER BY s.customer, s.period
    """  # noqa: S608


def _year_before(day: date) -> date:
    try:
        return day.replace(year=day.year - 1)
    except ValueError:  # 29 February
        return date(day.year - 1, 2, 28)
