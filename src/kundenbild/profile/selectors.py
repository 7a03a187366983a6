"""The customer list as the picture shows it: master data with the headquarters' city,
revenue of the last twelve months (for finance users) and the latest analysis values,
filtered and sorted. Composed here because it draws on customers, finance and insights."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from django.db.models import DecimalField, F, OuterRef, Q, QuerySet, Subquery, Sum, Value
from django.db.models.functions import Coalesce, Lower
from django.utils import timezone

from kundenbild.accounts.capabilities import Capability, has_capability
from kundenbild.accounts.models import User
from kundenbild.core.text_search import any_spelling
from kundenbild.customers.models import Address, AddressKind, Customer
from kundenbild.finance.models import SalesLine
from kundenbild.insights.selectors import latest_run, with_latest_values

SORT_FIELDS: dict[str, str | Lower] = {
    "number": "number",
    "name": Lower("name"),
    "city": "hq_city",
    "owner": "owner__last_name",
    "revenue": "revenue_12m",
    "value_type": "value_value_type",
    "abc": "value_abc_revenue",
    "value_revenue": "value_revenue_12m",
    "value_margin": "value_contribution_margin_12m",
}


FINANCE_SORTS = {"revenue", "value_revenue", "value_margin"}


VALUE_SORTS = {"value_type", "abc", "value_revenue", "value_margin"}


@dataclass(frozen=True)
class CustomerFilters:
    search: str = ""
    legal_form: str = ""
    section: str = ""
    industry: str = ""
    owner: int | None = None
    size_class: str = ""
    value_type: str = ""
    phase: str = ""
    abc: str = ""
    sort: str = "name"
    descending: bool = False


def revenue_window_start(today: date | None = None) -> date:
    """The first day of the trailing twelve months that "revenue 12 months" covers."""
    today = today or timezone.localdate()
    return today - timedelta(days=365)


def customer_list(*, user: User, filters: CustomerFilters) -> QuerySet[Customer]:
    hq_city = Address.objects.filter(customer=OuterRef("pk"), kind=AddressKind.HEADQUARTERS)
    qs: QuerySet[Customer] = (
        Customer.objects.select_related("owner")
        .prefetch_related("industries")
        .annotate(hq_city=Subquery(hq_city.values("city")[:1]))
    )
    can_see_finance = has_capability(user, Capability.VIEW_FINANCE)
    if can_see_finance:
        revenue = (
            SalesLine.objects.filter(
                customer=OuterRef("pk"), invoice_date__gte=revenue_window_start()
            )
            .values("customer")
            .annotate(total=Sum("net_revenue"))
            .values("total")
        )
        qs = qs.annotate(
            revenue_12m=Coalesce(
                Subquery(revenue, output_field=DecimalField(max_digits=16, decimal_places=2)),
                Value(0, output_field=DecimalField(max_digits=16, decimal_places=2)),
            )
        )
    if filters.search:
        term = filters.search.strip()
        qs = qs.filter(
            any_spelling(term, "name__icontains", "number__icontains", "addresses__city__icontains")
            | Q(vat_id__icontains=term.replace(" ", ""))
        ).distinct()
    if filters.legal_form:
        qs = qs.filter(legal_form=filters.legal_form)
    if filters.section:
        qs = qs.filter(industries__section=filters.section).distinct()
    if filters.industry:
        qs = qs.filter(industries__code=filters.industry).distinct()
    if filters.owner:
        qs = qs.filter(owner_id=filters.owner)
    if filters.size_class:
        qs = qs.filter(size_class=filters.size_class)
    run = latest_run()
    if run is not None:
        qs = with_latest_values(qs, run)
        chosen = {
            "value_value_type": filters.value_type,
            "value_lifecycle_phase": filters.phase,
            "value_abc_revenue": filters.abc,
        }
        qs = qs.filter(**{name: value for name, value in chosen.items() if value})
    elif filters.value_type or filters.phase or filters.abc:
        qs = qs.none()  # nothing has a value type before the first analysis
    sort = filters.sort if filters.sort in SORT_FIELDS else "name"
    if (sort in FINANCE_SORTS and not can_see_finance) or (sort in VALUE_SORTS and run is None):
        sort = "name"
    key = SORT_FIELDS[sort]
    if isinstance(key, str):
        field = F(key)
        if sort in VALUE_SORTS:  # customers the analysis did not judge come last
            expression = (
                field.desc(nulls_last=True) if filters.descending else field.asc(nulls_last=True)
            )
            return qs.order_by(expression, "pk")
        return qs.order_by(f"-{key}" if filters.descending else key, "pk")
    expression = key.desc() if filters.descending else key.asc()
    return qs.order_by(expression, "pk")
