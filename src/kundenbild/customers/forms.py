"""The master-data form; it only parses input, the service validates and saves."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from kundenbild.accounts.selectors import staff_choices
from kundenbild.core.forms import StyledForm
from kundenbild.customers.models import AddressKind, Customer, Industry, LegalForm, SizeClass
from kundenbild.customers.services import AddressData, CustomerData, HeadquartersData


class CustomerForm(StyledForm):
    number = forms.CharField(label=_("Customer number"), max_length=40)
    name = forms.CharField(label=_("Name"), max_length=200)
    legal_form = forms.ChoiceField(
        label=_("Legal form"), choices=[("", "—"), *LegalForm.choices], required=False
    )
    parent_number = forms.CharField(
        label=_("Group parent (customer number)"),
        max_length=40,
        required=False,
        help_text=_("The customer number of the parent company, if it belongs to a group."),
    )
    industries = forms.MultipleChoiceField(
        label=_("Industries (WZ 2008)"),
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 6}),
    )
    employees = forms.IntegerField(
        label=_("Employees"), min_value=0, max_value=10_000_000, required=False
    )
    size_class = forms.ChoiceField(
        label=_("Size"),
        choices=[("", _("derive from employees")), *SizeClass.choices],
        required=False,
    )
    website = forms.URLField(label=_("Website"), required=False, assume_scheme="https")
    register_court = forms.CharField(
        label=_("Register court"),
        max_length=100,
        required=False,
        widget=forms.TextInput(attrs={"placeholder": _("e.g. Amtsgericht München")}),
    )
    register_number = forms.CharField(
        label=_("Register number"),
        max_length=30,
        required=False,
        widget=forms.TextInput(attrs={"placeholder": "HRB 12345"}),
    )
    vat_id = forms.CharField(
        label=_("VAT number"),
        max_length=20,
        required=False,
        widget=forms.TextInput(attrs={"placeholder": "DE123456789"}),
    )
    hq_street = forms.CharField(label=_("Street and number"), max_length=200, required=False)
    hq_postal_code = forms.CharField(label=_("Postal code"), max_length=12, required=False)
    hq_city = forms.CharField(label=_("City"), max_length=100, required=False)
    hq_country = forms.CharField(
        label=_("Country (ISO code)"), max_length=2, min_length=2, initial="DE", required=False
    )
    owner = forms.ModelChoiceField(
        label=_("Key account manager"), queryset=staff_choices(), required=False
    )
    account_team = forms.ModelMultipleChoiceField(
        label=_("Account team"),
        queryset=staff_choices(),
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 5}),
    )
    notes = forms.CharField(
        label=_("Notes"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        industry_field = self.fields["industries"]
        assert isinstance(industry_field, forms.MultipleChoiceField)
        industry_field.choices = [(i.code, str(i)) for i in Industry.objects.all()]

    def clean_parent_number(self) -> int | None:
        number = self.cleaned_data.get("parent_number", "").strip()
        if not number:
            return None
        parent_id = Customer.objects.filter(number=number).values_list("pk", flat=True).first()
        if parent_id is None:
            raise forms.ValidationError(
                _("There is no customer with the number %(number)s.") % {"number": number}
            )
        return parent_id

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        hq = [cleaned.get(f"hq_{name}") for name in ("street", "postal_code", "city")]
        if any(hq) and not all(hq):
            self.add_error(
                None, _("Please give the headquarters' street, postal code and city together.")
            )
        return cleaned

    @classmethod
    def initial_for(cls, customer: Customer) -> dict[str, Any]:
        hq = customer.headquarters
        return {
            "number": customer.number,
            "name": customer.name,
            "legal_form": customer.legal_form,
            "parent_number": customer.parent.number if customer.parent else "",
            "industries": [i.code for i in customer.industries.all()],
            "employees": customer.employees,
            "size_class": customer.size_class,
            "website": customer.website,
            "register_court": customer.register_court,
            "register_number": customer.register_number,
            "vat_id": customer.vat_id,
            "hq_street": hq.street if hq else "",
            "hq_postal_code": hq.postal_code if hq else "",
            "hq_city": hq.city if hq else "",
            "hq_country": hq.country if hq else "DE",
            "owner": customer.owner_id,
            "account_team": list(customer.account_team.all()),
            "notes": customer.notes,
            "version": customer.version,
        }

    def to_data(self) -> CustomerData:
        d = self.cleaned_data
        hq = None
        if d.get("hq_street"):
            hq = HeadquartersData(
                street=d["hq_street"],
                postal_code=d["hq_postal_code"],
                city=d["hq_city"],
                country=(d.get("hq_country") or "DE").upper(),
            )
        return CustomerData(
            number=d["number"],
            name=d["name"],
            legal_form=d["legal_form"],
            parent_id=d["parent_number"],
            industry_codes=tuple(d["industries"]),
            employees=d["employees"],
            size_class=d["size_class"],
            website=d["website"],
            register_court=d["register_court"],
            register_number=d["register_number"],
            vat_id=d["vat_id"],
            notes=d["notes"],
            owner_id=d["owner"].pk if d["owner"] else None,
            team_ids=tuple(u.pk for u in d["account_team"]),
            headquarters=hq,
        )


class AddressForm(StyledForm):
    kind = forms.ChoiceField(label=_("Kind"), choices=AddressKind.choices)
    street = forms.CharField(label=_("Street and number"), max_length=200)
    postal_code = forms.CharField(label=_("Postal code"), max_length=12)
    city = forms.CharField(label=_("City"), max_length=100)
    country = forms.CharField(
        label=_("Country (ISO code)"), min_length=2, max_length=2, initial="DE"
    )

    def to_data(self) -> AddressData:
        return AddressData(**self.cleaned_data)


class BusinessUnitForm(StyledForm):
    name = forms.CharField(label=_("Name"), max_length=200)
    description = forms.CharField(
        label=_("Description"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


class CustomerMergeForm(StyledForm):
    """Which customer remains when this one, a duplicate, is merged into it."""

    survivor = forms.CharField(
        label=_("Customer number"),
        max_length=40,
        help_text=_("Everything recorded for this customer moves there."),
    )

    def clean_survivor(self) -> Customer:
        number = self.cleaned_data["survivor"].strip()
        survivor = Customer.objects.filter(number=number).first()
        if survivor is None:
            raise forms.ValidationError(
                _("There is no customer with the number %(number)s.") % {"number": number}
            )
        return survivor
