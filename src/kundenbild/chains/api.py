"""`/api/chains/` and friends: problem-solving chains through the REST API.

The chain with its stages, actors, flows and people, with the same permissions as the
pages, and its change history.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from ninja import Field, Query, Router, Schema, Status

from kundenbild.accounts.requests import acting_user
from kundenbild.chains.history import chain_history
from kundenbild.chains.models import (
    ActorIdentity,
    ActorKind,
    ActorPerson,
    Chain,
    ChainActor,
    ChainFlow,
    ChainScope,
    ChainStage,
    CompetitivePosition,
    FlowKind,
    Relationship,
)
from kundenbild.chains.permissions import chain_access, chain_create_access
from kundenbild.chains.selectors import chain_list, chain_picture
from kundenbild.chains.services import (
    ActorData,
    ChainData,
    FlowData,
    PersonData,
    StageData,
    actor_delete,
    actor_make_prospect,
    actor_save,
    chain_copy,
    chain_delete,
    chain_save,
    flow_delete,
    flow_save,
    person_delete,
    person_save,
    stage_delete,
    stage_save,
)
from kundenbild.core.api_schema import ERRORS, Id, InputSchema
from kundenbild.customers.models import Customer
from kundenbild.customers.permissions import customer_access

router = Router(tags=["problem-solving chains"])
stage_router = Router(tags=["problem-solving chains"])
actor_router = Router(tags=["problem-solving chains"])
flow_router = Router(tags=["problem-solving chains"])
person_router = Router(tags=["problem-solving chains"])


class ChainIn(InputSchema):
    name: str = Field(..., min_length=1, max_length=150)
    scope: ChainScope
    offering_id: int | None = Field(None, description="for scope `offering`")
    offering_group_id: int | None = Field(None, description="for scope `offering_group`")
    customer_id: int | None = Field(None, description="for scope `customer`")
    industry: str | None = Field(
        None, max_length=8, description="WZ 2008 division, for scope `segment`"
    )
    description: str = Field("", max_length=5000)
    version: int | None = Field(
        None, description="on update: the version you read; refused (409) if it changed"
    )


class ChainSummaryOut(Schema):
    id: int
    name: str
    scope: ChainScope
    offering_id: int | None
    offering_group_id: int | None
    customer_id: int | None
    industry: str | None
    description: str
    version: int

    @staticmethod
    def resolve_industry(obj: Chain | dict[str, Any]) -> str | None:
        """The WZ code; `_chain_out` passes a dict that already holds it."""
        return obj["industry"] if isinstance(obj, dict) else obj.industry_id


class StageIn(InputSchema):
    name: str = Field(..., min_length=1, max_length=100)
    description: str = Field("", max_length=300)
    follows: list[int] = Field(
        default_factory=list, description="ids of the stages of this chain right before it"
    )


class StageOut(Schema):
    id: int
    name: str
    description: str
    follows: list[int]
    column: int = Field(..., description="0 for the leftmost stages")


class PersonIn(InputSchema):
    contact_id: int | None = Field(
        None, description="a person in the buying center of the customer this actor is"
    )
    name: str = Field("", max_length=150)
    role: str = Field("", max_length=150)
    in_contact: bool = Field(True, description="false: a person or role we do not reach")
    note: str = Field("", max_length=300)


class PersonOut(Schema):
    id: int
    actor_id: int
    contact_id: int | None
    name: str
    role: str
    in_contact: bool
    note: str
    display_name: str


class ActorIn(InputSchema):
    stage_id: int
    identity: ActorIdentity
    kind: ActorKind
    customer_id: int | None = Field(None, description="for identity `customer`")
    name: str = Field("", max_length=200)
    size: str = Field("", max_length=150)
    importance: int = Field(3, ge=1, le=5, description="1 minor … 5 decisive")
    competitive_position: CompetitivePosition | None = None
    number: int = Field(1, ge=1, description="how many such companies")
    relationship: Relationship | None = Field(
        None, description="omitted: `customer` for a linked customer, else `none`"
    )
    success_factors: str = Field("", max_length=5000)
    notes: str = Field("", max_length=5000)
    version: int | None = Field(
        None, description="on update: the version you read; refused (409) if it changed"
    )


class ActorOut(Schema):
    id: int
    chain_id: int
    stage_id: int
    identity: ActorIdentity
    customer_id: int | None
    name: str
    display_name: str
    kind: ActorKind
    size: str
    importance: int
    competitive_position: CompetitivePosition | None
    number: int
    relationship: Relationship
    success_factors: str
    notes: str
    version: int
    people: list[PersonOut]

    @staticmethod
    def resolve_competitive_position(obj: ChainActor) -> str | None:
        return obj.competitive_position or None

    @staticmethod
    def resolve_people(obj: ChainActor) -> list[ActorPerson]:
        return list(obj.people.all())


class FlowIn(InputSchema):
    source_id: int
    target_id: int
    kind: FlowKind
    volume: str = Field("", max_length=100)
    note: str = Field("", max_length=300)


class FlowOut(Schema):
    id: int
    source_id: int
    target_id: int
    kind: FlowKind
    volume: str
    note: str


class ChainOut(ChainSummaryOut):
    stages: list[StageOut]
    actors: list[ActorOut]
    flows: list[FlowOut]


class CopyIn(InputSchema):
    name: str = Field(..., min_length=1, max_length=150)
    scope: ChainScope
    offering_id: int | None = None
    offering_group_id: int | None = None
    customer_id: Id | None = None
    industry: str | None = Field(None, max_length=8)
    description: str | None = Field(None, max_length=5000, description="omitted: the original's")


class ProspectIn(InputSchema):
    number: str = Field(..., min_length=1, max_length=40, description="the new customer number")


class ProspectOut(Schema):
    customer_id: int
    actor: ActorOut


class ChangeOut(Schema):
    field: str
    old: str
    new: str


class HistoryOut(Schema):
    when: datetime
    who: str | None
    kind: str = Field(..., description="+ created, ~ changed, - deleted")
    subject: str
    changes: list[ChangeOut]


def _chain_out(chain: Chain) -> dict[str, Any]:
    picture = chain_picture(chain)
    return {
        **ChainSummaryOut.from_orm(chain).model_dump(),
        "stages": [
            {
                "id": v.stage.pk,
                "name": v.stage.name,
                "description": v.stage.description,
                "follows": sorted(f.pk for f in v.stage.follows.all()),
                "column": v.column,
            }
            for v in picture.stages
        ],
        "actors": picture.actors,
        "flows": picture.flows,
    }


def _chain_data(payload: ChainIn | CopyIn, user: Any, description: str) -> ChainData:
    customer: Customer | None = None
    if payload.scope == ChainScope.CUSTOMER and payload.customer_id is not None:
        customer = customer_access(user, payload.customer_id)
    chain_create_access(user, customer)
    return ChainData(
        name=payload.name,
        scope=payload.scope.value,
        offering_id=payload.offering_id,
        offering_group_id=payload.offering_group_id,
        customer_id=payload.customer_id,
        industry_code=payload.industry,
        description=description,
    )


class ChainListParams(InputSchema):
    """The list's filters; an InputSchema, so that a NUL in the search is refused (422)
    before PostgreSQL sees it."""

    customer_id: Id | None = None
    search: str = Field("", max_length=200)


@router.get("/", response={200: list[ChainSummaryOut], **ERRORS})
def list_chains(request: HttpRequest, params: Query[ChainListParams]) -> list[Chain]:
    """All chains; with `customer_id` those drawn for the customer or having it as an actor."""
    user = acting_user(request)
    customer_id = params.customer_id
    customer = customer_access(user, customer_id) if customer_id is not None else None
    return list(chain_list(search=params.search, customer=customer))


@router.post("/", response={201: ChainOut, **ERRORS})
def create_chain(request: HttpRequest, payload: ChainIn) -> Status[dict[str, Any]]:
    user = acting_user(request)
    chain = chain_save(data=_chain_data(payload, user, payload.description), by=user)
    return Status(201, _chain_out(chain))


@router.get("/{chain_id}", response={200: ChainOut, **ERRORS})
def get_chain(request: HttpRequest, chain_id: int) -> dict[str, Any]:
    return _chain_out(chain_access(acting_user(request), chain_id))


@router.put("/{chain_id}", response={200: ChainOut, **ERRORS})
def update_chain(request: HttpRequest, chain_id: int, payload: ChainIn) -> dict[str, Any]:
    user = acting_user(request)
    chain = chain_access(user, chain_id, for_edit=True)
    data = _chain_data(payload, user, payload.description)
    chain = chain_save(data=data, by=user, chain=chain, expected_version=payload.version)
    return _chain_out(chain_access(user, chain.pk))


@router.delete("/{chain_id}", response={204: None, **ERRORS})
def delete_chain(request: HttpRequest, chain_id: int) -> Status[None]:
    chain_delete(chain=chain_access(acting_user(request), chain_id, for_edit=True))
    return Status(204, None)


@router.post("/{chain_id}/copy", response={201: ChainOut, **ERRORS})
def copy_chain(request: HttpRequest, chain_id: int, payload: CopyIn) -> Status[dict[str, Any]]:
    """A copy as the starting point for a similar customer, offering or segment."""
    user = acting_user(request)
    original = chain_access(user, chain_id)
    description = original.description if payload.description is None else payload.description
    copy = chain_copy(chain=original, data=_chain_data(payload, user, description), by=user)
    return Status(201, _chain_out(copy))


@router.get("/{chain_id}/history", response={200: list[HistoryOut], **ERRORS})
def get_chain_history(request: HttpRequest, chain_id: int) -> list[HistoryOut]:
    chain = chain_access(acting_user(request), chain_id)
    return [
        HistoryOut(
            when=e.when,
            who=e.who.username if e.who is not None else None,
            kind=e.kind,
            subject=e.subject,
            changes=[
                ChangeOut(field=str(f), old=_text(old), new=_text(new)) for f, old, new in e.changes
            ],
        )
        for e in chain_history(chain)
    ]


def _text(value: object) -> str:
    return "" if value is None else str(value)


@router.post("/{chain_id}/stages", response={201: StageOut, **ERRORS})
def create_stage(request: HttpRequest, chain_id: int, payload: StageIn) -> Status[StageOut]:
    chain = chain_access(acting_user(request), chain_id, for_edit=True)
    stage = stage_save(chain=chain, data=_stage_data(payload))
    return Status(201, _stage_out(stage))


def _stage_data(payload: StageIn) -> StageData:
    return StageData(
        name=payload.name, description=payload.description, follows_ids=tuple(payload.follows)
    )


def _stage_out(stage: ChainStage) -> StageOut:
    picture = chain_picture(stage.chain)
    view = next(v for v in picture.stages if v.stage.pk == stage.pk)
    return StageOut(
        id=stage.pk,
        name=stage.name,
        description=stage.description,
        follows=sorted(f.pk for f in view.stage.follows.all()),
        column=view.column,
    )


def _stage(request: HttpRequest, stage_id: int) -> ChainStage:
    stage = get_object_or_404(ChainStage, pk=stage_id)
    stage.chain = chain_access(acting_user(request), stage.chain_id, for_edit=True)
    return stage


@stage_router.put("/{stage_id}", response={200: StageOut, **ERRORS})
def update_stage(request: HttpRequest, stage_id: int, payload: StageIn) -> StageOut:
    stage = _stage(request, stage_id)
    return _stage_out(stage_save(chain=stage.chain, data=_stage_data(payload), stage=stage))


@stage_router.delete("/{stage_id}", response={204: None, **ERRORS})
def delete_stage(request: HttpRequest, stage_id: int) -> Status[None]:
    stage_delete(stage=_stage(request, stage_id))
    return Status(204, None)


def _actor_data(payload: ActorIn) -> ActorData:
    return ActorData(
        stage_id=payload.stage_id,
        identity=payload.identity.value,
        kind=payload.kind.value,
        name=payload.name,
        customer_id=payload.customer_id,
        size=payload.size,
        importance=payload.importance,
        competitive_position=payload.competitive_position.value
        if payload.competitive_position
        else "",
        number=payload.number,
        relationship=payload.relationship.value if payload.relationship else "",
        success_factors=payload.success_factors,
        notes=payload.notes,
    )


def _actor(request: HttpRequest, actor_id: int, *, for_edit: bool = False) -> ChainActor:
    actor = get_object_or_404(ChainActor, pk=actor_id)
    actor.chain = chain_access(acting_user(request), actor.chain_id, for_edit=for_edit)
    return actor


def _actor_out(actor_id: int) -> ChainActor:
    return (
        ChainActor.objects.select_related("customer")
        .prefetch_related("people__contact")
        .get(pk=actor_id)
    )


@router.post("/{chain_id}/actors", response={201: ActorOut, **ERRORS})
def create_actor(request: HttpRequest, chain_id: int, payload: ActorIn) -> Status[ChainActor]:
    chain = chain_access(acting_user(request), chain_id, for_edit=True)
    actor = actor_save(chain=chain, data=_actor_data(payload))
    return Status(201, _actor_out(actor.pk))


@actor_router.get("/{actor_id}", response={200: ActorOut, **ERRORS})
def get_actor(request: HttpRequest, actor_id: int) -> ChainActor:
    return _actor_out(_actor(request, actor_id).pk)


@actor_router.put("/{actor_id}", response={200: ActorOut, **ERRORS})
def update_actor(request: HttpRequest, actor_id: int, payload: ActorIn) -> ChainActor:
    actor = _actor(request, actor_id, for_edit=True)
    actor_save(
        chain=actor.chain, data=_actor_data(payload), actor=actor, expected_version=payload.version
    )
    return _actor_out(actor.pk)


@actor_router.delete("/{actor_id}", response={204: None, **ERRORS})
def delete_actor(request: HttpRequest, actor_id: int) -> Status[None]:
    actor_delete(actor=_actor(request, actor_id, for_edit=True))
    return Status(204, None)


@actor_router.post("/{actor_id}/prospect", response={201: ProspectOut, **ERRORS})
def make_prospect(
    request: HttpRequest, actor_id: int, payload: ProspectIn
) -> Status[dict[str, Any]]:
    """Make a named company of the chain a new customer prospect, linked to the actor."""
    user = acting_user(request)
    actor = _actor(request, actor_id, for_edit=True)
    chain_create_access(user, None)
    customer = actor_make_prospect(actor=actor, number=payload.number, by=user)
    return Status(201, {"customer_id": customer.pk, "actor": _actor_out(actor.pk)})


@actor_router.post("/{actor_id}/people", response={201: PersonOut, **ERRORS})
def create_person(request: HttpRequest, actor_id: int, payload: PersonIn) -> Status[ActorPerson]:
    actor = _actor(request, actor_id, for_edit=True)
    return Status(201, person_save(actor=actor, data=_person_data(payload)))


def _person_data(payload: PersonIn) -> PersonData:
    return PersonData(
        contact_id=payload.contact_id,
        name=payload.name,
        role=payload.role,
        in_contact=payload.in_contact,
        note=payload.note,
    )


def _person(request: HttpRequest, person_id: int) -> ActorPerson:
    person = get_object_or_404(ActorPerson.objects.select_related("actor"), pk=person_id)
    person.actor.chain = chain_access(acting_user(request), person.actor.chain_id, for_edit=True)
    return person


@person_router.put("/{person_id}", response={200: PersonOut, **ERRORS})
def update_person(request: HttpRequest, person_id: int, payload: PersonIn) -> ActorPerson:
    person = _person(request, person_id)
    return person_save(actor=person.actor, data=_person_data(payload), person=person)


@person_router.delete("/{person_id}", response={204: None, **ERRORS})
def delete_person(request: HttpRequest, person_id: int) -> Status[None]:
    person_delete(person=_person(request, person_id))
    return Status(204, None)


@router.post("/{chain_id}/flows", response={201: FlowOut, **ERRORS})
def create_flow(request: HttpRequest, chain_id: int, payload: FlowIn) -> Status[ChainFlow]:
    chain = chain_access(acting_user(request), chain_id, for_edit=True)
    return Status(201, flow_save(chain=chain, data=_flow_data(payload)))


def _flow_data(payload: FlowIn) -> FlowData:
    return FlowData(
        source_id=payload.source_id,
        target_id=payload.target_id,
        kind=payload.kind.value,
        volume=payload.volume,
        note=payload.note,
    )


def _flow(request: HttpRequest, flow_id: int) -> ChainFlow:
    flow = get_object_or_404(ChainFlow, pk=flow_id)
    flow.chain = chain_access(acting_user(request), flow.chain_id, for_edit=True)
    return flow


@flow_router.put("/{flow_id}", response={200: FlowOut, **ERRORS})
def update_flow(request: HttpRequest, flow_id: int, payload: FlowIn) -> ChainFlow:
    flow = _flow(request, flow_id)
    return flow_save(chain=flow.chain, data=_flow_data(payload), flow=flow)


@flow_router.delete("/{flow_id}", response={204: None, **ERRORS})
def delete_flow(request: HttpRequest, flow_id: int) -> Status[None]:
    flow_delete(flow=_flow(request, flow_id))
    return Status(204, None)
