"""BG/NBD: how many orders a customer will place, and whether it is still a customer.

Purchase rates vary across customers as Gamma(r, alpha), and after each order a customer
drops out with a probability that varies as Beta(a, b). The likelihood depends on a
customer only through (x, t_x, T): the repeat orders, the time of the last one and the
time observed, all measured from the first order. Customers who share a tuple share a
likelihood term, so the fit runs on the distinct tuples weighted by how often each occurs
(`Tuples`): ten million customers cost what their few hundred thousand distinct tuples
cost. Everything is computed in log space with analytic gradients, so heavy buyers (x in
the thousands) neither overflow nor slow the optimiser down.

Reference: Fader, Hardie & Lee (2005), "Counting Your Customers the Easy Way: An
Alternative to the Pareto/NBD Model", Marketing Science 24(2).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt
from scipy import special

from kundenbild.analytics.clv.fitting import ByX, FitError, dot, maximise

Array = npt.NDArray[np.float64]
IntArray = npt.NDArray[np.int64]


# a + b above which the dropout Beta is so narrow that 2F1 is evaluated by quadrature
_CONCENTRATED = 1000.0
_QUADRATURE_NODES = 64
_NARROW_NODES = 12


@dataclass(frozen=True)
class Tuples:
    """The distinct (x, t_x, T) of a set of customers, with counts, and for every customer
    the index of its tuple (`inverse`), so that predictions made per tuple can be spread
    back to the customers.

    Times are whole days, so that equal histories are recognised exactly; `unit_days`
    turns them into the model's time unit (7 for weeks).
    """

    x: IntArray
    t_x_days: IntArray
    T_days: IntArray
    counts: IntArray
    inverse: IntArray
    unit_days: float

    @classmethod
    def of(
        cls, x: npt.ArrayLike, t_x_days: npt.ArrayLike, T_days: npt.ArrayLike, unit_days: float
    ) -> Tuples:
        xs = np.asarray(x, dtype=np.int64)
        tx = np.asarray(t_x_days, dtype=np.int64)
        big_t = np.asarray(T_days, dtype=np.int64)
        if len(xs) and (xs.min() < 0 or tx.min() < 0 or (big_t < tx).any()):
            raise FitError("repeat orders and times must satisfy 0 <= t_x <= T, x >= 0")
        if len(xs) == 0:
            empty = np.zeros(0, dtype=np.int64)
            return cls(empty, empty, empty, empty, empty, unit_days)
        # one int64 key per customer: x, t_x and T as digits of a mixed radix number
        span = int(big_t.max()) + 1
        if float(xs.max() + 1) * span * span >= 2**62:
            raise FitError("histories too long to combine into one key")
        key = (xs * span + tx) * span + big_t
        unique, inverse, counts = np.unique(key, return_inverse=True, return_counts=True)
        return cls(
            x=unique // (span * span),
            t_x_days=(unique // span) % span,
            T_days=unique % span,
            counts=counts.astype(np.int64),
            inverse=inverse.astype(np.int64).reshape(-1),
            unit_days=unit_days,
        )

    @property
    def t_x(self) -> Array:
        return self.t_x_days / self.unit_days

    @property
    def T(self) -> Array:
        return self.T_days / self.unit_days

    @property
    def customers(self) -> int:
        return int(self.counts.sum())


@dataclass(frozen=True)
class BgNbd:
    """Fitted BG/NBD: purchase rates ~ Gamma(r, alpha), dropout probability after each
    order ~ Beta(a, b). Times in the unit the tuples were fitted in."""

    r: float
    alpha: float
    a: float
    b: float
    log_likelihood: float
    customers: int

    def p_alive(self, x: Array, t_x: Array, T: Array) -> Array:
        """P(the customer has not dropped out by T | x, t_x, T)."""
        x = np.asarray(x, dtype=np.float64)
        log_odds = self._log_dead_odds(x, np.asarray(t_x, float), np.asarray(T, float))
        result: Array = special.expit(-log_odds)
        return result

    def expected_orders(self, x: Array, t_x: Array, T: Array, t: float) -> Array:
        """E[orders in (T, T + t] | x, t_x, T].

        The paper's formula holds 2F1(r + x, b + x; a + b + x - 1; z) times
        ((alpha + T) / (alpha + T + t))^(r + x); Euler's transformation turns that product
        into (1 - z)^(a - 1) 2F1(a + b - 1 - r, a - 1; a + b + x - 1; z), which stays
        small however many orders the customer has placed. Where the dropout Beta is so
        concentrated (a + b large) that the hypergeometric function's parameters run into
        the millions, or where it does not evaluate, `_expected_by_quadrature` integrates
        over the dropout probability instead.
        """
        x = np.asarray(x, dtype=np.float64)
        t_x = np.asarray(t_x, dtype=np.float64)
        T = np.asarray(T, dtype=np.float64)
        if self.a + self.b > _CONCENTRATED:
            # the Beta is so narrow that the integrand is all but linear across it
            return self._expected_by_quadrature(x, t_x, T, t, nodes=_NARROW_NODES)
        r, alpha, a, b = self.r, self.alpha, self.a, self.b
        if abs(a - 1.0) < 1e-7:  # removable singularity of (a + b + x - 1) / (a - 1)
            a = 1.0 + 1e-7
        z = t / (alpha + T + t)
        # z = 1 (a customer seen for no time yet, alpha ~ 0) makes log1p(-z) -inf: that
        # customer's result is not finite and goes to the quadrature
        with np.errstate(invalid="ignore", over="ignore", divide="ignore"):
            hyp = special.hyp2f1(a + b - 1.0 - r, a - 1.0, a + b + x - 1.0, z)
            broken = ~np.isfinite(hyp)
            if broken.any():
                hyp = np.where(
                    broken, _hyp2f1_series(a + b - 1.0 - r, a - 1.0, a + b + x - 1.0, z), hyp
                )
            bracket = 1.0 - np.exp((a - 1.0) * np.log1p(-z)) * hyp
            numerator = (a + b + x - 1.0) / (a - 1.0) * bracket
        dead_odds = np.exp(np.minimum(self._log_dead_odds(x, t_x, T), 700.0))
        result: Array = numerator / (1.0 + dead_odds)
        failed = ~np.isfinite(result)
        if failed.any():
            result[failed] = self._expected_by_quadrature(x[failed], t_x[failed], T[failed], t)
        return np.maximum(result, 0.0)

    def _expected_by_quadrature(
        self, x: Array, t_x: Array, T: Array, t: float, *, nodes: int = _QUADRATURE_NODES
    ) -> Array:
        """The same expectation as an integral: alive (P(alive)), a customer's dropout
        probability p is Beta(a, b + x) and its rate Gamma(r + x, alpha + T), so it expects
        E_p[(1 - ((alpha + T) / (alpha + T + p t))^(r + x)) / p] orders. Gauss-Legendre on
        the Beta's quantile scale, with the quantiles computed once per distinct x."""
        if len(x) == 0:
            return np.zeros(0)
        u, w = np.polynomial.legendre.leggauss(nodes)
        u, w = (u + 1.0) / 2.0, w / 2.0
        distinct, inverse = np.unique(x, return_inverse=True)
        quantiles = special.betaincinv(self.a, self.b + distinct[:, None], u[None, :])
        p = np.maximum(quantiles[inverse.reshape(-1)], 1e-300)
        with np.errstate(divide="ignore", over="ignore", invalid="ignore"):
            s = (t / (self.alpha + T))[:, None]
            alive_orders = -np.expm1(-(self.r + x)[:, None] * np.log1p(p * s)) / p
        alive_orders = np.nan_to_num(alive_orders, nan=0.0, posinf=0.0)
        result: Array = self.p_alive(x, t_x, T) * (alive_orders @ w)
        return result

    def _log_dead_odds(self, x: Array, t_x: Array, T: Array) -> Array:
        """log of (a / (b + x - 1)) ((alpha + T) / (alpha + t_x))^(r + x); -inf for x = 0
        (a customer without repeat orders cannot have dropped out after one)."""
        r, alpha, a, b = self.r, self.alpha, self.a, self.b
        repeat = x > 0
        with np.errstate(divide="ignore", invalid="ignore"):
            value = (
                np.log(a)
                - np.log(b + x - 1.0)
                + (r + x) * (np.log(alpha + T) - np.log(alpha + t_x))
            )
        result: Array = np.where(repeat, value, -np.inf)
        return result

    def as_dict(self) -> dict[str, float]:
        return {
            "r": self.r,
            "alpha": self.alpha,
            "a": self.a,
            "b": self.b,
            "log_likelihood": self.log_likelihood,
            "customers": self.customers,
        }


