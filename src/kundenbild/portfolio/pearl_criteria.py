"""The criteria that find the pearls among the steady customers.

The seed: "look closely at the steady customers: the pearls often hide there". A pearl is
a quiet customer with more in it than it buys: white space and share of wallet not yet
won (read with the run's figures), offerings it finds inspiring or fascinating but does
not buy, deciders we know well, and a long history. Each is one query over all
customers, like the other criteria (`portfolio.criteria`).
"""

from __future__ import annotations

from datetime import date, timedelta

import numpy as np
from django.db.models import Count, Q

from kundenbild.buying_center.models import Acquaintance, BuyingRoleCode, Closeness, Contact
from kundenbild.finance.models import SalesLine
from kundenbild.insights.models import AnalysisRun, CustomerValue
from kundenbild.offerings.models import FascinationAssessment, FascinationLevel

BOUGHT_WINDOW = timedelta(days=365)  # "does not buy": no sales line in the last 12 months
WELL_KNOWN = (Closeness.GOOD, Closeness.CLOSE)


def pearl_criteria(
    index: dict[int, int], values: dict[str, np.ndarray], run: AnalysisRun | None, as_of: date
) -> None:
    """Fill `fascination_unrealised`, `close_deciders` and `history_years`."""
    _fascination_unrealised(index, values, as_of)
    _close_deciders(index, values)
    if run is not None:
        _history_years(index, values, run, as_of)


def _fascination_unrealised(
    index: dict[int, int], values: dict[str, np.ndarray], as_of: date
) -> None:
    """Offerings the customer finds inspiring or fascinating and bought nothing of in the
    12 months up to as_of; 0 for a customer assessed without such offerings, NaN for one
    never assessed."""
    assessed = FascinationAssessment.objects.values_list(
        "customer_id", "offering__number", "level"
    ).order_by()
    high: dict[int, set[str]] = {}
    for customer_id, number, level in assessed.iterator(5_000):
        if customer_id not in index:
            continue
        wanted = high.setdefault(customer_id, set())
        if level >= FascinationLevel.INSPIRING:
            wanted.add(number)
    numbers = set().union(*high.values()) if high else set()
    bought = set(
        SalesLine.objects.filter(
            invoice_date__gt=as_of - BOUGHT_WINDOW,
            invoice_date__lte=as_of,
            article_number__in=sorted(numbers),
        )
        .values_list("customer_id", "article_number")
        .distinct()
        .order_by()
    )
    for customer_id, wanted in high.items():
        missing = sum(1 for number in wanted if (customer_id, number) not in bought)
        values["fascination_unrealised"][index[customer_id]] = float(missing)


def _close_deciders(index: dict[int, int], values: dict[str, np.ndarray]) -> None:
    """Deciders one of us knows well (a good or close relationship); 0 for a customer whose
    deciders nobody knows well, NaN for one without a known decider."""
    deciders = (
        Contact.objects.filter(buying_roles__code=BuyingRoleCode.DECIDER)
        .values_list("customer_id")
        .annotate(
            well_known=Count(
                "pk",
                filter=Q(
                    pk__in=Acquaintance.objects.filter(closeness__in=WELL_KNOWN).values(
                        "contact_id"
                    )
                ),
                distinct=True,
            )
        )
        .order_by()
    )
    for customer_id, count in deciders.iterator(5_000):
        at = index.get(customer_id)
        if at is not None:
            values["close_deciders"][at] = float(count)


def _history_years(
    index: dict[int, int], values: dict[str, np.ndarray], run: AnalysisRun, as_of: date
) -> None:
    """Years from the first order to the run's as-of date."""
    firsts = CustomerValue.objects.filter(run=run).exclude(first_order=None)
    for customer_id, first in firsts.values_list("customer_id", "first_order").iterator(10_000):
        at = index.get(customer_id)
        if at is not None and first is not None:
            values["history_years"][at] = max((as_of - first).days, 0) / 365.25
