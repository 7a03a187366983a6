"""Reads: a customer's pyramid, the catalogue, and the matrix across customers."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from django.db.models import QuerySet

from kundenbild.customers.models import Customer
from kundenbild.offerings.models import FascinationAssessment, FascinationLevel, Offering


@dataclass(frozen=True)
class PyramidLevel:
    level: int
    label: str
    assessments: list[FascinationAssessment]


def customer_pyramid(customer: Customer) -> list[PyramidLevel]:
    """The four levels from the top (fascinating) down, each with its offerings."""
    assessments = list(
        FascinationAssessment.objects.filter(customer=customer)
        .select_related("offering")
        .order_by("offering__number")
    )
    return [
        PyramidLevel(
            level=int(level),
            label=str(level.label),
            assessments=[a for a in assessments if a.level == level],
        )
        for level in sorted(FascinationLevel, reverse=True)
    ]


def offering_list(*, active_only: bool = True) -> QuerySet[Offering]:
    offerings = Offering.objects.select_related("group")
    return offerings.filter(active=True) if active_only else offerings


@dataclass(frozen=True)
class MatrixRow:
    customer: Customer
    levels: list[int | None]


@dataclass(frozen=True)
class OfferingSummary:
    offering: Offering
    counts: dict[int, int]


def fascination_matrix(customers: list[Customer], offerings: list[Offering]) -> list[MatrixRow]:
    """For each customer, the level of each offering (None where not assessed)."""
    levels = {
        (a["customer_id"], a["offering_id"]): a["level"]
        for a in FascinationAssessment.objects.filter(
            customer__in=customers, offering__in=offerings
        ).values("customer_id", "offering_id", "level")
    }
    return [MatrixRow(c, [levels.get((c.pk, o.pk)) for o in offerings]) for c in customers]


def fascination_summary(offerings: list[Offering]) -> list[OfferingSummary]:
    """Per offering, how many customers place it on each level (across all customers)."""
    counts: dict[int, Counter[int]] = {o.pk: Counter() for o in offerings}
    for row in FascinationAssessment.objects.filter(offering__in=offerings).values(
        "offering_id", "level"
    ):
        counts[row["offering_id"]][row["level"]] += 1
    return [
        OfferingSummary(o, {int(level): counts[o.pk][level] for level in FascinationLevel})
        for o in offerings
    ]