def bgnbd_log_likelihood(
    params: Array, x: Array, t_x: Array, T: Array, *, gradient: bool = False
) -> tuple[Array, Array | None]:
    """Per tuple: the BG/NBD log-likelihood at (r, alpha, a, b), and with `gradient` its
    derivatives by r, alpha, a, b (one row per tuple). The reference form of the paper;
    the fit sums the same terms faster (`_BgNbdSums`)."""
    r, alpha, a, b = params
    repeat = x > 0
    log_a_t = np.log(alpha + T)
    log_a_tx = np.log(alpha + t_x)
    base = (
        special.gammaln(r + x)
        - special.gammaln(r)
        + r * np.log(alpha)
        + special.gammaln(a + b)
        + special.gammaln(b + x)
        - special.gammaln(b)
        - special.gammaln(a + b + x)
    )
    survived = -(r + x) * log_a_t
    with np.errstate(divide="ignore", invalid="ignore"):
        dropped = np.where(repeat, np.log(a) - np.log(b + x - 1.0) - (r + x) * log_a_tx, -np.inf)
    mixed = np.logaddexp(survived, dropped)
    ll = base + mixed
    if not gradient:
        return ll, None
    w_dropped = np.exp(dropped - mixed)  # share of the "dropped after the last order" term
    w_survived = 1.0 - w_dropped
    psi_ab = special.digamma(a + b)
    psi_abx = special.digamma(a + b + x)
    with np.errstate(divide="ignore", invalid="ignore"):
        inv_bx1 = np.where(repeat, 1.0 / (b + x - 1.0), 0.0)
    d_r = (
        special.digamma(r + x)
        - special.digamma(r)
        + np.log(alpha)
        - w_survived * log_a_t
        - w_dropped * log_a_tx
    )
    d_alpha = r / alpha - (r + x) * (w_survived / (alpha + T) + w_dropped / (alpha + t_x))
    d_a = psi_ab - psi_abx + w_dropped / a
    d_b = psi_ab + special.digamma(b + x) - special.digamma(b) - psi_abx - w_dropped * inv_bx1
    return ll, np.stack([d_r, d_alpha, d_a, d_b], axis=1)


