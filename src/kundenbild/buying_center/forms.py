"""Forms for the buying center: a person, a relation, our relationship, a buying center."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from kundenbild.accounts.selectors import staff_choices
from kundenbild.buying_center.models import (
    Attitude,
    BuyingCenter,
    BuyingRoleCode,
    Closeness,
    Contact,
    Influence,
    RelationKind,
    Salutation,
)
from kundenbild.buying_center.services import BuyingCenterData, ContactData
from kundenbild.core.forms import StyledForm
from kundenbild.customers.models import BusinessUnit, Customer


class ContactForm(StyledForm):
    salutation = forms.ChoiceField(
        label=_("Salutation"), choices=[("", "—"), *Salutation.choices], required=False
    )
    title = forms.CharField(
        label=_("Title"), max_length=40, required=False, help_text=_("Academic title, e.g. Dr.")
    )
    first_name = forms.CharField(label=_("First name"), max_length=100, required=False)
    last_name = forms.CharField(label=_("Last name"), max_length=100)
    function = forms.CharField(label=_("Function"), max_length=150, required=False)
    department = forms.CharField(label=_("Department"), max_length=150, required=False)
    organisation = forms.CharField(
        label=_("External organisation"),
        max_length=150,
        required=False,
        help_text=_("Only for externals, e.g. a consultant's firm."),
    )
    email = forms.EmailField(label=_("Email"), required=False)
    phone = forms.CharField(label=_("Phone"), max_length=40, required=False)
    mobile = forms.CharField(label=_("Mobile"), max_length=40, required=False)
    roles = forms.MultipleChoiceField(
        label=_("Buying roles"),
        choices=BuyingRoleCode.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Tick every role the person plays; several are possible."),
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
        widget=forms.CheckboxSelectMultiple,
        help_text=_("How well each knows the person is set on the person's page."),
    )
    last_contact_on = forms.DateField(
        label=_("Last contact"),
        required=False,
        help_text=_("Visits, calls, e-mails and meetings logged with this person move it on."),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    buying_centers = forms.ModelMultipleChoiceField(
        label=_("Buying centers"),
        queryset=BuyingCenter.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args: Any, customer: Customer, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        centers = BuyingCenter.objects.filter(customer=customer).order_by("name")
        self.fields["buying_centers"].queryset = centers  # type: ignore[attr-defined]
        if not centers.exists():
            del self.fields["buying_centers"]
        self.fields["known_by"].queryset = staff_choices()  # type: ignore[attr-defined]

    @classmethod
    def initial_for(cls, contact: Contact) -> dict[str, Any]:
        return {
            "salutation": contact.salutation,
            "title": contact.title,
            "first_name": contact.first_name,
            "last_name": contact.last_name,
            "function": contact.function,
            "department": contact.department,
            "organisation": contact.organisation,
            "email": contact.email,
            "phone": contact.phone,
            "mobile": contact.mobile,
            "roles": [r.code for r in contact.buying_roles.all()],
            "influence": contact.influence,
            "attitude": contact.attitude,
            "known_by": [a.user for a in contact.acquaintances.all()],
            "last_contact_on": contact.last_contact_on,
            "buying_centers": list(contact.buying_centers.all()),
            "version": contact.version,
        }

    def to_data(self) -> ContactData:
        d = self.cleaned_data
        centers = d.get("buying_centers")
        return ContactData(
            first_name=d["first_name"],
            last_name=d["last_name"],
            function=d["function"],
            department=d["department"],
            organisation=d["organisation"],
            email=d["email"],
            phone=d["phone"],
            salutation=d["salutation"],
            title=d["title"],
            mobile=d["mobile"],
            role_codes=tuple(d["roles"]),
            influence=d["influence"],
            attitude=d["attitude"],
            known_by_ids=tuple(u.pk for u in d["known_by"]),
            last_contact_on=d["last_contact_on"],
            buying_center_ids=None if centers is None else tuple(c.pk for c in centers),
        )


OUTGOING = "out"
INCOMING = "in"


class RelationForm(StyledForm):
    """A relation of the person being edited, in either direction."""

    direction = forms.ChoiceField(label=_("Direction"))
    kind = forms.ChoiceField(label=_("Relation"), choices=RelationKind.choices)
    other = forms.ModelChoiceField(label=_("Other person"), queryset=Contact.objects.none())
    note = forms.CharField(label=_("Note"), max_length=300, required=False)

    def __init__(self, *args: Any, contact: Contact, **kwargs: Any) -> None:
        super().__init__(*args, prefix="relation", **kwargs)
        self.fields["direction"].choices = [  # type: ignore[attr-defined]
            (OUTGOING, _("%(name)s … the other person") % {"name": contact}),
            (INCOMING, _("The other person … %(name)s") % {"name": contact}),
        ]
        self.fields["other"].queryset = (  # type: ignore[attr-defined]
            Contact.objects.filter(customer_id=contact.customer_id)
            .exclude(pk=contact.pk)
            .order_by("last_name", "first_name")
        )


class AcquaintanceForm(StyledForm):
    """Who of us knows the person, and how well (adding again changes how well)."""

    user = forms.ModelChoiceField(label=_("Our staff member"), queryset=staff_choices())
    closeness = forms.ChoiceField(label=_("How well"), choices=Closeness.choices)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, prefix="acquaintance", **kwargs)
        self.fields["user"].queryset = staff_choices()  # type: ignore[attr-defined]


class BuyingCenterForm(StyledForm):
    name = forms.CharField(label=_("Name"), max_length=150)
    business_unit = forms.ModelChoiceField(
        label=_("Business unit"), queryset=BusinessUnit.objects.none(), required=False
    )
    decision = forms.CharField(
        label=_("Purchase decision"),
        max_length=300,
        required=False,
        help_text=_("e.g. replacement of the picking system, decision in Q2"),
    )

    def __init__(self, *args: Any, customer: Customer, **kwargs: Any) -> None:
        super().__init__(*args, prefix="center", **kwargs)
        self.fields["business_unit"].queryset = customer.business_units.order_by(  # type: ignore[attr-defined]
            "name"
        )

    def to_data(self) -> BuyingCenterData:
        d = self.cleaned_data
        unit = d["business_unit"]
        return BuyingCenterData(
            name=d["name"], business_unit_id=unit.pk if unit else None, decision=d["decision"]
        )
