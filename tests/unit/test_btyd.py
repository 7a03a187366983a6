"""The purchase models against `lifetimes` (a test-only oracle) and their invariants."""

from __future__ import annotations

import warnings

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy import optimize, special

from kundenbild.analytics.clv.bgnbd import (
    BgNbd,
    Tuples,
    _hyp2f1_series,
    bgnbd_log_likelihood,
    fit_bgnbd,
)
from kundenbild.analytics.clv.fitting import FitError
from kundenbild.analytics.clv.gamma_gamma import fit_gamma_gamma, gamma_gamma_log_likelihood


def _simulate(seed: int, n: int, r: float, alpha: float, a: float, b: float) -> Tuples:
    """Customers drawn from the BG/NBD process itself, observed for 10-60 weeks, in days."""
    rng = np.random.default_rng(seed)
    rate = rng.gamma(r, 1.0 / alpha, n) / 7.0  # per day
    dropout = rng.beta(a, b, n)
    observed = rng.integers(70, 420, n)
    x = np.zeros(n, dtype=np.int64)
    last = np.zeros(n, dtype=np.int64)
    for i in range(n):
        t = 0.0
        while True:
            t += rng.exponential(1.0 / rate[i])
            if t > observed[i]:
                break
            x[i] += 1
            last[i] = int(t)
            if rng.random() < dropout[i]:
                break
    return Tuples.of(x, last, observed, unit_days=7.0)


def _lifetimes() -> tuple[type, type]:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        from lifetimes import BetaGeoFitter, GammaGammaFitter
    return BetaGeoFitter, GammaGammaFitter


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_bgnbd_fit_matches_lifetimes_to_four_digits(seed: int) -> None:
    tuples = _simulate(seed, 3000, r=0.5 + seed / 4, alpha=3.0 * seed, a=0.8, b=2.5)
    ours = fit_bgnbd(tuples)
    fitter_class, _ = _lifetimes()
    x = np.repeat(tuples.x, tuples.counts)
    t_x = np.repeat(tuples.t_x, tuples.counts)
    big_t = np.repeat(tuples.T, tuples.counts)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        theirs = fitter_class().fit(x, t_x, big_t).params_
    for name in ("r", "alpha", "a", "b"):
        assert getattr(ours, name) == pytest.approx(theirs[name], rel=1e-4), name
    # the formulas, compared at the same parameters
    fitted = fitter_class()
    fitted.params_ = theirs.copy()
    for name in ("r", "alpha", "a", "b"):
        fitted.params_[name] = getattr(ours, name)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        expected = fitted.conditional_expected_number_of_purchases_up_to_time(26, x, t_x, big_t)
        alive = fitted.conditional_probability_alive(x, t_x, big_t)
    np.testing.assert_allclose(ours.expected_orders(x, t_x, big_t, 26), expected, rtol=1e-4)
    np.testing.assert_allclose(ours.p_alive(x, t_x, big_t), alive, rtol=1e-6, atol=1e-9)


def test_gamma_gamma_fit_matches_lifetimes_to_four_digits() -> None:
    rng = np.random.default_rng(5)
    n = 2000
    x = rng.integers(1, 30, n)
    nu = rng.gamma(4.0, 1.0 / 20.0, n)  # q = 4, gamma = 20 (scale 1/gamma)
    mean_value = np.array([rng.gamma(6.0, 1.0 / v, k).mean() for v, k in zip(nu, x, strict=True)])
    ours = fit_gamma_gamma(x, mean_value)
    _, fitter_class = _lifetimes()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        theirs = fitter_class().fit(x, mean_value).params_
    assert ours.p == pytest.approx(theirs["p"], rel=1e-4)
    assert ours.q == pytest.approx(theirs["q"], rel=1e-4)
    assert ours.gamma == pytest.approx(theirs["v"], rel=1e-4)
    assert ours.p == pytest.approx(6.0, rel=0.15)  # and near the truth


def test_the_fit_sees_tuples_not_customers() -> None:
    """Duplicating every customer changes nothing but the counts."""
    tuples = _simulate(7, 800, r=0.7, alpha=5.0, a=1.2, b=3.0)
    doubled = Tuples.of(
        np.repeat(tuples.x, tuples.counts * 2),
        np.repeat(tuples.t_x_days, tuples.counts * 2),
        np.repeat(tuples.T_days, tuples.counts * 2),
        unit_days=7.0,
    )
    assert len(doubled.x) == len(tuples.x)
    once, twice = fit_bgnbd(tuples), fit_bgnbd(doubled)
    assert twice.r == pytest.approx(once.r, rel=1e-6)
    assert twice.log_likelihood == pytest.approx(2 * once.log_likelihood, rel=1e-9)


