"""The batched Poisson fit behind the forecast trends stays finite on any revenue."""

from __future__ import annotations

import warnings

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from kundenbild.analytics.glm import poisson_fit


def test_a_revenue_of_a_few_1e_320_beside_billions_keeps_the_deviance_finite() -> None:
    y = np.array([[5e-324, 1e10, 1e10]])
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # a log of 0 would warn before it gave -inf
        fit = poisson_fit(y, np.ones((1, 3)), np.ones((1, 3, 1)))
    assert np.isfinite(fit.deviance).all()
    assert fit.deviance[0] > 0  # the tiny month is far from its expectation


@settings(max_examples=60, deadline=None)
@given(
    st.lists(
        st.one_of(st.just(0.0), st.floats(5e-324, 1e12, allow_nan=False, allow_infinity=False)),
        min_size=2,
        max_size=12,
    )
)
def test_any_non_negative_series_gives_finite_estimates(values: list[float]) -> None:
    y = np.array([values])
    periods = len(values)
    trend = np.stack([np.ones(periods), np.arange(periods) - periods / 2], axis=1)[None]
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        fit = poisson_fit(y, np.ones((1, periods)), trend)
    assert np.isfinite(fit.beta).all()
    assert np.isfinite(fit.deviance).all()
    assert np.isfinite(fit.se).all()
