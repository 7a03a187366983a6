"""The chain pages: build a chain by forms, refusals keep the input, who may do what."""

from __future__ import annotations

import json

import pytest
from django.urls import reverse

from kundenbild.chains.models import ActorPerson, Chain, ChainActor, ChainFlow, ChainStage
from kundenbild.chains.services import (
    ActorData,
    ChainData,
    StageData,
    actor_save,
    chain_save,
    stage_save,
)
from tests.factories import ContactFactory, CustomerFactory

pytestmark = pytest.mark.django_db


def _rows() -> tuple[int, ...]:
    return tuple(m.objects.count() for m in (Chain, ChainStage, ChainActor, ChainFlow, ActorPerson))


@pytest.fixture
def chain(users) -> Chain:  # type: ignore[no-untyped-def]
    customer = CustomerFactory(owner=users["kam"], name="Müller Maschinenbau GmbH")
    chain = chain_save(
        data=ChainData(name="Verpackung", scope="customer", customer_id=customer.pk),
        by=users["kam"],
    )
    first = stage_save(chain=chain, data=StageData(name="Wir"))
    second = stage_save(chain=chain, data=StageData(name="OEM", follows_ids=(first.pk,)))
    actor_save(
        chain=chain, data=ActorData(stage_id=first.pk, identity="ourselves", kind="manufacturer")
    )
    actor_save(
        chain=chain,
        data=ActorData(stage_id=second.pk, identity="customer", customer_id=customer.pk,
                       kind="manufacturer", importance=5),
    )  # fmt: skip
    return chain


def test_a_chain_is_created_from_the_customer(client_for, users) -> None:  # type: ignore[no-untyped-def]
    customer = CustomerFactory(owner=users["kam"], number="K-77", name="Bäckerei Korn GmbH")
    client = client_for("kam")
    form = client.get(reverse("chains:create") + f"?customer={customer.pk}")
    assert form.status_code == 200
    assert "K-77 · Bäckerei Korn GmbH" in form.content.decode()
    created = client.post(
        reverse("chains:create"),
        {"name": "Backwaren", "scope": "customer", "customer": "K-77 · Bäckerei Korn GmbH"},
    )
    chain = Chain.objects.get(name="Backwaren")
    assert created.status_code == 302
    assert created["Location"] == reverse("chains:detail", args=[chain.pk])
    assert chain.customer == customer
    page = client.get(created["Location"]).content.decode()
    assert 'data-testid="chain-diagram-empty"' in page
    assert 'data-testid="stage-form"' in page


def test_the_chain_page_draws_stages_actors_and_flows(chain, client_for) -> None:  # type: ignore[no-untyped-def]
    page = client_for("service").get(reverse("chains:detail", args=[chain.pk]))
    assert page.status_code == 200
    html = page.content.decode()
    data = json.loads(
        html.split('id="chain-diagram-data" type="application/json">')[1].split("</script>")[0]
    )
    headers = [n["name"] for n in data["nodes"] if n.get("header")]
    assert headers == ["Wir", "OEM"]
    nodes = {n["id"]: n for n in data["nodes"]}
    us = nodes[str(chain.actors.get(identity="ourselves").pk)]
    oem = nodes[str(chain.actors.get(identity="customer").pk)]
    assert oem["name"] == "Müller Maschinenbau GmbH"
    assert oem["column"] > us["column"]  # the browser lays the stages out left to right
    assert oem["stage"] == f"stage-{chain.stages.get(name='OEM').pk}"
    assert oem["symbolSize"] > us["symbolSize"]  # decisive against medium importance
    assert oem["blind"] is True  # we know nobody there
    assert us["blind"] is False  # nobody expects us to know ourselves
    assert 'data-testid="stage-form"' not in html  # service users read only
    assert "dort kennen wir niemanden" in html


