"""Writes on the catalogue and on fascination assessments."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.db import transaction

from kundenbild.accounts.models import User
from kundenbild.customers.models import Customer
from kundenbild.offerings.models import FascinationAssessment, Offering, OfferingGroup


@dataclass(frozen=True)
class OfferingData:
    number: str
    name_de: str
    name_en: str
    group_name: str
    kind: str
    active: bool = True


@transaction.atomic
def offering_save(*, data: OfferingData, offering: Offering | None = None) -> Offering:
    """Create or change a catalogue entry; its group is created when new."""
    group, _created = OfferingGroup.objects.get_or_create(name_de=data.group_name.strip())
    offering = offering or Offering()
    offering.number = data.number.strip()
    offering.name_de = data.name_de.strip()
    offering.name_en = data.name_en.strip()
    offering.group = group
    offering.kind = data.kind
    offering.active = data.active
    offering.full_clean()
    offering.save()
    return offering


@transaction.atomic
def assessment_save(
    *,
    customer: Customer,
    offering: Offering,
    level: int,
    note: str,
    assessed_on: date,
    by: User | None,
) -> FascinationAssessment:
    """Place an offering on the customer's pyramid, or move it; the history keeps the old level."""
    assessment = FascinationAssessment.objects.filter(customer=customer, offering=offering).first()
    assessment = assessment or FascinationAssessment(customer=customer, offering=offering)
    assessment.level = level
    assessment.note = note.strip()
    assessment.assessed_on = assessed_on
    assessment.assessed_by = by
    assessment.full_clean()
    assessment.save()
    return assessment


@transaction.atomic
def assessment_delete(*, assessment: FascinationAssessment) -> None:
    assessment.delete()
