"""Problem-solving chains through the REST API: build, refuse bad input, copy, history."""

from __future__ import annotations

from typing import Any

import pytest

from kundenbild.chains.models import ActorPerson, Chain, ChainActor, ChainFlow, ChainStage
from kundenbild.customers.models import Customer
from tests.factories import ContactFactory, CustomerFactory

pytestmark = pytest.mark.django_db
JSON = "application/json"


def _snapshot() -> tuple[Any, ...]:
    """Every row of every chain table, to prove a refused request changed nothing."""
    return (
        list(Chain.objects.values()),
        list(ChainStage.objects.values()),
        list(ChainStage.follows.through.objects.values()),
        list(ChainActor.objects.values()),
        list(ChainFlow.objects.values()),
        list(ActorPerson.objects.values()),
    )


def _post(client: Any, url: str, body: dict[str, Any], status: int = 201) -> dict[str, Any]:
    response = client.post(url, body, content_type=JSON)
    assert response.status_code == status, response.content
    result: dict[str, Any] = response.json()
    return result


@pytest.fixture
def built(api_client_for, users) -> dict[str, Any]:  # type: ignore[no-untyped-def]
    """A chain for a key account manager's customer: four stages, five actors, flows, people."""
    customer = CustomerFactory(owner=users["kam"], name="Müller Maschinenbau GmbH")
    retailer = CustomerFactory(name="Frischmarkt AG")
    buyer = ContactFactory(
        customer=customer, first_name="Anna", last_name="Roth", function="Einkaufsleiter"
    )
    client = api_client_for("kam")
    chain = _post(
        client,
        "/api/chains/",
        {"name": "Verpackungslinie", "scope": "customer", "customer_id": customer.pk},
    )
    stages: dict[str, int] = {}
    before: list[int] = []
    for name in ("Zulieferer", "Wir", "Maschinenbauer", "Lebensmittelhersteller"):
        stage = _post(
            client, f"/api/chains/{chain['id']}/stages", {"name": name, "follows": before}
        )
        stages[name] = stage["id"]
        before = [stage["id"]]
    url = f"/api/chains/{chain['id']}/actors"
    actors = {
        "us": _post(
            client,
            url,
            {"stage_id": stages["Wir"], "identity": "ourselves", "kind": "manufacturer"},
        ),
        "customer": _post(
            client,
            url,
            {
                "stage_id": stages["Maschinenbauer"],
                "identity": "customer",
                "customer_id": customer.pk,
                "kind": "manufacturer",
                "importance": 5,
            },
        ),
        "group": _post(
            client,
            url,
            {
                "stage_id": stages["Lebensmittelhersteller"],
                "identity": "group",
                "name": "mittelständische Molkereien",
                "kind": "manufacturer",
                "number": 400,
                "relationship": "indirect",
                "success_factors": "Hygiene, Verfügbarkeit",
            },
        ),
        "retail": _post(
            client,
            url,
            {
                "stage_id": stages["Lebensmittelhersteller"],
                "identity": "customer",
                "customer_id": retailer.pk,
                "kind": "trade",
            },
        ),
    }
    _post(
        client,
        f"/api/chains/{chain['id']}/flows",
        {
            "source_id": actors["us"]["id"],
            "target_id": actors["customer"]["id"],
            "kind": "goods",
            "volume": "1.200 Stück im Jahr",
        },
    )
    known = _post(
        client, f"/api/chain-actors/{actors['customer']['id']}/people", {"contact_id": buyer.pk}
    )
    blind = _post(
        client,
        f"/api/chain-actors/{actors['group']['id']}/people",
        {"role": "Produktionsleitung", "in_contact": False},
    )
    return {
        "client": client, "chain": chain, "stages": stages, "actors": actors,
        "customer": customer, "retailer": retailer, "known": known, "blind": blind,
    }  # fmt: skip


