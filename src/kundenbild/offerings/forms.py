"""Forms for the catalogue and for placing an offering on a customer's pyramid."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from kundenbild.core.forms import StyledForm
from kundenbild.offerings.models import FascinationLevel, OfferingKind
from kundenbild.offerings.selectors import offering_list
from kundenbild.offerings.services import OfferingData


class AssessmentForm(StyledForm):
    offering = forms.ModelChoiceField(label=_("Offering"), queryset=offering_list())
    level = forms.TypedChoiceField(label=_("Level"), choices=FascinationLevel.choices, coerce=int)
    note = forms.CharField(
        label=_("Note"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Why the customer sees it so, e.g. what they said."),
    )
    assessed_on = forms.DateField(
        label=_("Assessed on"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("initial", {}).setdefault("assessed_on", timezone.localdate())
        super().__init__(*args, **kwargs)


class OfferingForm(StyledForm):
    number = forms.CharField(label=_("Article number"), max_length=40)
    name_de = forms.CharField(label=_("German name"), max_length=200)
    name_en = forms.CharField(label=_("English name"), max_length=200, required=False)
    group_name = forms.CharField(label=_("Group"), max_length=100)
    kind = forms.ChoiceField(label=_("Kind"), choices=OfferingKind.choices)
    unit = forms.CharField(
        label=_("Unit"), max_length=20, required=False, help_text=_("e.g. piece, kg, h")
    )

    def to_data(self) -> OfferingData:
        return OfferingData(**self.cleaned_data)
