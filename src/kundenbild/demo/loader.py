"""Loads the generated demo book of business into the database, in one transaction."""

from __future__ import annotations

import math
import random
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from django.db import transaction
from django.db.models import Sum
from django.db.models.functions import ExtractYear
from django.utils import timezone

from kundenbild.accounts.models import User
from kundenbild.activities.models import Activity
from kundenbild.buying_center.models import (
    Acquaintance,
    BuyingCenter,
    BuyingRole,
    Contact,
    ContactRelation,
)
from kundenbild.chains.models import Chain
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
from kundenbild.core.bulk import history_baseline
from kundenbild.customers.models import Address, AddressKind, BusinessUnit, Customer, SizeClass
from kundenbild.demo.chains import DemoChain, generate_chains
from kundenbild.demo.generator import (
    DemoBusinessUnit,
    DemoCompany,
    DemoContact,
    generate_activities,
    generate_business_units,
    generate_buying_centers,
    generate_companies,
    generate_contacts,
    generate_fascination,
    generate_finance,
    generate_needs,
    generate_relations,
    offerings,
    sales_line_batches,
)
from kundenbild.demo.models import DemoLabel
from kundenbild.demo.users import demo_users_create
from kundenbild.finance.models import Condition, CustomerCost, FinanceProfile, SalesLine
from kundenbild.offerings.models import FascinationAssessment, Offering, OfferingGroup
from kundenbild.portfolio.models import CoachingFocus, CoachingGoal
from kundenbild.potential.models import Demand, EffectiveDemand, Need
from kundenbild.profile.models import AreaReview, ProfileArea

Progress = Callable[[int, int, str], None]
CENT = Decimal("0.01")
MILLI = Decimal("0.001")


@dataclass(frozen=True)
class DemoSummary:
    customers: int
    contacts: int
    sales_lines: int


def demo_is_loaded() -> bool:
    return Customer.objects.exists()


def _money(value: float) -> Decimal:
    return Decimal(repr(value)).quantize(CENT)


@transaction.atomic
def load_demo(
    *, customers: int = 250, seed: int = 42, progress: Progress | None = None
) -> DemoSummary:
    """Create users, customers, contacts and sales lines; all or nothing."""
    report = progress or (lambda done, total, what: None)
    logins, managers = demo_users_create()
    by_username = {u.username: u for u in logins}
    end = timezone.localdate().replace(day=1) - timedelta(days=1)  # history up to last month
    companies = generate_companies(customers, seed=seed, end=end)
    report(0, len(companies), "Customers")
    by_number = _load_customers(companies, managers, by_username, seed=seed)
    business_units = _load_business_units(companies, by_number, seed=seed)
    _load_offerings_and_fascination(companies, by_number, seed=seed, end=end)
    _load_finance(companies, by_number, seed=seed, end=end)
    _load_activities(companies, by_number, seed=seed)
    contacts = generate_contacts(companies, seed=seed)
    people = _load_people(contacts, business_units, by_number, by_username["sales"], seed=seed)
    lines = _load_sales_lines(companies, by_number, seed=seed, end=end, report=report)
    _load_needs(companies, by_number, seed=seed, end=end)
    _load_reviews(by_number, seed=seed)
    _load_costs(by_number, seed=seed, end=end)
    for chain in generate_chains(companies, contacts, seed=seed):
        _load_chain(chain, by_number, people, fallback_by=by_username["management"])
    _load_coaching(companies, by_number, seed=seed, end=end, fallback_by=by_username["management"])
    _record_creation()
    return DemoSummary(customers=len(companies), contacts=len(contacts), sales_lines=lines)


BULK_LOADED_WITH_HISTORY = (
    Customer,
    Address,
    BusinessUnit,
    Contact,
    Acquaintance,
    ContactRelation,
    BuyingCenter,
    Offering,
    FascinationAssessment,
    FinanceProfile,
    Condition,
    CustomerCost,
    Activity,
    CoachingFocus,
)
"""The models with a history that the demo inserts in bulk. Area reviews are not among
them: their history is the list of confirmations, each dated by its review."""


