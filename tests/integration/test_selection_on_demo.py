"""The selection on the demo data, as a user first meets it: growth leaves out burr and
lost customers, the pearls are steady customers with their evidence, and an offering's
scope changes white space and share of wallet to that offering's."""

from __future__ import annotations

import numpy as np
import pytest
from django.db.models import Count

from kundenbild.analytics.selection import select
from kundenbild.demo.loader import load_demo
from kundenbild.insights.services import run_analysis
from kundenbild.offerings.models import Offering
from kundenbild.portfolio.criteria import selection_criteria
from kundenbild.portfolio.exports import reason_text, selection_rows
from kundenbild.portfolio.scope import Scope

pytestmark = pytest.mark.django_db


def test_the_demo_selection_follows_the_seeds_steps(db) -> None:  # type: ignore[no-untyped-def]
    load_demo(customers=250, seed=42)
    run_analysis()
    criteria = selection_criteria()
    growth = selection_rows(select("growth", criteria.values), criteria, 20)
    assert len(growth) == 20
    assert not {row["value_type"] for row in growth} & {"burr"}
    assert "lost" not in {row["lifecycle_phase"] for row in growth}
    # the burr and lost customers are there; growth only does not rank them
    assert "burr" in criteria.value_types
    assert "lost" in criteria.phases

    pearls = selection_rows(select("pearls", criteria.values), criteria, 10)
    assert len(pearls) == 10
    assert {row["value_type"] for row in pearls} == {"steady"}
    for row in pearls:
        texts = [reason_text(reason) for reason in row["reasons"]]
        assert len(texts) == 3
        assert all(":" in text for text in texts)

    offering = (
        Offering.objects.annotate(n=Count("demands")).filter(n__gt=0).order_by("-n", "number")[0]
    )
    scoped = selection_criteria(Scope(offering=offering.number))
    assert 0 < len(scoped.customers) < len(criteria.customers)
    position = {c.pk: at for at, c in enumerate(criteria.customers)}
    known = np.isfinite(scoped.values["white_space"])
    assert known.any()
    everyone = np.array([criteria.values["white_space"][position[c.pk]] for c in scoped.customers])
    # the offering's white space is a part of the customer's, never the same figures
    assert not np.allclose(scoped.values["white_space"][known], everyone[known])