class _BgNbdSums:
    """The BG/NBD log-likelihood summed over weighted tuples, and its gradient, as the
    optimiser needs them (in log parameters).

    Terms that depend on a tuple only through x are summed per distinct x with the summed
    weights of its tuples (x takes few values); what is left per tuple and evaluation is
    two logarithms, one exponential and a few products."""

    def __init__(self, x: Array, t_x: Array, T: Array, weights: Array) -> None:
        self.x, self.t_x, self.T, self.w = x, t_x, T, weights
        by_x = ByX.of(x)
        self.u, self.index = by_x.values, by_x.index
        self.w_u = np.bincount(self.index, weights=weights, minlength=len(self.u))
        self.repeat = x > 0
        self.w_total = float(weights.sum())

    def total(self, params: Array) -> float:
        value, _ = self._sums(params, gradient=False)
        return value

    def __call__(self, theta: Array) -> tuple[float, Array]:
        params = np.exp(theta)
        value, grad = self._sums(params, gradient=True)
        return -value, -grad * params

    def _sums(self, params: Array, *, gradient: bool) -> tuple[float, Array]:
        r, alpha, a, b = params
        u, w = self.u, self.w
        log_a_t = np.log(alpha + self.T)
        log_a_tx = np.log(alpha + self.t_x)
        with np.errstate(divide="ignore", invalid="ignore"):
            log_bu1 = np.where(u > 0, np.log(b + u - 1.0), 0.0)
        rx = r + self.x
        survived = -rx * log_a_t
        dropped = np.where(self.repeat, np.log(a) - log_bu1[self.index] - rx * log_a_tx, -np.inf)
        mixed = np.logaddexp(survived, dropped)
        per_x = special.gammaln(r + u) + special.gammaln(b + u) - special.gammaln(a + b + u)
        constant = r * np.log(alpha) - special.gammaln(r) + special.gammaln(a + b)
        constant -= special.gammaln(b)
        value = float(self.w_u @ per_x) + self.w_total * constant + dot(w, mixed)
        if not gradient:
            return value, np.zeros(4)
        w_dropped = w * np.exp(dropped - mixed)  # weighted share of "dropped" per tuple
        w_survived = w - w_dropped
        psi_ab = special.digamma(a + b)
        psi_abu = special.digamma(a + b + u)
        with np.errstate(divide="ignore", invalid="ignore"):
            inv_bu1 = np.where(u > 0, 1.0 / (b + u - 1.0), 0.0)
        dropped_by_x = np.bincount(self.index, weights=w_dropped, minlength=len(u))
        d_r = (
            float(self.w_u @ special.digamma(r + u))
            + self.w_total * (np.log(alpha) - special.digamma(r))
            - dot(w_survived, log_a_t)
            - dot(w_dropped, log_a_tx)
        )
        d_alpha = self.w_total * r / alpha - (
            dot(w_survived * rx, 1.0 / (alpha + self.T))
            + dot(w_dropped * rx, 1.0 / (alpha + self.t_x))
        )
        d_a = float(self.w_u @ (psi_ab - psi_abu)) + float(dropped_by_x.sum()) / a
        d_b = (
            float(self.w_u @ (psi_ab + special.digamma(b + u) - psi_abu))
            - self.w_total * special.digamma(b)
            - float(dropped_by_x @ inv_bu1)
        )
        return value, np.array([d_r, d_alpha, d_a, d_b])


