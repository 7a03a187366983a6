"""Forms for a need, a demand with its effective demand, and one year's effective demand."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from kundenbild.core.forms import StyledForm
from kundenbild.customers.models import BusinessUnit, Customer
from kundenbild.offerings.models import Offering
from kundenbild.potential.models import DemandSource, Need, Priority
from kundenbild.potential.services import DemandData, EffectiveDemandData, NeedData


class NeedForm(StyledForm):
    title = forms.CharField(label=_("Need"), max_length=200)
    priority = forms.ChoiceField(label=_("Priority"), choices=Priority.choices, initial="medium")
    business_unit = forms.ModelChoiceField(
        label=_("Business unit"), queryset=BusinessUnit.objects.none(), required=False
    )
    description = forms.CharField(
        label=_("Description"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args: Any, customer: Customer, **kwargs: Any) -> None:
        super().__init__(*args, prefix="need", **kwargs)
        self.fields["business_unit"].queryset = customer.business_units.order_by(  # type: ignore[attr-defined]
            "name"
        )

    @staticmethod
    def initial_for(need: Need) -> dict[str, Any]:
        return {
            "title": need.title,
            "priority": need.priority,
            "business_unit": need.business_unit_id,
            "description": need.description,
            "version": need.version,
        }

    def to_data(self) -> NeedData:
        d = self.cleaned_data
        unit = d["business_unit"]
        return NeedData(
            title=d["title"],
            priority=d["priority"],
            business_unit_id=unit.pk if unit else None,
            description=d["description"],
        )


def _year_field(required: bool) -> forms.IntegerField:
    return forms.IntegerField(
        label=_("Year"),
        min_value=2000,
        max_value=2100,
        required=required,
        initial=timezone.localdate().year,
    )


def _money_field(label: Any, *, required: bool, help_text: Any = "") -> forms.DecimalField:
    return forms.DecimalField(
        label=label,
        min_value=Decimal(0),
        max_digits=14,
        decimal_places=2,
        required=required,
        help_text=help_text,
    )


class EffectiveDemandForm(StyledForm):
    """One year of effective demand: what the customer will spend, how sure we are."""

    year = _year_field(required=True)
    amount = _money_field(_("Effective demand per year (EUR)"), required=True)
    confidence = forms.IntegerField(
        label=_("Confidence in %"), min_value=0, max_value=100, initial=50
    )
    source = forms.ChoiceField(
        label=_("Source"), choices=DemandSource.choices, initial=DemandSource.ESTIMATE
    )
    our_revenue = _money_field(
        _("Our revenue (EUR)"),
        required=False,
        help_text=_("Only needed where no sales lines exist for this offering and year."),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("prefix", "effective")
        super().__init__(*args, **kwargs)

    def to_effective(self) -> EffectiveDemandData | None:
        d = self.cleaned_data
        if d.get("amount") is None:
            return None
        return EffectiveDemandData(
            year=d["year"],
            amount=d["amount"],
            confidence=d["confidence"] if d["confidence"] is not None else 50,
            source=d["source"] or DemandSource.ESTIMATE,
            our_revenue=d["our_revenue"],
        )


class DemandForm(EffectiveDemandForm):
    """A demand (ours or a competitor's) with its effective demand for one year."""

    offering = forms.ModelChoiceField(
        label=_("Our offering"), queryset=Offering.objects.none(), required=False
    )
    competitor = forms.CharField(
        label=_("Competitor"),
        max_length=150,
        required=False,
        help_text=_("Who serves this demand today, if not us or not only us."),
    )
    competitor_offering = forms.CharField(
        label=_("Competitor's offering"), max_length=200, required=False
    )
    description = forms.CharField(label=_("Description"), max_length=300, required=False)
    field_order = [
        "offering",
        "competitor",
        "competitor_offering",
        "description",
        "year",
        "amount",
        "confidence",
        "source",
        "our_revenue",
    ]

    def __init__(self, *args: Any, optional: bool = False, **kwargs: Any) -> None:
        kwargs.setdefault("prefix", "demand")
        super().__init__(*args, **kwargs)
        self.optional = optional
        self.fields["offering"].queryset = Offering.objects.filter(  # type: ignore[attr-defined]
            active=True
        ).select_related("group")
        self.fields["amount"].required = False
        self.fields["year"].required = False
        self.fields["confidence"].required = False
        self.fields["source"].required = False
        self.order_fields(self.field_order)

    def is_empty(self) -> bool:
        d = self.cleaned_data
        return not any(
            d.get(name)
            for name in ("offering", "competitor", "competitor_offering", "description", "amount")
        )

    def clean(self) -> dict[str, Any]:
        d = super().clean() or {}
        if self.optional and not any(
            d.get(n)
            for n in ("offering", "competitor", "competitor_offering", "description", "amount")
        ):
            return d
        if not (d.get("offering") or d.get("competitor_offering") or d.get("description")):
            self.add_error(
                "offering",
                _("Choose our offering, or describe the demand or the competitor's offering."),
            )
        if d.get("amount") is not None and not d.get("year"):
            self.add_error("year", _("Which year is this amount for?"))
        return d

    def to_data(self) -> DemandData:
        d = self.cleaned_data
        return DemandData(
            offering_id=d["offering"].pk if d["offering"] else None,
            competitor=d["competitor"],
            competitor_offering=d["competitor_offering"],
            description=d["description"],
        )
