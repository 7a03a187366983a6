"""Keeping the profile true: completeness, reviews that fall due, and one history for all."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import pytest
from django.urls import reverse
from django.utils import timezone

from kundenbild.buying_center.models import Acquaintance
from kundenbild.buying_center.services import relation_add
from kundenbild.customers.models import Customer
from kundenbild.finance.models import FinanceProfile
from kundenbild.potential.models import Demand, EffectiveDemand, Need
from kundenbild.profile.health import profile_health, reviews_due
from kundenbild.profile.models import AreaReview, ProfileArea
from tests.factories import ContactFactory, CustomerFactory

pytestmark = pytest.mark.django_db


def area(health, code):  # type: ignore[no-untyped-def]
    return next(h for h in health if h.area == code)


def created_days_ago(customer: Any, days: int) -> Any:
    """Move the customer's creation back: its review clock started that long ago."""
    Customer.objects.filter(pk=customer.pk).update(created_at=timezone.now() - timedelta(days=days))
    customer.refresh_from_db()
    return customer


def test_completeness_names_what_is_missing_and_grows_as_it_is_filled(users) -> None:
    today = date.today()
    customer = CustomerFactory(owner=users["kam"])
    bc = area(profile_health(customer, today=today, include_finance=True), "buying_center")
    assert bc.completeness == 0
    assert "Entscheider bekannt" in bc.missing
    decider = ContactFactory(customer=customer, roles=["decider", "buyer"], last_contact_on=today)
    Acquaintance.objects.create(contact=decider, user=users["kam"])
    Acquaintance.objects.create(contact=decider, user=users["sales"])
    bc = area(profile_health(customer, today=today, include_finance=True), "buying_center")
    assert bc.completeness == 100, bc.missing
    pot = area(profile_health(customer, today=today, include_finance=True), "potential")
    assert pot.completeness == 0
    need = Need.objects.create(customer=customer, title="Stillstand")
    demand = Demand.objects.create(need=need, description="Wartung")
    EffectiveDemand.objects.create(demand=demand, year=today.year, amount=1000)
    pot = area(profile_health(customer, today=today, include_finance=True), "potential")
    assert pot.completeness == 100
    FinanceProfile.objects.create(customer=customer, credit_rating="2", credit_limit=1000)
    finance = area(profile_health(customer, today=today, include_finance=True), "finance")
    assert finance.completeness == 50
    assert {h.area for h in profile_health(customer, today=today, include_finance=False)} == {
        "company",
        "buying_center",
        "fascination",
        "potential",
    }


def test_a_review_falls_due_after_the_configured_interval(users, settings) -> None:
    settings.REVIEW_INTERVAL_DAYS = 30
    today = date.today()
    customer = created_days_ago(CustomerFactory(owner=users["kam"]), 400)
    for code in ProfileArea.values:
        AreaReview.objects.create(customer=customer, area=code, reviewed_on=today)
    assert not reviews_due(owner=users["kam"], today=today, include_finance=True)
    AreaReview.objects.filter(area="fascination").update(reviewed_on=today - timedelta(days=31))
    due = reviews_due(owner=users["kam"], today=today, include_finance=True)
    assert [(c.customer_id, c.areas) for c in due] == [(customer.pk, ["fascination"])]
    assert due[0].since == today  # reviewed 31 days ago, 30 allowed: due from today
    assert not reviews_due(owner=users["sales"], today=today, include_finance=True)
    health = profile_health(customer, today=today, include_finance=True)
    assert [h.area for h in health if h.due] == ["fascination"]
    settings.REVIEW_INTERVAL_DAYS = 60
    assert not reviews_due(owner=users["kam"], today=today, include_finance=True)


def test_the_owner_sees_due_profiles_on_the_start_page_and_clears_them(client_for, users) -> None:
    customer = CustomerFactory(owner=users["kam"], name="Prüfling GmbH")
    created_days_ago(customer, 200)
    client = client_for("kam")
    start = client.get(reverse("home")).content.decode()
    section = start[start.index('data-testid="worklist"') :]
    assert "Prüfling GmbH" in section
    assert "5 Bereiche des Profils sind zur Prüfung fällig" in section
    for code in ProfileArea.values:
        response = client.post(reverse("profile:area-review", args=[customer.pk, code]))
        assert response.status_code == 302
    start = client.get(reverse("home")).content.decode()
    assert "Prüfling GmbH" not in start[start.index('data-testid="worklist"') :]
    review = AreaReview.objects.get(customer=customer, area="company")
    assert (review.reviewed_by, review.reviewed_on) == (users["kam"], date.today())


def test_only_editors_may_confirm_a_review(client_for, users) -> None:
    customer = CustomerFactory(owner=users["kam"])
    assert (
        client_for("service").post(reverse("profile:area-review", args=[customer.pk, "company"]))
    ).status_code == 403
    assert (
        client_for("kam").post(reverse("profile:area-review", args=[customer.pk, "nonsense"]))
    ).status_code == 404
    assert not AreaReview.objects.exists()


