"""The demo book of business in the database."""

from __future__ import annotations

import pytest

from kundenbild.accounts.models import User
from kundenbild.activities.models import Activity
from kundenbild.buying_center.models import Contact
from kundenbild.chains.models import (
    ActorIdentity,
    ActorPerson,
    Chain,
    ChainActor,
    ChainFlow,
    ChainScope,
    FlowKind,
)
from kundenbild.chains.selectors import ChainPicture, chain_picture
from kundenbild.customers.models import BusinessUnit, Customer
from kundenbild.demo.loader import demo_is_loaded, load_demo
from kundenbild.demo.models import DemoLabel
from kundenbild.demo.users import DEMO_PASSWORD
from kundenbild.finance.models import FinanceProfile, SalesLine
from kundenbild.offerings.models import FascinationAssessment

pytestmark = pytest.mark.django_db


def test_demo_loads_users_customers_contacts_and_sales_lines() -> None:
    assert not demo_is_loaded()
    summary = load_demo(customers=40, seed=7)
    assert demo_is_loaded()
    assert Customer.objects.count() == summary.customers == 40
    assert Contact.objects.count() == summary.contacts >= 80
    assert SalesLine.objects.count() == summary.sales_lines > 40 * 20
    for role in ("management", "kam", "sales", "service", "controller", "admin"):
        user = User.objects.get(username=role)
        assert user.check_password(DEMO_PASSWORD)
        assert user.role.code == role
    assert DemoLabel.objects.count() == 40
    assert BusinessUnit.objects.exists()
    assert FinanceProfile.objects.count() > 20
    assert FascinationAssessment.objects.count() > 80
    assert Activity.objects.filter(follow_up_on__isnull=False).exists()
    assert Contact.objects.filter(buying_roles__code="decider").exists()
    assert Contact.objects.filter(known_by__isnull=False).exists()
    for activity in Activity.objects.all():
        activity.full_clean()
    for profile in FinanceProfile.objects.all():
        profile.full_clean()  # generated terms pass our own consistency rules
    assert Customer.objects.filter(headquarters_city_check()).count() == 40
    for customer in Customer.objects.all():
        customer.full_clean()  # generated master data passes our own validation


def headquarters_city_check():  # type: ignore[no-untyped-def]
    from django.db.models import Q

    return Q(addresses__kind="headquarters") & ~Q(addresses__city="")


@pytest.mark.parametrize(("customers", "seed"), [(40, 7), (25, 11), (3, 1)])
def test_demo_has_realistic_problem_solving_chains(customers: int, seed: int) -> None:
    load_demo(customers=customers, seed=seed)
    chains = list(Chain.objects.all())
    assert len(chains) >= 4
    assert {c.scope for c in chains} == {"customer", "offering_group", "segment", "offering"}
    for chain in chains:
        picture = chain_picture(chain)
        assert len(picture.columns) >= 4  # from our supplier to the end user
        assert any(a.identity == ActorIdentity.OURSELVES for a in picture.actors)
        assert {f.kind for f in picture.flows} >= {FlowKind.GOODS, FlowKind.MONEY}
        for flow in picture.flows:
            if flow.kind == FlowKind.GOODS:  # goods run left to right
                assert _column(picture, flow.source) < _column(picture, flow.target)
        for row in (chain, *chain.stages.all(), *chain.actors.all(), *chain.flows.all()):
            row.full_clean()
        for person in ActorPerson.objects.filter(actor__chain=chain):
            person.full_clean()
            if person.contact is not None:  # only people of the very customer are linked
                assert person.contact.customer_id == person.actor.customer_id
    flows = ChainFlow.objects.all()
    assert {f.kind for f in flows} == set(FlowKind.values)
    assert flows.exclude(volume="").exists()
    assert ChainActor.objects.filter(identity=ActorIdentity.GROUP, number__gte=60).count() >= 3
    assert ChainActor.objects.filter(name="ca. 400 Handwerksbetriebe", number=400).exists()
    assert ChainActor.objects.exclude(success_factors="").count() >= 12
    assert ChainActor.objects.exclude(competitive_position="").count() >= 12
    blind = ActorPerson.objects.filter(in_contact=False).values_list("role", flat=True)
    assert {"Produktionsleitung", "Qualitätssicherung"} <= set(blind)
    scoped = Chain.objects.get(scope=ChainScope.CUSTOMER)
    builder = scoped.actors.get(customer=scoped.customer)
    assert builder.people.filter(contact__isnull=False, in_contact=True).exists()
    assert (
        ChainActor.objects.filter(identity=ActorIdentity.CUSTOMER)
        .exclude(customer=scoped.customer)
        .exists()
    )  # a customer of ours further along some chain


def test_the_machine_builders_chain_goes_to_a_machine_builder_when_there_is_one() -> None:
    load_demo(customers=40, seed=7)
    scoped = Chain.objects.get(scope=ChainScope.CUSTOMER)
    assert scoped.customer is not None
    if Customer.objects.filter(industries__code="28").exists():
        assert scoped.customer.industries.filter(code="28").exists()


def _column(picture: ChainPicture, actor: ChainActor) -> int:
    return next(s.column for s in picture.stages if s.stage.pk == actor.stage_id)
