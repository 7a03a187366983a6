"""Reads on problem-solving chains: lists, the layout of the diagram, blind spots, care."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Count, Q, QuerySet

from kundenbild.chains.models import (
    ActorIdentity,
    ActorPerson,
    Chain,
    ChainActor,
    ChainFlow,
    ChainStage,
)
from kundenbild.customers.models import Customer
from kundenbild.insights.selectors import latest_run, with_latest_values


def chain_list(*, search: str = "", customer: Customer | None = None) -> QuerySet[Chain]:
    """All chains, or those drawn for a customer or having it as an actor, with counts."""
    chains = Chain.objects.select_related("customer", "offering", "offering_group", "industry")
    if customer is not None:
        chains = chains.filter(Q(customer=customer) | Q(actors__customer=customer)).distinct()
    if search:
        chains = chains.filter(Q(name__icontains=search) | Q(description__icontains=search))
    return chains.annotate(
        stage_count=Count("stages", distinct=True), actor_count=Count("actors", distinct=True)
    )


def stage_columns(stages: list[ChainStage]) -> dict[int, int]:
    """Column of each stage, left to right: one further right than its latest predecessor.

    The stages form a directed graph without circles (the services refuse them), so the
    longest path from a stage without predecessors gives a layout where every flow of
    goods runs to the right and parallel branches share a column.
    """
    follows = {s.pk: [f.pk for f in s.follows.all()] for s in stages}
    columns: dict[int, int] = {}

    def column(stage_id: int, path: frozenset[int]) -> int:
        if stage_id not in columns:
            before = [f for f in follows.get(stage_id, []) if f in follows and f not in path]
            columns[stage_id] = (
                1 + max(column(f, path | {stage_id}) for f in before) if before else 0
            )
        return columns[stage_id]

    for stage in stages:
        column(stage.pk, frozenset())
    return columns


@dataclass
class StageView:
    stage: ChainStage
    column: int
    actors: list[ChainActor] = field(default_factory=list)


@dataclass
class ChainPicture:
    """Everything a chain's page, its diagram and the PDF show, read in a few queries."""

    chain: Chain
    stages: list[StageView]
    flows: list[ChainFlow]
    blind_spots: list[ActorPerson]  # roles and people we have no contact with
    unreached: list[ChainActor]  # actors where we know nobody at all

    @property
    def actors(self) -> list[ChainActor]:
        return [a for s in self.stages for a in s.actors]

    @property
    def columns(self) -> list[list[StageView]]:
        grouped: dict[int, list[StageView]] = defaultdict(list)
        for view in self.stages:
            grouped[view.column].append(view)
        return [grouped[c] for c in sorted(grouped)]


def chain_picture(chain: Chain) -> ChainPicture:
    stages = list(chain.stages.prefetch_related("follows"))
    columns = stage_columns(stages)
    views = {s.pk: StageView(s, columns[s.pk]) for s in stages}
    actors = list(chain.actors.select_related("customer").prefetch_related("people__contact"))
    for actor in actors:
        views[actor.stage_id].actors.append(actor)
    flows = list(chain.flows.select_related("source", "target"))
    blind = [p for a in actors for p in a.people.all() if not p.in_contact]
    unreached = [
        a
        for a in actors
        if a.identity != ActorIdentity.OURSELVES and not any(p.in_contact for p in a.people.all())
    ]
    ordered = sorted(views.values(), key=lambda v: (v.column, v.stage.pk))
    return ChainPicture(chain, ordered, flows, blind, unreached)


@dataclass(frozen=True)
class CustomerInChain:
    """An actor of the chain that is one of our customers, with its value from the latest run."""

    actor: ChainActor
    customer: Customer
    value_type: str | None
    lifecycle_phase: str | None
    revenue_12m: Decimal | None
    contribution_margin_12m: Decimal | None


def customers_in_chain(chain: Chain) -> list[CustomerInChain]:
    actors = [a for a in chain.actors.select_related("customer") if a.customer is not None]
    ids = {a.customer.pk for a in actors if a.customer is not None}
    run = latest_run()
    customers = Customer.objects.filter(pk__in=ids)
    if run is not None:
        customers = with_latest_values(customers, run)
    by_id = {c.pk: c for c in customers}
    rows = []
    for actor in actors:
        assert actor.customer is not None
        customer = by_id.get(actor.customer.pk, actor.customer)
        rows.append(
            CustomerInChain(
                actor,
                customer,
                getattr(customer, "value_value_type", None),
                getattr(customer, "value_lifecycle_phase", None),
                getattr(customer, "value_revenue_12m", None),
                getattr(customer, "value_contribution_margin_12m", None),
            )
        )
    return rows
