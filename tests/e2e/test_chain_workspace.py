"""The problem-solving chain in the browser, in German, as a new key account manager
would draw one (issue 9): for a demo customer, four stages from left to right, ourselves,
the customer, another of our customers and an anonymous group of companies as actors, a
person of that other customer's buying center and a role nobody of us reaches; all of it
on the diagram, in the blind spots, on the customer's page and in the history. And wrong
input refused with a German message beside it, the input kept, nothing written."""

from __future__ import annotations

import json
from itertools import pairwise
from typing import Any

import pytest
from django.db.models import Count
from playwright.sync_api import Locator, Page, expect

from kundenbild.buying_center.models import Contact
from kundenbild.chains.models import ActorIdentity, ActorPerson, Chain, ChainActor, ChainStage
from kundenbild.customers.models import Customer
from kundenbild.demo.loader import load_demo
from tests.e2e.test_journeys import login
from tests.e2e.test_profile_walkthrough import _reference_data

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

STAGES = ("Wir", "Hersteller", "Großhandel", "Handwerk")
GROUP = "ca. 400 Handwerksbetriebe"
ROLE = "Leitung Einkauf"


def _outside_any_chain() -> Any:
    """Demo customers that no chain is drawn for and no chain has as an actor."""
    return Customer.objects.annotate(
        drawn=Count("chains", distinct=True), acting=Count("chain_actors", distinct=True)
    ).filter(drawn=0, acting=0)


def _open_form(page: Page, test_id: str) -> Locator:
    """The form behind its "Add …" toggle, opened the way a user does: on its summary."""
    form = page.get_by_test_id(test_id)
    if not form.is_visible():
        page.locator("details", has=form).locator("summary").click()
    expect(form).to_be_visible()
    return form


def _diagram(page: Page) -> dict[str, Any]:
    data: dict[str, Any] = json.loads(page.locator("#chain-diagram-data").text_content() or "{}")
    return data


def _actor_nodes(page: Page) -> dict[str, dict[str, Any]]:
    return {n["name"]: n for n in _diagram(page)["nodes"] if not n.get("header")}


def _misdirected_labels(page: Page) -> list[str]:
    """Labels whose `for` leads to a field outside their form (or to none): clicking them,
    or a screen reader, lands in another form's field."""
    found: list[str] = page.evaluate(
        """() => Array.from(document.querySelectorAll("form label[for]"))
            .filter(label => {
                const field = document.getElementById(label.htmlFor);
                return !field || field.form !== label.closest("form");
            })
            .map(label => `${label.closest("form").dataset.testid}: ${label.textContent.trim()}`)"""
    )
    return found


def _history_records() -> dict[str, int]:
    return {
        model.__name__: model.history.count()
        for model in (Chain, ChainStage, ChainActor, ActorPerson)
    }


def _choose_customer(field: Locator, typed: str, customer: Customer) -> None:
    """Type part of the name, wait for the server's suggestion, take it."""
    label = f"{customer.number} · {customer.name}"
    field.fill(typed)
    # the suggestions the browser offers for this very field (its own datalist)
    field.page.wait_for_function(
        "([el, label]) => !!el.list && Array.from(el.list.options).some(o => o.value === label)",
        arg=[field.element_handle(), label],
    )
    field.fill(label)


