"""How complete each area of a profile is, and whether its review is due.

Completeness is a list of concrete checks per area, so the page can say what is
missing rather than show a bare percentage. The checks follow DOMAIN.md: e.g. the
buying center answers "whom do we know, and with whom have we no contact at all?".

The review clock of an area starts when the area was first filled in this installation,
not at the beginning of time: an area falls due a review interval after the later of its
last review and its first filling. "First filled" is the first history record of the
area's rows for the customer (contacts, fascination assessments, needs, the finance
profile), and never earlier than the customer's creation here; where the rows carry no
history (bulk loads: the demo, ERP imports write none) the customer's creation stands in.
The dates inside the content (assessed on, rated on) are not used: they say when something
was true in the world, not when it arrived here, and a fresh import of old assessments
must not flag every area on its first day. The company area is filled with the customer.
An area never filled falls due an interval after the customer arrived, so an empty area is
not hidden for ever.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any

from django.conf import settings
from django.db.models import (
    Case,
    Count,
    DateTimeField,
    F,
    IntegerField,
    Model,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import Coalesce, Greatest
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from kundenbild.accounts.models import User
from kundenbild.buying_center.models import BuyingRoleCode, Contact
from kundenbild.buying_center.selectors import buying_center_coverage, contact_list
from kundenbild.customers.models import AddressKind, Customer
from kundenbild.finance.models import FinanceProfile, SalesLine
from kundenbild.offerings.models import FascinationAssessment, Offering
from kundenbild.potential.models import EffectiveDemand, Need
from kundenbild.profile.models import AreaReview, ProfileArea

Check = tuple[Promise, bool]  # what is checked, and whether it holds


@dataclass(frozen=True)
class AreaHealth:
    area: str
    label: str
    checks: list[Check]
    reviewed_on: date | None
    reviewed_by: User | None
    due: bool

    @property
    def anchor(self) -> str:
        """The id of the area's section on the customer page."""
        return self.area.replace("_", "-")

    @property
    def completeness(self) -> int:
        """Share of the checks that hold, in whole per cent."""
        if not self.checks:
            return 100
        return round(100 * sum(ok for _label, ok in self.checks) / len(self.checks))

    @property
    def missing(self) -> list[str]:
        return [str(label) for label, ok in self.checks if not ok]


def review_due_before(today: date) -> date:
    """Reviews older than this are due (KUNDENBILD_REVIEW_INTERVAL_DAYS, default 180)."""
    return today - timedelta(days=settings.REVIEW_INTERVAL_DAYS)


def review_due_on(reviewed_on: date | None, first_filled: date) -> date:
    """The day an area's review falls due: an interval after the later of its last review
    and its first filling (a review dated before the content arrived says nothing of it)."""
    start = max(reviewed_on, first_filled) if reviewed_on else first_filled
    return start + timedelta(days=settings.REVIEW_INTERVAL_DAYS + 1)


# the rows whose first history record marks an area as filled; the company area is the
# customer itself
_AREA_ROWS: dict[str, type[Model]] = {
    ProfileArea.BUYING_CENTER: Contact,
    ProfileArea.FASCINATION: FascinationAssessment,
    ProfileArea.POTENTIAL: Need,
    ProfileArea.FINANCE: FinanceProfile,
}


def _first_filled(area: str) -> Greatest | F:
    """When the area was first filled here: its rows' first history record, never before
    the customer's creation, the creation where the rows have no history."""
    created = F("created_at")
    rows = _AREA_ROWS.get(area)
    if rows is None:
        return created
    first = (
        rows.history.model.objects.filter(customer_id=OuterRef("pk"))  # type: ignore[attr-defined]
        .order_by("history_date")
        .values("history_date")[:1]
    )
    return Greatest(
        Coalesce(Subquery(first), created, output_field=DateTimeField()),
        created,
        output_field=DateTimeField(),
    )


def with_review_clock(customers: QuerySet[Customer], areas: list[str]) -> QuerySet[Customer]:
    """Annotate each area's last review (`reviewed_<area>`, a date) and first filling
    (`filled_<area>`, a time): what `review_due_on` needs, in one query."""
    annotations: dict[str, Any] = {}
    for area in areas:
        reviewed = AreaReview.objects.filter(customer=OuterRef("pk"), area=area)
        annotations[f"reviewed_{area}"] = Subquery(reviewed.values("reviewed_on")[:1])
        annotations[f"filled_{area}"] = _first_filled(area)
    return customers.annotate(**annotations)


def _local_day(moment: datetime) -> date:
    return timezone.localtime(moment).date() if timezone.is_aware(moment) else moment.date()


def area_due_on(customer: Customer, area: str) -> date:
    """The day the area's review falls due, from `with_review_clock`'s annotations."""
    filled = _local_day(getattr(customer, f"filled_{area}"))
    return review_due_on(getattr(customer, f"reviewed_{area}"), filled)


def _company(customer: Customer) -> list[Check]:
    return [
        (_("legal form"), bool(customer.legal_form)),
        (_("industry"), customer.industries.exists()),
        (
            _("headquarters address"),
            customer.addresses.filter(kind=AddressKind.HEADQUARTERS).exists(),
        ),
        (_("number of employees"), customer.employees is not None),
        (_("register or VAT number"), bool(customer.register_number or customer.vat_id)),
        (_("key account manager"), customer.owner_id is not None),
    ]


