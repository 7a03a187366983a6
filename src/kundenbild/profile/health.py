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

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.conf import settings
from django.db.models import Count, Max, Min, Model, QuerySet
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


def review_due_days(customers: QuerySet[Customer], areas: list[str]) -> dict[str, dict[int, date]]:
    """Per area and customer, the day the area's review falls due (`review_due_on`).

    A handful of grouped queries and a loop in Python, not correlated subqueries per
    customer (which SQLite evaluated for minutes' worth of rows for a large owner).
    """
    local_day = _local_days()
    created = {pk: local_day(at) for pk, at in customers.values_list("pk", "created_at")}
    ids = customers.values("pk")
    filled: dict[str, dict[int, date]] = {}
    for area, rows in _AREA_ROWS.items():
        if area in areas:
            history = rows.history.model.objects  # type: ignore[attr-defined]
            firsts = (
                history.filter(customer_id__in=ids)
                .order_by()
                .values("customer_id")
                .annotate(first=Min("history_date"))
                .values_list("customer_id", "first")
            )
            filled[area] = {pk: local_day(first) for pk, first in firsts.iterator(10_000)}
    reviewed: dict[str, dict[int, date]] = {area: {} for area in areas}
    for pk, area, day in (
        AreaReview.objects.filter(customer__in=ids, area__in=areas)
        .values_list("customer_id", "area", "reviewed_on")
        .iterator(10_000)
    ):
        reviewed[area][pk] = day
    interval = timedelta(days=settings.REVIEW_INTERVAL_DAYS + 1)  # as in review_due_on
    due: dict[str, dict[int, date]] = {}
    for area in areas:
        area_filled, area_reviewed, days = filled.get(area, {}), reviewed[area], {}
        for pk, created_on in created.items():
            start = area_filled.get(pk)
            if start is None or start < created_on:
                start = created_on
            last = area_reviewed.get(pk)
            days[pk] = (last if last is not None and last > start else start) + interval
        due[area] = days
    return due


def _local_days() -> Callable[[datetime], date]:
    """The local day of a time, with the zone looked up once (100,000 times add up)."""
    zone = timezone.get_current_timezone()

    def local_day(moment: datetime) -> date:
        return moment.astimezone(zone).date() if moment.tzinfo else moment.date()

    return local_day


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
            _("every key person known by two or more of us"),
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
    due_on = review_due_days(Customer.objects.filter(pk=customer.pk), list(checks))
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
                due=due_on[area][customer.pk] <= today,
            )
        )
    return health


def review_areas(*, include_finance: bool) -> list[str]:
    """The areas whose review a user is asked for (finance only for who may see it)."""
    return [a for a in ProfileArea.values if include_finance or a != ProfileArea.FINANCE]


@dataclass(frozen=True)
class ReviewsDue:
    """A customer with areas whose review is due."""

    customer_id: int
    name: str
    areas: list[str]  # whose review is due
    since: date  # the day the first of them fell due
    last_review: date | None  # of the areas asked for


def reviews_due(*, owner: User, today: date, include_finance: bool) -> list[ReviewsDue]:
    """The owner's customers with at least one area not reviewed in time, those with the
    most areas due first."""
    areas = review_areas(include_finance=include_finance)
    # no area is filled before its customer came: younger customers have nothing due
    came_before = timezone.make_aware(datetime.combine(review_due_before(today), time.min))
    customers = Customer.objects.filter(owner=owner, created_at__lt=came_before)
    due_days = [(area, days) for area, days in review_due_days(customers, areas).items()]
    reviewed: dict[int, date] = dict(
        AreaReview.objects.filter(customer__in=customers.values("pk"), area__in=areas)
        .values("customer_id")
        .annotate(last=Max("reviewed_on"))
        .values_list("customer_id", "last")
    )
    found = []
    for pk, name in customers.values_list("pk", "name").iterator(10_000):
        due = [(days[pk], area) for area, days in due_days if days[pk] <= today]
        if due:
            since = min(due)[0]
            found.append(
                ReviewsDue(pk, name, [area for _day, area in due], since, reviewed.get(pk))
            )
    found.sort(key=lambda r: (-len(r.areas), r.name))
    return found
