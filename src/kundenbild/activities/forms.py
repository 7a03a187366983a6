"""The form to log an activity, or to change one."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from kundenbild.accounts.selectors import staff_choices
from kundenbild.activities.models import Activity, ActivityKind
from kundenbild.activities.services import ActivityData
from kundenbild.buying_center.models import Contact
from kundenbild.buying_center.selectors import contact_list
from kundenbild.core.forms import StyledForm
from kundenbild.customers.models import Customer

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class ActivityForm(StyledForm):
    kind = forms.ChoiceField(label=_("Kind"), choices=ActivityKind.choices)
    occurred_on = forms.DateField(label=_("Date"), widget=DATE)
    subject = forms.CharField(label=_("Subject"), max_length=200)
    outcome = forms.CharField(
        label=_("Outcome"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    contacts = forms.ModelMultipleChoiceField(
        label=_("People involved"),
        queryset=Contact.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    next_step = forms.CharField(label=_("Next step"), max_length=300, required=False)
    follow_up_on = forms.DateField(label=_("Follow-up on"), required=False, widget=DATE)
    follow_up_by = forms.ModelChoiceField(
        label=_("Follow-up by"),
        queryset=staff_choices(),
        required=False,
        help_text=_("Empty: you."),
    )

    def __init__(self, *args: Any, customer: Customer, **kwargs: Any) -> None:
        kwargs.setdefault("initial", {}).setdefault("occurred_on", timezone.localdate())
        super().__init__(*args, **kwargs)
        contacts = self.fields["contacts"]
        assert isinstance(contacts, forms.ModelMultipleChoiceField)
        contacts.queryset = contact_list(customer=customer)

    @classmethod
    def initial_for(cls, activity: Activity) -> dict[str, Any]:
        return {
            "kind": activity.kind,
            "occurred_on": activity.occurred_on,
            "subject": activity.subject,
            "outcome": activity.outcome,
            "contacts": list(activity.contacts.all()),
            "next_step": activity.next_step,
            "follow_up_on": activity.follow_up_on,
            "follow_up_by": activity.follow_up_by,
        }

    def to_data(self) -> ActivityData:
        d = self.cleaned_data
        return ActivityData(
            kind=d["kind"],
            occurred_on=d["occurred_on"],
            subject=d["subject"],
            outcome=d["outcome"],
            contact_ids=tuple(c.pk for c in d["contacts"]),
            next_step=d["next_step"],
            follow_up_on=d["follow_up_on"],
            follow_up_by_id=d["follow_up_by"].pk if d["follow_up_by"] else None,
        )
