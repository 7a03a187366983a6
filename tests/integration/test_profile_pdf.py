"""The one-page customer profile as PDF: what each role gets, in which language, on one page."""

from __future__ import annotations

import io
from datetime import timedelta
from decimal import Decimal
from typing import Any

import pytest
from django.db.models import Count
from django.test import Client
from django.urls import reverse
from django.utils import timezone, translation
from pypdf import PdfReader

from kundenbild.buying_center.models import Acquaintance, BuyingRole, Closeness, Contact
from kundenbild.chains.models import Chain, ChainActor
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
from kundenbild.core.formatting import format_money
from kundenbild.customers.models import Address, AddressKind, BusinessUnit, Customer, Industry
from kundenbild.demo.loader import load_demo
from kundenbild.finance.margins import contribution_margins
from kundenbild.finance.selectors import finance_profile_get
from kundenbild.insights.models import CustomerValue, RunStatus
from kundenbild.insights.services import run_analysis
from kundenbild.offerings.models import FascinationAssessment, Offering, OfferingGroup
from kundenbild.portfolio.services import coaching_focus_start
from kundenbild.potential.models import Demand, EffectiveDemand, Need
from kundenbild.potential.selectors import customer_potential, potential_years, selected_year
from kundenbild.profile.pdf_views import ACTIVITY_ROOM_PEOPLE
from tests.factories import CustomerFactory

pytestmark = pytest.mark.django_db

EXTRA_CONTACTS = 24


@pytest.fixture
def customer(users) -> Customer:  # type: ignore[no-untyped-def]
    """A demo customer with a forecast, its profile filled beyond what fits on a page:
    many people known by several of us, offerings on every level, needs, a coaching focus."""
    load_demo(customers=12, seed=5)
    for user in users.values():
        user.refresh_from_db()  # the demo gave them its password: log in with the new one
    assert run_analysis().status == RunStatus.DONE
    customer = (
        Customer.objects.filter(values__forecast_revenue_12m__gt=0, values__clv__isnull=False)
        .annotate(people=Count("contacts", distinct=True))
        .order_by("-people", "number")
        .first()
    )
    assert customer is not None
    customer.name = "Maschinen- und Anlagenbau Schwäbische Alb Präzisionstechnik GmbH & Co. KG"
    customer.save()
    customer.industries.set(Industry.objects.order_by("code")[:3])
    roles = list(BuyingRole.objects.all())
    for i in range(EXTRA_CONTACTS):
        contact = Contact.objects.create(
            customer=customer,
            first_name="Maximiliane-Charlotte",
            last_name=f"Zwingenberger-Hohenstein {i:02d}",
            function="Leiterin strategischer Einkauf und Lieferantenmanagement Europa",
            influence="high" if i % 3 == 0 else "medium",
            attitude=("champion", "sceptic", "opponent", "neutral")[i % 4],
        )
        contact.buying_roles.set(roles if i % 2 else roles[:2])
        for user in (users["kam"], users["sales"], users["service"]):
            Acquaintance.objects.create(contact=contact, user=user, closeness=Closeness.GOOD)
    group = OfferingGroup.objects.create(name_de="Prüfgruppe")
    for i in range(24):
        offering = Offering.objects.create(
            number=f"PDF-{i:02d}",
            name_de=f"Instandhaltungsvertrag mit Rufbereitschaft rund um die Uhr {i}",
            group=group,
            kind="service",
        )
        FascinationAssessment.objects.create(customer=customer, offering=offering, level=i % 4 + 1)
    for i in range(9):
        need = Need.objects.create(customer=customer, title=f"Stillstände der Fertigungslinie {i}")
        demand = Demand.objects.create(
            need=need,
            competitor=f"Wettbewerber Industrieversorgung Süd {i}",
            competitor_offering=f"Vollservice-Vertrag für Antriebe und Hydraulik {i}",
        )
        EffectiveDemand.objects.create(
            demand=demand, year=timezone.localdate().year, amount=Decimal(40_000 + i)
        )
    for i in range(4):
        Address.objects.create(
            customer=customer,
            kind=AddressKind.DELIVERY,
            street=f"Am Güterbahnhof {i}",
            postal_code="89073",
            city="Ulm",
        )
        BusinessUnit.objects.create(customer=customer, name=f"Werk {i}")
    coaching_focus_start(
        customer=customer,
        by=users["management"],
        goal="growth",
        owner=users["kam"],
        review_on=timezone.localdate() + timedelta(days=30),
        target_revenue=Decimal("987654"),
        note="Zweites Werk gewinnen, Rahmenvertrag für die Instandhaltung anbieten " * 3,
    )
    return customer