def test_tuples_spread_back_to_every_customer() -> None:
    x = np.array([0, 3, 3, 0, 5])
    t_x = np.array([0, 20, 20, 0, 40])
    big_t = np.array([50, 60, 60, 50, 70])
    tuples = Tuples.of(x, t_x, big_t, unit_days=1.0)
    assert tuples.counts.tolist() == [2, 2, 1]
    assert tuples.x[tuples.inverse].tolist() == x.tolist()
    assert tuples.T_days[tuples.inverse].tolist() == big_t.tolist()
    with pytest.raises(FitError):
        Tuples.of([1], [10], [5], unit_days=1.0)  # last order after the end


def test_analytic_gradients_match_numeric_ones() -> None:
    tuples = _simulate(11, 200, r=0.6, alpha=4.0, a=0.9, b=2.0)
    x, t_x, big_t = tuples.x.astype(float), tuples.t_x, tuples.T
    for params in ([0.6, 4.0, 0.9, 2.0], [2.0, 0.5, 3.0, 0.7]):
        for i in range(len(x)):

            def value(p: np.ndarray, i: int = i) -> float:
                return float(
                    bgnbd_log_likelihood(p, x[i : i + 1], t_x[i : i + 1], big_t[i : i + 1])[0][0]
                )

            def gradient(p: np.ndarray, i: int = i) -> np.ndarray:
                grad = bgnbd_log_likelihood(
                    p, x[i : i + 1], t_x[i : i + 1], big_t[i : i + 1], gradient=True
                )[1]
                assert grad is not None
                return grad[0]

            assert optimize.check_grad(value, gradient, np.array(params)) < 1e-4
    m = np.array([2.0, 10.0, 55.0])
    n = np.array([1.0, 4.0, 12.0])
    _, grad = gamma_gamma_log_likelihood(np.array([3.0, 2.5, 8.0]), n, m, gradient=True)
    assert grad is not None
    for i in range(3):
        numeric = optimize.approx_fprime(
            np.array([3.0, 2.5, 8.0]),
            lambda p, i=i: float(gamma_gamma_log_likelihood(p, n[i : i + 1], m[i : i + 1])[0][0]),
            1e-7,
        )
        np.testing.assert_allclose(grad[i], numeric, rtol=1e-4, atol=1e-6)


def test_heavy_buyers_and_narrow_dropout_stay_finite() -> None:
    """Thousands of orders, and a dropout Beta with a + b in the millions (a population
    that hardly ever drops out), where the hypergeometric function alone fails."""
    model = BgNbd(r=2.49, alpha=2.55, a=7188.0, b=12465775.0, log_likelihood=0, customers=0)
    x = np.array([0.0, 18, 220, 5000])
    t_x = np.array([0.0, 33.8, 59.6, 59.9])
    big_t = np.array([20.0, 34.5, 59.8, 60.0])
    expected = model.expected_orders(x, t_x, big_t, 52.0)
    assert np.isfinite(expected).all()
    # the dropout probability is all but fixed at p = a / (a + b): alive, a customer orders
    # at its posterior rate until it drops out, (1 - exp(-rate p t)) / p orders on average
    p = 7188.0 / (7188.0 + 12465775.0)
    rate = (2.49 + x) / (2.55 + big_t)
    approximation = model.p_alive(x, t_x, big_t) * -np.expm1(-rate * p * 52.0) / p
    np.testing.assert_allclose(expected, approximation, rtol=0.02)
    # the few nodes used for a narrow Beta agree with the full quadrature
    full = model._expected_by_quadrature(x, t_x, big_t, 52.0, nodes=64)
    np.testing.assert_allclose(expected, full, rtol=1e-6)


def test_quadrature_agrees_with_the_closed_form() -> None:
    model = BgNbd(r=0.243, alpha=4.414, a=0.793, b=2.426, log_likelihood=0, customers=0)
    rng = np.random.default_rng(3)
    x = rng.poisson(3, 500).astype(float)
    big_t = rng.uniform(1, 78, 500)
    t_x = np.where(x > 0, big_t * rng.uniform(0, 1, 500), 0.0)
    closed = model.expected_orders(x, t_x, big_t, 39.0)
    integral = model._expected_by_quadrature(x, t_x, big_t, 39.0)
    np.testing.assert_allclose(integral, closed, rtol=2e-5)


histories = st.integers(0, 3000).flatmap(
    lambda x: st.tuples(
        st.just(x),
        st.floats(0.0, 500.0),
        st.floats(0.0, 500.0),
    )
)
parameters = st.tuples(
    st.floats(0.01, 50.0), st.floats(0.01, 500.0), st.floats(0.01, 1e6), st.floats(0.01, 1e7)
)


