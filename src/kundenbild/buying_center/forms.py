"""The form for a person in the buying center."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from kundenbild.accounts.selectors import staff_choices
from kundenbild.buying_center.models import Attitude, BuyingRoleCode, Contact, Influence
from kundenbild.buying_center.services import ContactData
from kundenbild.core.forms import StyledForm


class ContactForm(StyledForm):
    first_name = forms.CharField(label=_("First name"), max_length=100, required=False)
    last_name = forms.CharField(label=_("Last name"), max_length=100)
    function = forms.CharField(label=_("Function"), max_length=150, required=False)
    department = forms.CharField(label=_("Department"), max_length=150, required=False)
    email = forms.EmailField(label=_("Email"), required=False)
    phone = forms.CharField(label=_("Phone"), max_length=40, required=False)
    roles = forms.MultipleChoiceField(
        label=_("Buying roles"),
        choices=BuyingRoleCode.choices,
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 6}),
    )
    influence = forms.ChoiceField(
        label=_("Influence"), choices=[("", "—"), *Influence.choices], required=False
    )
    attitude = forms.ChoiceField(
        label=_("Attitude towards us"), choices=[("", "—"), *Attitude.choices], required=False
    )
    known_by = forms.ModelMultipleChoiceField(
        label=_("Known by (our staff)"),
        queryset=staff_choices(),
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 4}),
    )
    last_contact_on = forms.DateField(
        label=_("Last contact"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )

    @classmethod
    def initial_for(cls, contact: Contact) -> dict[str, Any]:
        return {
            "first_name": contact.first_name,
            "last_name": contact.last_name,
            "function": contact.function,
            "department": contact.department,
            "email": contact.email,
            "phone": contact.phone,
            "roles": [r.code for r in contact.buying_roles.all()],
            "influence": contact.influence,
            "attitude": contact.attitude,
            "known_by": list(contact.known_by.all()),
            "last_contact_on": contact.last_contact_on,
        }

    def to_data(self) -> ContactData:
        d = self.cleaned_data
        return ContactData(
            first_name=d["first_name"],
            last_name=d["last_name"],
            function=d["function"],
            department=d["department"],
            email=d["email"],
            phone=d["phone"],
            role_codes=tuple(d["roles"]),
            influence=d["influence"],
            attitude=d["attitude"],
            known_by_ids=tuple(u.pk for u in d["known_by"]),
            last_contact_on=d["last_contact_on"],
        )