def _record_creation() -> None:
    """Each object inserted in bulk gets the "+" history row a save would have written,
    so that a first edit of a demo customer shows what it changed, and only that."""
    for model in BULK_LOADED_WITH_HISTORY:
        history_baseline(model, by=None, reason="")


def coaching_start(end: date) -> date:
    """The last day of the month a year before `end` (the last day of a month): the demo's
    coaching foci start then, and `kundenbild demo` runs an analysis as of that day, so
    that they have a value before the start and a year of values since."""
    first = date(end.year - 1, end.month, 1)
    return (first + timedelta(days=32)).replace(day=1) - timedelta(days=1)


def demo_coaching_baseline() -> date:
    """The as-of date of the analysis before the demo's coaching foci started."""
    return coaching_start(timezone.localdate().replace(day=1) - timedelta(days=1))


def _load_customers(
    companies: list[DemoCompany],
    managers: list[User],
    by_username: dict[str, User],
    *,
    seed: int,
) -> dict[str, Customer]:
    """The customers with their group parents, industries, account teams, headquarters
    and the shape each was generated with; by number."""
    rng = random.Random(seed)
    objects = []
    for company in companies:
        owner = managers[0] if rng.random() < 0.3 else rng.choice(managers[1:])
        objects.append(
            Customer(
                number=company.number,
                name=company.name,
                legal_form=company.legal_form,
                employees=company.employees,
                size_class=SizeClass.for_employees(company.employees),
                register_court=company.register_court,
                register_number=company.register_number,
                vat_id=company.vat_id,
                owner=owner,
            )
        )
    Customer.objects.bulk_create(objects, batch_size=500)
    by_number = {c.number: c for c in Customer.objects.all()}

    parents = []
    for company in companies:
        if company.parent_number:
            child = by_number[company.number]
            child.parent = by_number[company.parent_number]
            parents.append(child)
    Customer.objects.bulk_update(parents, ["parent"], batch_size=500)

    industry_links = [
        Customer.industries.through(customer_id=by_number[c.number].pk, industry_id=c.wz_division)
        for c in companies
    ]
    Customer.industries.through.objects.bulk_create(industry_links, batch_size=1000)
    team_links = []
    for customer in by_number.values():
        if rng.random() < 0.4:
            team_links.append(
                Customer.account_team.through(
                    customer_id=customer.pk, user_id=by_username["sales"].pk
                )
            )
        if rng.random() < 0.25:
            team_links.append(
                Customer.account_team.through(
                    customer_id=customer.pk, user_id=by_username["service"].pk
                )
            )
    Customer.account_team.through.objects.bulk_create(team_links, batch_size=1000)

    Address.objects.bulk_create(
        [
            Address(
                customer=by_number[c.number],
                kind=AddressKind.HEADQUARTERS,
                street=c.street,
                postal_code=c.postal_code,
                city=c.city,
                country="DE",
            )
            for c in companies
        ],
        batch_size=500,
    )
    DemoLabel.objects.bulk_create(
        [DemoLabel(customer=by_number[c.number], shape=c.shape) for c in companies], batch_size=500
    )
    return by_number


def _load_business_units(
    companies: list[DemoCompany], by_number: dict[str, Customer], *, seed: int
) -> list[DemoBusinessUnit]:
    business_units = generate_business_units(companies, seed=seed)
    BusinessUnit.objects.bulk_create(
        [
            BusinessUnit(
                customer=by_number[u.customer_number], name=u.name, description=u.description
            )
            for u in business_units
        ],
        batch_size=500,
    )
    return business_units


