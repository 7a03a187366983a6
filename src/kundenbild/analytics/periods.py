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


def invoice_table(lines: ir.Table) -> ir.Table:
    """Per customer, order and day: revenue, cost, lines, and whether it is an order.

    An order is an invoice number, or the order day itself where the file has none; it
    counts as an order if any of its lines is not a credit note (credit notes net against
    revenue and cost but are no orders). Grouping by the order instead of counting
    distinct invoices per period is what keeps this fast. Every period table, in any
    unit and for any as-of date, comes from this one; lines a scan flagged `bad` are
    counted in `bad_lines`.
    """
    bad = lines.bad if "bad" in lines.columns else ibis.literal(False)  # a stream is checked
    key = ibis.coalesce(lines.invoice_number.nullif(""), lines.invoice_date.cast("string"))
    return lines.group_by(
        customer=lines.customer_number, order=key, day=lines.invoice_date
    ).aggregate(
        revenue=lines.net_revenue.sum(),
        cost=lines.cost_of_goods.sum(),
        lines=lines.count(),
        ordered=(lines.net_revenue >= 0).any(),
        bad_lines=lines.count(where=bad),
    )


def period_table(invoices: ir.Table, *, as_of: date, unit: str = "month") -> ir.Table:
    """Per customer and period (week, month, quarter): revenue, cost, orders, lines, and the
    last-12-months figures over (as_of - 1 year, as_of], exact to the day. First and last
    orders come from `purchase_table`, which has every order day anyway: aggregating
    them per period too cost a fifth of the analysis at ten million lines."""
    if unit not in TIME_UNITS:
        raise ValueError(f"time unit must be one of {', '.join(TIME_UNITS)}")
    t = invoices.filter(invoices.day <= as_of)
    recent = t.day > _year_before(as_of)
    ordered = t.ordered
    return t.group_by(customer=t.customer, period=t.day.truncate(TIME_UNITS[unit])).aggregate(
        revenue=t.revenue.sum(),
        cost=t.cost.sum(),
        lines=t.lines.sum(),
        orders=ordered.cast("int64").sum(),
        revenue_12m=t.revenue.sum(where=recent),
        cost_12m=t.cost.sum(where=recent),
        orders_12m=(ordered & recent).cast("int64").sum(),
    )


def customer_table(periods: ir.Table) -> ir.Table:
    """Per customer: totals and last-12-months figures."""
    p = periods
    return p.group_by("customer").aggregate(
        revenue=p.revenue.sum(),
        cost=p.cost.sum(),
        orders=p.orders.sum(),
        revenue_12m=p.revenue_12m.sum(),
        cost_12m=p.cost_12m.sum(),
        orders_12m=p.orders_12m.sum(),
    )


def dense_index(periods: ir.Table) -> ir.Table:
    """Periods with integer positions for NumPy: `row` (customer, 0-based, in customer
    order, matching `customer_table` sorted by customer) and `month` (year * 12 + month
    - 1), sorted by both. The rows are numbered on the distinct customers and joined
    back: a window over every period cost twice as much at ten million lines."""
    p = periods
    customers = p.select("customer").distinct()
    customers = customers.mutate(row=ibis.row_number().over(order_by=customers.customer))
    joined = p.join(customers, "customer")
    month = joined.period.year() * 12 + joined.period.month() - 1
    return joined.select(
        row=joined.row.cast("int64"),
        month=month.cast("int64"),
        revenue=joined.revenue,
        cost=joined.cost,
        orders=joined.orders,
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


def purchase_table(invoices: ir.Table, *, as_of: date) -> ir.Table:
    """Per customer, its purchase history as the purchase models see it: the days with an
    order up to the as-of date (several orders on one day are one purchase, as in the
    BG/NBD papers), the first and last of them, and the revenue of the days after the
    first (the Gamma-Gamma model's repeat orders) and of all of them."""
    t = invoices.filter(invoices.ordered & (invoices.day <= as_of))
    days = t.group_by(customer=t.customer, day=t.day).aggregate(revenue=t.revenue.sum())
    # the first day's revenue by arg_min, not a window over all days: one pass, no sort
    first_revenue = days.revenue.argmin(days.day)
    return days.group_by("customer").aggregate(
        order_days=days.count(),
        first_day=days.day.min(),
        last_day=days.day.max(),
        repeat_revenue=days.revenue.sum() - first_revenue,
        order_day_revenue=days.revenue.sum(),
    )


def actual_table(invoices: ir.Table, *, after: date, until: date) -> ir.Table:
    """Per customer, what really happened in (after, until]: revenue, cost and order days.
    The yardstick of `evaluate-forecast`."""
    t = invoices.filter((invoices.day > after) & (invoices.day <= until))
    return t.group_by(customer=t.customer).aggregate(
        actual_revenue=t.revenue.sum(),
        actual_cost=t.cost.sum(),
        actual_orders=t.day.nunique(where=t.ordered),
    )
