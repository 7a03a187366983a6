"""The criteria of the selection by goal, gathered per customer from the whole profile.

`analytics.selection` scores; this module only reads. Every criterion is one query over
all customers at once (never one per customer), so a selection over 100,000 customers
costs a handful of queries. `docs/selection.md` lists the criteria.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import NamedTuple

import numpy as np
from django.db import connection
from django.db.models import Count, FloatField, Min, Q
from django.db.models.functions import Cast

from kundenbild.analytics.selection import CRITERIA
from kundenbild.buying_center.models import Attitude, BuyingRoleCode, Contact
from kundenbild.customers.models import Customer
from kundenbild.finance.models import FinanceProfile, SalesLine
from kundenbild.insights.models import AnalysisRun, CustomerValue
from kundenbild.insights.selectors import latest_run
from kundenbild.offerings.models import FascinationAssessment, FascinationLevel, Offering
from kundenbild.portfolio.pearl_criteria import pearl_criteria
from kundenbild.portfolio.scope import Scope, offering_wallet, scope_customer_ids, scope_offerings

NEW_OFFERING_WINDOW = timedelta(days=730)  # "for the first time in the last 24 months"


class CustomerRow(NamedTuple):
    """What a ranking shows of a customer (no model instances: 100,000 of them cost
    seconds)."""

    pk: int
    number: str
    name: str


@dataclass(frozen=True)
class Criteria:
    """One row per customer (ordered by customer number) and one array per criterion;
    each customer's value type and lifecycle phase in the run ("" without one)."""

    customers: list[CustomerRow]
    values: dict[str, np.ndarray]
    run: AnalysisRun | None
    value_types: list[str] = field(default_factory=list)
    phases: list[str] = field(default_factory=list)
    scope: Scope = field(default_factory=Scope)


def selection_criteria(scope: Scope | None = None) -> Criteria:
    """Every criterion for the customers in the scope (all without one), from the latest
    finished analysis run and the profile. NaN where a customer has no value. For an
    offering (or group) in the scope, white space and share of wallet are that
    offering's (`scope.offering_wallet`)."""
    scope = scope or Scope()
    allowed = scope_customer_ids(scope)
    customers = [
        CustomerRow(*row)
        for row in Customer.objects.order_by("number").values_list("pk", "number", "name")
        if allowed is None or row[0] in allowed
    ]
    index = {customer.pk: row for row, customer in enumerate(customers)}
    n = len(customers)
    values = {name: np.full(n, np.nan) for name in CRITERIA}
    run = latest_run()
    if run is not None:
        _from_run(run, index, values)
    _buying_center(index, values)
    _payment(index, values)
    _fascination(index, values)
    as_of = run.as_of if run is not None and run.as_of is not None else date.today()
    _new_offerings(index, values, as_of)
    pearl_criteria(index, values, run, as_of)
    offerings = scope_offerings(scope)
    if offerings:
        _offering_wallet(index, values, offerings, as_of.year)
    value_types, phases = [""] * n, [""] * n
    if run is not None:
        judged = CustomerValue.objects.filter(run=run).values_list(
            "customer_id", "value_type", "lifecycle_phase"
        )
        for customer_id, value_type, phase in judged.iterator(chunk_size=10_000):
            if customer_id in index:
                value_types[index[customer_id]] = value_type
                phases[index[customer_id]] = phase
    return Criteria(customers, values, run, value_types, phases, scope)


def _offering_wallet(
    index: dict[int, int], values: dict[str, np.ndarray], offerings: list[Offering], year: int
) -> None:
    """White space and share of wallet not yet won, of these offerings alone: NaN for a
    customer without potential entered for them."""
    values["white_space"][:] = np.nan
    values["wallet_headroom"][:] = np.nan
    for customer_id, wallet in offering_wallet(offerings, year).items():
        at = index.get(customer_id)
        if at is None or wallet.potential <= 0:
            continue
        values["white_space"][at] = wallet.white_space
        values["wallet_headroom"][at] = 100.0 - 100.0 * wallet.revenue / wallet.potential


RUN_FIELDS = (
    "revenue_12m",
    "forecast_revenue_12m",
    "contribution_margin_12m",
    "forecast_margin_12m",
    "potential",
    "share_of_wallet",
    "p_alive",
    "clv",
)