def test_a_chain_is_built_and_read_back_whole(built) -> None:  # type: ignore[no-untyped-def]
    chain = built["client"].get(f"/api/chains/{built['chain']['id']}").json()
    assert [(s["name"], s["column"]) for s in chain["stages"]] == [
        ("Zulieferer", 0), ("Wir", 1), ("Maschinenbauer", 2), ("Lebensmittelhersteller", 3),
    ]  # fmt: skip
    by_name = {a["display_name"]: a for a in chain["actors"]}
    assert by_name["Müller Maschinenbau GmbH"]["relationship"] == "customer"
    assert by_name["mittelständische Molkereien"]["number"] == 400
    assert by_name["Frischmarkt AG"]["relationship"] == "customer"
    assert [p["display_name"] for p in by_name["Müller Maschinenbau GmbH"]["people"]] == [
        "Anna Roth (Einkaufsleiter)"  # the role defaults to the person's function
    ]
    assert by_name["mittelständische Molkereien"]["people"][0]["in_contact"] is False
    assert [(f["kind"], f["volume"]) for f in chain["flows"]] == [("goods", "1.200 Stück im Jahr")]
    listed = built["client"].get(f"/api/chains/?customer_id={built['retailer'].pk}").json()
    assert [c["name"] for c in listed] == ["Verpackungslinie"]  # found as an actor, too


def test_a_flow_to_an_actor_outside_the_chain_is_refused(built, users) -> None:  # type: ignore[no-untyped-def]
    client = built["client"]
    other = _post(client, "/api/chains/", {"name": "Andere", "scope": "customer",
                                          "customer_id": built["customer"].pk})  # fmt: skip
    stage = _post(client, f"/api/chains/{other['id']}/stages", {"name": "Stufe"})
    stranger = _post(client, f"/api/chains/{other['id']}/actors",
                     {"stage_id": stage["id"], "identity": "company", "name": "Fremd GmbH",
                      "kind": "trade"})  # fmt: skip
    before = _snapshot()
    refused = client.post(
        f"/api/chains/{built['chain']['id']}/flows",
        {"source_id": built["actors"]["us"]["id"], "target_id": stranger["id"], "kind": "money"},
        content_type=JSON,
    )
    assert refused.status_code == 400
    assert refused.json()["fields"] == {  # in the German user's language
        "target": ["Ein Fluss kann nur zwischen Akteuren dieser Kette laufen."]
    }
    assert _snapshot() == before


def test_a_negative_number_of_actors_is_refused(built) -> None:  # type: ignore[no-untyped-def]
    client = built["client"]
    before = _snapshot()
    group = built["actors"]["group"]
    for url, method in (
        (f"/api/chains/{built['chain']['id']}/actors", client.post),
        (f"/api/chain-actors/{group['id']}", client.put),
    ):
        refused = method(
            url,
            {"stage_id": group["stage_id"], "identity": "group", "name": "Molkereien",
             "kind": "manufacturer", "number": -5},
            content_type=JSON,
        )  # fmt: skip
        assert refused.status_code == 422
        assert "number" in refused.json()["fields"]
    assert _snapshot() == before


def test_a_cycle_of_stages_is_refused(built) -> None:  # type: ignore[no-untyped-def]
    client = built["client"]
    stages = built["stages"]
    before = _snapshot()
    refused = client.put(
        f"/api/chain-stages/{stages['Zulieferer']}",
        {"name": "Zulieferer", "follows": [stages["Lebensmittelhersteller"]]},
        content_type=JSON,
    )
    assert refused.status_code == 400
    assert refused.json()["code"] == "cycle"
    assert "Kreis" in refused.json()["detail"]
    itself = client.put(
        f"/api/chain-stages/{stages['Wir']}", {"name": "Wir", "follows": [stages["Wir"]]},
        content_type=JSON,
    )  # fmt: skip
    assert itself.json()["code"] == "cycle"
    assert _snapshot() == before