def test_a_new_user_draws_a_chain_for_a_demo_customer(page: Page) -> None:
    _reference_data()
    load_demo(customers=25, seed=11)
    free = _outside_any_chain()
    customer = free.filter(owner__username="kam").order_by("number").first()
    assert customer is not None, "the demo data hold no customer of kam without a chain"
    partner = (
        free.exclude(pk=customer.pk)
        .annotate(people=Count("contacts", distinct=True))
        .filter(people__gte=2)
        .exclude(owner__username="kam")
        .order_by("number")
        .first()
    )
    assert partner is not None
    typed = partner.name.split()[0]  # what a user remembers of it
    contact = Contact.objects.filter(customer=partner).order_by("last_name", "pk").first()
    assert contact is not None

    login(page, "kam", "demo")
    page.get_by_role("link", name="Kunden", exact=True).click()
    page.get_by_label("Suche").fill(customer.number)
    page.get_by_test_id("customer-table").get_by_role("link", name=customer.name).click()
    expect(page.get_by_test_id("customer-name")).to_have_text(customer.name)

    # a new chain from the customer's chain section: drawn for this customer already
    page.get_by_test_id("customer-chains").get_by_test_id("customer-chain-create").click()
    form = page.get_by_test_id("chain-form")
    expect(form.locator("[name=scope]")).to_have_value("customer")
    expect(form.locator("[name=customer]")).to_have_value(f"{customer.number} · {customer.name}")
    expect(form.locator("[name=customer]")).to_be_visible()
    expect(form.locator("[name=offering]")).to_be_hidden()
    expect(form.locator("[name=name]")).to_have_value(customer.name)
    chain_name = f"Antriebe für das Handwerk – {customer.name}"
    form.locator("[name=name]").fill(chain_name)
    form.locator("[name=description]").fill("Der Erfolg unseres Kunden entsteht im Handwerk.")
    form.get_by_role("button").click()
    expect(page.get_by_test_id("chain-name")).to_have_text(chain_name)
    expect(page.get_by_role("alert").first).to_contain_text("Die Kette wurde angelegt")
    chain = Chain.objects.get(name=chain_name)
    assert chain.customer_id == customer.pk
    assert chain.scope == "customer"

    # four stages from left to right; each new one comes after the last by default
    for number, stage in enumerate(STAGES):
        stages = _open_form(page, "stage-form")
        follows = stages.locator("[name=follows]")
        if number == 0:
            expect(follows.locator("option")).to_have_count(0)
        else:
            expect(follows.locator("option:checked")).to_have_text(STAGES[number - 1])
        stages.locator("[name=name]").fill(stage)
        stages.get_by_role("button").click()
        expect(page.get_by_role("alert").first).to_contain_text(stage)
    rows = page.get_by_test_id("stage-table").locator("tbody tr")
    expect(rows).to_have_count(4)
    for number, stage in enumerate(STAGES):
        cells = rows.nth(number).locator("td")
        expect(cells.nth(0)).to_have_text(str(number + 1))
        expect(cells.nth(1)).to_have_text(stage)
        expect(cells.nth(2)).to_have_text(STAGES[number - 1] if number else "—")
    saved = {
        s.name: [f.name for f in s.follows.all()] for s in ChainStage.objects.filter(chain=chain)
    }
    assert saved == {stage: list(STAGES[n - 1 : n]) for n, stage in enumerate(STAGES)}

    # actors: ourselves, the customer itself and another of our customers (each picked
    # from the suggestions as the user types), and a group of companies nobody names
    actors = _open_form(page, "actor-form")
    actors.locator("[name=stage]").select_option(label="Wir")
    actors.locator("[name=identity]").select_option("ourselves")
    actors.locator("[name=kind]").select_option("trade")
    actors.get_by_role("button").click()
    expect(page.get_by_test_id("actor-detail")).to_be_visible()

    actors = _open_form(page, "actor-form")
    actors.locator("[name=stage]").select_option(label="Hersteller")
    actors.locator("[name=identity]").select_option("customer")
    _choose_customer(actors.locator("[name=customer]"), customer.number, customer)
    actors.locator("[name=kind]").select_option("manufacturer")
    actors.locator("[name=importance]").select_option("5")
    actors.get_by_role("button").click()
    expect(page.get_by_test_id("actor-detail")).to_contain_text(customer.name)

    actors = _open_form(page, "actor-form")
    actors.locator("[name=stage]").select_option(label="Großhandel")
    actors.locator("[name=identity]").select_option("customer")
    expect(actors.locator("[name=name]")).to_be_hidden()
    _choose_customer(actors.locator("[name=customer]"), typed, partner)
    actors.locator("[name=kind]").select_option("trade")
    actors.get_by_role("button").click()
    expect(page.get_by_test_id("actor-detail")).to_contain_text(partner.name)

    actors = _open_form(page, "actor-form")
    actors.locator("[name=stage]").select_option(label="Handwerk")
    actors.locator("[name=identity]").select_option("group")
    expect(actors.locator("[name=customer]")).to_be_hidden()
    actors.locator("[name=name]").fill(GROUP)
    actors.locator("[name=kind]").select_option("craft")
    actors.locator("[name=number]").fill("400")
    actors.get_by_role("button").click()
    expect(page.get_by_test_id("actor-detail")).to_contain_text(GROUP)
    links = page.get_by_test_id("actor-table").get_by_test_id("actor-link")
    expect(links).to_have_text(["wir", customer.name, partner.name, GROUP])
    ours = page.get_by_test_id("chain-customers").locator("tbody tr")
    expect(ours).to_have_count(2)
    for row, (name, stage) in zip(
        ours.all(), ((customer.name, "Hersteller"), (partner.name, "Großhandel")), strict=True
    ):
        expect(row.locator("td").nth(0)).to_have_text(name)
        expect(row.locator("td").nth(1)).to_have_text(stage)
    linked = ChainActor.objects.get(chain=chain, customer=partner)
    assert linked.identity == ActorIdentity.CUSTOMER
    group = ChainActor.objects.get(chain=chain, name=GROUP)
    assert (group.identity, group.number, group.kind) == (ActorIdentity.GROUP, 400, "craft")

    # the diagram: four stage headers, four actors; a real click on the other customer
    diagram = page.get_by_test_id("chain-diagram")
    expect(diagram).to_have_attribute("data-nodes", "4")
    expect(diagram.locator("canvas")).not_to_have_count(0)
    headers = [n["name"] for n in _diagram(page)["nodes"] if n.get("header")]
    assert headers == list(STAGES)
    diagram.scroll_into_view_if_needed()
    # where the browser has laid the node out, for the width the diagram has
    x, y = page.evaluate(
        """(id) => {
            const chart = echarts.getInstanceByDom(document.getElementById('chain-diagram'));
            const node = chart.getOption().series[0].data.find(n => n.id === id);
            return chart.convertToPixel({seriesIndex: 0}, node.value);
        }""",
        str(linked.pk),
    )
    box = diagram.bounding_box()
    assert box is not None
    page.mouse.click(box["x"] + x, box["y"] + y)
    panel = page.get_by_test_id("actor-detail")
    expect(panel).to_have_attribute("data-actor", str(linked.pk))
    expect(panel.get_by_role("heading", level=2)).to_have_text(partner.name)
    misdirected = _misdirected_labels(page)

    # whom we know there, from its buying center, and a role nobody of us reaches
    people = _open_form(page, "person-form")
    people.locator("[name=contact]").select_option(label=str(contact))
    people.get_by_role("button").click()
    expect(page.get_by_test_id("actor-people")).to_contain_text(str(contact))
    people = _open_form(page, "person-form")
    people.locator("[name=role]").fill(ROLE)
    people.locator("[name=in_contact]").uncheck()
    people.get_by_role("button").click()
    listed = page.get_by_test_id("actor-people").locator("li")
    expect(listed).to_have_count(2)
    expect(listed.filter(has_text=str(contact))).not_to_contain_text("kein Kontakt")
    expect(listed.filter(has_text=ROLE)).to_contain_text("kein Kontakt")
    assert set(
        ActorPerson.objects.filter(actor=linked).values_list("contact_id", "role", "in_contact")
    ) == {(contact.pk, contact.function, True), (None, ROLE, False)}

    # … all of it on the diagram and in the blind spots
    expect(page.get_by_test_id("chain-diagram")).to_have_attribute("data-nodes", "4")
    nodes = _actor_nodes(page)
    assert set(nodes) == {"wir", customer.name, partner.name, f"{GROUP} (×400)"}
    assert nodes[f"{GROUP} (×400)"]["blind"] is True  # we know nobody there
    assert nodes[customer.name]["blind"] is True  # nobody recorded yet either
    assert nodes[partner.name]["blind"] is True  # a role without contact
    assert nodes["wir"]["blind"] is False
    assert nodes[customer.name]["symbolSize"] > nodes[partner.name]["symbolSize"]
    assert str(contact) in nodes[partner.name]["detail"]
    assert ROLE in nodes[partner.name]["detail"]
    blind = page.get_by_test_id("blind-spots").locator("li")
    expect(blind).to_have_count(3)
    expect(blind.filter(has_text=GROUP)).to_contain_text("dort kennen wir niemanden")
    expect(blind.filter(has_text=customer.name)).to_contain_text("dort kennen wir niemanden")
    expect(blind.filter(has_text=partner.name)).to_contain_text(f"kein Kontakt zu {ROLE}")
    expect(page.get_by_test_id("actor-table")).to_contain_text(str(contact))

    # the customer's page shows its chain, drawn
    page.get_by_role("link", name=customer.name, exact=True).first.click()
    expect(page.get_by_test_id("customer-name")).to_have_text(customer.name)
    section = page.get_by_test_id("customer-chains")
    expect(section).to_contain_text("4 Akteure · 3 blinde Flecken")
    expect(section.get_by_test_id("chain-diagram").locator("canvas")).not_to_have_count(0)
    section.get_by_role("link", name=chain_name).click()
    expect(page.get_by_test_id("chain-name")).to_have_text(chain_name)

    # … and every step in the chain's history, with who took it
    page.get_by_test_id("chain-history").click()
    history = page.get_by_test_id("history")
    expect(history).to_contain_text(GROUP)
    entries = [
        (item.locator("span").first.inner_text(), item.locator("ul li").all_inner_texts())
        for item in history.locator("li.list-group-item").all()
    ]
    kinds = [subject.split(" · ", 1)[0] for subject, _ in entries]
    assert kinds.count("Angelegt") == 1 + 4 + 4 + 2
    subjects = {subject.split(" · ", 1)[1] for subject, _ in entries}
    expected = {
        f"Problemlösekette: {chain_name}",
        *(f"Stufe: {stage}" for stage in STAGES),
        "Akteur: wir",
        f"Akteur: {customer.name}",
        f"Akteur: {partner.name}",
        f"Akteur: {GROUP}",
        f"Person in der Kette: {partner.name}: {contact}",
        f"Person in der Kette: {partner.name}: {ROLE}",
    }
    assert subjects == expected, sorted(subjects ^ expected)
    for before, stage in pairwise(STAGES):
        changes = [c for subject, cs in entries if subject.endswith(f": {stage}") for c in cs]
        assert f"Folgt auf: — → {before}" in changes, (stage, changes)
    who = history.locator("li.list-group-item > div > span.text-secondary").all_inner_texts()
    assert len(who) == len(entries)
    assert all(text.endswith("· Jonas Weber") for text in who), who

    # every label on the chain's page names a field of its own form (found while the
    # actor panel, with the forms to add people and edit the actor, was open)
    assert misdirected == []


