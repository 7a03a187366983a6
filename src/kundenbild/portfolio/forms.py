"""The form to put a customer into the coaching focus."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from kundenbild.accounts.models import User
from kundenbild.core.forms import StyledForm
from kundenbild.portfolio.models import CoachingGoal

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class CoachingFocusForm(StyledForm):
    goal = forms.ChoiceField(label=_("Goal"), choices=CoachingGoal.choices)
    owner = forms.ModelChoiceField(label=_("Responsible"), queryset=User.objects.none())
    target_revenue = forms.DecimalField(
        label=_("Target revenue, 12 months (€)"),
        max_digits=14,
        decimal_places=2,
        required=False,
        min_value=0,
    )
    target_margin = forms.DecimalField(
        label=_("Target contribution margin I, 12 months (€)"),
        max_digits=14,
        decimal_places=2,
        required=False,
    )
    review_on = forms.DateField(label=_("Review on"), widget=DATE)
    note = forms.CharField(
        label=_("Note"), required=False, widget=forms.Textarea(attrs={"rows": 3}), max_length=2000
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        owners = User.objects.filter(is_active=True).order_by("last_name", "username")
        self.fields["owner"].queryset = owners  # type: ignore[attr-defined]
        self.fields["owner"].label_from_instance = (  # type: ignore[attr-defined]
            lambda user: user.get_full_name() or user.username
        )