def _load_people(
    contacts: list[DemoContact],
    business_units: list[DemoBusinessUnit],
    by_number: dict[str, Customer],
    sales: User,
    *,
    seed: int,
) -> list[Contact]:
    """The people of every buying center: roles, who of us knows them, their relations,
    and the buying centers they sit in."""
    today = timezone.localdate()
    people = Contact.objects.bulk_create(
        [
            Contact(
                customer=by_number[p.customer_number],
                first_name=p.first_name,
                last_name=p.last_name,
                function=p.function,
                department=p.department,
                organisation=p.organisation,
                email=p.email,
                phone=p.phone,
                influence=p.influence,
                attitude=p.attitude,
                last_contact_on=None
                if p.last_contact_days_ago is None
                else today - timedelta(days=p.last_contact_days_ago),
            )
            for p in contacts
        ],
        batch_size=500,
    )
    role_ids = dict(BuyingRole.objects.values_list("code", "pk"))
    Contact.buying_roles.through.objects.bulk_create(
        [
            Contact.buying_roles.through(contact_id=person.pk, buyingrole_id=role_ids[code])
            for person, p in zip(people, contacts, strict=True)
            for code in p.roles
        ],
        batch_size=1000,
    )
    Acquaintance.objects.bulk_create(
        [
            *(
                Acquaintance(
                    contact_id=person.pk, user_id=person.customer.owner_id, closeness=p.closeness
                )
                for person, p in zip(people, contacts, strict=True)
                if p.known_by_owner and person.customer.owner_id
            ),
            *(
                Acquaintance(contact_id=person.pk, user_id=sales.pk, closeness="slight")
                for person, p in zip(people, contacts, strict=True)
                if p.known_by_sales and person.customer.owner_id != sales.pk
            ),
        ],
        batch_size=1000,
    )
    ContactRelation.objects.bulk_create(
        [
            ContactRelation(source=people[r.source], target=people[r.target], kind=r.kind)
            for r in generate_relations(contacts, seed=seed)
        ],
        batch_size=1000,
    )
    _load_buying_centers(contacts, business_units, people, by_number, seed=seed)
    return people


def _load_buying_centers(
    contacts: list[DemoContact],
    business_units: list[DemoBusinessUnit],
    people: list[Contact],
    by_number: dict[str, Customer],
    *,
    seed: int,
) -> None:
    """The buying centers, per business unit or decision, and who sits in each."""
    units = {(u.customer_id, u.name): u for u in BusinessUnit.objects.all()}
    demo_centers = generate_buying_centers(contacts, business_units, seed=seed)
    centers = BuyingCenter.objects.bulk_create(
        [
            BuyingCenter(
                customer=by_number[c.customer_number],
                name=c.name,
                business_unit=units.get((by_number[c.customer_number].pk, c.unit_name or "")),
                decision=c.decision,
            )
            for c in demo_centers
        ],
        batch_size=500,
    )
    BuyingCenter.members.through.objects.bulk_create(
        [
            BuyingCenter.members.through(buyingcenter_id=center.pk, contact_id=people[i].pk)
            for center, c in zip(centers, demo_centers, strict=True)
            for i in c.members
        ],
        batch_size=1000,
    )


def _load_sales_lines(
    companies: list[DemoCompany],
    by_number: dict[str, Customer],
    *,
    seed: int,
    end: date,
    report: Progress,
) -> int:
    """The invoice lines of every customer, in batches; returns how many."""
    lines = 0
    for batch in sales_line_batches(companies, seed=seed, end=end):
        rows = batch.to_pylist()
        SalesLine.objects.bulk_create(
            [
                SalesLine(
                    customer_id=by_number[r["customer_number"]].pk,
                    invoice_number=r["invoice_number"],
                    line_number=r["line_number"],
                    invoice_date=r["invoice_date"],
                    article_number=r["article_number"],
                    quantity=Decimal(repr(r["quantity"])).quantize(MILLI),
                    net_revenue=_money(r["net_revenue"]),
                    cost_of_goods=_money(r["cost_of_goods"]),
                    discount=_money(r["discount"]),
                    freight=_money(r["freight"]),
                )
                for r in rows
            ],
            batch_size=2000,
        )
        lines += len(rows)
        report(lines, 0, "Sales lines")
    return lines


