"""Benchmark: the customer profile pages and the lists at scale, against a trivial page.

    uv run python bench/bench_pages.py [--customers 100000] [--repeat 7]

Builds a throwaway SQLite database with N customers, all owned by one key account
manager (with headquarters, and 12-month revenue for the first 20,000), and one customer
with 30 people (roles, relations, who of us knows them), 40 assessed offerings, 200
sales lines and 5 needs with 10 demands. It then times requests through Django's test
client as the controller (who sees finance data) and as that key account manager (whose
start page, coverage list and global search span all N customers). The customer also has a
problem-solving chain of 6 stages, 60 actors (30 of them linked customers), 80 flows and
120 people. The baseline is the login page, rendered in the same run, so the printed
ratios are comparable across machines; the medians are machine-dependent.
"""

from __future__ import annotations

import argparse
import os
import resource
import statistics
import tempfile
import time
from datetime import date, timedelta
from decimal import Decimal
from typing import Any


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--customers", type=int, default=100_000)
    parser.add_argument("--repeat", type=int, default=7)
    parser.add_argument("--only", default="", help="Time only the cases containing this text.")
    args = parser.parse_args()
    os.environ["KUNDENBILD_DATA_DIR"] = tempfile.mkdtemp(prefix="kundenbild-bench-")
    os.environ.setdefault("KUNDENBILD_SECRET_KEY", "bench")
    os.environ["KUNDENBILD_ALLOWED_HOSTS"] = "testserver"
    os.environ["DJANGO_SETTINGS_MODULE"] = "kundenbild.settings"
    os.environ.pop("KUNDENBILD_DATABASE_URL", None)
    import django

    django.setup()
    from django.core.management import call_command
    from django.test import Client

    call_command("migrate", verbosity=0)
    started = time.perf_counter()
    target_id, controller, manager = _build(args.customers)
    chain_id = _chain(target_id, manager)
    print(f"built {args.customers:,} customers in {time.perf_counter() - started:.1f} s")

    client = Client()
    client.force_login(controller)
    owner = Client()
    owner.force_login(manager)
    for customer_id in range(target_id, target_id + 8):  # the top bar's "recently viewed"
        owner.get(f"/customers/{customer_id}/")
    cases = {
        "baseline: login page (anonymous)": (Client(), "/accounts/login/"),
        "customer page (30 people, 40 offerings)": (client, f"/customers/{target_id}/"),
        "customer list, page 1 by name": (client, "/customers/"),
        "customer list, page 2000 by name": (client, "/customers/?page=2000"),
        "customer list, search 'werk'": (client, "/customers/?q=werk"),
        "customer list, sorted by 12-month revenue": (client, "/customers/?sort=-revenue"),
        "API list, page_size 100": (client, "/api/customers/?page_size=100"),
        "buying center page with map (30 people)": (
            client,
            f"/buying-center/customers/{target_id}/",
        ),
        "needs and potential page (5 needs)": (client, f"/potential/customers/{target_id}/"),
        "changes page (all areas)": (client, f"/customers/{target_id}/history/"),
        "start page of the owner of all customers": (owner, "/"),
        "coverage list, owner of all customers": (owner, "/buying-center/coverage/"),
        "coverage list, all customers, page 500": (
            owner,
            "/buying-center/coverage/?all=1&page=500",
        ),
        "chain page (60 actors, 80 flows, 120 people)": (client, f"/chains/{chain_id}/"),
        "chain API, the whole chain": (client, f"/api/chains/{chain_id}"),
        "chain diagram as SVG": (client, f"/chains/{chain_id}/diagram.svg"),
        "portfolio (all customers of the analysis)": (client, "/portfolio/"),
        "portfolio, one value type": (client, "/portfolio/?value_type=growth"),
        "selection for revenue growth, top 25": (client, "/portfolio/selection/?goal=growth"),
        "selection API, innovation, top 100": (
            client,
            "/api/selection/?goal=innovation&limit=100",
        ),
        "selection, pearls, grouped by type": (
            client,
            "/portfolio/selection/?goal=pearls&by_type=1",
        ),
        "selection for growth, one offering's scope": (
            client,
            "/portfolio/selection/?goal=growth&offering=O-1",
        ),
        "portfolio, one offering's scope": (client, "/portfolio/?offering=O-1"),
        "global search page, 'werk 4711' (25 per kind)": (owner, "/search/?q=werk+4711"),
        "search suggestions, 'werk' (every 5th matches)": (owner, "/search/suggestions/?q=werk"),
        "search suggestions, 'berlin' (all by city)": (owner, "/search/suggestions/?q=berlin"),
        "search suggestions, 'zzz' (no match)": (owner, "/search/suggestions/?q=zzz"),
        "search suggestions, empty (8 recently viewed)": (owner, "/search/suggestions/?q="),
    }
    medians = {}
    for name, (c, url) in cases.items():
        if args.only and args.only not in name and not name.startswith("baseline"):
            continue
        timings = []
        for _ in range(args.repeat):
            t = time.perf_counter()
            response = c.get(url)
            timings.append(time.perf_counter() - t)
            assert response.status_code == 200, (url, response.status_code)
        medians[name] = statistics.median(timings)
    base = medians["baseline: login page (anonymous)"]
    print(f"{'case':<45} {'median ms':>10} {'ratio':>8}")
    for name, value in medians.items():
        print(f"{name:<45} {value * 1000:>10.1f} {value / base:>8.1f}")
    print(f"peak RSS {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MB")