def fit_bgnbd(tuples: Tuples) -> BgNbd:
    """Maximum likelihood on the distinct tuples, in log parameters (all four are positive)
    and in a time scale where the longest history is 10 units, which keeps the problem well
    conditioned whether times are days or weeks; alpha is scaled back afterwards."""
    if tuples.customers == 0:
        raise FitError("no customers with orders to fit the purchase model on")
    if not (tuples.x > 0).any():
        raise FitError("no customer has a repeat order: the purchase model cannot be fitted")
    scale = max(float(tuples.T.max()), 1e-9) / 10.0
    x = tuples.x.astype(np.float64)
    t_x = tuples.t_x / scale
    T = tuples.T / scale
    objective = _BgNbdSums(x, t_x, T, tuples.counts / tuples.customers)
    theta = maximise(objective, np.zeros(4))
    r, alpha, a, b = np.exp(theta)
    # back to counts, and to the unscaled times (the Jacobian of the scaling)
    total = float(objective.total(np.exp(theta)) * tuples.customers)
    total -= float(tuples.counts @ (x * np.log(scale)))
    return BgNbd(
        r=float(r),
        alpha=float(alpha * scale),
        a=float(a),
        b=float(b),
        log_likelihood=total,
        customers=tuples.customers,
    )


def _hyp2f1_series(a: float, b: float, c: Array, z: Array, *, terms: int = 5_000) -> Array:
    """2F1(a, b; c; z) for 0 <= z < 1 as its defining series, summed term by term; NaN
    where it has not converged after `terms` terms.

    SciPy's `hyp2f1` gives inf for some finite values, e.g. 2F1(4, 4; 104; 0.93) (a heavy
    buyer, c = a + b + x - 1 large, far ahead, z near 1). There c - a - b is large, so the
    terms fall fast and a few dozen suffice; the quadrature, the other way out, is a few
    parts in 10^4 off, enough to make a longer horizon expect fewer orders.

    >>> round(float(_hyp2f1_series(4.0, 4.0, np.array([104.0]), np.array([0.875]))[0]), 10)
    1.1501821758
    """
    c, z = np.broadcast_arrays(np.asarray(c, dtype=np.float64), np.asarray(z, dtype=np.float64))
    total = np.ones(c.shape)
    term = np.ones(c.shape)
    done = np.zeros(c.shape, dtype=bool)
    for n in range(terms):
        term = term * (a + n) * (b + n) / ((c + n) * (n + 1.0)) * z
        total = np.where(done, total, total + term)
        done |= np.abs(term) <= 1e-17 * np.abs(total)
        if done.all():
            return total
    return np.where(done, total, np.nan)