def test_the_changes_page_shows_every_area_and_filters_by_area(client_for, users) -> None:
    customer = CustomerFactory(owner=users["kam"])
    roth = ContactFactory(customer=customer, first_name="Eva", last_name="Roth")
    weber = ContactFactory(customer=customer, first_name="Jan", last_name="Weber")
    client = client_for("kam")
    client.post(
        reverse("buying_center:contact-update", args=[customer.pk, roth.pk]),
        {"last_name": "Roth", "first_name": "Eva", "attitude": "champion", "version": 0},
    )
    relation_add(source=roth, target=weber, kind="reports_to")
    need = Need.objects.create(customer=customer, title="Stillstand senken")
    FinanceProfile.objects.create(customer=customer, credit_rating="2")
    client.post(reverse("profile:area-review", args=[customer.pk, "potential"]))
    url = reverse("profile:customer-history", args=[customer.pk])
    html = client.get(url).content.decode()
    assert "Haltung zu uns" in html
    assert "Fürsprecher" in html
    assert "Beziehung: Eva Roth berichtet an Jan Weber" in html
    assert f"Bedürfnis: {need.title}" in html
    assert "Geprüft und bestätigt: Bedürfnisse und Potenzial" in html
    assert "Finanzprofil" in html
    only_people = client.get(url, {"area": "buying_center"}).content.decode()
    assert "Eva Roth" in only_people
    assert "Stillstand senken" not in only_people
    service = client_for("service").get(url).content.decode()  # no finance capability
    assert "Stillstand senken" in service
    assert "Finanzprofil" not in service


def test_the_api_reports_health_confirms_reviews_and_lists_history(api_client_for, users) -> None:
    customer = created_days_ago(CustomerFactory(owner=users["kam"]), 400)
    roth = ContactFactory(customer=customer, last_name="Roth")
    roth.history.all().update(history_date=timezone.now() - timedelta(days=300))
    client = api_client_for("kam")
    health = client.get(f"/api/customers/{customer.pk}/profile-health").json()
    assert [h["area"] for h in health] == [
        "company",
        "buying_center",
        "fascination",
        "potential",
        "finance",
    ]
    assert all(h["review_due"] for h in health)
    reviewed = client.post(f"/api/customers/{customer.pk}/reviews/buying_center")
    assert reviewed.json()["reviewed_by"] == "kam"
    health = client.get(f"/api/customers/{customer.pk}/profile-health").json()
    assert [h["area"] for h in health if not h["review_due"]] == ["buying_center"]
    history = client.get(f"/api/customers/{customer.pk}/history?area=buying_center").json()
    assert history[0]["subject"] == "Geprüft und bestätigt: Buying Center"
    assert (
        api_client_for("service").post(f"/api/customers/{customer.pk}/reviews/company").status_code
        == 403
    )
    service_areas = [
        h["area"]
        for h in api_client_for("service")
        .get(f"/api/customers/{customer.pk}/profile-health")
        .json()
    ]
    assert "finance" not in service_areas


def test_the_review_clock_starts_when_an_area_is_first_filled(users, settings) -> None:  # type: ignore[no-untyped-def]
    """A new customer is not overdue on its first day; each area falls due an interval
    after it was first filled here, or after its last review if that came later."""
    settings.REVIEW_INTERVAL_DAYS = 180
    today = timezone.localdate()
    customer = CustomerFactory(owner=users["kam"])

    def due() -> list[str]:
        health = profile_health(customer, today=today, include_finance=True)
        return [h.area for h in health if h.due]

    def listed() -> list[int]:
        due = reviews_due(owner=users["kam"], today=today, include_finance=True)
        return [len(c.areas) for c in due]

    assert due() == []
    assert listed() == []
    created_days_ago(customer, 181)  # every area had its interval since the customer came
    assert due() == ["company", "buying_center", "fascination", "potential", "finance"]
    assert listed() == [5]
    contact = ContactFactory(customer=customer, last_name="Neu")  # first filled today
    assert "buying_center" not in due()
    contact.history.all().update(history_date=timezone.now() - timedelta(days=100))
    assert "buying_center" not in due()
    assert listed() == [4]
    contact.history.all().update(history_date=timezone.now() - timedelta(days=181))
    assert "buying_center" in due()
    # a review dated before the content arrived (an import, the demo) restarts nothing early
    created_days_ago(customer, 10)
    for code in ProfileArea.values:
        AreaReview.objects.create(customer=customer, area=code, reviewed_on=today - timedelta(400))
    assert due() == []
    assert listed() == []
    created_days_ago(customer, 200)
    AreaReview.objects.filter(area="company").update(reviewed_on=today - timedelta(days=20))
    # the people came 181 days ago, after their old review: due; the company was reviewed
    assert due() == ["buying_center", "fascination", "potential", "finance"]
    assert listed() == [4]
