"""The API keeps the promises of its own OpenAPI document (schemathesis, property-based)."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import date

import pytest
import schemathesis
from django.core import signals
from django.db import close_old_connections
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from kundenbild.api.main import api
from kundenbild.wsgi import application

schema = schemathesis.openapi.from_dict(json.loads(json.dumps(api.get_openapi_schema())))
CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
]


@pytest.fixture(autouse=True)
def _keep_test_connection_open() -> Iterator[None]:
    """Like Django's test client: calling the WSGI app directly must not close the test DB."""
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    yield
    signals.request_started.connect(close_old_connections)
    signals.request_finished.connect(close_old_connections)


@pytest.fixture
def auth_headers(users, customer) -> dict[str, str]:
    from kundenbild.accounts.services import api_token_create

    users["kam"].owned_customers.add(customer)
    _a_chain_to_find(customer)
    _an_activity_to_change(customer, users["kam"])
    _token, raw = api_token_create(user=users["kam"], name="schemathesis")
    return {"Authorization": f"Bearer {raw}"}


def _a_chain_to_find(customer) -> None:  # type: ignore[no-untyped-def]
    """Small ids of chains, stages, actors, flows and people exist, so that the generated
    requests reach the chain endpoints' real answers, not only their 404s."""
    from kundenbild.chains.services import (
        ActorData,
        ChainData,
        FlowData,
        PersonData,
        StageData,
        actor_save,
        chain_save,
        flow_save,
        person_save,
        stage_save,
    )

    chain = chain_save(
        data=ChainData(name="Kette", scope="customer", customer_id=customer.pk), by=None
    )
    first = stage_save(chain=chain, data=StageData(name="Wir"))
    second = stage_save(chain=chain, data=StageData(name="OEM", follows_ids=(first.pk,)))
    actors = [
        actor_save(chain=chain, data=ActorData(stage_id=stage.pk, identity="company",
                                               name=f"Firma {stage.pk}", kind="trade"))
        for stage in (first, second)
    ]  # fmt: skip
    flow_save(chain=chain, data=FlowData(source_id=actors[0].pk, target_id=actors[1].pk,
                                         kind="goods"))  # fmt: skip
    person_save(actor=actors[1], data=PersonData(role="Einkauf", in_contact=False))


def _an_activity_to_change(customer, user) -> None:  # type: ignore[no-untyped-def]
    """A small activity id with a person, so that PUT, PATCH and DELETE on
    /api/activities/{id} reach the service, not only a 404."""
    from kundenbild.activities.services import ActivityData, activity_create
    from kundenbild.buying_center.models import Contact

    person = Contact.objects.create(customer=customer, last_name="Wolf")
    data = ActivityData(
        kind="call", occurred_on=date(2026, 1, 5), subject="Anruf", contact_ids=(person.pk,)
    )
    activity_create(customer=customer, data=data, by=user)


@schema.parametrize()
@settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@pytest.mark.django_db
def test_api_conforms_to_its_schema(case, auth_headers) -> None:  # type: ignore[no-untyped-def]
    case.call_and_validate(app=application, headers=auth_headers, checks=CHECKS)
