"""Forms for the finance profile and for conditions."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from kundenbild.activities.models import ActivityKind
from kundenbild.core.forms import StyledForm, style_fields
from kundenbild.finance.models import ConditionKind, CreditSource
from kundenbild.finance.services import ConditionData, FinanceProfileData

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class FinanceProfileForm(StyledForm):
    credit_rating = forms.CharField(label=_("Credit rating"), max_length=40, required=False)
    credit_source = forms.ChoiceField(
        label=_("Source"), choices=[("", "—"), *CreditSource.choices], required=False
    )
    rated_on = forms.DateField(label=_("Rated on"), required=False, widget=DATE)
    credit_limit = forms.DecimalField(
        label=_("Credit limit (€)"), max_digits=14, decimal_places=2, required=False, min_value=0
    )
    payment_days_net = forms.IntegerField(
        label=_("Payment term, days net"), min_value=0, max_value=365, required=False
    )
    cash_discount_percent = forms.DecimalField(
        label=_("Cash discount in %"), max_digits=4, decimal_places=2, required=False
    )
    cash_discount_days = forms.IntegerField(
        label=_("Cash discount within days"), min_value=0, max_value=365, required=False
    )
    observed_days_to_pay = forms.DecimalField(
        label=_("Observed days to pay"),
        max_digits=5,
        decimal_places=1,
        required=False,
        min_value=0,
    )
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def to_data(self) -> FinanceProfileData:
        values = {k: v for k, v in self.cleaned_data.items() if k != "version"}
        return FinanceProfileData(**values)


class ConditionForm(StyledForm):
    kind = forms.ChoiceField(label=_("Kind"), choices=ConditionKind.choices)
    description = forms.CharField(label=_("Description"), max_length=300)
    percent = forms.DecimalField(label=_("Percent"), max_digits=5, decimal_places=2, required=False)
    valid_from = forms.DateField(label=_("Valid from"), widget=DATE)
    valid_until = forms.DateField(label=_("Valid until"), required=False, widget=DATE)

    def to_data(self) -> ConditionData:
        return ConditionData(**self.cleaned_data)


class OverheadRatesForm(StyledForm):
    """One amount per activity kind."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for kind, label in ActivityKind.choices:
            self.fields[kind] = forms.DecimalField(
                label=label, min_value=Decimal(0), max_digits=10, decimal_places=2
            )
        style_fields(self)