@settings(max_examples=300, deadline=None)
@given(parameters, histories, st.floats(0.1, 520.0))
def test_predictions_are_finite_non_negative_and_probabilities(
    params: tuple[float, float, float, float], history: tuple[int, float, float], t: float
) -> None:
    x, t_x, extra = history
    if x == 0:
        t_x = 0.0
    big_t = t_x + extra
    model = BgNbd(*params, log_likelihood=0, customers=0)
    arrays = (np.array([float(x)]), np.array([t_x]), np.array([big_t]))
    alive = model.p_alive(*arrays)
    assert 0.0 <= alive[0] <= 1.0
    expected = model.expected_orders(*arrays, t)
    assert np.isfinite(expected).all()
    assert expected[0] >= 0.0
    longer = model.expected_orders(*arrays, t * 2)
    assert longer[0] >= expected[0] * (1 - 1e-6) - 1e-9


def test_the_gamma_gamma_fit_sums_what_the_per_customer_likelihood_says() -> None:
    """The fit sums the likelihood by distinct x; it must equal the plain per-customer sum,
    and its gradient the sum of the per-customer gradients."""
    from kundenbild.analytics.clv.gamma_gamma import _GammaGammaSums

    rng = np.random.default_rng(9)
    x = rng.integers(1, 12, 400).astype(float)
    m = rng.gamma(3.0, 1.0, 400)
    params = np.array([2.5, 3.5, 4.0])
    ll, grad = gamma_gamma_log_likelihood(params, x, m, gradient=True)
    assert grad is not None
    sums = _GammaGammaSums(x, m)
    assert sums.total(params) == pytest.approx(float(ll.sum()), rel=1e-12)
    value, log_gradient = sums(np.log(params))
    assert value == pytest.approx(-float(ll.sum()) / 400, rel=1e-12)
    np.testing.assert_allclose(log_gradient, -grad.sum(axis=0) * params / 400, rtol=1e-10)


def test_the_bgnbd_fit_sums_what_the_per_tuple_likelihood_says() -> None:
    from kundenbild.analytics.clv.bgnbd import _BgNbdSums

    tuples = _simulate(13, 600, r=0.6, alpha=4.0, a=0.9, b=2.0)
    x = tuples.x.astype(float)
    weights = tuples.counts / tuples.customers
    params = np.array([0.7, 3.0, 1.1, 2.5])
    ll, grad = bgnbd_log_likelihood(params, x, tuples.t_x, tuples.T, gradient=True)
    assert grad is not None
    sums = _BgNbdSums(x, tuples.t_x, tuples.T, weights)
    assert sums.total(params) == pytest.approx(float(weights @ ll), rel=1e-12)
    value, log_gradient = sums(np.log(params))
    assert value == pytest.approx(-float(weights @ ll), rel=1e-12)
    np.testing.assert_allclose(log_gradient, -(weights @ grad) * params, rtol=1e-9)


def test_a_heavy_buyer_far_ahead_expects_more_orders_the_longer_the_horizon() -> None:
    """SciPy's hyp2f1 gives inf for 2F1(4, 4; 104; 0.93): 99 orders in one week, 28 weeks
    ahead. The series stands in, so the expectation neither drops against 14 weeks
    ahead (as the coarse quadrature made it) nor strays from a fine quadrature."""
    model = BgNbd(r=1.0, alpha=1.0, a=5.0, b=1.0, log_likelihood=0, customers=0)
    x, t_x, big_t = np.array([99.0]), np.array([1.0]), np.array([1.0])
    ahead = [model.expected_orders(x, t_x, big_t, t)[0] for t in (14.0, 28.0, 56.0)]
    assert ahead[0] < ahead[1] < ahead[2]
    fine = [model._expected_by_quadrature(x, t_x, big_t, t, nodes=400)[0] for t in (14.0, 28.0)]
    np.testing.assert_allclose(ahead[:2], fine, rtol=2e-5)


@settings(max_examples=200, deadline=None)
@given(
    st.floats(0.01, 20.0),
    st.floats(0.01, 20.0),
    st.floats(0.0, 400.0),
    st.floats(0.0, 0.95),
)
def test_the_series_agrees_with_scipy_where_scipy_evaluates(
    a: float, b: float, extra: float, z: float
) -> None:
    c = a + b + 1.0 + extra  # c - a - b > 0: the series converges up to z = 1
    expected = special.hyp2f1(a, b, c, z)
    if not np.isfinite(expected):
        return
    series = _hyp2f1_series(a, b, np.array([c]), np.array([z]))[0]
    # thousands of terms summed in floating point (and SciPy's own method) differ in the
    # last digits: 1e-7 is far below what the forecast can tell apart
    assert series == pytest.approx(expected, rel=1e-7)