def _load_offerings_and_fascination(
    companies: list[DemoCompany], by_number: dict[str, Customer], *, seed: int, end: date
) -> None:
    catalogue = offerings()
    groups = {
        name_de: OfferingGroup.objects.get_or_create(
            name_de=name_de, defaults={"name_en": name_en}
        )[0]
        for name_de, name_en in {(o.group_de, o.group_en) for o in catalogue}
    }
    Offering.objects.bulk_create(
        [
            Offering(
                number=o.number,
                name_de=o.name_de,
                name_en=o.name_en,
                group=groups[o.group_de],
                kind=o.kind,
            )
            for o in catalogue
        ]
    )
    offering_by_number = {o.number: o for o in Offering.objects.all()}
    FascinationAssessment.objects.bulk_create(
        [
            FascinationAssessment(
                customer=by_number[a.customer_number],
                offering=offering_by_number[a.article_number],
                level=a.level,
                assessed_on=a.assessed_on,
                note=a.note,
            )
            for a in generate_fascination(companies, seed=seed, end=end)
        ],
        batch_size=1000,
    )


def _load_finance(
    companies: list[DemoCompany], by_number: dict[str, Customer], *, seed: int, end: date
) -> None:
    profiles, conditions = generate_finance(companies, seed=seed, end=end)
    FinanceProfile.objects.bulk_create(
        [
            FinanceProfile(
                customer=by_number[p.customer_number],
                credit_rating=p.credit_rating,
                credit_source=p.credit_source,
                rated_on=p.rated_on,
                credit_limit=Decimal(p.credit_limit),
                payment_days_net=p.payment_days_net,
                cash_discount_percent=None
                if p.cash_discount_percent is None
                else Decimal(repr(p.cash_discount_percent)),
                cash_discount_days=p.cash_discount_days,
                observed_days_to_pay=Decimal(repr(p.observed_days_to_pay)),
            )
            for p in profiles
        ],
        batch_size=500,
    )
    Condition.objects.bulk_create(
        [
            Condition(
                customer=by_number[c.customer_number],
                kind=c.kind,
                description=c.description,
                percent=Decimal(repr(c.percent)),
                valid_from=c.valid_from,
                valid_until=c.valid_until,
            )
            for c in conditions
        ],
        batch_size=500,
    )


def _load_activities(
    companies: list[DemoCompany], by_number: dict[str, Customer], *, seed: int
) -> None:
    today = timezone.localdate()
    activities = []
    for a in generate_activities(companies, seed=seed):
        customer = by_number[a.customer_number]
        occurred = today - timedelta(days=a.days_ago)
        follow_up = (
            None
            if a.follow_up_in_days is None
            else max(occurred, today + timedelta(days=a.follow_up_in_days))
        )
        activities.append(
            Activity(
                customer=customer,
                kind=a.kind,
                occurred_on=occurred,
                subject=a.subject,
                outcome=a.outcome,
                next_step=a.next_step,
                follow_up_on=follow_up,
                follow_up_by_id=customer.owner_id if follow_up else None,
                created_by_id=customer.owner_id,
            )
        )
    Activity.objects.bulk_create(activities, batch_size=500)


