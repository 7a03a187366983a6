"""The demo book of business in the database."""

from __future__ import annotations

import pytest

from kundenbild.accounts.models import User
from kundenbild.activities.models import Activity
from kundenbild.buying_center.models import Contact
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
