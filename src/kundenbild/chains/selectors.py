"""Reads on problem-solving chains: lists, the layout of the diagram, blind spots, care."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db.models import Count, Q, QuerySet
from django.utils.translation import gettext as _

from kundenbild.chains.models import (
    ActorIdentity,
    ActorPerson,
    Chain,
    ChainActor,
    ChainFlow,
    ChainStage,
    FlowKind,
    Relationship,
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


def chain_shown_for(customer: Customer, chains: list[Chain] | None = None) -> Chain | None:
    """The one chain a customer's page and its PDF draw: the newest drawn for the customer.

    A chain of another customer in which this one is only an actor (say, as the craftsman
    three stages down) is not its chain: the page links it, neither draws it. One rule for
    both, so the printout never shows another chain than the screen. `chains` is the
    customer's list from `customer_chains`, if already read.
    """
    chains = chains if chains is not None else customer_chains(customer)
    return next((c for c in chains if c.customer_id == customer.pk), None)


def customer_chains(customer: Customer) -> list[Chain]:
    """The chains drawn for a customer or having it as an actor, newest first."""
    return list(chain_list(customer=customer).order_by("-updated_at", "-pk"))


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
    def blind_actor_ids(self) -> set[int]:
        """The actors drawn with a red ring: nobody known there, or a role not reached."""
        return {p.actor_id for p in self.blind_spots} | {a.pk for a in self.unreached}

    @property
    def blind_count(self) -> int:
        """What "Where we are blind" lists: the unreached actors and the roles without contact."""
        return len(self.blind_spots) + len(self.unreached)

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
    flows = list(chain.flows.select_related("source__customer", "target__customer"))
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
    actors = [a for a in chain.actors.select_related("customer", "stage") if a.customer is not None]
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


def customer_suggestions(text: str, *, limit: int = 12) -> list[Customer]:
    """Customers whose name contains, or whose number starts with, what was typed."""
    text = text.strip()
    if len(text) < 2:
        return []
    match = Q(name__icontains=text) | Q(number__istartswith=text)
    return list(Customer.objects.filter(match).order_by("name")[:limit])


# colours by our relationship (and for ourselves), and per kind of flow: the web diagram,
# its legend and the SVG export use the same ones
OURSELVES_COLOR = "#212529"
BLIND_COLOR = "#dc3545"  # the ring around an actor where we are blind
RELATIONSHIP_COLORS: dict[str, str] = {
    Relationship.CUSTOMER: "#198754",
    Relationship.PARTNER: "#0d6efd",
    Relationship.PROSPECT: "#fd7e14",
    Relationship.INDIRECT: "#6f42c1",
    Relationship.NONE: "#adb5bd",
}
FLOW_STYLES: dict[str, dict[str, Any]] = {
    FlowKind.GOODS: {"color": "#495057", "type": "solid", "curveness": 0.05},
    FlowKind.SERVICES: {"color": "#0dcaf0", "type": "solid", "curveness": 0.2},
    FlowKind.MONEY: {"color": "#b8860b", "type": "dashed", "curveness": 0.3},
    FlowKind.INFORMATION: {"color": "#6f42c1", "type": "dotted", "curveness": -0.2},
}


def actor_color(actor: ChainActor) -> str:
    if actor.identity == ActorIdentity.OURSELVES:
        return OURSELVES_COLOR
    return RELATIONSHIP_COLORS.get(actor.relationship, RELATIONSHIP_COLORS[Relationship.NONE])


def actor_size(actor: ChainActor) -> int:
    """Diameter in pixels: 26 for a minor actor up to 70 for a decisive one."""
    return 15 + 11 * int(actor.importance)


def chain_diagram(
    picture: ChainPicture, *, actor_url: Callable[[ChainActor], str]
) -> dict[str, Any]:
    """Nodes, arrows, stage headers and legend for the interactive diagram (ECharts graph).

    No positions: the browser lays the diagram out for the width it has (and again when
    that changes), from each stage's column and each actor's stage."""
    blind_ids = picture.blind_actor_ids
    nodes: list[dict[str, Any]] = [
        {
            "id": f"stage-{view.stage.pk}",
            "name": view.stage.name,
            "column": view.column,
            "symbolSize": 1,
            "header": True,
        }
        for view in picture.stages
    ]
    for view in picture.stages:
        nodes += [
            _actor_node(view, actor, blind=actor.pk in blind_ids, url=actor_url(actor))
            for actor in view.actors
        ]
    links = [
        {
            "source": str(flow.source_id),
            "target": str(flow.target_id),
            "label": f"{flow.get_kind_display()}{': ' + flow.volume if flow.volume else ''}",
            "kind": flow.kind,
            "lineStyle": {
                "color": FLOW_STYLES[flow.kind]["color"],
                "type": FLOW_STYLES[flow.kind]["type"],
                "curveness": FLOW_STYLES[flow.kind]["curveness"],
                "width": 2,
            },
        }
        for flow in picture.flows
    ]
    return {"nodes": nodes, "links": links, "legend": diagram_legend()}


def _actor_node(view: StageView, actor: ChainActor, *, blind: bool, url: str) -> dict[str, Any]:
    """An actor's circle: its full name (the diagram wraps it, never cuts it), its stage,
    and what the tooltip tells about it."""
    name = actor.display_name
    if actor.number > 1:
        name = f"{name} (×{actor.number})"
    details = [str(actor.get_kind_display())]
    if actor.identity != ActorIdentity.OURSELVES:
        details.append(_("Relationship: %(value)s") % {"value": actor.get_relationship_display()})
    details.append(_("Importance: %(value)s") % {"value": actor.get_importance_display()})
    known = [str(p.display_name) for p in actor.people.all() if p.in_contact]
    unreached = [str(p.display_name) for p in actor.people.all() if not p.in_contact]
    if known:
        details.append(_("We know: %(names)s") % {"names": ", ".join(known)})
    if unreached:
        details.append(_("No contact with: %(names)s") % {"names": ", ".join(unreached)})
    return {
        "id": str(actor.pk),
        "name": name,
        "stage": f"stage-{view.stage.pk}",
        "column": view.column,
        "symbolSize": actor_size(actor),
        "itemStyle": {
            "color": actor_color(actor),
            "borderColor": BLIND_COLOR if blind else "#ffffff",
            "borderWidth": 3 if blind else 1,
            "borderType": "dashed" if blind else "solid",
        },
        "detail": " · ".join(details),
        "url": url,
        "blind": blind,
    }


def diagram_legend() -> dict[str, Any]:
    return {
        "blind_color": BLIND_COLOR,
        "relationships": [
            {"label": str(_("we")), "color": OURSELVES_COLOR},
            *(
                {"label": str(Relationship(code).label), "color": color}
                for code, color in RELATIONSHIP_COLORS.items()
            ),
        ],
        "flows": [
            {
                "kind": str(code),
                "label": str(FlowKind(code).label),
                "color": style["color"],
                "type": style["type"],
            }
            for code, style in FLOW_STYLES.items()
        ],
    }
