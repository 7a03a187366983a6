"""Forms for problem-solving chains: the chain, a stage, an actor, a flow, a person."""

from __future__ import annotations

from typing import Any

from django import forms
from django.urls import reverse_lazy
from django.utils.translation import gettext_lazy as _

from kundenbild.buying_center.models import Contact
from kundenbild.chains.models import (
    SCOPE_FIELDS,
    ActorIdentity,
    ActorKind,
    Chain,
    ChainActor,
    ChainScope,
    ChainStage,
    CompetitivePosition,
    FlowKind,
    Importance,
    Relationship,
)
from kundenbild.chains.services import ActorData, ChainData, FlowData, PersonData, StageData
from kundenbild.core.forms import StyledForm
from kundenbild.customers.models import Customer, Industry
from kundenbild.offerings.models import Offering, OfferingGroup

# "K-10023 · Müller GmbH": what the customer suggestions offer; the number is what counts
SUGGESTION_SEPARATOR = " · "


def customer_label(customer: Customer) -> str:
    return f"{customer.number}{SUGGESTION_SEPARATOR}{customer.name}"


def find_customer(text: str) -> Customer:
    """The customer a person typed: by number (as suggested), else by its unique name."""
    number = text.split(SUGGESTION_SEPARATOR, 1)[0].strip()
    found = Customer.objects.filter(number=number).first()
    if found is not None:
        return found
    named = list(Customer.objects.filter(name__iexact=text.strip())[:2])
    if len(named) == 1:
        return named[0]
    if named:
        raise forms.ValidationError(
            _("Several customers have this name; choose one from the suggestions.")
        )
    raise forms.ValidationError(
        _("There is no customer “%(text)s”. Type part of its name or number and pick a suggestion.")
        % {"text": text}
    )


class CustomerField(forms.CharField):
    """A customer picked by number or name, with suggestions from the server as you type.

    The suggestions go into a `<datalist>` next to the field, `<field id>-suggestions`
    (see `_wire_suggestions`), so two such fields on one page never share a list.
    """

    def __init__(self, **kwargs: Any) -> None:
        attrs = {
            "autocomplete": "off",
            "hx-get": reverse_lazy("chains:customer-suggestions"),
            "hx-trigger": "input changed delay:250ms",
            "hx-swap": "innerHTML",
        }
        super().__init__(max_length=250, widget=forms.TextInput(attrs=attrs), **kwargs)

    def clean(self, value: Any) -> Customer | None:
        text = super().clean(value)
        return find_customer(text) if text else None


def _wire_suggestions(form: forms.BaseForm, name: str = "customer") -> None:
    """Point the customer field at its own datalist (ids differ per form on a page)."""
    target = f"{form[name].auto_id}-suggestions"
    form.fields[name].widget.attrs |= {"list": target, "hx-target": f"#{target}"}


class PageForm(StyledForm):
    """A form with its own id prefix: a page holds several, and every label must find the
    field of its own form (the names stay plain, so what is posted does not change)."""

    id_prefix = "form"

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("auto_id", f"{self.id_prefix}_%s")
        super().__init__(*args, **kwargs)