def test_the_customer_page_lists_every_actor_by_stage_in_full(chain, client_for) -> None:  # type: ignore[no-untyped-def]
    """The diagram is a picture; under it every actor's whole name stands as text, by stage,
    however long, with the number of a group, escaped."""
    long = "Systemlieferant für Antriebstechnik & Steuerungen <Süd> GmbH"
    oem = chain.stages.get(name="OEM")
    actor_save(chain=chain, data=ActorData(oem.pk, "company", "supplier", name=long))
    actor_save(
        chain=chain, data=ActorData(oem.pk, "group", "craft", name="Handwerksbetriebe", number=1200)
    )
    html = client_for("kam").get(reverse("profile:customer-detail", args=[chain.customer_id]))
    listed = html.content.decode().split('data-testid="chain-actor-list"')[1].split("</ol>")[0]
    items = [item.split("</li>")[0] for item in listed.split("<li>")[1:]]
    assert len(items) == 2  # one per stage, left to right
    assert items[0].startswith('<span class="text-secondary">Wir:</span>')
    assert "wir" in items[0]
    assert "OEM:" in items[1]
    assert "Müller Maschinenbau GmbH" in items[1]
    assert "Systemlieferant für Antriebstechnik &amp; Steuerungen &lt;Süd&gt; GmbH" in items[1]
    assert "Handwerksbetriebe (×1.200)" in items[1]
    assert "…" not in listed


def test_a_person_and_a_role_without_contact_are_recorded(chain, client_for) -> None:  # type: ignore[no-untyped-def]
    customer = chain.customer
    roth = ContactFactory(
        customer=customer, first_name="Anna", last_name="Roth", function="Einkauf"
    )
    actor = chain.actors.get(customer=customer)
    client = client_for("kam")
    url = reverse("chains:person-add", args=[chain.pk, actor.pk])
    assert client.post(url, {"contact": roth.pk, "in_contact": "on"}).status_code == 302
    assert client.post(url, {"role": "Produktionsleitung"}).status_code == 302
    people = {p.display_name: p.in_contact for p in actor.people.all()}
    assert people == {"Anna Roth (Einkauf)": True, "Produktionsleitung": False}
    panel = client.get(reverse("chains:actor", args=[chain.pk, actor.pk]), HTTP_HX_REQUEST="true")
    html = panel.content.decode()
    assert "<html" not in html  # just the panel for htmx
    assert "Anna Roth" in html
    assert "Produktionsleitung" in html


def test_refused_input_is_shown_and_changes_nothing(chain, client_for) -> None:  # type: ignore[no-untyped-def]
    client = client_for("kam")
    stages = list(chain.stages.order_by("pk"))
    before = _rows()
    negative = client.post(
        reverse("chains:actor-add", args=[chain.pk]),
        {"stage": stages[1].pk, "identity": "group", "name": "Molkereien", "kind": "manufacturer",
         "number": "-3", "importance": "3"},
    )  # fmt: skip
    assert negative.status_code == 400
    html = negative.content.decode()
    assert "Molkereien" in html  # what was typed is still there
    assert "Die Anzahl muss mindestens 1 sein" in html
    circle = client.post(
        reverse("chains:stage-edit", args=[chain.pk, stages[0].pk]),
        {"name": "Wir", "follows": [stages[1].pk]},
    )
    assert circle.status_code == 400
    assert "Die Stufen würden einen Kreis bilden." in circle.content.decode()
    assert _rows() == before
    assert list(stages[0].follows.all()) == []


def test_a_flow_needs_two_actors_of_the_chain(chain, client_for) -> None:  # type: ignore[no-untyped-def]
    client = client_for("kam")
    actors = list(chain.actors.order_by("pk"))
    other = chain_save(data=ChainData(name="Andere", scope="segment", industry_code="28"), by=None)
    stage = stage_save(chain=other, data=StageData(name="X"))
    stranger = actor_save(chain=other, data=ActorData(stage_id=stage.pk, identity="company",
                                                     name="Fremd", kind="trade"))  # fmt: skip
    before = _rows()
    refused = client.post(
        reverse("chains:flow-add", args=[chain.pk]),
        {"source": actors[0].pk, "target": stranger.pk, "kind": "goods"},
    )
    assert refused.status_code == 400
    assert _rows() == before
    added = client.post(
        reverse("chains:flow-add", args=[chain.pk]),
        {"source": actors[0].pk, "target": actors[1].pk, "kind": "goods", "volume": "80 Anlagen"},
    )
    assert added.status_code == 302
    assert chain.flows.get().volume == "80 Anlagen"


def test_only_those_who_may_edit_the_customer_change_its_chain(chain, client_for) -> None:  # type: ignore[no-untyped-def]
    before = _rows()
    for role in ("service", "sales"):
        client = client_for(role)
        assert (
            client.post(reverse("chains:stage-add", args=[chain.pk]), {"name": "X"}).status_code
            == 403
        )
        assert client.post(reverse("chains:delete", args=[chain.pk])).status_code == 403
    assert _rows() == before
    assert client_for("service").get(reverse("chains:create")).status_code == 403


