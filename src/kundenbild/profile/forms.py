"""The customer list's filters, read from its query string."""

from __future__ import annotations

from django import forms

from kundenbild.customers.models import LegalForm, SizeClass
from kundenbild.insights.models import ABC_CHOICES, PHASE_CHOICES, VALUE_TYPE_CHOICES


class CustomerFilterForm(forms.Form):
    """Parses the list's query string; bad values are ignored rather than failing the page."""

    q = forms.CharField(required=False, max_length=200)
    legal_form = forms.ChoiceField(choices=[("", ""), *LegalForm.choices], required=False)
    section = forms.CharField(required=False, max_length=1)
    owner = forms.IntegerField(required=False, min_value=1)
    size = forms.ChoiceField(choices=[("", ""), *SizeClass.choices], required=False)
    value_type = forms.ChoiceField(choices=[("", ""), *VALUE_TYPE_CHOICES], required=False)
    phase = forms.ChoiceField(choices=[("", ""), *PHASE_CHOICES], required=False)
    abc = forms.ChoiceField(choices=[("", ""), *ABC_CHOICES], required=False)
    sort = forms.CharField(required=False, max_length=20)