def _pdf(client: Client, customer: Customer) -> tuple[int, str]:
    """The PDF's number of pages and its text, with runs of white space as one space."""
    response = client.get(reverse("profile:customer-profile-pdf", args=[customer.pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == (
        f'attachment; filename="profile-{customer.number}.pdf"'
    )
    reader = PdfReader(io.BytesIO(response.content))
    text = " ".join(page.extract_text() for page in reader.pages)
    return len(reader.pages), " ".join(text.split())


def _amounts(customer: Customer) -> list[str]:
    """Finance figures of the customer as the German PDF writes them."""
    value = CustomerValue.objects.filter(customer=customer).latest("run__finished_at")
    profile = finance_profile_get(customer)
    latest_year = contribution_margins(customer)[-1]
    with translation.override("de"):
        return [
            " ".join(format_money(amount, 0).split())
            for amount in (
                value.revenue_12m,
                value.contribution_margin_12m,
                value.forecast_revenue_12m,
                value.clv,
                profile.credit_limit,
                latest_year.revenue,
                latest_year.contribution_margin_1,
                Decimal("987654"),  # the coaching focus's target revenue
            )
            if amount
        ]


def test_a_finance_user_gets_one_page_with_the_figures(customer, client_for) -> None:  # type: ignore[no-untyped-def]
    pages, text = _pdf(client_for("management"), customer)
    assert pages == 1
    assert customer.name in text
    assert customer.number in text
    for heading in ("KUNDENWERT", "UNTERNEHMEN", "BUYING CENTER", "FASZINATION", "FINANZEN"):
        assert heading in text
    for amount in _amounts(customer):
        assert amount in text
    assert finance_profile_get(customer).credit_rating in text
    assert "Umsatzwachstum" in text  # the open coaching focus
    value = CustomerValue.objects.filter(customer=customer).latest("run__finished_at")
    assert " ".join(value.reason("de").split()) in text


def test_a_service_user_gets_no_finance_figures(customer, client_for) -> None:  # type: ignore[no-untyped-def]
    pages, text = _pdf(client_for("service"), customer)
    assert pages == 1
    assert customer.name in text
    assert "KUNDENWERT" in text
    assert "FINANZEN" not in text
    assert "Bonität" not in text
    for amount in _amounts(customer):
        assert amount not in text
    assert "€" not in text  # no money at all: potential, white space and targets neither
    value = CustomerValue.objects.filter(customer=customer).latest("run__finished_at")
    assert " ".join(value.reason("de").split()) not in text  # it quotes revenue and margin
    people = customer.contacts.count()
    # the room of the finance figures holds more people; the last contacts take some
    assert f"und {people - 14 + ACTIVITY_ROOM_PEOPLE} weitere" in text


def test_long_lists_are_cut_and_counted(customer, users, client_for) -> None:  # type: ignore[no-untyped-def]
    users["kam"].language = "en"
    users["kam"].save()
    pages, text = _pdf(client_for("kam"), customer)
    assert pages == 1
    people = customer.contacts.count()
    assert f"{people} people" in text
    # eight people are shown, key people first, less the room of the last contacts
    assert f"and {people - 8 + ACTIVITY_ROOM_PEOPLE} more" in text
    year = selected_year(None, potential_years(customer))
    rows = len(customer_potential(customer, year).rows)
    assert f"and {rows - 4} more" in text  # the four largest potentials are shown


def test_an_english_user_gets_english_headings_and_formats(customer, users, client_for) -> None:  # type: ignore[no-untyped-def]
    users["management"].language = "en"
    users["management"].save()
    pages, text = _pdf(client_for("management"), customer)
    assert pages == 1
    for heading in ("CUSTOMER VALUE", "COMPANY", "BUYING CENTER", "FASCINATION", "FINANCE"):
        assert heading in text
    assert "KUNDENWERT" not in text
    assert "Revenue growth" in text
    assert "€987,654" in text
    value = CustomerValue.objects.filter(customer=customer).latest("run__finished_at")
    assert " ".join(value.reason("en").split()) in text


def test_a_new_customer_without_any_data_gets_a_page_that_says_so(client_for) -> None:  # type: ignore[no-untyped-def]
    customer = CustomerFactory(name="Neukunde GmbH")
    pages, text = _pdf(client_for("management"), customer)
    assert pages == 1
    assert "Neukunde GmbH" in text
    assert "Dieser Kunde hat noch keinen Werttyp" in text
    assert "Es wurden noch keine Personen bei diesem Kunden erfasst." in text
    assert "Für diesen Kunden wurden noch keine Umsatzzeilen importiert." in text


def test_the_customer_page_links_to_the_pdf(customer, client_for) -> None:  # type: ignore[no-untyped-def]
    url = reverse("profile:customer-profile-pdf", args=[customer.pk])
    for role in ("management", "service"):
        page = client_for(role).get(reverse("profile:customer-detail", args=[customer.pk]))
        assert f'href="{url}"' in page.content.decode()
        assert 'data-testid="profile-pdf"' in page.content.decode()


def test_a_customer_that_does_not_exist_is_not_found(users, client_for) -> None:  # type: ignore[no-untyped-def]
    response = client_for("management").get(reverse("profile:customer-profile-pdf", args=[999_999]))
    assert response.status_code == 404


def test_an_anonymous_visitor_is_sent_to_the_login(customer) -> None:  # type: ignore[no-untyped-def]
    url = reverse("profile:customer-profile-pdf", args=[customer.pk])
    response = Client().get(url)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))


def _chain_for(customer: Customer, name: str, *, crowded_stage: int = 0) -> Chain:
    """A building-material chain drawn for the customer: a parallel branch of planners,
    groups, a linked customer, blind spots; `crowded_stage` more craft businesses stacked
    in one stage make it far taller than the page has room for."""
    chain = chain_save(
        data=ChainData(name=name, scope="customer", customer_id=customer.pk), by=None
    )
    stages: dict[str, int] = {}
    for stage, follows in (
        ("Rohstofflieferanten", ()),
        ("Baustoffhersteller (wir)", ("Rohstofflieferanten",)),
        ("Baustoff-Fachhandel", ("Baustoffhersteller (wir)",)),
        ("Architekten und Planer", ("Baustoffhersteller (wir)",)),
        ("Handwerksbetriebe", ("Baustoff-Fachhandel", "Architekten und Planer")),
        ("Bauherren", ("Handwerksbetriebe",)),
    ):
        follows_ids = tuple(stages[f] for f in follows)
        stages[stage] = stage_save(chain=chain, data=StageData(stage, follows_ids=follows_ids)).pk

    def actor(stage: str, identity: str, name: str = "", **fields: Any) -> int:
        data = ActorData(stages[stage], identity, "other", name=name, **fields)
        return actor_save(chain=chain, data=data).pk

    ids = {
        "wire": actor("Rohstofflieferanten", "company", "Westfälische Drahtwerke GmbH"),
        "us": actor("Baustoffhersteller (wir)", "ourselves", importance=4),
        "dealer": actor("Baustoff-Fachhandel", "customer", customer_id=customer.pk),
        "others": actor("Baustoff-Fachhandel", "group", "weitere Fachhändler", number=35),
        "planners": actor("Architekten und Planer", "group", "Planungsbüros", number=120),
        "craft": actor("Handwerksbetriebe", "group", "Handwerksbetriebe", number=400),
        "owners": actor("Bauherren", "group", "Hausbesitzer", importance=2),
    }
    for i in range(crowded_stage):
        actor("Handwerksbetriebe", "company", f"Dachdeckerei Schwäbische Alb Nummer {i}")
    person_save(
        actor=ChainActor.objects.get(pk=ids["craft"]),
        data=PersonData(role="Bauleitung und Vorarbeiter", in_contact=False),
    )
    for source, target, kind in (
        ("wire", "us", "goods"),
        ("us", "dealer", "goods"),
        ("dealer", "us", "money"),
        ("us", "planners", "information"),
        ("dealer", "craft", "goods"),
        ("craft", "owners", "services"),
    ):
        flow_save(chain=chain, data=FlowData(ids[source], ids[target], kind))
    return chain


@pytest.mark.parametrize("role", ["management", "service"])
def test_the_chain_drawn_for_the_customer_is_on_the_same_page(customer, client_for, role) -> None:  # type: ignore[no-untyped-def]
    _chain_for(customer, "Befestigungstechnik im Wohnungsbau")
    pages, text = _pdf(client_for(role), customer)
    assert pages == 1
    assert "PROBLEMLÖSEKETTE" in text
    assert "Befestigungstechnik im Wohnungsbau" in text
    for name in ("Westfälische Drahtwerke GmbH", "Planungsbüros", "Hausbesitzer", "×400"):
        assert name in text
    assert "Bauleitung und Vorarbeiter" in text  # the role we do not reach, named
    assert customer.name in text
    for heading in ("KUNDENWERT", "BUYING CENTER", "FASZINATION"):
        assert heading in text  # nothing else fell off the page


def test_the_most_recently_changed_chain_is_shown(customer, client_for) -> None:  # type: ignore[no-untyped-def]
    older = _chain_for(customer, "Altbausanierung")
    _chain_for(customer, "Neubau Einfamilienhäuser")
    chain_save(
        chain=older,
        data=ChainData(name="Altbausanierung 2027", scope="customer", customer_id=customer.pk),
        by=None,
    )
    _pages, text = _pdf(client_for("kam"), customer)
    assert "Altbausanierung 2027" in text
    assert "Neubau Einfamilienhäuser" not in text


def test_a_very_tall_chain_is_drawn_smaller_to_keep_one_page(customer, client_for) -> None:  # type: ignore[no-untyped-def]
    _chain_for(customer, "Dachsanierung", crowded_stage=12)
    for role in ("management", "service"):
        pages, text = _pdf(client_for(role), customer)
        assert pages == 1
        assert "Dachsanierung" in text
        assert "FASZINATION" in text


def test_long_names_in_the_chain_are_printed_whole_on_one_page(customer, client_for) -> None:  # type: ignore[no-untyped-def]
    """Issue 22: the strip wraps a long name onto lines instead of cutting it with "…"."""
    chain = _chain_for(customer, "Antriebe")
    stage = chain.stages.get(name="Rohstofflieferanten")
    long = "Systemlieferant für Antriebstechnik und Steuerungen GmbH"
    actor_save(chain=chain, data=ActorData(stage.pk, "company", "supplier", name=long))
    stage_save(
        chain=chain,
        stage=stage,
        data=StageData("Rohstoff- und Halbzeuglieferanten für Befestigungstechnik"),
    )
    for role in ("management", "service"):
        pages, text = _pdf(client_for(role), customer)
        assert pages == 1
        assert long in text
        assert "Rohstoff- und Halbzeuglieferanten für Befestigungstechnik" in text
        chain_part = text.split("PROBLEMLÖSEKETTE")[1]
        assert "…" not in chain_part.split("FASZINATION")[0]
        assert "FASZINATION" in text


def test_a_chain_the_customer_is_only_part_of_is_not_on_its_page(customer, client_for) -> None:  # type: ignore[no-untyped-def]
    other = CustomerFactory(name="Baustoffunion Nord GmbH")
    chain = _chain_for(other, "Kette eines anderen Kunden")
    stage = chain.stages.get(name="Handwerksbetriebe")
    actor_save(
        chain=chain,
        data=ActorData(stage.pk, "customer", "craft", customer_id=customer.pk),
    )
    _pages, text = _pdf(client_for("kam"), customer)
    assert "Kette eines anderen Kunden" not in text
    assert "PROBLEMLÖSEKETTE" not in text
    # the page follows the same rule: it links the chain, it does not draw it
    page = client_for("kam").get(reverse("profile:customer-detail", args=[customer.pk]))
    html = page.content.decode()
    assert 'id="chain-diagram-data"' not in html
    part_of = html.split('data-testid="customer-chains-part-of"')[1].split("</div>")[0]
    assert "Kette eines anderen Kunden" in part_of
    assert reverse("chains:detail", args=[chain.pk]) in part_of


def test_the_page_and_the_pdf_draw_the_same_chain(customer, client_for) -> None:  # type: ignore[no-untyped-def]
    """Drawn for the customer beats a newer chain it is only part of, on both."""
    _chain_for(customer, "Eigene Kette")
    other = _chain_for(CustomerFactory(name="Baustoffunion Süd GmbH"), "Fremde Kette")
    stage = other.stages.get(name="Handwerksbetriebe")
    actor_save(chain=other, data=ActorData(stage.pk, "customer", "craft", customer_id=customer.pk))
    _pages, text = _pdf(client_for("kam"), customer)
    assert "Eigene Kette" in text
    assert "Fremde Kette" not in text
    html = client_for("kam").get(reverse("profile:customer-detail", args=[customer.pk]))
    shown = html.content.decode().split('aria-label="Diagramm der Kette ')[1].split('"')[0]
    assert shown == "Eigene Kette"


def test_the_visit_sheet_holds_the_last_contacts_open_follow_ups_and_each_last_contact(
    customer, users, client_for
) -> None:  # type: ignore[no-untyped-def]
    from kundenbild.activities.models import Activity

    Activity.objects.filter(customer=customer).delete()
    today = timezone.localdate()
    person = customer.contacts.order_by("pk").first()
    for days in range(7):
        activity = Activity.objects.create(
            customer=customer, kind="call", occurred_on=today - timedelta(days=10 + days),
            subject=f"Gespräch Nummer {days}", created_by=users["kam"],
        )  # fmt: skip
        activity.contacts.add(person)
    for days, done in ((-3, False), (5, False), (9, True)):
        Activity.objects.create(
            customer=customer, kind="visit", occurred_on=today - timedelta(days=30),
            subject="Werksbesuch", next_step=f"Angebot nachfassen {days}",
            follow_up_on=today + timedelta(days=days), follow_up_by=users["kam"],
            follow_up_done=done, created_by=users["kam"],
        )  # fmt: skip
    Contact.objects.filter(pk=person.pk).update(last_contact_on=today - timedelta(days=10))
    pages, text = _pdf(client_for("management"), customer)
    assert pages == 1
    assert "LETZTE KONTAKTE" in text
    for days in range(5):  # the five newest, newest first
        assert f"Gespräch Nummer {days}" in text
    assert "Gespräch Nummer 5" not in text
    assert "und 5 frühere Kontakte" in text  # 2 calls and the 3 visits
    assert "Angebot nachfassen -3" in text  # overdue
    assert "überfällig" in text
    assert "Angebot nachfassen 5" in text
    assert "Angebot nachfassen 9" not in text  # done
    shown = (today - timedelta(days=10)).strftime("%d.%m.%Y")
    assert shown in text  # the person's last contact beside the name