def test_stages_branch_and_merge(built) -> None:  # type: ignore[no-untyped-def]
    client, stages = built["client"], built["stages"]
    chain_id = built["chain"]["id"]
    service = _post(client, f"/api/chains/{chain_id}/stages",
                    {"name": "Servicepartner", "follows": [stages["Wir"]]})  # fmt: skip
    assert service["column"] == 2  # parallel to the machine builder
    merge = [service["id"], stages["Lebensmittelhersteller"]]
    end = _post(client, f"/api/chains/{chain_id}/stages", {"name": "Endkunde", "follows": merge})
    assert end["column"] == 4  # after the longer of the two paths


def test_a_role_without_contact_needs_a_name_or_role_and_links_only_own_people(built) -> None:  # type: ignore[no-untyped-def]
    client, actors = built["client"], built["actors"]
    before = _snapshot()
    empty = client.post(f"/api/chain-actors/{actors['group']['id']}/people", {"in_contact": False},
                        content_type=JSON)  # fmt: skip
    assert empty.status_code == 400
    foreign = ContactFactory(customer=CustomerFactory())
    wrong = client.post(f"/api/chain-actors/{actors['customer']['id']}/people",
                        {"contact_id": foreign.pk}, content_type=JSON)  # fmt: skip
    assert wrong.status_code == 400
    assert "contact" in wrong.json()["fields"]
    assert _snapshot() == before


def test_who_may_change_a_chain(built, api_client_for, users) -> None:  # type: ignore[no-untyped-def]
    chain_id = built["chain"]["id"]
    service = api_client_for("service")
    assert service.get(f"/api/chains/{chain_id}").status_code == 200  # everyone reads
    assert service.post(f"/api/chains/{chain_id}/stages", {"name": "X"},
                        content_type=JSON).status_code == 403  # fmt: skip
    assert service.post("/api/chains/", {"name": "X", "scope": "segment", "industry": "28"},
                        content_type=JSON).status_code == 403  # fmt: skip
    sales = api_client_for("sales")  # edits own customers only, and this one is the kam's
    assert sales.delete(f"/api/chains/{chain_id}").status_code == 403
    assert Chain.objects.filter(pk=chain_id).exists()
    segment = sales.post("/api/chains/", {"name": "Bau", "scope": "segment", "industry": "43"},
                         content_type=JSON)  # fmt: skip
    assert segment.status_code == 201, segment.content
    assert segment.json()["industry"] == "43"


def test_a_chain_is_copied_for_a_similar_customer(built, users) -> None:  # type: ignore[no-untyped-def]
    client = built["client"]
    similar = CustomerFactory(owner=users["kam"], name="Schmidt Anlagenbau KG")
    copy = _post(client, f"/api/chains/{built['chain']['id']}/copy",
                 {"name": "Verpackungslinie Schmidt", "scope": "customer",
                  "customer_id": similar.pk})  # fmt: skip
    assert [s["name"] for s in copy["stages"]] == list(built["stages"])
    names = sorted(a["display_name"] for a in copy["actors"])
    assert "Schmidt Anlagenbau KG" in names
    assert "Müller Maschinenbau GmbH" not in names
    new_customer = next(a for a in copy["actors"] if a["customer_id"] == similar.pk)
    # Roth works at Müller, not at Schmidt: the role stays, as one we have no contact with
    assert [(p["contact_id"], p["role"], p["in_contact"]) for p in new_customer["people"]] == [
        (None, "Einkaufsleiter", False)
    ]
    assert len(copy["flows"]) == 1
    assert ChainActor.objects.filter(chain_id=built["chain"]["id"]).count() == 4  # original kept


