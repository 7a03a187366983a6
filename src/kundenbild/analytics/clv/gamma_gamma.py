"""Gamma-Gamma: what a customer's orders are worth.

An order's value varies around the customer's own mean as Gamma(p, nu), and nu varies
across customers as Gamma(q, gamma); the expected value of a customer's next order is a
weighted mean of the population's mean and its own, the more weight on its own the more
orders it has placed. The likelihood depends on a customer only through (x, m), its
repeat orders and their mean value, and its gamma functions only through x, which takes
few values: they are evaluated once per distinct x.

References: Fader, Hardie & Lee (2005), "RFM and CLV: Using Iso-Value Curves for Customer
Base Analysis", JMR 42(4); Fader & Hardie, "The Gamma-Gamma Model of Monetary Value"
(2013 note).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt
from scipy import special

from kundenbild.analytics.clv.fitting import ByX, FitError, dot, maximise

Array = npt.NDArray[np.float64]


@dataclass(frozen=True)
class GammaGamma:
    """Fitted Gamma-Gamma: an order's value ~ Gamma(p, nu), nu ~ Gamma(q, gamma) across
    customers. Mean order value in the population: p gamma / (q - 1)."""

    p: float
    q: float
    gamma: float
    log_likelihood: float
    customers: int

    @property
    def population_mean(self) -> float:
        """The mean order value of a customer we know nothing about (infinite for q <= 1:
        then `expected_order_value` falls back to the customers' own means)."""
        return self.p * self.gamma / (self.q - 1.0) if self.q > 1.0 else float("inf")

    def expected_order_value(self, x: Array, mean_value: Array) -> Array:
        """E[order value | x repeat orders with mean value m]: a weighted mean of the
        population's and the customer's own mean, the more weight on its own the more
        orders it has placed."""
        x = np.asarray(x, dtype=np.float64)
        m = np.nan_to_num(np.asarray(mean_value, dtype=np.float64))
        if self.q <= 1.0:
            fallback = float(np.mean(m[x > 0])) if (x > 0).any() else 0.0
            result: Array = np.where(x > 0, m, fallback)
            return result
        own = np.where(x > 0, np.maximum(m, 0.0), 0.0)
        result = self.p * (self.gamma + x * own) / (self.p * x + self.q - 1.0)
        return result

    def as_dict(self) -> dict[str, float]:
        return {
            "p": self.p,
            "q": self.q,
            "gamma": self.gamma,
            "log_likelihood": self.log_likelihood,
            "customers": self.customers,
        }


def gamma_gamma_log_likelihood(
    params: Array, x: Array, m: Array, *, gradient: bool = False
) -> tuple[Array, Array | None]:
    """Per customer: the log density of mean order value m over x orders, and with
    `gradient` its derivatives by p, q, gamma."""
    p, q, gamma = params
    px = p * x
    log_xm_g = np.log(x * m + gamma)
    ll = (
        special.gammaln(px + q)
        - special.gammaln(px)
        - special.gammaln(q)
        + q * np.log(gamma)
        + (px - 1.0) * np.log(m)
        + px * np.log(x)
        - (px + q) * log_xm_g
    )
    if not gradient:
        return ll, None
    psi = special.digamma(px + q)
    d_p = x * (psi - special.digamma(px) + np.log(m) + np.log(x) - log_xm_g)
    d_q = psi - special.digamma(q) + np.log(gamma) - log_xm_g
    d_gamma = q / gamma - (px + q) / (x * m + gamma)
    return ll, np.stack([d_p, d_q, d_gamma], axis=1)


def fit_gamma_gamma(x: npt.ArrayLike, mean_value: npt.ArrayLike) -> GammaGamma:
    """Maximum likelihood over the customers with at least one repeat order and a positive
    mean repeat-order value (the model is for positive amounts; others are left out).
    Values are scaled to a mean of 1 while fitting, and gamma scaled back."""
    xs = np.asarray(x, dtype=np.float64)
    ms = np.asarray(mean_value, dtype=np.float64)
    usable = (xs > 0) & np.isfinite(ms) & (ms > 0)
    xs, ms = xs[usable], ms[usable]
    if len(xs) < 2:
        raise FitError("fewer than two customers with repeat orders: no order-value model")
    scale = float(ms.mean())
    m = ms / scale
    objective = _GammaGammaSums(xs, m)
    theta = maximise(objective, np.zeros(3))
    p, q, gamma = np.exp(theta)
    return GammaGamma(
        p=float(p),
        q=float(q),
        gamma=float(gamma * scale),
        log_likelihood=float(objective.total(np.exp(theta)) - len(xs) * np.log(scale)),
        customers=len(xs),
    )


class _GammaGammaSums:
    """The Gamma-Gamma log-likelihood summed over customers, and its gradient, as the
    optimiser needs them (divided by the number of customers, in log parameters).

    Everything that does not change with the parameters is summed once; the gamma and
    digamma terms are evaluated per distinct x. What is left per customer and evaluation
    is one logarithm and one division."""

    def __init__(self, x: Array, m: Array) -> None:
        self.x, self.m, self.n = x, m, len(x)
        self.xm = x * m
        by_x = ByX.of(x)
        self.u = by_x.values
        self.counts = np.bincount(by_x.index, minlength=len(self.u)).astype(np.float64)
        log_m = np.log(m)
        self.sum_x_log_m = dot(x, log_m)
        self.sum_log_m = float(log_m.sum())
        self.sum_x_log_x = dot(x, np.log(x))

    def total(self, params: Array) -> float:
        value, _ = self._sums(params, gradient=False)
        return value

    def __call__(self, theta: Array) -> tuple[float, Array]:
        params = np.exp(theta)
        value, grad = self._sums(params, gradient=True)
        return -value / self.n, -grad * params / self.n

    def _sums(self, params: Array, *, gradient: bool) -> tuple[float, Array]:
        p, q, gamma = params
        pu = p * self.u
        log_xm_g = np.log(self.xm + gamma)
        sum_log = float(log_xm_g.sum())
        sum_x_log = dot(self.x, log_xm_g)
        per_x = special.gammaln(pu + q) - special.gammaln(pu)
        value = (
            float(self.counts @ per_x)
            + self.n * (q * np.log(gamma) - special.gammaln(q))
            + p * (self.sum_x_log_m + self.sum_x_log_x)
            - self.sum_log_m
            - p * sum_x_log
            - q * sum_log
        )
        if not gradient:
            return value, np.zeros(3)
        psi = special.digamma(pu + q)
        inverse = 1.0 / (self.xm + gamma)
        d_p = (
            float(self.counts @ (self.u * (psi - special.digamma(pu))))
            + self.sum_x_log_m
            + self.sum_x_log_x
            - sum_x_log
        )
        d_q = float(self.counts @ psi) - self.n * special.digamma(q) + self.n * np.log(gamma)
        d_q -= sum_log
        d_gamma = self.n * q / gamma - p * dot(self.x, inverse) - q * float(inverse.sum())
        return value, np.array([d_p, d_q, d_gamma])
