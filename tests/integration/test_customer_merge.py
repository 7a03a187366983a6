"""Merging a duplicate customer into the one that remains: every row moves, clashes are
settled by the documented rules, the history and the record tell what happened."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from decimal import Decimal

import pytest
from django.db import models
from django.db.models import Sum
from simple_history.models import HistoricalChanges

from kundenbild.accounts.models import User
from kundenbild.activities.models import Activity
from kundenbild.buying_center.models import Acquaintance, BuyingCenter, Contact, ContactRelation
from kundenbild.chains.models import ActorPerson, ChainActor, ChainFlow, ChainStage
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
from kundenbild.core.errors import ApplicationError, ConflictError
from kundenbild.customers.merge import customer_merge, customer_merge_preview
from kundenbild.customers.models import (
    Address,
    AddressKind,
    BusinessUnit,
    Customer,
    CustomerMerge,
    Industry,
)
from kundenbild.demo.models import DemoLabel
from kundenbild.finance.models import Condition, CustomerCost, FinanceProfile, SalesLine
from kundenbild.insights.models import AnalysisRun, CustomerValue, RunStatus
from kundenbild.offerings.models import FascinationAssessment, Offering, OfferingGroup
from kundenbild.portfolio.models import CoachingFocus
from kundenbild.potential.models import Demand, EffectiveDemand, Need
from kundenbild.profile.models import AreaReview
from kundenbild.workspace.models import WorkItemDismissal
from tests.factories import ContactFactory, CustomerFactory, SalesLineFactory

pytestmark = pytest.mark.django_db

# rows of these tables refer to rows that move, not to the customer: they stay as they are
NESTED = (
    Acquaintance,
    ContactRelation,
    BuyingCenter.members.through,
    Activity.contacts.through,
    Demand,
    EffectiveDemand,
    ChainStage,
    ChainFlow,
    ActorPerson,
)


def _referring_tables() -> list[tuple[type[models.Model], str]]:
    """(table, foreign key) for every table that refers to a customer, history left out."""
    return [
        (r.related_model, r.field.name)
        for r in Customer._meta.get_fields(include_hidden=True)
        if r.auto_created
        and not r.concrete
        and isinstance(r.field, models.ForeignKey)
        and not issubclass(r.related_model, HistoricalChanges)
    ]


def _counts() -> dict[str, int]:
    tables = {model for model, _ in _referring_tables()} | set(NESTED) | {Customer}
    return {m._meta.label: m._base_manager.count() for m in tables}


@pytest.fixture
def offering(db) -> Offering:  # type: ignore[no-untyped-def]
    group = OfferingGroup.objects.create(name_de="Prüfgruppe")
    return Offering.objects.create(number="A-1", name_de="Prüfstand", group=group)


@pytest.fixture
def run(db) -> AnalysisRun:  # type: ignore[no-untyped-def]
    return AnalysisRun.objects.create(status=RunStatus.DONE)


def _value(run: AnalysisRun, customer: Customer, revenue: int) -> CustomerValue:
    return CustomerValue.objects.create(
        run=run,
        customer=customer,
        value_type="steady",
        lifecycle_phase="mature",
        reason_code="no_orders",
        abc_revenue="B",
        revenue_12m=Decimal(revenue),
    )


def _pair() -> tuple[Customer, Customer]:
    """A survivor and a duplicate with headquarters in different cities."""
    return CustomerFactory(), CustomerFactory(headquarters="Augsburg")


def _company(name: str, owner: User, revenue: int, offering: Offering) -> Customer:
    """A customer with a little of everything: people, activities, sales lines, needs,
    an assessment, a chain, addresses, a subsidiary, and history."""
    customer = CustomerFactory(name=name, owner=owner, headquarters=f"{name}heim")
    customer.notes = f"{name} nach Besuch"
    customer.save()  # a "~" row in its history
    Address.objects.create(
        customer=customer,
        kind="delivery",
        street=f"{name}weg 1",
        postal_code="28195",
        city="Bremen",
    )
    unit = BusinessUnit.objects.create(customer=customer, name=f"Werk {name}")
    boss = ContactFactory(customer=customer, roles=["decider"])
    buyer = ContactFactory(customer=customer, roles=["buyer"])
    Acquaintance.objects.create(contact=boss, user=owner)
    ContactRelation.objects.create(source=buyer, target=boss, kind="reports_to")
    center = BuyingCenter.objects.create(
        customer=customer, name=f"Lager {name}", business_unit=unit
    )
    center.members.add(boss, buyer)
    visit = Activity.objects.create(customer=customer, kind="visit", subject=f"Besuch {name}")
    visit.contacts.add(boss)
    for _ in range(3):
        SalesLineFactory(customer=customer, net_revenue=revenue)
    need = Need.objects.create(customer=customer, title=f"Bedarf {name}", business_unit=unit)
    demand = Demand.objects.create(need=need, offering=offering)
    EffectiveDemand.objects.create(demand=demand, year=2026, amount=5000)
    Condition.objects.create(
        customer=customer, kind="discount", description="Rahmen", valid_from=date(2025, 1, 1)
    )
    CustomerFactory(name=f"{name} Tochter", parent=customer)
    chain = chain_save(
        data=ChainData(name=f"Kette {name}", scope="customer", customer_id=customer.pk), by=owner
    )
    first = stage_save(chain=chain, data=StageData(name="Wir"))
    second = stage_save(chain=chain, data=StageData(name="Kunde", follows_ids=(first.pk,)))
    us = actor_save(
        chain=chain, data=ActorData(stage_id=first.pk, identity="ourselves", kind="manufacturer")
    )
    them = actor_save(
        chain=chain,
        data=ActorData(
            stage_id=second.pk, identity="customer", customer_id=customer.pk, kind="manufacturer"
        ),
    )
    flow_save(chain=chain, data=FlowData(source_id=us.pk, target_id=them.pk, kind="goods"))
    person_save(actor=them, data=PersonData(contact_id=boss.pk))
    WorkItemDismissal.objects.create(
        user=owner, customer=customer, kind="profile_stale", key=f"k{name}", summary="s", reason="r"
    )
    return customer


def test_every_row_moves_to_the_survivor_and_nothing_is_lost(users, offering, run) -> None:
    survivor = _company("Nord", users["kam"], 1000, offering)
    duplicate = _company("Süd", users["sales"], 250, offering)
    _value(run, duplicate, 750)
    FascinationAssessment.objects.create(customer=duplicate, offering=offering, level=3)
    revenue_before = SalesLine.objects.aggregate(total=Sum("net_revenue"))["total"]
    before = _counts()
    moved = {
        model._meta.label: model._base_manager.filter(**{fk: duplicate.pk}).count()
        for model, fk in _referring_tables()
    }

    record = customer_merge(survivor=survivor, duplicate=duplicate, by=users["admin"])

    assert not Customer.objects.filter(pk=duplicate.pk).exists()
    for model, fk in _referring_tables():
        assert not model._base_manager.filter(**{fk: duplicate.pk}).exists(), model
    assert _counts() == {
        **before,
        "customers.Customer": before["customers.Customer"] - 1,
        "customers.CustomerMerge": 1,
        # the duplicate's key account manager joins the survivor's team
        "customers.Customer_account_team": before["customers.Customer_account_team"] + 1,
    }
    assert record.dropped == {}  # nothing here clashes: see the clash tests
    assert record.moved == {label: n for label, n in moved.items() if n}
    assert record.moved["buying_center.Contact"] == 2
    assert record.moved["customers.Customer"] == 1  # the subsidiary
    assert survivor.sales_lines.aggregate(total=Sum("net_revenue"))["total"] == revenue_before
    assert survivor.sales_lines.count() == 6
    assert survivor.contacts.count() == 4
    assert survivor.subsidiaries.count() == 2
    assert survivor.chains.count() == 2
    assert ChainActor.objects.filter(customer=survivor).count() == 2
    assert survivor.values.get().revenue_12m == 750
    assert sorted(survivor.business_units.values_list("name", flat=True)) == [
        "Werk Nord",
        "Werk Süd",
    ]
    assert (record.survivor, record.survivor_number) == (survivor, survivor.number)
    assert (record.duplicate_id, record.duplicate_number, record.duplicate_name) == (
        duplicate.pk,
        duplicate.number,
        "Süd",
    )
    assert record.merged_by == users["admin"]
    assert record.snapshot["notes"] == "Süd nach Besuch"
    assert record.snapshot["owner_id"] == users["sales"].pk


def test_the_history_keeps_the_duplicate_and_dates_every_change(users, offering) -> None:
    survivor = _company("Nord", users["kam"], 1000, offering)
    duplicate = _company("Süd", users["sales"], 250, offering)
    duplicate.industries.add(Industry.objects.get(code="28"))
    version = survivor.version
    record = customer_merge(survivor=survivor, duplicate=duplicate, by=users["admin"])
    reason = f"merge:{record.pk}"

    life = Customer.history.filter(id=duplicate.pk).order_by("history_date", "history_id")
    assert [row.history_type for row in life] == ["+", "~", "~", "-"]  # notes, industries
    end = life.last()
    assert (end.history_change_reason, end.history_user, end.name) == (
        reason,
        users["admin"],
        "Süd",
    )
    latest = survivor.history.latest("history_date")
    assert (latest.history_type, latest.history_change_reason) == ("~", reason)
    assert [link.industry_id for link in latest.industries.all()] == ["28"]
    survivor.refresh_from_db()
    assert survivor.version == version + 1
    for model in (Contact, Activity, Need, Address, BusinessUnit, Condition, BuyingCenter):
        merged = model.history.filter(history_change_reason=reason)
        assert {r.history_type for r in merged} == {"~"}, model
        assert set(merged.values_list("id", flat=True)) == set(
            model.history.filter(customer_id=duplicate.pk).values_list("id", flat=True)
        ), model
        assert {r.customer_id for r in merged} == {survivor.pk}, model
    (subsidiary,) = Customer.history.filter(history_change_reason=reason, parent_id=survivor.pk)
    assert subsidiary.name == "Süd Tochter"


def test_the_duplicates_industries_and_team_join_the_survivors(users) -> None:
    survivor = CustomerFactory(owner=users["kam"])
    duplicate = CustomerFactory(owner=users["sales"], headquarters="Augsburg")
    survivor.industries.add("28", "46")
    duplicate.industries.add("28", "25")
    survivor.account_team.add(users["service"])
    duplicate.account_team.add(users["service"], users["controller"])
    record = customer_merge(survivor=survivor, duplicate=duplicate, by=None)
    assert sorted(survivor.industries.values_list("code", flat=True)) == ["25", "28", "46"]
    assert set(survivor.account_team.all()) == {
        users["service"],
        users["controller"],
        users["sales"],  # the duplicate's key account manager keeps the right to edit
    }
    assert survivor.owner == users["kam"]
    assert record.dropped == {
        "customers.Customer_industries": 1,
        "customers.Customer_account_team": 1,
    }
    assert record.snapshot["industries"] == ["25", "28"]


def test_an_identical_second_headquarters_is_dropped(users) -> None:
    survivor = CustomerFactory()
    duplicate = CustomerFactory()  # the same address, written differently
    Address.objects.filter(customer=duplicate).update(street=" industriestraße  1 ")
    record = customer_merge(survivor=survivor, duplicate=duplicate, by=None)
    assert [a.kind for a in survivor.addresses.all()] == [AddressKind.HEADQUARTERS]
    assert record.dropped == {"customers.Address": 1}
    assert "customers.Address" not in record.moved
    assert Address.history.filter(history_type="-", history_change_reason=f"merge:{record.pk}")


def test_a_different_second_headquarters_becomes_a_site(users) -> None:
    survivor = CustomerFactory()
    duplicate = CustomerFactory(headquarters="Augsburg")
    record = customer_merge(survivor=survivor, duplicate=duplicate, by=None)
    assert sorted((a.kind, a.city) for a in survivor.addresses.all()) == [
        ("headquarters", "München"),
        ("site", "Augsburg"),
    ]
    assert survivor.headquarters.city == "München"
    assert record.moved == {"customers.Address": 1}


def test_business_units_of_the_same_name_become_the_survivors_with_what_refers_to_them(
    users,
) -> None:
    survivor, duplicate = _pair()
    kept = BusinessUnit.objects.create(customer=survivor, name="Werkzeugbau", description="Ulm")
    theirs = BusinessUnit.objects.create(customer=duplicate, name="Werkzeugbau")
    BusinessUnit.objects.create(customer=duplicate, name="Gießerei")
    need = Need.objects.create(customer=duplicate, title="Standzeit", business_unit=theirs)
    center = BuyingCenter.objects.create(customer=duplicate, name="Werkzeuge", business_unit=theirs)
    record = customer_merge(survivor=survivor, duplicate=duplicate, by=None)
    assert sorted(survivor.business_units.values_list("name", flat=True)) == [
        "Gießerei",
        "Werkzeugbau",
    ]
    need.refresh_from_db()
    center.refresh_from_db()
    assert (need.customer, need.business_unit) == (survivor, kept)
    assert (center.customer, center.business_unit) == (survivor, kept)
    assert BusinessUnit.objects.get(pk=kept.pk).description == "Ulm"
    assert record.dropped == {"customers.BusinessUnit": 1}
    assert record.moved["customers.BusinessUnit"] == 1
    assert need.history.latest("history_date").history_change_reason == f"merge:{record.pk}"
    assert need.history.filter(history_change_reason=f"merge:{record.pk}").count() == 1


def test_buying_centers_of_the_same_name_are_united(users) -> None:
    survivor, duplicate = _pair()
    ours = BuyingCenter.objects.create(customer=survivor, name="Neues Lager", decision="Q2")
    theirs = BuyingCenter.objects.create(customer=duplicate, name="Neues Lager")
    ours.members.add(ContactFactory(customer=survivor))
    theirs.members.add(ContactFactory(customer=duplicate), ContactFactory(customer=duplicate))
    record = customer_merge(survivor=survivor, duplicate=duplicate, by=None)
    (center,) = survivor.buying_centers.all()
    assert (center.pk, center.decision) == (ours.pk, "Q2")
    assert center.members.count() == 3
    assert record.dropped == {"buying_center.BuyingCenter": 1}


def _assessment(customer: Customer, offering: Offering, rank: int) -> models.Model:
    return FascinationAssessment.objects.create(customer=customer, offering=offering, level=rank)


def _review(customer: Customer, offering: Offering, rank: int) -> models.Model:
    return AreaReview.objects.create(
        customer=customer, area="company", reviewed_on=date(2026, 1, rank)
    )


def _analysis_value(customer: Customer, offering: Offering, rank: int) -> models.Model:
    run = AnalysisRun.objects.get_or_create(status=RunStatus.DONE)[0]
    return _value(run, customer, rank * 100)


def _coaching(customer: Customer, offering: Offering, rank: int) -> models.Model:
    return CoachingFocus.objects.create(
        customer=customer,
        goal="growth",
        owner=User.objects.get(username="kam"),
        review_on=date(2026, 6, rank),
        started_on=date(2026, 1, 1),
    )


def _cost(customer: Customer, offering: Offering, rank: int) -> models.Model:
    return CustomerCost.objects.create(
        customer=customer, year=2025, month=3, kind="bonus", amount=rank * 100
    )


def _finance_profile(customer: Customer, offering: Offering, rank: int) -> models.Model:
    return FinanceProfile.objects.create(customer=customer, credit_rating=str(rank))


def _demo_label(customer: Customer, offering: Offering, rank: int) -> models.Model:
    return DemoLabel.objects.create(customer=customer, shape=f"shape{rank}")


@pytest.mark.parametrize(
    "make",
    [
        _assessment,
        _review,
        _analysis_value,
        _coaching,
        _cost,
        _finance_profile,
        _demo_label,
    ],
)
def test_where_both_have_one_the_survivors_row_wins(
    users, offering, make: Callable[[Customer, Offering, int], models.Model]
) -> None:
    survivor, duplicate = _pair()
    ours, theirs = make(survivor, offering, 1), make(duplicate, offering, 2)
    model = type(ours)
    record = customer_merge(survivor=survivor, duplicate=duplicate, by=users["admin"])
    assert list(model._base_manager.filter(customer=survivor)) == [ours]
    assert not model._base_manager.filter(pk=theirs.pk).exists()
    assert record.dropped == {model._meta.label: 1}
    if hasattr(model, "history"):
        gone = model.history.filter(id=theirs.pk).latest("history_date")
        assert (gone.history_type, gone.history_change_reason, gone.history_user) == (
            "-",
            f"merge:{record.pk}",
            users["admin"],
        )


def test_closed_coaching_and_a_cost_of_another_period_move_along(users, offering) -> None:
    survivor, duplicate = _pair()
    _coaching(survivor, offering, 1)
    closed = _coaching(duplicate, offering, 2)
    CoachingFocus.objects.filter(pk=closed.pk).update(closed_on=date(2026, 2, 1))
    _cost(survivor, offering, 1)
    CustomerCost.objects.create(customer=duplicate, year=2025, month=4, kind="bonus", amount=1)
    # a whole year has no month: NULL, which never clashes in the database either
    CustomerCost.objects.create(customer=survivor, year=2025, kind="bonus", amount=2)
    CustomerCost.objects.create(customer=duplicate, year=2025, kind="bonus", amount=3)
    record = customer_merge(survivor=survivor, duplicate=duplicate, by=None)
    assert record.dropped == {}
    assert survivor.coaching.count() == 2
    assert survivor.costs.count() == 4


def test_every_unique_constraint_on_a_customers_rows_has_its_clash_test() -> None:
    """A new constraint over a customer's rows needs a decision and a test above."""
    found = set()
    for model, fk in _referring_tables():
        field = model._meta.get_field(fk)
        if field.unique:
            found.add(model._meta.label)
        found |= {
            f"{model._meta.label}:{c.name}"
            for c in model._meta.constraints
            if isinstance(c, models.UniqueConstraint) and fk in c.fields
        }
        found |= {f"{model._meta.label}:together" for t in model._meta.unique_together if fk in t}
    assert found == {
        "customers.Customer_industries:together",
        "customers.Customer_account_team:together",
        "customers.Address:address_one_headquarters",
        "customers.BusinessUnit:business_unit_unique_name",
        "buying_center.BuyingCenter:buying_center_unique_name",
        "finance.FinanceProfile",
        "finance.CustomerCost:customer_cost_unique_period",
        "offerings.FascinationAssessment:fascination_one_per_offering",
        "profile.AreaReview:area_review_unique",
        "insights.CustomerValue:customer_value_once_per_run",
        "portfolio.CoachingFocus:coaching_focus_open_once_per_goal",
        "demo.DemoLabel",
    }