def _build(n: int) -> tuple[int, Any, Any]:
    from kundenbild.accounts.models import User
    from kundenbild.accounts.services import role_get
    from kundenbild.buying_center.models import (
        Acquaintance,
        BuyingRole,
        Contact,
        ContactRelation,
    )
    from kundenbild.customers.models import Address, Customer
    from kundenbild.finance.models import SalesLine
    from kundenbild.offerings.models import FascinationAssessment, Offering, OfferingGroup
    from kundenbild.potential.models import Demand, EffectiveDemand, Need

    controller = User.objects.create(username="controller", role=role_get("controller"))
    manager = User.objects.create(username="kam", role=role_get("kam"))
    names = ("Werk", "Technik", "Bau", "Handel", "Logistik")
    Customer.objects.bulk_create(
        [
            Customer(number=f"K{i:07d}", name=f"{names[i % 5]} {i} GmbH", owner=manager)
            for i in range(n)
        ],
        batch_size=5000,
    )
    # customers of last year: every profile area's review clock has run out (the worst case)
    Customer.objects.update(created_at=Customer.objects.first().created_at - timedelta(days=400))  # type: ignore[union-attr]
    ids = list(Customer.objects.order_by("pk").values_list("pk", flat=True))
    Address.objects.bulk_create(
        [Address(customer_id=pk, street="Weg 1", postal_code="10115", city="Berlin") for pk in ids],
        batch_size=5000,
    )
    recent = date.today() - timedelta(days=30)
    SalesLine.objects.bulk_create(
        [
            SalesLine(
                customer_id=pk,
                invoice_number=f"R{pk}",
                line_number=1,
                invoice_date=recent,
                net_revenue=Decimal(pk % 9973),
            )
            for pk in ids[:20_000]
        ],
        batch_size=5000,
    )
    target = ids[0]
    people = Contact.objects.bulk_create(
        [
            Contact(
                customer_id=target,
                first_name="P",
                last_name=f"Person {i}",
                influence=("low", "medium", "high")[i % 3],
                attitude=("champion", "supporter", "neutral", "sceptic", "opponent")[i % 5],
                last_contact_on=date.today() - timedelta(days=20 * i),
            )
            for i in range(30)
        ]
    )
    roles = list(BuyingRole.objects.all())
    Contact.buying_roles.through.objects.bulk_create(
        [
            Contact.buying_roles.through(contact_id=p.pk, buyingrole_id=roles[i % 6].pk)
            for i, p in enumerate(people)
        ]
    )
    Acquaintance.objects.bulk_create(
        [Acquaintance(contact=p, user=manager, closeness="good") for p in people[::2]]
        + [Acquaintance(contact=p, user=controller) for p in people[::3]]
    )
    ContactRelation.objects.bulk_create(
        [ContactRelation(source=p, target=people[0], kind="reports_to") for p in people[1:]]
        + [
            ContactRelation(source=people[i], target=people[i + 1], kind="influences")
            for i in range(1, 21)
        ]
    )
    group = OfferingGroup.objects.create(name_de="Gruppe")
    Offering.objects.bulk_create(
        [
            Offering(number=f"O-{i}", name_de=f"Leistung {i}", group=group, kind="product")
            for i in range(40)
        ]
    )
    FascinationAssessment.objects.bulk_create(
        [
            FascinationAssessment(customer_id=target, offering=o, level=1 + o.pk % 4)
            for o in Offering.objects.all()
        ]
    )
    SalesLine.objects.bulk_create(
        [
            SalesLine(
                customer_id=target,
                invoice_number=f"T{i}",
                line_number=1,
                invoice_date=date.today() - timedelta(days=7 * i),
                net_revenue=Decimal(100 + i),
            )
            for i in range(200)
        ]
    )
    for n_need in range(5):
        need = Need.objects.create(customer_id=target, title=f"Bedürfnis {n_need}")
        for offering in Offering.objects.all()[n_need * 2 : n_need * 2 + 2]:
            demand = Demand.objects.create(need=need, offering=offering, competitor="Wettbewerb")
            EffectiveDemand.objects.create(
                demand=demand, year=date.today().year, amount=Decimal(50_000)
            )
    _analysis(ids)
    return target, controller, manager


