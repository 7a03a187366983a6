"""The dated history of a whole customer profile: who changed what, when, old and new.

Every area keeps its own django-simple-history tables; this merges them per customer,
newest first, and turns stored ids and codes back into names people recognise.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.db import models
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from kundenbild.accounts.models import User
from kundenbild.activities.models import Activity
from kundenbild.buying_center.models import Acquaintance, BuyingCenter, Contact, ContactRelation
from kundenbild.chains.history import chain_sources
from kundenbild.chains.models import Chain
from kundenbild.core.history import (
    HistoryEntry,
    HistoryNames,
    capitalized,
    history_entries,
    ids_ever,
    latest_records,
    prefixed,
)
from kundenbild.customers.merge import MERGE_REASON
from kundenbild.customers.models import Address, BusinessUnit, Customer, CustomerMerge
from kundenbild.finance.models import Condition, FinanceProfile
from kundenbild.imports.selectors import ImportReasons
from kundenbild.offerings.models import FascinationAssessment
from kundenbild.potential.models import Demand, EffectiveDemand, Need
from kundenbild.profile.models import AreaReview, ProfileArea

ACTIVITIES = "activities"
CHAINS = "chains"
AREA_LABELS: dict[str, str | Promise] = {
    **dict(ProfileArea.choices),
    ACTIVITIES: _("Activities"),
    CHAINS: _("Problem-solving chains"),
}


Source = tuple[str, type[models.Model], Any, Callable[[Any], str]]
"""One history table to merge: the area, the model, its history rows, how each is named."""


def profile_history(
    customer: Customer, *, include_finance: bool, area: str | None = None, limit: int = 300
) -> list[HistoryEntry]:
    """Changes to every area of the profile (finance only for those who may see it)."""
    names = HistoryNames()
    sources: list[Source] = [
        *_company_sources(customer),
        *_buying_center_sources(customer, names),
        *_fascination_and_potential_sources(customer, names),
        (
            ACTIVITIES,
            Activity,
            Activity.history.filter(customer_id=customer.pk),
            lambda r: prefixed(Activity, r.subject),
        ),
        *(
            (CHAINS, model, records, subject)
            for model, records, subject in chain_sources(
                ids_ever(Chain, customer_id=customer.pk), names
            )
        ),
        *(_finance_sources(customer) if include_finance else []),
    ]
    entries: list[HistoryEntry] = []
    reasons = _Reasons()
    for source_area, model, records, subject in sources:
        if area in (None, source_area):
            entries += history_entries(
                latest_records(records, limit),
                model,
                source_area,
                subject,
                names,
                reasons,
                reasons.author,
            )
    entries += _review_entries(customer, include_finance=include_finance, area=area, limit=limit)
    entries += _merge_entries(customer, area=area)
    entries.sort(key=lambda e: e.when, reverse=True)
    return entries[:limit]


def _company_sources(customer: Customer) -> list[Source]:
    company = ProfileArea.COMPANY.value
    return [
        (company, Customer, customer.history.all(), lambda r: str(Customer._meta.verbose_name)),
        (
            company,
            Address,
            Address.history.filter(customer_id=customer.pk),
            lambda r: prefixed(Address, f"{r.street}, {r.city}"),
        ),
        (
            company,
            BusinessUnit,
            BusinessUnit.history.filter(customer_id=customer.pk),
            lambda r: prefixed(BusinessUnit, r.name),
        ),
    ]


def _buying_center_sources(customer: Customer, names: HistoryNames) -> list[Source]:
    """People, who of us knows them, their relations and the buying centers; a person is
    named as last recorded, even after being deleted."""
    contact_ids = ids_ever(Contact, customer_id=customer.pk)
    contact_names = {
        r.id: f"{r.first_name} {r.last_name}".strip()
        for r in Contact.history.filter(id__in=contact_ids).order_by("history_date")
    } | {c.pk: str(c) for c in Contact.objects.filter(pk__in=contact_ids)}

    def person(pk: int) -> str:
        return contact_names.get(pk, f"#{pk}")

    area = ProfileArea.BUYING_CENTER.value
    return [
        (
            area,
            Contact,
            Contact.history.filter(customer_id=customer.pk),
            lambda r: prefixed(Contact, f"{r.first_name} {r.last_name}".strip()),
        ),
        (
            area,
            Acquaintance,
            Acquaintance.history.filter(contact_id__in=contact_ids),
            lambda r: prefixed(
                Acquaintance, f"{names.of(User, r.user_id)} – {person(r.contact_id)}"
            ),
        ),
        (
            area,
            ContactRelation,
            ContactRelation.history.filter(source_id__in=contact_ids),
            lambda r: prefixed(
                ContactRelation,
                f"{person(r.source_id)} {r.get_kind_display()} {person(r.target_id)}",
            ),
        ),
        (
            area,
            BuyingCenter,
            BuyingCenter.history.filter(customer_id=customer.pk),
            lambda r: prefixed(BuyingCenter, r.name),
        ),
    ]


def _fascination_and_potential_sources(customer: Customer, names: HistoryNames) -> list[Source]:
    need_ids = ids_ever(Need, customer_id=customer.pk)
    demand_ids = ids_ever(Demand, need_id__in=need_ids)
    potential = ProfileArea.POTENTIAL.value
    return [
        (
            ProfileArea.FASCINATION.value,
            FascinationAssessment,
            FascinationAssessment.history.filter(customer_id=customer.pk),
            lambda r: prefixed(
                FascinationAssessment, names.value(FascinationAssessment, "offering", r.offering_id)
            ),
        ),
        (
            potential,
            Need,
            Need.history.filter(customer_id=customer.pk),
            lambda r: prefixed(Need, r.title),
        ),
        (
            potential,
            Demand,
            Demand.history.filter(need_id__in=need_ids),
            lambda r: prefixed(
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
            lambda r: prefixed(EffectiveDemand, f"{names.of(Demand, r.demand_id)} {r.year}"),
        ),
    ]


def _finance_sources(customer: Customer) -> list[Source]:
    finance = ProfileArea.FINANCE.value
    return [
        (
            finance,
            FinanceProfile,
            FinanceProfile.history.filter(customer_id=customer.pk),
            lambda r: capitalized(str(FinanceProfile._meta.verbose_name)),
        ),
        (
            finance,
            Condition,
            Condition.history.filter(customer_id=customer.pk),
            lambda r: prefixed(Condition, str(r.get_kind_display())),
        ),
    ]


def _review_entries(
    customer: Customer, *, include_finance: bool, area: str | None, limit: int
) -> list[HistoryEntry]:
    """Each confirmed review of an area, as an entry of its own."""
    reviews = AreaReview.history.filter(customer_id=customer.pk)
    if not include_finance:
        reviews = reviews.exclude(area=ProfileArea.FINANCE.value)
    return [
        HistoryEntry(
            record.history_date,
            record.history_user,
            record.history_type,
            record.area,
            str(_("Reviewed and confirmed: %(area)s") % {"area": AREA_LABELS[record.area]}),
            [],
        )
        for record in latest_records(reviews, limit)
        if area in (None, record.area)
    ]


class _Reasons(ImportReasons):
    """Change reasons in words: a merge's ("merge:3" → which customer was merged into
    which), an import's (`ImportReasons`), others as they are."""

    def __init__(self) -> None:
        super().__init__()
        self._merges: dict[int, CustomerMerge | None] = {}

    def __call__(self, reason: str | None, kind: str = "+") -> str:
        number = (reason or "").removeprefix(MERGE_REASON)
        if number == reason or not number.isdigit():
            return super().__call__(reason, kind)
        if int(number) not in self._merges:
            self._merges[int(number)] = CustomerMerge.objects.filter(pk=int(number)).first()
        merge = self._merges[int(number)]
        if merge is None:
            return str(_("Changed by merging two customers."))
        return str(_("Changed by merging %(name)s (%(number)s) into %(survivor)s.")) % {
            "name": merge.duplicate_name,
            "number": merge.duplicate_number,
            "survivor": merge.survivor_number,
        }


def _merge_entries(customer: Customer, *, area: str | None) -> list[HistoryEntry]:
    """Each duplicate merged into this customer, as an entry of its own: the rows that
    moved here changed only the customer they belong to, which entries do not show."""
    if area not in (None, ProfileArea.COMPANY.value):
        return []
    entries = []
    for merge in CustomerMerge.objects.filter(survivor=customer).select_related("merged_by"):
        moved = sum(merge.moved.values())
        entries.append(
            HistoryEntry(
                merge.merged_at,
                merge.merged_by,
                "~",
                ProfileArea.COMPANY.value,
                str(_("Merged into this customer: %(name)s (%(number)s)"))
                % {"name": merge.duplicate_name, "number": merge.duplicate_number},
                [],
                ngettext("%(count)s record moved here.", "%(count)s records moved here.", moved)
                % {"count": moved},
            )
        )
    return entries