def test_a_company_of_the_chain_becomes_a_prospect(built) -> None:  # type: ignore[no-untyped-def]
    client = built["client"]
    stage = built["stages"]["Zulieferer"]
    supplier = _post(client, f"/api/chains/{built['chain']['id']}/actors",
                     {"stage_id": stage, "identity": "company", "name": "Stahl Süd GmbH",
                      "kind": "supplier"})  # fmt: skip
    taken = client.post(f"/api/chain-actors/{supplier['id']}/prospect", {"number": "P-1"},
                        content_type=JSON)  # fmt: skip
    assert taken.status_code == 201, taken.content
    prospect = Customer.objects.get(pk=taken.json()["customer_id"])
    assert (prospect.name, prospect.number) == ("Stahl Süd GmbH", "P-1")
    assert taken.json()["actor"]["relationship"] == "prospect"
    group = built["actors"]["group"]
    refused = client.post(f"/api/chain-actors/{group['id']}/prospect", {"number": "P-2"},
                          content_type=JSON)  # fmt: skip
    assert refused.status_code == 400
    assert not Customer.objects.filter(number="P-2").exists()


def test_every_change_is_in_the_history(built) -> None:  # type: ignore[no-untyped-def]
    history = built["client"].get(f"/api/chains/{built['chain']['id']}/history").json()
    subjects = {h["subject"] for h in history}
    assert "Problemlösekette: Verpackungslinie" in subjects or (
        "Problem-solving chain: Verpackungslinie" in subjects
    )
    assert any("mittelständische Molkereien" in s for s in subjects)
    assert any("Produktionsleitung" in s for s in subjects)
    assert all(h["who"] == "kam" for h in history)


def test_the_chain_api_is_in_the_openapi_document(client_for) -> None:  # type: ignore[no-untyped-def]
    paths = client_for("service").get("/api/openapi.json").json()["paths"]
    for path, methods in {
        "/api/chains/": {"get", "post"},
        "/api/chains/{chain_id}": {"get", "put", "delete"},
        "/api/chains/{chain_id}/copy": {"post"},
        "/api/chains/{chain_id}/history": {"get"},
        "/api/chains/{chain_id}/stages": {"post"},
        "/api/chain-stages/{stage_id}": {"put", "delete"},
        "/api/chains/{chain_id}/actors": {"post"},
        "/api/chain-actors/{actor_id}": {"get", "put", "delete"},
        "/api/chain-actors/{actor_id}/prospect": {"post"},
        "/api/chain-actors/{actor_id}/people": {"post"},
        "/api/chain-people/{person_id}": {"put", "delete"},
        "/api/chains/{chain_id}/flows": {"post"},
        "/api/chain-flows/{flow_id}": {"put", "delete"},
    }.items():
        assert methods <= set(paths[path]), path


def test_an_edit_of_the_chain_is_refused_only_when_the_chain_itself_changed(built) -> None:  # type: ignore[no-untyped-def]
    client, chain = built["client"], built["chain"]
    url = f"/api/chains/{chain['id']}"
    read = client.get(url).json()
    body = {"name": "Verpackungslinie", "scope": "customer", "customer_id": read["customer_id"]}
    # a colleague adds a stage meanwhile: that does not make the description edit stale
    _post(client, f"{url}/stages", {"name": "Endverbraucher"})
    saved = client.put(url, body | {"description": "Neu", "version": read["version"]},
                       content_type=JSON)  # fmt: skip
    assert saved.status_code == 200, saved.content
    # but a second edit with the version read before the first one is refused
    stale = client.put(url, body | {"description": "Alt", "version": read["version"]},
                       content_type=JSON)  # fmt: skip
    assert stale.status_code == 409
    assert client.get(url).json()["description"] == "Neu"


def test_a_nul_in_the_search_is_refused_not_a_server_error(built) -> None:  # type: ignore[no-untyped-def]
    """Found by schemathesis on PostgreSQL, which cannot compare text with a NUL in it."""
    response = built["client"].get("/api/chains/", {"search": "Verpack\x00ung"})
    assert response.status_code == 422
    found = built["client"].get("/api/chains/", {"search": "Verpack"})
    assert [c["name"] for c in found.json()] == ["Verpackungslinie"]