def test_wrong_input_is_refused_with_a_german_message_and_the_input_stays(page: Page) -> None:
    _reference_data()
    load_demo(customers=25, seed=11)
    chain = Chain.objects.filter(customer__owner__username="kam").order_by("pk").first()
    assert chain is not None, "the demo data hold no chain of kam's customers"
    stages = list(chain.stages.order_by("pk"))
    first, last = stages[0], stages[-1]
    assert not first.follows.exists()
    actors = chain.actors.count()
    follows = {s.pk: sorted(s.follows.values_list("pk", flat=True)) for s in stages}
    chains = Chain.objects.count()
    changed = chain.updated_at
    records = _history_records()

    login(page, "kam", "demo")
    page.get_by_test_id("nav-chains").click()
    page.get_by_test_id("chain-table").get_by_role("link", name=chain.name).click()
    expect(page.get_by_test_id("chain-name")).to_have_text(chain.name)
    rows = page.get_by_test_id("actor-table").locator("tbody tr")
    expect(rows).to_have_count(actors)

    # a group with a negative number of companies
    form = _open_form(page, "actor-form")
    form.locator("[name=stage]").select_option(label=last.name)
    form.locator("[name=identity]").select_option("group")
    form.locator("[name=name]").fill("ca. 30 Großhändler")
    form.locator("[name=kind]").select_option("trade")
    number = form.locator("[name=number]")
    number.fill("-30")
    form.get_by_role("button").click()
    form = page.get_by_test_id("actor-form")
    expect(form).to_be_visible()
    number = form.locator("[name=number]")
    expect(number).to_have_attribute("aria-invalid", "true")
    field = form.locator("div.mb-3", has=page.locator("[name=number]"))
    expect(field.locator(".invalid-feedback")).to_have_text(
        "Die Anzahl muss mindestens 1 sein: ein Unternehmen oder so viele, wie die Gruppe umfasst."
    )
    expect(number).to_have_value("-30")
    expect(form.locator("[name=name]")).to_have_value("ca. 30 Großhändler")
    expect(form.locator("[name=identity]")).to_have_value("group")
    expect(form.locator("[name=stage] option:checked")).to_have_text(last.name)
    expect(form.locator("[name=kind]")).to_have_value("trade")
    expect(page.get_by_test_id("actor-table").locator("tbody tr")).to_have_count(actors)
    expect(page.get_by_test_id("actor-table")).not_to_contain_text("Großhändler")
    assert chain.actors.count() == actors

    # the first stage after the last one: the stages would go round in a circle
    first_row = page.get_by_test_id("stage-table").locator("tbody tr").first
    expect(first_row.locator("td").nth(1)).to_contain_text(first.name)
    expect(first_row.locator("td").nth(2)).to_have_text("—")
    first_row.get_by_role("link").click()
    form = page.get_by_test_id("stage-edit-form")
    expect(form.locator("[name=name]")).to_have_value(first.name)
    form.locator("[name=follows]").select_option(label=last.name)
    form.get_by_role("button").click()
    form = page.get_by_test_id("stage-edit-form")
    # next to the field it is about, which is marked invalid
    expect(form.locator("[name=follows]")).to_have_attribute("aria-invalid", "true")
    expect(form.locator(".invalid-feedback")).to_have_text(
        f"„{first.name}“ kann nicht auf eine Stufe folgen, die selbst auf „{first.name}“ folgt: "
        "Die Stufen würden einen Kreis bilden."
    )
    expect(form.locator("[name=follows] option:checked")).to_have_text(last.name)
    expect(form.locator("[name=name]")).to_have_value(first.name)
    form.get_by_role("link").click()  # cancel
    first_row = page.get_by_test_id("stage-table").locator("tbody tr").first
    expect(first_row.locator("td").nth(1)).to_contain_text(first.name)
    expect(first_row.locator("td").nth(2)).to_have_text("—")
    assert {s.pk: sorted(s.follows.values_list("pk", flat=True)) for s in stages} == follows

    # a new chain for a customer that does not exist
    page.get_by_test_id("nav-chains").click()
    page.get_by_test_id("chain-create").click()
    form = page.get_by_test_id("chain-form")
    form.locator("[name=name]").fill("Kette für einen Unbekannten")
    expect(form.locator("[name=scope]")).to_have_value("customer")
    form.locator("[name=customer]").fill("Gibt es nicht GmbH")
    form.get_by_role("button").click()
    form = page.get_by_test_id("chain-form")
    customer = form.locator("[name=customer]")
    expect(customer).to_have_attribute("aria-invalid", "true")
    expect(
        form.locator("div.mb-3", has=page.locator("[name=customer]")).locator(".invalid-feedback")
    ).to_contain_text("Es gibt keinen Kunden „Gibt es nicht GmbH“.")
    expect(customer).to_have_value("Gibt es nicht GmbH")
    expect(form.locator("[name=name]")).to_have_value("Kette für einen Unbekannten")
    assert Chain.objects.count() == chains
    page.get_by_test_id("nav-chains").click()
    expect(page.get_by_test_id("chain-table")).not_to_contain_text("Unbekannten")
    # nothing was written, not even half: no change in the history, the chain untouched
    assert _history_records() == records
    chain.refresh_from_db()
    assert chain.updated_at == changed
