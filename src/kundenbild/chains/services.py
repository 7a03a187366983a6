"""Writes on problem-solving chains: the chain, its stages, actors, flows and people.

Every write is one transaction that validates before it saves, so a refused change leaves
the chain exactly as it was; django-simple-history records each saved row.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from kundenbild.accounts.models import User
from kundenbild.buying_center.models import Contact
from kundenbild.chains.models import (
    ActorIdentity,
    ActorPerson,
    Chain,
    ChainActor,
    ChainFlow,
    ChainScope,
    ChainStage,
    Relationship,
)
from kundenbild.core.errors import ApplicationError
from kundenbild.core.locking import lock_current
from kundenbild.customers.models import Customer, Industry
from kundenbild.customers.services import CustomerData, customer_create

STALE_CHAIN = gettext_lazy(
    "Someone else changed this chain while you were editing. Please reload the page and "
    "enter your changes again."
)
STALE_ACTOR = gettext_lazy(
    "Someone else changed this actor while you were editing. Please reload the page and "
    "enter your changes again."
)


@dataclass(frozen=True)
class ChainData:
    name: str
    scope: str
    offering_id: int | None = None
    offering_group_id: int | None = None
    customer_id: int | None = None
    industry_code: str | None = None
    description: str = ""


def _apply_chain(chain: Chain, data: ChainData) -> None:
    if data.scope not in ChainScope.values:
        raise ApplicationError(_("Unknown scope of a chain."), field="scope")
    chain.name = data.name.strip()
    chain.scope = data.scope
    chain.offering_id = data.offering_id
    chain.offering_group_id = data.offering_group_id
    chain.customer_id = data.customer_id
    chain.industry_id = data.industry_code or None
    if chain.industry_id and not Industry.objects.filter(pk=chain.industry_id).exists():
        raise ApplicationError(_("Unknown WZ 2008 code."), field="industry")
    chain.description = data.description.strip()
    chain.full_clean()


@transaction.atomic
def chain_save(
    *,
    data: ChainData,
    by: User | None,
    chain: Chain | None = None,
    expected_version: int | None = None,
) -> Chain:
    """Create a chain, or change its name, scope and description (refused if stale)."""
    if chain is None:
        chain = Chain(created_by=by)
    else:
        chain = lock_current(chain, expected_version, STALE_CHAIN)
        chain.version += 1
    _apply_chain(chain, data)
    chain.save()
    return chain


@transaction.atomic
def chain_delete(*, chain: Chain) -> None:
    chain.delete()


def _touch(chain: Chain) -> None:
    """Changes inside a chain take turns (the chain's row is locked) and date the chain.

    The version stays: it guards the chain's own name, scope and description, and a
    colleague adding an actor should not make somebody's edit of the description stale.
    """
    locked = Chain.objects.select_for_update().get(pk=chain.pk)
    locked.save(update_fields=["updated_at"])


@dataclass(frozen=True)
class StageData:
    name: str
    description: str = ""
    follows_ids: tuple[int, ...] = ()


def _ancestors(stage_ids: set[int]) -> set[int]:
    """Every stage that the given ones follow, directly or over several steps."""
    through = ChainStage.follows.through
    seen: set[int] = set()
    frontier = set(stage_ids)
    while frontier:
        frontier = (
            set(
                through.objects.filter(from_chainstage_id__in=frontier).values_list(
                    "to_chainstage_id", flat=True
                )
            )
            - seen
        )
        seen |= frontier
    return seen


@transaction.atomic
def stage_save(*, chain: Chain, data: StageData, stage: ChainStage | None = None) -> ChainStage:
    """Add a stage after the named ones, or change one; refuses circles and strangers."""
    _touch(chain)
    stage = stage or ChainStage(chain=chain)
    name = data.name.strip()
    if ChainStage.objects.filter(chain=chain, name__iexact=name).exclude(pk=stage.pk).exists():
        raise ApplicationError(_("This chain already has a stage with this name."), field="name")
    follows = set(data.follows_ids)
    found = set(ChainStage.objects.filter(chain=chain, pk__in=follows).values_list("pk", flat=True))
    if follows - found:
        raise ApplicationError(
            _("A stage can only come after stages of the same chain."), field="follows"
        )
    if stage.pk is not None and (stage.pk in follows or stage.pk in _ancestors(follows)):
        raise ApplicationError(
            _(
                "“%(stage)s” cannot come after a stage that itself comes after “%(stage)s”: "
                "the stages would form a circle."
            )
            % {"stage": stage.name},
            code="cycle",
            field="follows",
        )
    stage.name = name
    stage.description = data.description.strip()
    stage.full_clean()
    stage.save()
    stage.follows.set(sorted(found))
    return stage


@transaction.atomic
def stage_delete(*, stage: ChainStage) -> None:
    """Only an empty stage goes; its successors then follow its predecessors."""
    if stage.actors.exists():
        raise ApplicationError(
            _("Move or remove the stage's actors first; nothing is deleted with it."),
            code="not_empty",
        )
    _touch(stage.chain)
    before = list(stage.follows.all())
    for successor in stage.followed_by.all():
        successor.follows.add(*before)
    stage.delete()


@dataclass(frozen=True)
class ActorData:
    stage_id: int
    identity: str
    kind: str
    name: str = ""
    customer_id: int | None = None
    size: str = ""
    importance: int = 3
    competitive_position: str = ""
    number: int = 1
    relationship: str = ""  # empty: "customer" for a linked customer, else "none"
    success_factors: str = ""
    notes: str = ""


@transaction.atomic
def actor_save(
    *,
    chain: Chain,
    data: ActorData,
    actor: ChainActor | None = None,
    expected_version: int | None = None,
) -> ChainActor:
    """Add an actor to a stage of the chain, or change one (refused if stale)."""
    _touch(chain)
    if actor is None:
        actor = ChainActor(chain=chain)
    else:
        actor = lock_current(actor, expected_version, STALE_ACTOR)
        actor.version += 1
    if not ChainStage.objects.filter(pk=data.stage_id, chain=chain).exists():
        raise ApplicationError(_("This stage belongs to another chain."), field="stage")
    if data.number < 1:
        raise ApplicationError(_("The number of actors must be at least 1."), field="number")
    customer = None
    if data.identity == ActorIdentity.CUSTOMER and data.customer_id is not None:
        customer = Customer.objects.filter(pk=data.customer_id).first()
        if customer is None:
            raise ApplicationError(_("This customer does not exist."), field="customer")
    actor.stage_id = data.stage_id
    actor.identity = data.identity
    actor.customer = customer
    actor.name = customer.name if customer is not None else data.name.strip()
    actor.kind = data.kind
    actor.size = data.size.strip()
    actor.importance = data.importance
    actor.competitive_position = data.competitive_position
    actor.number = data.number
    actor.relationship = data.relationship or (
        Relationship.CUSTOMER if customer is not None else Relationship.NONE
    )
    actor.success_factors = data.success_factors.strip()
    actor.notes = data.notes.strip()
    actor.full_clean()
    actor.save()
    # people of a buying center stay linked only while the actor is that very customer;
    # the others keep their name as people we know by name only
    linked = actor.people.filter(contact__isnull=False).select_related("contact")
    if customer is not None:
        linked = linked.exclude(contact__customer_id=customer.pk)
    for person in linked:
        person.name = str(person.contact)
        person.contact = None
        person.save()
    return actor


@transaction.atomic
def actor_delete(*, actor: ChainActor) -> None:
    """The actor with its flows and people."""
    _touch(actor.chain)
    actor.delete()


@transaction.atomic
def actor_make_prospect(*, actor: ChainActor, number: str, by: User) -> Customer:
    """Make a company of the chain a new customer prospect and link the actor to it."""
    if actor.identity != ActorIdentity.COMPANY:
        raise ApplicationError(
            _("Only a named company of the chain can become a prospect."), code="not_a_company"
        )
    customer = customer_create(data=CustomerData(number=number.strip(), name=actor.name), by=by)
    _touch(actor.chain)
    actor = lock_current(actor, None, STALE_ACTOR)
    actor.identity = ActorIdentity.CUSTOMER
    actor.customer = customer
    actor.relationship = Relationship.PROSPECT
    actor.version += 1
    actor.save()
    return customer


@dataclass(frozen=True)
class FlowData:
    source_id: int
    target_id: int
    kind: str
    volume: str = ""
    note: str = ""


@transaction.atomic
def flow_save(*, chain: Chain, data: FlowData, flow: ChainFlow | None = None) -> ChainFlow:
    """A flow between two actors of this chain; refuses actors of other chains."""
    _touch(chain)
    ours = set(
        ChainActor.objects.filter(chain=chain, pk__in=(data.source_id, data.target_id)).values_list(
            "pk", flat=True
        )
    )
    for field, actor_id in (("source", data.source_id), ("target", data.target_id)):
        if actor_id not in ours:
            raise ApplicationError(
                _("A flow can only run between actors of this chain."), field=field
            )
    if data.source_id == data.target_id:
        raise ApplicationError(_("A flow needs two different actors."), field="target")
    duplicate = ChainFlow.objects.filter(
        source_id=data.source_id, target_id=data.target_id, kind=data.kind
    )
    if flow is not None:
        duplicate = duplicate.exclude(pk=flow.pk)
    if duplicate.exists():
        raise ApplicationError(
            _("This flow between these actors has already been recorded."), code="duplicate"
        )
    flow = flow or ChainFlow(chain=chain)
    flow.source_id = data.source_id
    flow.target_id = data.target_id
    flow.kind = data.kind
    flow.volume = data.volume.strip()
    flow.note = data.note.strip()
    flow.full_clean()
    flow.save()
    return flow


@transaction.atomic
def flow_delete(*, flow: ChainFlow) -> None:
    _touch(flow.chain)
    flow.delete()


@dataclass(frozen=True)
class PersonData:
    contact_id: int | None = None
    name: str = ""
    role: str = ""
    in_contact: bool = True
    note: str = ""


@transaction.atomic
def person_save(
    *, actor: ChainActor, data: PersonData, person: ActorPerson | None = None
) -> ActorPerson:
    """A person we know at the actor, or a role we have no contact with."""
    _touch(actor.chain)
    contact = None
    if data.contact_id is not None:
        contact = Contact.objects.filter(pk=data.contact_id).first()
        if contact is None or actor.customer_id is None or contact.customer_id != actor.customer_id:
            raise ApplicationError(
                _("Only people of the customer this actor is can be linked."), field="contact"
            )
    if contact is None and not (data.name.strip() or data.role.strip()):
        raise ApplicationError(_("Name the person or the role."), field="name")
    person = person or ActorPerson(actor=actor)
    person.contact = contact
    person.name = "" if contact is not None else data.name.strip()
    person.role = data.role.strip() or (contact.function if contact is not None else "")
    person.in_contact = data.in_contact
    person.note = data.note.strip()
    person.full_clean()
    person.save()
    return person


@transaction.atomic
def person_delete(*, person: ActorPerson) -> None:
    _touch(person.actor.chain)
    person.delete()


@transaction.atomic
def chain_copy(*, chain: Chain, data: ChainData, by: User | None) -> Chain:
    """A copy of the chain as the starting point for a similar customer or segment.

    Stages, actors, flows and the roles are copied. Where the original was drawn for one
    customer and the copy for another, the actor that was the old customer becomes the new
    one, and its named people become roles without contact: they work somewhere else.
    """
    copy = chain_save(data=data, by=by)
    stages: dict[int, ChainStage] = {}
    for stage in chain.stages.all():
        stages[stage.pk] = ChainStage.objects.create(
            chain=copy, name=stage.name, description=stage.description
        )
    for stage in chain.stages.prefetch_related("follows"):
        stages[stage.pk].follows.set([stages[f.pk] for f in stage.follows.all()])
    actors: dict[int, ChainActor] = {}
    swap = (
        chain.customer_id is not None
        and copy.customer_id is not None
        and chain.customer_id != copy.customer_id
    )
    for actor in chain.actors.prefetch_related("people__contact"):
        original_pk = actor.pk
        became_new_customer = swap and actor.customer_id == chain.customer_id
        people = list(actor.people.all())
        actor.pk = None
        actor._state.adding = True
        actor.chain = copy
        actor.stage = stages[actor.stage_id]
        actor.version = 1
        if became_new_customer:
            actor.customer = copy.customer
            actor.name = copy.customer.name if copy.customer else actor.name
        actor.save()
        actors[original_pk] = actor
        for person in people:
            keep_contact = person.contact is not None and not became_new_customer
            role = person.role or (person.contact.function if person.contact else "")
            if became_new_customer and not role:
                continue  # a person without a role means nothing at another company
            ActorPerson.objects.create(
                actor=actor,
                contact=person.contact if keep_contact else None,
                name="" if became_new_customer or keep_contact else person.name,
                role=role,
                in_contact=person.in_contact and not became_new_customer,
                note=person.note,
            )
    for flow in chain.flows.all():
        ChainFlow.objects.create(
            chain=copy,
            source=actors[flow.source_id],
            target=actors[flow.target_id],
            kind=flow.kind,
            volume=flow.volume,
            note=flow.note,
        )
    return copy