def _load_needs(
    companies: list[DemoCompany], by_number: dict[str, Customer], *, seed: int, end: date
) -> None:
    """Needs with demand and effective demand for last year and this year.

    Effective demand for our offerings is sized from what the customer really bought, so
    that the share of wallet the page computes from the sales lines is the intended one.
    """
    years = (end.year - 1, end.year)
    bought = {
        (row["customer_id"], row["article_number"], row["year"]): row["revenue"]
        for row in SalesLine.objects.filter(invoice_date__year__in=years)
        .annotate(year=ExtractYear("invoice_date"))
        .values("customer_id", "article_number", "year")
        .annotate(revenue=Sum("net_revenue"))
    }
    catalogue = {o.number: o for o in Offering.objects.all()}
    number_of = {c.pk: n for n, c in by_number.items()}
    articles_bought: dict[str, set[str]] = {}
    for customer_id, article, year in bought:
        if year == end.year:  # what they buy now, so this year's share of wallet has substance
            articles_bought.setdefault(number_of[customer_id], set()).add(article)
    rng = random.Random(seed)
    demo_needs = generate_needs(
        companies,
        sorted(catalogue),
        bought={n: sorted(a & catalogue.keys()) for n, a in articles_bought.items()},
        seed=seed,
    )
    for demo_need in demo_needs:
        customer = by_number[demo_need.customer_number]
        need = Need.objects.create(
            customer=customer,
            title=demo_need.title,
            description=demo_need.description,
            priority=demo_need.priority,
        )
        for d in demo_need.demands:
            demand = Demand.objects.create(
                need=need,
                offering=catalogue.get(d.article_number or ""),
                competitor=d.competitor,
                competitor_offering=d.competitor_offering,
            )
            base = rng.randrange(8_000, 120_000)
            for year in years:
                ours = bought.get((customer.pk, d.article_number or "", year))
                wallet = float(ours) / d.share_of_wallet if ours and d.share_of_wallet else base
                EffectiveDemand.objects.create(
                    demand=demand,
                    year=year,
                    amount=Decimal(max(1, math.ceil(wallet / 1000)) * 1000),
                    confidence=d.confidence,
                    source=d.source,
                )


def _load_reviews(by_number: dict[str, Customer], *, seed: int) -> None:
    """Reviews of each area at varied ages, some never: so some profiles are due."""
    rng = random.Random(seed)
    today = timezone.localdate()
    reviews = [
        AreaReview(
            customer=customer,
            area=area,
            reviewed_on=today - timedelta(days=rng.randrange(0, 420)),
            reviewed_by_id=customer.owner_id,
        )
        for customer in by_number.values()
        for area in ProfileArea.values
        if rng.random() < 0.8
    ]
    AreaReview.objects.bulk_create(reviews, batch_size=1000)


def _load_costs(by_number: dict[str, Customer], *, seed: int, end: date) -> None:
    """Yearly bonuses for about a third of the customers (1-3 % of their revenue), and
    key account effort for the larger ones, so that margins II and III differ."""
    rng = random.Random(seed)
    revenue = {
        (row["customer_id"], row["year"]): row["revenue"]
        for row in SalesLine.objects.annotate(year=ExtractYear("invoice_date"))
        .values("customer_id", "year")
        .annotate(revenue=Sum("net_revenue"))
    }
    costs = []
    for customer in by_number.values():
        bonus_rate = Decimal(rng.choice((1, 2, 3))) / 100 if rng.random() < 0.35 else None
        for year in (end.year - 1, end.year):
            sold = Decimal(revenue.get((customer.pk, year)) or 0)
            if bonus_rate and sold > 0:
                amount = (sold * bonus_rate).quantize(Decimal("0.01"))
                costs.append(
                    CustomerCost(customer=customer, year=year, kind="bonus", amount=amount)
                )
            if sold > 200_000:
                effort = Decimal(rng.randrange(2_000, 12_000))
                costs.append(
                    CustomerCost(customer=customer, year=year, kind="key_account", amount=effort)
                )
    CustomerCost.objects.bulk_create(costs, batch_size=1000)