def test_a_customer_cannot_be_merged_into_itself(users) -> None:
    customer = CustomerFactory()
    with pytest.raises(ApplicationError) as refused:
        customer_merge(survivor=customer, duplicate=customer, by=None)
    assert refused.value.code == "merge_self"
    assert "nicht mit sich selbst" in str(refused.value.message)
    assert Customer.objects.filter(pk=customer.pk).exists()
    assert not CustomerMerge.objects.exists()


@pytest.mark.parametrize("depth", [1, 2])
def test_a_customer_cannot_be_merged_into_its_own_subsidiary(users, depth: int) -> None:
    duplicate = CustomerFactory(name="Holding AG")
    survivor = duplicate
    for level in range(depth):
        survivor = CustomerFactory(name=f"Tochter {level}", parent=survivor)
    with pytest.raises(ApplicationError) as refused:
        customer_merge(survivor=survivor, duplicate=duplicate, by=None)
    assert refused.value.code == "merge_cycle"
    assert "Holding AG" in str(refused.value.message)
    with pytest.raises(ApplicationError):
        customer_merge_preview(survivor, duplicate)
    assert Customer.objects.count() == depth + 1


def test_a_subsidiary_merged_into_its_parent_leaves_its_own_subsidiaries_to_it() -> None:
    survivor = CustomerFactory(name="Holding AG")
    duplicate = CustomerFactory(parent=survivor)
    grandchild = CustomerFactory(parent=duplicate)
    customer_merge(survivor=survivor, duplicate=duplicate, by=None)
    grandchild.refresh_from_db()
    assert grandchild.parent == survivor
    assert survivor.parent is None


