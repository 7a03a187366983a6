"""The dated history of a whole customer profile: who changed what, when, old and new.

Every area keeps its own django-simple-history tables; this merges them per customer,
newest first, and turns stored ids and codes back into names people recognise.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.db import models
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from kundenbild.accounts.models import User
from kundenbild.activities.models import Activity
from kundenbild.buying_center.models import Acquaintance, BuyingCenter, Contact, ContactRelation
from kundenbild.customers.models import Address, BusinessUnit, Customer
from kundenbild.finance.models import Condition, FinanceProfile
from kundenbild.offerings.models import FascinationAssessment
from kundenbild.potential.models import Demand, EffectiveDemand, Need
from kundenbild.profile.models import AreaReview, ProfileArea

HIDDEN_FIELDS = {"version", "updated_at", "created_at", "customer"}
ACTIVITIES = "activities"
AREA_LABELS: dict[str, str | Promise] = {
    **dict(ProfileArea.choices),
    ACTIVITIES: _("Activities"),
}


@dataclass(frozen=True)
class HistoryEntry:
    when: datetime
    who: Any
    kind: str  # "+" created, "~" changed, "-" deleted
    area: str
    subject: str  # what was changed, e.g. "Address: Lagerweg 4"
    changes: list[tuple[str, Any, Any]]


class _Names:
    """Turns ids and codes in history records into readable values, with a cache."""

    def __init__(self) -> None:
        self._cache: dict[tuple[type[models.Model], Any], str] = {}

    def of(self, model: type[models.Model], pk: Any) -> str:
        if pk in (None, ""):
            return ""
        key = (model, pk)
        if key not in self._cache:
            obj = model._default_manager.filter(pk=pk).first()
            self._cache[key] = str(obj) if obj is not None else f"#{pk}"
        return self._cache[key]

    def value(self, model: type[models.Model], name: str, value: Any) -> Any:
        field = model._meta.get_field(name)
        if isinstance(field, models.ManyToManyField):
            related = field.related_model
            assert isinstance(related, type)
            own = model._meta.model_name
            items = []
            for row in value or []:
                other = next((v for k, v in row.items() if k != own), None)
                items.append(self.of(related, other))
            return ", ".join(sorted(items))
        if isinstance(field, models.ForeignKey):
            related = field.related_model
            assert isinstance(related, type)
            return self.of(related, value)
        choices = dict(getattr(field, "flatchoices", None) or [])
        if choices and value in choices:
            return choices[value]
        return value


def _label(model: type[models.Model], name: str) -> str:
    field = model._meta.get_field(name)
    return str(getattr(field, "verbose_name", name))


def _entries(
    records: Iterable[Any],
    model: type[models.Model],
    area: str,
    subject: Callable[[Any], str],
    names: _Names,
) -> list[HistoryEntry]:
    entries = []
    for record in records:
        changes: list[tuple[str, Any, Any]] = []
        previous = record.prev_record
        if previous is not None:
            delta = record.diff_against(previous)
            changes = [
                (
                    _label(model, c.field),
                    names.value(model, c.field, c.old),
                    names.value(model, c.field, c.new),
                )
                for c in delta.changes
                if c.field not in HIDDEN_FIELDS
            ]
            if not changes and record.history_type == "~":
                continue  # a save that changed nothing worth showing
        entries.append(
            HistoryEntry(
                record.history_date,
                record.history_user,
                record.history_type,
                area,
                subject(record),
                changes,
            )
        )
    return entries


def _latest(records: Any, limit: int) -> Any:
    return records.select_related("history_user").order_by("-history_date")[:limit]


def _ids_ever(model: type[models.Model], **filters: Any) -> list[Any]:
    """Ids of all objects that match or ever matched (deleted ones live on in history).

    Both sources count: bulk-loaded rows (imports, demo data) have no history records.
    """
    history = model.history  # type: ignore[attr-defined]
    ever = set(history.filter(**filters).values_list("id", flat=True))
    return sorted(ever | set(model._default_manager.filter(**filters).values_list("pk", flat=True)))


def _prefixed(model: type[models.Model], text: str) -> str:
    return f"{str(model._meta.verbose_name).capitalize()}: {text}"


def profile_history(
    customer: Customer, *, include_finance: bool, area: str | None = None, limit: int = 300
) -> list[HistoryEntry]:
    """Changes to every area of the profile (finance only for those who may see it)."""
    names = _Names()
    contact_ids = _ids_ever(Contact, customer_id=customer.pk)
    need_ids = _ids_ever(Need, customer_id=customer.pk)
    demand_ids = _ids_ever(Demand, need_id__in=need_ids)
    contact_names = {
        r.id: f"{r.first_name} {r.last_name}".strip()
        for r in Contact.history.filter(id__in=contact_ids).order_by("history_date")
    } | {c.pk: str(c) for c in Contact.objects.filter(pk__in=contact_ids)}

    def person(pk: int) -> str:
        return contact_names.get(pk, f"#{pk}")

    buying_center = ProfileArea.BUYING_CENTER.value
    potential = ProfileArea.POTENTIAL.value
    company = ProfileArea.COMPANY.value
    finance = ProfileArea.FINANCE.value
    sources: list[tuple[str, type[models.Model], Any, Callable[[Any], str]]] = [
        (company, Customer, customer.history.all(), lambda r: str(Customer._meta.verbose_name)),
        (
            company,
            Address,
            Address.history.filter(customer_id=customer.pk),
            lambda r: _prefixed(Address, f"{r.street}, {r.city}"),
        ),
        (
            company,
            BusinessUnit,
            BusinessUnit.history.filter(customer_id=customer.pk),
            lambda r: _prefixed(BusinessUnit, r.name),
        ),
        (
            buying_center,
            Contact,
            Contact.history.filter(customer_id=customer.pk),
            lambda r: _prefixed(Contact, f"{r.first_name} {r.last_name}".strip()),
        ),
        (
            buying_center,
            Acquaintance,
            Acquaintance.history.filter(contact_id__in=contact_ids),
            lambda r: _prefixed(
                Acquaintance, f"{names.of(User, r.user_id)} – {person(r.contact_id)}"
            ),
        ),
        (
            buying_center,
            ContactRelation,
            ContactRelation.history.filter(source_id__in=contact_ids),
            lambda r: _prefixed(
                ContactRelation,
                f"{person(r.source_id)} {r.get_kind_display()} {person(r.target_id)}",
            ),
        ),
        (
            buying_center,
            BuyingCenter,
            BuyingCenter.history.filter(customer_id=customer.pk),
            lambda r: _prefixed(BuyingCenter, r.name),
        ),
        (
            ProfileArea.FASCINATION.value,
            FascinationAssessment,
            FascinationAssessment.history.filter(customer_id=customer.pk),
            lambda r: _prefixed(
                FascinationAssessment, names.value(FascinationAssessment, "offering", r.offering_id)
            ),
        ),
        (
            potential,
            Need,
            Need.history.filter(customer_id=customer.pk),
            lambda r: _prefixed(Need, r.title),
        ),
        (
            potential,
            Demand,
            Demand.history.filter(need_id__in=need_ids),
            lambda r: _prefixed(
                Demand,
                names.value(Demand, "offering", r.offering_id)
                or r.competitor_offering
                or r.description,
            ),
        ),
        (
            potential,
            EffectiveDemand,
            EffectiveDemand.history.filter(demand_id__in=demand_ids),
            lambda r: _prefixed(EffectiveDemand, f"{names.of(Demand, r.demand_id)} {r.year}"),
        ),
        (
            ACTIVITIES,
            Activity,
            Activity.history.filter(customer_id=customer.pk),
            lambda r: _prefixed(Activity, r.subject),
        ),
    ]
    if include_finance:
        sources += [
            (
                finance,
                FinanceProfile,
                FinanceProfile.history.filter(customer_id=customer.pk),
                lambda r: str(FinanceProfile._meta.verbose_name).capitalize(),
            ),
            (
                finance,
                Condition,
                Condition.history.filter(customer_id=customer.pk),
                lambda r: _prefixed(Condition, str(r.get_kind_display())),
            ),
        ]
    reviews = AreaReview.history.filter(customer_id=customer.pk)
    if not include_finance:
        reviews = reviews.exclude(area=finance)
    entries: list[HistoryEntry] = []
    for source_area, model, records, subject in sources:
        if area in (None, source_area):
            entries += _entries(_latest(records, limit), model, source_area, subject, names)
    for record in _latest(reviews, limit):
        if area in (None, record.area):
            entries.append(
                HistoryEntry(
                    record.history_date,
                    record.history_user,
                    record.history_type,
                    record.area,
                    str(_("Reviewed and confirmed: %(area)s") % {"area": AREA_LABELS[record.area]}),
                    [],
                )
            )
    entries.sort(key=lambda e: e.when, reverse=True)
    return entries[:limit]