def test_the_history_page_lists_the_changes(chain, client_for) -> None:  # type: ignore[no-untyped-def]
    html = client_for("service").get(reverse("chains:history", args=[chain.pk])).content.decode()
    assert "Müller Maschinenbau GmbH" in html
    assert "OEM" in html


def test_customer_suggestions(client_for) -> None:  # type: ignore[no-untyped-def]
    CustomerFactory(number="K-1", name="Bäckerei Korn GmbH")
    html = (
        client_for("service")
        .get(reverse("chains:customer-suggestions") + "?customer=korn")
        .content.decode()
    )
    assert '<option value="K-1 · Bäckerei Korn GmbH">' in html


def test_pages_need_a_login(chain, client) -> None:  # type: ignore[no-untyped-def]
    for url in (reverse("chains:list"), reverse("chains:detail", args=[chain.pk])):
        response = client.get(url)
        assert response.status_code == 302
        assert "login" in response["Location"]


def test_the_chain_page_reads_a_bigger_chain_in_as_many_queries(chain, client_for) -> None:  # type: ignore[no-untyped-def]
    """No query per actor, flow or person: a chain of a hundred actors stays fast."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from kundenbild.chains.services import FlowData, PersonData, flow_save, person_save

    client = client_for("kam")
    url = reverse("chains:detail", args=[chain.pk])

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get(url).status_code == 200
        return len(captured.captured_queries)

    stage = chain.stages.get(name="OEM")
    previous = chain.actors.get(identity="customer")

    def add(n: int) -> None:
        nonlocal previous
        customer = CustomerFactory()
        data = ActorData(
            stage_id=stage.pk, identity="customer", customer_id=customer.pk, kind="trade"
        )
        actor = actor_save(chain=chain, data=data)
        flow = FlowData(source_id=previous.pk, target_id=actor.pk, kind="goods")
        flow_save(chain=chain, data=flow)
        person_save(actor=actor, data=PersonData(contact_id=ContactFactory(customer=customer).pk))
        person_save(actor=actor, data=PersonData(role=f"Rolle {n}", in_contact=False))
        previous = actor

    add(0)
    before = queries()
    for n in range(1, 7):
        add(n)
    assert queries() == before


def test_a_stage_with_actors_is_not_deleted(chain, client_for) -> None:  # type: ignore[no-untyped-def]
    client = client_for("kam")
    stage = chain.stages.get(name="OEM")
    response = client.post(reverse("chains:stage-delete", args=[chain.pk, stage.pk]), follow=True)
    assert (
        "Verschieben oder entfernen Sie zuerst die Akteure der Stufe" in response.content.decode()
    )
    assert chain.stages.filter(pk=stage.pk).exists()
    assert chain.actors.filter(stage=stage).count() == 1


def test_the_customer_page_shows_its_chain_and_its_history(chain, client_for) -> None:  # type: ignore[no-untyped-def]
    client = client_for("kam")
    page = client.get(reverse("profile:customer-detail", args=[chain.customer_id]))
    html = page.content.decode()
    assert 'data-testid="customer-chains"' in html
    assert 'id="chain-diagram-data"' in html
    assert reverse("chains:detail", args=[chain.pk]) in html
    assert f'href="{reverse("chains:create")}?customer={chain.customer_id}"' in html
    history = client.get(
        reverse("profile:customer-history", args=[chain.customer_id]) + "?area=chains"
    )
    text = history.content.decode()
    assert "Problemlösekette: Verpackung" in text
    assert "Stufe: OEM" in text


def test_a_chain_cannot_be_moved_to_a_customer_the_user_may_not_edit(chain, client_for) -> None:  # type: ignore[no-untyped-def]
    foreign = CustomerFactory(number="K-9", name="Fremdkunde AG")  # nobody's: kam may not edit
    response = client_for("kam").post(
        reverse("chains:edit", args=[chain.pk]),
        {"name": "Verpackung", "scope": "customer", "customer": "K-9", "version": chain.version},
    )
    assert response.status_code == 400
    assert "Fremdkunde AG" in response.content.decode()
    chain.refresh_from_db()
    assert chain.customer_id != foreign.pk
