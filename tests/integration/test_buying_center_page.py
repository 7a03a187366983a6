"""The buying-center page: roles as a group of checkboxes, the people before the forms,
the forms closed until asked for and open again with their errors, roles on the map."""

from __future__ import annotations

import re

import pytest
from django import forms
from django.urls import reverse

from kundenbild.buying_center.forms import ContactForm
from kundenbild.buying_center.models import Contact
from kundenbild.core.forms import StyledForm
from tests.factories import ContactFactory, CustomerFactory

pytestmark = pytest.mark.django_db


def _inputs(html: str, name: str) -> dict[str, str]:
    """The checkbox inputs of a field by value, each as its tag's text."""
    tags = re.findall(rf'<input[^>]*name="{name}"[^>]*>', html)
    return {re.search(r'value="([^"]*)"', tag).group(1): tag for tag in tags}  # type: ignore[union-attr]


def _panel(html: str, panel_id: str) -> str:
    """The class attribute of an on-demand form's panel."""
    match = re.search(rf'<div class="([^"]*)" id="{panel_id}">', html)
    assert match is not None, f"no panel #{panel_id}"
    return match.group(1)


def _page(client, customer) -> str:  # type: ignore[no-untyped-def]
    return client.get(reverse("buying_center:buying-center", args=[customer.pk])).content.decode()


def test_buying_roles_are_a_group_of_checkboxes_with_a_legend(client_for, users) -> None:
    customer = CustomerFactory(owner=users["kam"])
    html = _page(client_for("kam"), customer)
    roles = _inputs(html, "roles")
    assert sorted(roles) == ["buyer", "decider", "gatekeeper", "influencer", "initiator", "user"]
    assert all('type="checkbox"' in tag and "form-check-input" in tag for tag in roles.values())
    assert '<select name="roles"' not in html
    group = html[html.index('data-testid="choice-group-roles"') :]
    group = group[: group.index("</fieldset>")]
    assert '<legend class="form-label fs-6 mb-1">Rollen im Buying Center</legend>' in group
    assert group.count('class="form-check"') == 6
    assert 'for="id_roles_0"' in group
    assert "Strg" not in group


