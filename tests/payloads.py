"""Script payloads in every free text a user can enter, for the tests that check nothing
ever runs or is parsed as markup: pages in the browser, the SVG drawings, the PDF."""

from __future__ import annotations

from django.db import models

from kundenbild.activities.models import Activity
from kundenbild.buying_center.models import BuyingCenter, Contact, ContactRelation
from kundenbild.chains.models import ActorPerson, Chain, ChainActor, ChainFlow, ChainStage
from kundenbild.customers.models import BusinessUnit, Customer
from kundenbild.offerings.models import FascinationAssessment, Offering, OfferingGroup
from kundenbild.potential.models import Demand, Need

PAYLOAD = '"><img src=x onerror=window.__xss=1;alert(1)><script>alert(2)</script>'
SHORT_PAYLOAD = "<img src=x onerror=alert(3)>"
ENTERED_BY_USERS: tuple[type[models.Model], ...] = (
    Customer,
    BusinessUnit,
    Contact,
    ContactRelation,
    BuyingCenter,
    Offering,
    OfferingGroup,
    FascinationAssessment,
    Chain,
    ChainStage,
    ChainActor,
    ChainFlow,
    ActorPerson,
    Activity,
    Need,
    Demand,
)


def inject_everywhere() -> int:
    """Every free text (no choices, not unique, long enough) of every row becomes a payload
    that ends in the row's id (some names are unique per customer); returns how many
    columns were filled."""
    columns = 0
    for model in ENTERED_BY_USERS:
        limits = {
            field.name: field.max_length or 10_000
            for field in model._meta.get_fields()
            if isinstance(field, models.CharField | models.TextField)
            and not field.choices
            and not field.unique
            and (field.max_length or 10_000) >= len(SHORT_PAYLOAD) + 6
        }
        rows = list(model._default_manager.all())
        for row in rows:
            for name, limit in limits.items():
                long = f"{PAYLOAD}{row.pk}"
                setattr(row, name, long if len(long) <= limit else f"{SHORT_PAYLOAD}{row.pk}")
        if rows and limits:
            model._default_manager.bulk_update(rows, list(limits))
        columns += len(limits)
    return columns