class ChainForm(PageForm):
    name = forms.CharField(label=_("Name"), max_length=150)
    scope = forms.ChoiceField(label=_("Drawn for"), choices=ChainScope.choices)
    customer = CustomerField(label=_("Customer"), required=False)
    offering = forms.ModelChoiceField(
        label=_("Offering"), queryset=Offering.objects.none(), required=False
    )
    offering_group = forms.ModelChoiceField(
        label=_("Offering group"), queryset=OfferingGroup.objects.none(), required=False
    )
    industry = forms.ModelChoiceField(
        label=_("Industry (WZ 2008)"), queryset=Industry.objects.none(), required=False
    )
    description = forms.CharField(
        label=_("Description"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_(
            "Where is value created along the chain, and where does our customer's "
            "success come from?"
        ),
    )
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["offering"].queryset = Offering.objects.filter(active=True)  # type: ignore[attr-defined]
        self.fields["offering_group"].queryset = OfferingGroup.objects.all()  # type: ignore[attr-defined]
        self.fields["industry"].queryset = Industry.objects.all()  # type: ignore[attr-defined]
        self.fields["scope"].widget.attrs["data-chain-scope"] = "true"
        _wire_suggestions(self)

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        scope = cleaned.get("scope")
        field = SCOPE_FIELDS.get(str(scope or ""))
        if field and not cleaned.get(field) and field not in self.errors:
            self.add_error(field, _("Choose what the chain is drawn for."))
        return cleaned

    @classmethod
    def initial_for(cls, chain: Chain) -> dict[str, Any]:
        return {
            "name": chain.name,
            "scope": chain.scope,
            "customer": customer_label(chain.customer) if chain.customer else "",
            "offering": chain.offering_id,
            "offering_group": chain.offering_group_id,
            "industry": chain.industry_id,
            "description": chain.description,
            "version": chain.version,
        }

    def to_data(self) -> ChainData:
        d = self.cleaned_data
        scope = d["scope"]
        return ChainData(
            name=d["name"],
            scope=scope,
            offering_id=d["offering"].pk if d.get("offering") and scope == "offering" else None,
            offering_group_id=d["offering_group"].pk
            if d.get("offering_group") and scope == "offering_group"
            else None,
            customer_id=d["customer"].pk if d.get("customer") and scope == "customer" else None,
            industry_code=d["industry"].pk if d.get("industry") and scope == "segment" else None,
            description=d.get("description", ""),
        )


class StageForm(PageForm):
    id_prefix = "stage"

    name = forms.CharField(
        label=_("Stage"), max_length=100, help_text=_("e.g. OEM customer, distributor, end user")
    )
    description = forms.CharField(label=_("Description"), max_length=300, required=False)
    follows = forms.MultipleChoiceField(
        label=_("Comes after"),
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 4}),
        help_text=_("Several for stages where parallel paths meet; none for the first stage."),
    )

    def __init__(self, *args: Any, chain: Chain, stage: ChainStage | None = None, **kwargs: Any):
        super().__init__(*args, **kwargs)
        others = chain.stages.all() if stage is None else chain.stages.exclude(pk=stage.pk)
        field = self.fields["follows"]
        assert isinstance(field, forms.MultipleChoiceField)
        field.choices = [(str(s.pk), s.name) for s in others]

    @classmethod
    def initial_for(cls, stage: ChainStage) -> dict[str, Any]:
        return {
            "name": stage.name,
            "description": stage.description,
            "follows": [str(s.pk) for s in stage.follows.all()],
        }

    def to_data(self) -> StageData:
        d = self.cleaned_data
        return StageData(
            name=d["name"],
            description=d.get("description", ""),
            follows_ids=tuple(int(i) for i in d.get("follows", [])),
        )


