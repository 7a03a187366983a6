"""How complete each area of a profile is, and whether its review is due.

Completeness is a list of concrete checks per area, so the page can say what is
missing rather than show a bare percentage. The checks follow DOMAIN.md: e.g. the
buying center answers "whom do we know, and with whom have we no contact at all?".
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from django.conf import settings
from django.db.models import Count, Q, QuerySet, Value
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
    due_before = review_due_before(today)
    checks = {
        ProfileArea.COMPANY: _company(customer),
        ProfileArea.BUYING_CENTER: _buying_center(contacts, today),
        ProfileArea.FASCINATION: _fascination(customer, today),
        ProfileArea.POTENTIAL: _potential(customer, today),
    }
    if include_finance:
        checks[ProfileArea.FINANCE] = _finance(customer, today)
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
                due=review is None or review.reviewed_on < due_before,
            )
        )
    return health


def reviews_due(*, owner: User, today: date, include_finance: bool) -> QuerySet[Customer]:
    """The owner's customers with at least one area not reviewed in time, most overdue first.

    Annotated with `due_areas`, the number of areas whose review is due.
    """
    areas = [a for a in ProfileArea.values if include_finance or a != ProfileArea.FINANCE]
    fresh = Count(
        "area_reviews",
        filter=Q(
            area_reviews__reviewed_on__gte=review_due_before(today),
            area_reviews__area__in=areas,
        ),
    )
    return (
        Customer.objects.filter(owner=owner)
        .annotate(due_areas=Value(len(areas)) - fresh)
        .filter(due_areas__gt=0)
        .order_by("-due_areas", "name")
    )
