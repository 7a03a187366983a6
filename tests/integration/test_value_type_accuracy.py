"""The value types against labels the analysis never reads, family by family.

Each family is a different construction made from DOMAIN.md's definitions alone
(`tests/value_type_families/`). The thresholds were tuned on one family only,
`profiles`; every other family is held out, and its accuracy is the figure that counts:
at least 97 % on clean histories with every type's recall at least 90 %, at least 92 %
on messy and on order-level ones. A generated family is judged on the books of four
seeds, pooled (one seed's book moves the figures by a point or two); every family's
confusion matrix is printed (`pytest -s`, or `uv run python -m
tests.value_type_families.accuracy`).
"""

from __future__ import annotations

from typing import Any

import pytest

from tests.value_type_families import SHAPES, demo, external, profiles, renewal
from tests.value_type_families.accuracy import Score, score, score_seeds


def _report(result: Score) -> str:
    text = result.matrix()
    print(text)
    return text


HELD_OUT = [
    pytest.param(
        renewal,
        "clean",
        True,
        id="renewal-clean",
        marks=pytest.mark.xfail(
            strict=True,
            reason="issue 17, open: 95.7 % over seeds 2027-2030 (97.0 % on 2027 alone, "
            "94.5-96.0 % on the others); steady recall 89.2 %: slow swings and bursty "
            "orders read as trends (32) or bells (7); 22 bells judged shrinking",
        ),
    ),
    pytest.param(external, "orders", False, id="external"),
    pytest.param(
        demo,
        "clean",
        True,
        id="demo",
        marks=pytest.mark.xfail(
            strict=True,
            reason="issue 17, open: 93.9 %; bell recall 76.4 %: the demo's bells rise within "
            "nine months of their first visible order, which the rules read as a ramp-up "
            "before a decline (52 judged shrinking)",
        ),
    ),
    pytest.param(
        renewal,
        "messy",
        False,
        id="renewal-messy",
        marks=pytest.mark.xfail(
            strict=True,
            reason="issue 17, open: 90.5 %; steady recall 79.2 %: sparse, bursty steady "
            "customers read as trends or bells, noisy short seasons as steady",
        ),
    ),
]


def _judged(family: Any, variant: str) -> Score:
    name = f"{family.__name__.rsplit('.', 1)[-1]}:{variant}"
    if family is external:  # one fixed set, made outside the team
        return score(name, family.generate(variant=variant))
    return score_seeds(name, family.generate, variant)


@pytest.mark.parametrize(("family", "variant", "clean"), HELD_OUT)
def test_held_out_families_meet_the_accuracy_the_issue_sets(
    family: Any, variant: str, clean: bool
) -> None:
    result = _judged(family, variant)
    text = _report(result)
    assert result.customers >= 300, text
    if clean:
        assert result.accuracy >= 0.97, text
        for shape in SHAPES:
            assert result.recall(shape) >= 0.90, (shape, text)
    else:
        assert result.accuracy >= 0.92, text


@pytest.mark.parametrize("variant", profiles.VARIANTS)
def test_the_tuning_family_is_judged_as_on_the_seeds_it_was_tuned_on(variant: str) -> None:
    """Not the figure that counts: a guard that the tuned rules still do what they did
    (seeds 11 and 12: 97.7 % and 98.3 % clean, 90.8 % and 91.3 % messy; seeds 2027-2030
    pooled: 98.5 % and 90.7 %)."""
    result = _judged(profiles, variant)
    text = _report(result)
    assert result.accuracy >= (0.97 if variant == "clean" else 0.89), text