def test_a_refused_person_comes_back_open_with_the_roles_still_ticked(client_for, users) -> None:
    customer = CustomerFactory(owner=users["kam"])
    response = client_for("kam").post(
        reverse("buying_center:buying-center", args=[customer.pk]),
        {"first_name": "Eva", "roles": ["decider", "buyer"]},  # no last name
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert _panel(html, "add-person").split() == ["collapse", "kb-on-demand", "show"]
    assert 'aria-controls="add-person" aria-expanded="true"' in html
    assert _panel(html, "new-center").split() == ["collapse", "kb-on-demand"]
    form = html[html.index('data-testid="contact-form"') :]
    assert "Dieses Feld ist zwingend erforderlich." in form[: form.index("</form>")]
    roles = _inputs(html, "roles")
    assert [value for value, tag in roles.items() if " checked" in tag] == ["decider", "buyer"]
    assert not Contact.objects.exists()


def test_the_forms_stay_closed_below_the_buttons_and_above_nothing_but_them(
    client_for, users
) -> None:
    customer = CustomerFactory(owner=users["kam"])
    ContactFactory(customer=customer, last_name="Roth", roles=["decider"])
    html = _page(client_for("kam"), customer)
    assert _panel(html, "add-person").split() == ["collapse", "kb-on-demand"]
    assert _panel(html, "new-center").split() == ["collapse", "kb-on-demand"]
    assert 'aria-controls="add-person" aria-expanded="false"' in html
    order = [
        html.index("Person hinzufügen</button>"),
        html.index('id="add-person"'),
        html.index('data-testid="people-table"'),
        html.index('data-testid="relations-table"'),
        html.index('data-testid="relationship-map"'),
    ]
    assert order == sorted(order)


def test_a_refused_buying_center_opens_its_own_form_only(client_for, users) -> None:
    customer = CustomerFactory(owner=users["kam"])
    response = client_for("kam").post(
        reverse("buying_center:center-create", args=[customer.pk]), {"center-name": ""}
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert "show" in _panel(html, "new-center").split()
    assert "show" not in _panel(html, "add-person").split()


def test_the_relation_form_opens_on_demand_and_with_its_errors(client_for, users) -> None:
    customer = CustomerFactory(owner=users["kam"])
    eva = ContactFactory(customer=customer, last_name="Roth")
    client = client_for("kam")
    person = reverse("buying_center:contact-update", args=[customer.pk, eva.pk])
    html = client.get(person).content.decode()
    assert _panel(html, "add-relation").split() == ["collapse", "kb-on-demand"]
    assert "Beziehung hinzufügen</button>" in html
    refused = client.post(
        reverse("buying_center:relation-add", args=[customer.pk, eva.pk]),
        {"relation-direction": "out", "relation-kind": "reports_to"},  # nobody to relate to
    )
    assert refused.status_code == 400
    html = refused.content.decode()
    assert "show" in _panel(html, "add-relation").split()
    relation = html[html.index('data-testid="relation-form"') :]
    assert "Dieses Feld ist zwingend erforderlich." in relation[: relation.index("</form>")]


def test_an_edited_person_shows_their_roles_ticked(client_for, users) -> None:
    customer = CustomerFactory(owner=users["kam"])
    eva = ContactFactory(customer=customer, last_name="Roth", roles=["buyer", "initiator"])
    html = (
        client_for("kam")
        .get(reverse("buying_center:contact-update", args=[customer.pk, eva.pk]))
        .content.decode()
    )
    roles = _inputs(html, "roles")
    assert sorted(v for v, tag in roles.items() if " checked" in tag) == ["buyer", "initiator"]


def test_the_contact_form_offers_checkboxes_for_roles_buying_centers_and_staff(users) -> None:
    customer = CustomerFactory(owner=users["kam"])
    customer.buying_centers.create(name="Lager")
    form = ContactForm(customer=customer)
    for name in ("roles", "buying_centers", "known_by"):  # no Ctrl-click to pick several
        assert isinstance(form.fields[name].widget, forms.CheckboxSelectMultiple), name


def test_choice_groups_get_the_bootstrap_check_class_and_are_marked_invalid() -> None:
    class Pick(StyledForm):
        colours = forms.MultipleChoiceField(
            choices=[("r", "red"), ("g", "green")], widget=forms.CheckboxSelectMultiple
        )
        size = forms.ChoiceField(choices=[("s", "S"), ("m", "M")], widget=forms.RadioSelect)
        more = forms.MultipleChoiceField(choices=[("x", "X")], required=False)

    form = Pick({})
    assert not form.is_valid()
    for name in ("colours", "size"):
        assert form.fields[name].widget.attrs["class"].split() == ["form-check-input", "is-invalid"]
    assert form.fields["more"].widget.attrs["class"] == "form-select"


def test_the_map_tags_each_person_with_their_roles_in_order(client_for, users) -> None:
    customer = CustomerFactory(owner=users["kam"])
    ContactFactory(customer=customer, last_name="Roth", roles=["gatekeeper", "decider"])
    ContactFactory(customer=customer, last_name="Klein", roles=[])
    client = client_for("kam")
    response = client.get(reverse("buying_center:buying-center", args=[customer.pk]))
    nodes = {n["name"].split()[-1]: n for n in response.context["relationship_map"]["nodes"]}
    assert nodes["Roth"]["roleTags"] == ["Entscheider", "Gatekeeper"]
    assert nodes["Roth"]["roles"] == ["Entscheider", "Informationsselektierer (Gatekeeper)"]
    assert nodes["Klein"]["roleTags"] == []
    assert response.context["relationship_map"]["text"]["roles"] == "Rollen im Buying Center"
