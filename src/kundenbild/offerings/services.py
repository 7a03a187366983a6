"""Writes on the catalogue and on fascination assessments."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction

from kundenbild.accounts.models import User
from kundenbild.core.bulk import (
    delete_rows,
    history_write,
    ids_changed,
    ids_in_use,
    refused_as_taken,
)
from kundenbild.core.errors import RecordsRefusedError, Refusal
from kundenbild.core.history import differs_from_stored
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
    unit: str = ""


def _apply(offering: Offering, data: OfferingData, group: OfferingGroup) -> None:
    offering.number = data.number.strip()
    offering.name_de = data.name_de.strip()
    offering.name_en = data.name_en.strip()
    offering.group = group
    offering.kind = data.kind
    offering.unit = data.unit.strip()
    offering.active = data.active


def _group(name: str) -> OfferingGroup:
    group, _created = OfferingGroup.objects.get_or_create(name_de=name.strip())
    return group


@transaction.atomic
def offering_save(*, data: OfferingData, offering: Offering | None = None) -> Offering:
    """Create or change a catalogue entry; its group is created when new."""
    offering = offering or Offering()
    _apply(offering, data, _group(data.group_name))
    offering.full_clean()
    offering.save()
    return offering


@dataclass(frozen=True)
class CheckedOfferings:
    """New offerings checked by `offerings_check_many`, not yet saved, and the records
    it refused: what `offerings_create_many` creates, or refuses."""

    offerings: tuple[Offering, ...]
    refused: tuple[Refusal, ...]


def offerings_check_many(data: Sequence[OfferingData]) -> CheckedOfferings:
    """Check new catalogue entries by the rules of `offering_save`; writes nothing (a
    new group is created with the offerings). An article number in use, or twice in the
    batch, is found in one query for all."""
    names = {d.group_name.strip() for d in data}
    found = {g.name_de: g for g in OfferingGroup.objects.filter(name_de__in=names)}
    offerings, refused = [], []
    for index, record in enumerate(data):
        offering = Offering()
        name = record.group_name.strip()
        _apply(offering, record, found.get(name) or OfferingGroup(name_de=name))
        try:  # the group is one of a few, looked up once above, not once per offering
            offering.full_clean(exclude=["group"], validate_unique=False)
        except ValidationError as error:
            refused += [
                Refusal(index, field, " ".join(messages))
                for field, messages in error.message_dict.items()
            ]
        offerings.append(offering)
    refused += refused_as_taken(offerings, "number")
    return CheckedOfferings(tuple(offerings), tuple(sorted(refused, key=lambda r: r.index)))


@transaction.atomic
def offerings_create_many(
    checked: CheckedOfferings, *, by: User | None, reason: str
) -> list[Offering]:
    """Create the checked offerings in bulk, all or none, each with its "+" history row
    (author `by`, change reason `reason`), and their groups where new. Raises
    `RecordsRefusedError` naming every record the check refused."""
    if checked.refused:
        raise RecordsRefusedError(list(checked.refused))
    groups = {o.group.name_de: o.group for o in checked.offerings}
    saved = {name: group if group.pk else _group(name) for name, group in groups.items()}
    for offering in checked.offerings:
        offering.group = saved[offering.group.name_de]
    created = Offering.objects.bulk_create(checked.offerings, batch_size=1000)
    history_write(Offering, [o.pk for o in created], kind="+", by=by, reason=reason)
    return created


@transaction.atomic
def offerings_delete_unused(ids: Sequence[int], *, by: User | None, reason: str) -> list[int]:
    """Delete those of the offerings nobody uses or has changed (see
    `customers_delete_unused`); returns the ids deleted, each with its "-" history row."""
    kept = ids_in_use(Offering, ids) | ids_changed(Offering, ids)
    unused = [pk for pk in ids if pk not in kept]
    history_write(Offering, unused, kind="-", by=by, reason=reason)
    delete_rows(Offering, unused)
    return unused


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
    if differs_from_stored(assessment):
        assessment.save()
    return assessment


@transaction.atomic
def assessment_delete(*, assessment: FascinationAssessment) -> None:
    assessment.delete()


@transaction.atomic
def offerings_update_many(
    offerings: Sequence[Offering],
    fields: Sequence[str],
    *,
    by: User | None,
    reason: str,
    changed: Sequence[int] = (),
) -> None:
    """Write `fields` of the offerings in bulk, checked by the caller by the rules of
    `offering_save` (an import checks a whole file first); those in `changed` changed in
    substance and get their "~" history row, the others only had bookkeeping written."""
    Offering.objects.bulk_update(offerings, fields, batch_size=500)
    history_write(Offering, sorted(set(changed)), kind="~", by=by, reason=reason)


def groups_ensure(names: Sequence[str]) -> dict[str, OfferingGroup]:
    """The catalogue groups of these German names, created where new."""
    wanted = {n.strip() for n in names}
    found = {g.name_de: g for g in OfferingGroup.objects.filter(name_de__in=wanted)}
    for name in sorted(wanted - set(found)):
        found[name] = _group(name)
    return found