def _from_run(run: AnalysisRun, index: dict[int, int], values: dict[str, np.ndarray]) -> None:
    """The run's figures as floats straight from the database (no Decimal per value),
    then every criterion computed on whole arrays."""
    floats = {f"f_{name}": Cast(name, FloatField()) for name in RUN_FIELDS}
    query = (
        CustomerValue.objects.filter(run=run).annotate(**floats).values_list("customer_id", *floats)
    )
    # the ORM's per-value converters cost more than the query: the database's floats are
    # what is needed here
    sql, params = query.query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        rows = cursor.fetchall()
    known = [(index[row[0]], row[1:]) for row in rows if row[0] in index]
    if not known:  # no run figures, or none of the customers in the scope
        return
    at = np.fromiter((row for row, _ in known), dtype=np.int64, count=len(known))
    table = np.array([figures for _, figures in known], dtype=np.float64)  # None -> NaN
    revenue, forecast, margin, forecast_margin, potential, share, alive, clv = table.T
    with np.errstate(invalid="ignore", divide="ignore"):
        values["future_value"][at] = forecast
        values["future_growth"][at] = np.where(revenue > 0, forecast / revenue - 1.0, np.nan)
        values["white_space"][at] = potential - revenue
        values["wallet_headroom"][at] = 100.0 - share
        values["p_alive"][at] = alive
        values["future_margin"][at] = forecast_margin
        values["margin_rate"][at] = np.where(forecast > 0, forecast_margin / forecast, np.nan)
        values["margin_trend"][at] = np.where(
            np.isfinite(margin) & (margin != 0), (forecast_margin - margin) / np.abs(margin), np.nan
        )
        values["customer_lifetime_value"][at] = clv


def _buying_center(index: dict[int, int], values: dict[str, np.ndarray]) -> None:
    """Coverage: of the contacts who decide or influence, the share somebody of us knows;
    champions: contacts whose attitude to us is champion."""
    key_roles = Q(buying_roles__code__in=[BuyingRoleCode.DECIDER, BuyingRoleCode.INFLUENCER])
    rows = (
        Contact.objects.filter(key_roles)
        .values("customer_id")
        .annotate(
            key=Count("pk", distinct=True),
            known=Count("pk", filter=Q(known_by__isnull=False), distinct=True),
        )
        .order_by()  # a model ordering would split the groups
    )
    for row in rows.iterator(2_000):
        at = index.get(row["customer_id"])
        if at is not None and row["key"]:
            values["buying_center_coverage"][at] = row["known"] / row["key"]
    champions = (
        Contact.objects.values_list("customer_id")
        .annotate(count=Count("pk", filter=Q(attitude=Attitude.CHAMPION)))
        .order_by()
    )
    for customer_id, count in champions.iterator(2_000):
        at = index.get(customer_id)
        if at is not None:
            values["champions"][at] = float(count)


def _payment(index: dict[int, int], values: dict[str, np.ndarray]) -> None:
    """Days paid before the agreed term (negative: late)."""
    rows = FinanceProfile.objects.exclude(observed_days_to_pay=None).exclude(payment_days_net=None)
    for customer_id, net, observed in rows.values_list(
        "customer_id", "payment_days_net", "observed_days_to_pay"
    ).iterator(2_000):
        at = index.get(customer_id)
        if at is not None and net is not None and observed is not None:
            values["payment_discipline"][at] = float(net) - float(observed)


def _fascination(index: dict[int, int], values: dict[str, np.ndarray]) -> None:
    high = Q(level__gte=FascinationLevel.INSPIRING)
    rows = (
        FascinationAssessment.objects.values("customer_id")
        .annotate(assessed=Count("pk"), high=Count("pk", filter=high))
        .order_by()
    )
    for row in rows.iterator(2_000):
        at = index.get(row["customer_id"])
        if at is not None and row["assessed"]:
            values["fascination"][at] = row["high"] / row["assessed"]
            values["fascination_breadth"][at] = float(row["high"])


def _new_offerings(index: dict[int, int], values: dict[str, np.ndarray], as_of: date) -> None:
    """Articles a customer bought for the first time in the 24 months up to as_of; 0 for
    customers with sales but nothing new, NaN for customers without sales."""
    since = as_of - NEW_OFFERING_WINDOW
    firsts = (
        SalesLine.objects.filter(invoice_date__lte=as_of)
        .exclude(article_number="")
        .values("customer_id", "article_number")
        .annotate(first=Min("invoice_date"))
        .order_by()
    )
    # counted in the database over the (customer, article) firsts: millions of sales
    # lines make hundreds of thousands of pairs, too many to loop over here
    inner, params = firsts.query.sql_with_params()
    # the inner query is the ORM's own SQL; every value goes in as a parameter
    sql = (
        "SELECT firsts.customer_id, SUM(CASE WHEN firsts.first > %s THEN 1 ELSE 0 END) "  # noqa: S608
        f"FROM ({inner}) AS firsts GROUP BY firsts.customer_id"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [since, *params])
        counts = dict(cursor.fetchall())
    for customer_id, count in counts.items():
        at = index.get(customer_id)
        if at is not None:
            values["new_offerings"][at] = float(count)