def test_a_merge_that_would_make_the_group_too_deep_is_refused(settings) -> None:
    survivor = CustomerFactory()
    for _ in range(6):
        survivor = CustomerFactory(parent=survivor)
    duplicate = CustomerFactory()
    node = duplicate
    for _ in range(7):
        node = CustomerFactory(parent=node)
    with pytest.raises(ApplicationError) as refused:
        customer_merge(survivor=survivor, duplicate=duplicate, by=None)
    assert refused.value.code == "merge_too_deep"


def test_a_duplicate_merged_in_the_meantime_is_refused(users) -> None:
    survivor, duplicate, other = CustomerFactory(), CustomerFactory(), CustomerFactory()
    customer_merge(survivor=survivor, duplicate=duplicate, by=None)
    with pytest.raises(ConflictError):
        customer_merge(survivor=other, duplicate=duplicate, by=None)
    assert Customer.objects.filter(pk=other.pk).exists()


def test_earlier_merges_into_the_duplicate_follow_it() -> None:
    first, second, third = CustomerFactory(), CustomerFactory(), CustomerFactory()
    earlier = customer_merge(survivor=second, duplicate=first, by=None)
    customer_merge(survivor=third, duplicate=second, by=None)
    earlier.refresh_from_db()
    assert (earlier.survivor, earlier.survivor_number) == (third, second.number)


def test_the_preview_counts_what_would_move_by_kind(users, offering) -> None:
    survivor = CustomerFactory()
    duplicate = _company("Süd", users["sales"], 250, offering)
    duplicate.industries.add("28")
    preview = customer_merge_preview(survivor, duplicate)
    assert preview["Ansprechpartner"] == 2
    assert preview["Umsatzzeilen"] == 3
    assert preview["Tochtergesellschaften"] == 1
    assert preview["Branchen"] == 1
    assert preview["Adressen"] == 2
    assert "Bewertungen" not in preview  # none to move
    assert Customer.objects.filter(pk=duplicate.pk).exists()  # a preview changes nothing