def _load_chain(
    demo: DemoChain, by_number: dict[str, Customer], people: list[Contact], *, fallback_by: User
) -> Chain:
    """One chain through the chain services, so demo chains pass the same checks and get
    the same history as those drawn by hand; a customer's chain is its manager's."""
    customer = by_number[demo.customer_number] if demo.customer_number else None
    offering = Offering.objects.filter(number=demo.offering_number).first()
    group = OfferingGroup.objects.filter(name_de=demo.offering_group).first()
    chain = chain_save(
        data=ChainData(
            name=demo.name,
            scope=demo.scope,
            offering_id=offering.pk if offering else None,
            offering_group_id=group.pk if group else None,
            customer_id=customer.pk if customer else None,
            industry_code=demo.industry,
            description=demo.description,
        ),
        by=(customer.owner if customer and customer.owner else fallback_by),
    )
    stages: dict[str, int] = {}
    for stage in demo.stages:
        follows = tuple(stages[name] for name in stage.follows)
        stages[stage.name] = stage_save(
            chain=chain,
            data=StageData(name=stage.name, description=stage.description, follows_ids=follows),
        ).pk
    actors = {}
    for a in demo.actors:
        linked = by_number[a.customer_number] if a.customer_number else None
        actor = actor_save(
            chain=chain,
            data=ActorData(
                stage_id=stages[a.stage],
                identity=a.identity,
                kind=a.kind,
                name=a.name,
                customer_id=linked.pk if linked else None,
                size=a.size,
                importance=a.importance,
                competitive_position=a.competitive_position,
                number=a.number,
                relationship=a.relationship,
                success_factors=a.success_factors,
                notes=a.notes,
            ),
        )
        actors[a.key] = actor
        for p in a.people:
            person_save(
                actor=actor,
                data=PersonData(
                    contact_id=None if p.contact is None else people[p.contact].pk,
                    name=p.name,
                    role=p.role,
                    in_contact=p.in_contact,
                    note=p.note,
                ),
            )
    for f in demo.flows:
        flow_save(
            chain=chain,
            data=FlowData(
                source_id=actors[f.source].pk,
                target_id=actors[f.target].pk,
                kind=f.kind,
                volume=f.volume,
                note=f.note,
            ),
        )
    return chain


# about one customer in twenty-five in focus, at most 12: enough per goal for a Wirkung
COACHING_SHARE = 25
COACHING_MAX = 12


def _coaching_target(revenue: Decimal | None) -> Decimal | None:
    """The revenue of the year before the start plus 15 %; none where credit notes left
    that year at 0 or below (a target below 0 means nothing)."""
    if revenue is None or revenue <= 0:
        return None
    return (Decimal(revenue) * Decimal("1.15")).quantize(Decimal("1"))


def _load_coaching(
    companies: list[DemoCompany],
    by_number: dict[str, Customer],
    *,
    seed: int,
    end: date,
    fallback_by: User,
) -> None:
    """Coaching foci started a year ago, for customers that bought before and after the
    start, spread over the three goals; the target is the revenue of the year before the
    start plus 15 % (`_coaching_target`). So the coaching list and the portfolio show an effect."""
    rng = random.Random(seed)
    start = coaching_start(end)
    active = [
        c
        for c in companies
        if c.first_order < start - timedelta(days=365) and (c.last_order or end) > start
    ]
    chosen = rng.sample(active, min(COACHING_MAX, len(companies) // COACHING_SHARE, len(active)))
    customers = [by_number[c.number] for c in chosen]
    revenue = dict(
        SalesLine.objects.filter(
            customer__in=customers,
            invoice_date__gt=start - timedelta(days=365),
            invoice_date__lte=start,
        )
        .values("customer_id")
        .annotate(revenue=Sum("net_revenue"))
        .values_list("customer_id", "revenue")
    )
    goals = list(CoachingGoal.values)
    CoachingFocus.objects.bulk_create(
        [
            CoachingFocus(
                customer=customer,
                goal=goals[i % len(goals)],
                owner_id=customer.owner_id or fallback_by.pk,
                target_revenue=_coaching_target(revenue.get(customer.pk)),
                review_on=timezone.localdate() + timedelta(days=rng.randrange(-14, 90)),
                note="",
                started_on=start,
                created_by_id=customer.owner_id or fallback_by.pk,
            )
            for i, customer in enumerate(customers)
        ]
    )