def _buying_center(contacts: list[Contact], today: date) -> list[Check]:
    coverage = buying_center_coverage(contacts, today=today)
    roles = {r.code for c in contacts for r in c.buying_roles.all()}
    return [
        (_("people recorded"), bool(contacts)),
        (_("decider known"), BuyingRoleCode.DECIDER in roles),
        (_("buyer known"), BuyingRoleCode.BUYER in roles),
        (
            _("every key person known by one of us"),
            bool(contacts) and not coverage.unknown_key_people,
        ),
        (
            _("no key person known by only one of us"),
            bool(contacts) and not coverage.single_threaded,
        ),
        (
            _("everyone contacted within six months"),
            bool(contacts) and not coverage.stale,
        ),
    ]


def _fascination(customer: Customer, today: date) -> list[Check]:
    assessed = set(
        FascinationAssessment.objects.filter(customer=customer).values_list(
            "offering__number", flat=True
        )
    )
    bought = set(
        SalesLine.objects.filter(customer=customer, invoice_date__gte=today - timedelta(days=365))
        .exclude(article_number="")
        .values_list("article_number", flat=True)
        .distinct()
    ) & set(Offering.objects.values_list("number", flat=True))
    recent = FascinationAssessment.objects.filter(
        customer=customer, assessed_on__gte=today - timedelta(days=365)
    ).exists()
    return [
        (_("offerings assessed"), bool(assessed)),
        (
            _("every offering bought in the last 12 months assessed"),
            bool(assessed) and bought <= assessed,
        ),
        (_("an assessment from the last 12 months"), recent),
    ]


def _potential(customer: Customer, today: date) -> list[Check]:
    needs = Need.objects.filter(customer=customer).annotate(demand_count=Count("demands"))
    return [
        (_("needs recorded"), needs.exists()),
        (
            _("every need made concrete as demand"),
            needs.exists() and not needs.filter(demand_count=0).exists(),
        ),
        (
            _("effective demand for this year"),
            EffectiveDemand.objects.filter(
                demand__need__customer=customer, year=today.year
            ).exists(),
        ),
    ]


def _finance(customer: Customer, today: date) -> list[Check]:
    profile = FinanceProfile.objects.filter(customer=customer).first()
    return [
        (_("credit rating"), bool(profile and profile.credit_rating)),
        (
            _("rating from the last 12 months"),
            bool(profile and profile.rated_on and profile.rated_on >= today - timedelta(days=365)),
        ),
        (_("credit limit"), bool(profile and profile.credit_limit is not None)),
        (_("payment terms"), bool(profile and profile.payment_days_net is not None)),
    ]


def profile_health(
    customer: Customer,
    *,
    today: date,
    include_finance: bool,
    contacts: list[Contact] | None = None,
) -> list[AreaHealth]:
    """Completeness and review state of each area (finance only for those who may see it).

    `contacts`: the customer's people from `contact_list`, when the caller has them.
    """
    if contacts is None:
        contacts = list(contact_list(customer=customer))
    reviews = {
        r.area: r
        for r in AreaReview.objects.filter(customer=customer).select_related("reviewed_by")
    }
    checks = {
        ProfileArea.COMPANY: _company(customer),
        ProfileArea.BUYING_CENTER: _buying_center(contacts, today),
        ProfileArea.FASCINATION: _fascination(customer, today),
        ProfileArea.POTENTIAL: _potential(customer, today),
    }
    if include_finance:
        checks[ProfileArea.FINANCE] = _finance(customer, today)
    clock = with_review_clock(Customer.objects.filter(pk=customer.pk), list(checks)).get()
    health = []
    for area, area_checks in checks.items():
        review = reviews.get(area)
        health.append(
            AreaHealth(
                area=area.value,
                label=str(area.label),
                checks=area_checks,
                reviewed_on=review.reviewed_on if review else None,
                reviewed_by=review.reviewed_by if review else None,
                due=area_due_on(clock, area) <= today,
            )
        )
    return health


def review_areas(*, include_finance: bool) -> list[str]:
    """The areas whose review a user is asked for (finance only for who may see it)."""
    return [a for a in ProfileArea.values if include_finance or a != ProfileArea.FINANCE]


def reviews_due(*, owner: User, today: date, include_finance: bool) -> QuerySet[Customer]:
    """The owner's customers with at least one area not reviewed in time, most due first.

    Annotated with `due_areas`, the number of areas whose review is due, and the review
    clock of each area (`with_review_clock`), so `area_due_on` tells since when.
    """
    areas = review_areas(include_finance=include_finance)
    due_before = review_due_before(today)
    # the first moment of the day before which a filling is old enough to count
    filled_before = timezone.make_aware(datetime.combine(due_before, time.min))
    flags = {
        f"due_{area}": Case(
            When(
                Q(**{f"reviewed_{area}__gte": due_before})
                | Q(**{f"filled_{area}__gte": filled_before}),
                then=Value(0),
            ),
            default=Value(1),
            output_field=IntegerField(),
        )
        for area in areas
    }
    due_areas = sum((F(name) for name in flags), start=Value(0))
    return (
        with_review_clock(Customer.objects.filter(owner=owner), areas)
        .annotate(**flags)
        .annotate(due_areas=due_areas)
        .filter(due_areas__gt=0)
        .order_by("-due_areas", "name")
    )
