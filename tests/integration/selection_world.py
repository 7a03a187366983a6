"""Three customers with figures chosen so that every selection criterion can be checked
by hand; shared by the selection's tests."""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal
from typing import Any

from kundenbild.buying_center.models import Acquaintance, Attitude
from kundenbild.finance.models import FinanceProfile, SalesLine
from kundenbild.insights.models import AnalysisRun, CustomerValue, RunStatus
from kundenbild.offerings.models import FascinationAssessment, Offering, OfferingGroup
from tests.factories import ContactFactory, CustomerFactory

AS_OF = date(2026, 6, 30)


def _value(run: AnalysisRun, customer, **figures: str) -> None:  # type: ignore[no-untyped-def]
    numbers = {key: Decimal(value) for key, value in figures.items()}
    CustomerValue.objects.create(
        run=run,
        customer=customer,
        value_type="steady",
        lifecycle_phase="mature",
        reason_code="no_orders",
        abc_revenue="A",
        **numbers,
    )


def build_portfolio(users: Any) -> dict[str, Any]:
    """Three customers with figures chosen so that every criterion can be checked."""
    run = AnalysisRun.objects.create(
        as_of=AS_OF, status=RunStatus.DONE, finished_at=datetime(2026, 7, 1, tzinfo=UTC)
    )
    big = CustomerFactory(number="K1", name="Groß GmbH")
    rising = CustomerFactory(number="K2", name="Aufsteiger AG")
    small = CustomerFactory(number="K3", name="Klein KG")
    _value(run, big, revenue_12m="100000", forecast_revenue_12m="100000",
           contribution_margin_12m="30000", forecast_margin_12m="30000", potential="120000",
           share_of_wallet="83.3", p_alive="0.99", clv="80000")  # fmt: skip
    _value(run, rising, revenue_12m="20000", forecast_revenue_12m="30000",
           contribution_margin_12m="5000", forecast_margin_12m="9000", potential="200000",
           share_of_wallet="10.0", p_alive="0.97", clv="25000")  # fmt: skip
    _value(run, small, revenue_12m="5000", forecast_revenue_12m="4000",
           contribution_margin_12m="-500", forecast_margin_12m="-400", p_alive="0.60")  # fmt: skip
    decider = ContactFactory(customer=rising, roles=["decider"], attitude=Attitude.CHAMPION)
    ContactFactory(customer=rising, roles=["influencer"])
    Acquaintance.objects.create(contact=decider, user=users["kam"])
    ContactFactory(customer=big, roles=["decider"])
    FinanceProfile.objects.create(customer=big, payment_days_net=30, observed_days_to_pay=41)
    FinanceProfile.objects.create(customer=rising, payment_days_net=30, observed_days_to_pay=25)
    group = OfferingGroup.objects.create(name_de="Service", name_en="Service")
    offerings = [
        Offering.objects.create(number=f"S-{i}", name_de=f"O{i}", group=group, kind="service")
        for i in range(3)
    ]
    for offering, level in zip(offerings, (4, 3, 1), strict=True):
        FascinationAssessment.objects.create(customer=rising, offering=offering, level=level)
    FascinationAssessment.objects.create(customer=big, offering=offerings[0], level=2)
    for article, day in (("A-1", date(2020, 1, 10)), ("A-2", date(2025, 3, 1))):
        SalesLine.objects.create(customer=big, invoice_number=article, line_number=1,
                                 invoice_date=day, article_number=article,
                                 net_revenue=Decimal("100"))  # fmt: skip
    return {"big": big, "rising": rising, "small": small}