def _chain(target: int, manager: Any) -> int:
    """A big chain for the target customer, built through the services like a user would."""
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
        data=ChainData(name="Große Kette", scope="customer", customer_id=target), by=manager
    )
    stages = []
    for n in range(6):
        follows = (stages[-1].pk,) if stages else ()
        stages.append(
            stage_save(chain=chain, data=StageData(name=f"Stufe {n}", follows_ids=follows))
        )
    actors = []
    for n in range(60):
        data = ActorData(
            stage_id=stages[n % 6].pk,
            identity="customer" if n % 2 else "group",
            customer_id=target + n if n % 2 else None,
            name=f"Gruppe {n}",
            kind="trade",
            number=1 if n % 2 else 50,
            importance=1 + n % 5,
        )
        actors.append(actor_save(chain=chain, data=data))
    for n in range(80):
        source, target_actor = actors[n % 54], actors[n % 54 + 6]
        kind = ("goods", "money", "services", "information")[n // 54 + (n % 2) * 2]
        flow_save(
            chain=chain, data=FlowData(source_id=source.pk, target_id=target_actor.pk, kind=kind)
        )
    for n, actor in enumerate(actors):
        person_save(actor=actor, data=PersonData(name=f"Person {n}", role="Einkauf"))
        person_save(actor=actor, data=PersonData(role="Produktion", in_contact=False))
    return chain.pk


def _analysis(ids: list[int]) -> None:
    """A finished analysis run with a value for every customer, figures spread widely."""
    from django.utils import timezone

    from kundenbild.insights.models import AnalysisRun, CustomerValue, RunStatus

    run = AnalysisRun.objects.create(
        as_of=date.today(), status=RunStatus.DONE, finished_at=timezone.now()
    )
    types = ("steady", "cyclical", "bell", "growth", "shrinking", "burr")
    values = []
    for i, customer_id in enumerate(ids):
        revenue = Decimal(1_000 + (i * 7919) % 200_000)
        values.append(
            CustomerValue(
                run=run,
                customer_id=customer_id,
                value_type=types[i % 6],
                lifecycle_phase="mature",
                reason_code="no_orders",
                abc_revenue="ABC"[i % 3],
                abc_margin="ABC"[(i // 3) % 3],
                revenue_12m=revenue,
                contribution_margin_12m=revenue * Decimal("0.3"),
                forecast_revenue_12m=revenue * Decimal(0.7 + (i % 7) / 10),
                forecast_margin_12m=revenue * Decimal("0.25"),
                p_alive=Decimal("0.9"),
                clv=revenue * Decimal("0.6"),
                potential=revenue * 2 if i % 4 == 0 else None,
                share_of_wallet=Decimal(50) if i % 4 == 0 else None,
            )
        )
    CustomerValue.objects.bulk_create(values, batch_size=5_000)


if __name__ == "__main__":
    main()