class ActorForm(PageForm):
    id_prefix = "actor"

    stage = forms.ChoiceField(label=_("Stage"))
    identity = forms.ChoiceField(
        label=_("Who"), choices=ActorIdentity.choices, initial=ActorIdentity.COMPANY
    )
    customer = CustomerField(
        label=_("Customer"), required=False, help_text=_("Type part of the name or number.")
    )
    name = forms.CharField(
        label=_("Name"),
        max_length=200,
        required=False,
        help_text=_("The company's name, or for a group what it is, e.g. “craft businesses”."),
    )
    kind = forms.ChoiceField(label=_("Kind"), choices=ActorKind.choices)
    number = forms.IntegerField(
        label=_("Number"),
        initial=1,
        help_text=_("How many such companies: 1 for one company, e.g. 400 for a group."),
    )
    importance = forms.TypedChoiceField(
        label=_("Importance for the chain"),
        choices=Importance.choices,
        coerce=int,
        initial=Importance.MEDIUM,
    )
    relationship = forms.ChoiceField(
        label=_("Business relationship with us"),
        choices=[("", _("derive: customer if linked, else none")), *Relationship.choices],
        required=False,
    )
    competitive_position = forms.ChoiceField(
        label=_("Competitive position"),
        choices=[("", "—"), *CompetitivePosition.choices],
        required=False,
    )
    size = forms.CharField(
        label=_("Size"),
        max_length=150,
        required=False,
        help_text=_("e.g. 250 employees, 40 m€ revenue"),
    )
    success_factors = forms.CharField(
        label=_("Success factors"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("What does this actor need to win?"),
    )
    notes = forms.CharField(
        label=_("Notes"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args: Any, chain: Chain, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["stage"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = [(str(s.pk), s.name) for s in chain.stages.all()]
        _wire_suggestions(self)

    def clean_number(self) -> int:
        number: int = self.cleaned_data["number"]
        if number < 1:
            raise forms.ValidationError(
                _("The number of actors must be at least 1: one company, or how many a group has.")
            )
        return number

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        identity = cleaned.get("identity")
        if identity == ActorIdentity.CUSTOMER and not cleaned.get("customer"):
            if "customer" not in self.errors:
                self.add_error("customer", _("Choose the customer this actor is."))
        elif identity in (ActorIdentity.COMPANY, ActorIdentity.GROUP) and not cleaned.get("name"):
            self.add_error(
                "name",
                _("Name the company.")
                if identity == ActorIdentity.COMPANY
                else _("Say what the group is, e.g. “about 400 craft businesses”."),
            )
        return cleaned

    @classmethod
    def initial_for(cls, actor: ChainActor) -> dict[str, Any]:
        return {
            "stage": str(actor.stage_id),
            "identity": actor.identity,
            "customer": customer_label(actor.customer) if actor.customer else "",
            "name": "" if actor.customer else actor.name,
            "kind": actor.kind,
            "number": actor.number,
            "importance": actor.importance,
            "relationship": actor.relationship,
            "competitive_position": actor.competitive_position,
            "size": actor.size,
            "success_factors": actor.success_factors,
            "notes": actor.notes,
            "version": actor.version,
        }

    def to_data(self) -> ActorData:
        d = self.cleaned_data
        customer = d.get("customer") if d["identity"] == ActorIdentity.CUSTOMER else None
        return ActorData(
            stage_id=int(d["stage"]),
            identity=d["identity"],
            kind=d["kind"],
            name=d.get("name", ""),
            customer_id=customer.pk if customer else None,
            size=d.get("size", ""),
            importance=d["importance"],
            competitive_position=d.get("competitive_position", ""),
            number=d["number"],
            relationship=d.get("relationship", ""),
            success_factors=d.get("success_factors", ""),
            notes=d.get("notes", ""),
        )


class FlowForm(PageForm):
    id_prefix = "flow"

    source = forms.ChoiceField(label=_("From"))
    target = forms.ChoiceField(label=_("To"))
    kind = forms.ChoiceField(label=_("What flows"), choices=FlowKind.choices)
    volume = forms.CharField(
        label=_("Volume"),
        max_length=100,
        required=False,
        help_text=_("Where known, e.g. 1,200 t a year"),
    )
    note = forms.CharField(label=_("Note"), max_length=300, required=False)

    def __init__(self, *args: Any, chain: Chain, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        actors = [
            (str(a.pk), f"{a.display_name} ({a.stage.name})")
            for a in chain.actors.select_related("stage", "customer")
        ]
        for name in ("source", "target"):
            field = self.fields[name]
            assert isinstance(field, forms.ChoiceField)
            field.choices = actors

    def to_data(self) -> FlowData:
        d = self.cleaned_data
        return FlowData(
            source_id=int(d["source"]),
            target_id=int(d["target"]),
            kind=d["kind"],
            volume=d.get("volume", ""),
            note=d.get("note", ""),
        )


class PersonForm(PageForm):
    id_prefix = "person"

    contact = forms.ModelChoiceField(
        label=_("Person in the buying center"),
        queryset=Contact.objects.none(),
        required=False,
        empty_label=_("— somebody not in the buying center —"),
    )
    name = forms.CharField(label=_("Name"), max_length=150, required=False)
    role = forms.CharField(
        label=_("Role or function"),
        max_length=150,
        required=False,
        help_text=_("e.g. head of purchasing, production manager"),
    )
    in_contact = forms.BooleanField(
        label=_("We have contact"),
        required=False,
        initial=True,
        help_text=_("Untick for a person or role we do not reach: a blind spot."),
    )
    note = forms.CharField(label=_("Note"), max_length=300, required=False)

    def __init__(self, *args: Any, actor: ChainActor, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["contact"]
        assert isinstance(field, forms.ModelChoiceField)
        if actor.customer_id is None:
            del self.fields["contact"]
        else:
            field.queryset = Contact.objects.filter(customer_id=actor.customer_id)

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if not (cleaned.get("contact") or cleaned.get("name") or cleaned.get("role")):
            self.add_error("role", _("Name the person or the role."))
        return cleaned

    def to_data(self) -> PersonData:
        d = self.cleaned_data
        contact = d.get("contact")
        return PersonData(
            contact_id=contact.pk if contact else None,
            name=d.get("name", ""),
            role=d.get("role", ""),
            in_contact=bool(d.get("in_contact")),
            note=d.get("note", ""),
        )


class ProspectForm(PageForm):
    id_prefix = "prospect"

    number = forms.CharField(
        label=_("New customer number"),
        max_length=40,
        help_text=_("The number the prospect gets in Kundenbild (and later in the ERP)."),
    )

    def clean_number(self) -> str:
        number = str(self.cleaned_data["number"]).strip()
        if Customer.objects.filter(number=number).exists():
            raise forms.ValidationError(_("This customer number is already taken."))
        return number


class CopyForm(ChainForm):
    """The copy of a chain: the same fields as a new chain, prefilled from the original."""
