"""Quasi-Poisson regressions with a log link, fitted for many customers at once.

A customer's revenue per period behaves like a count: it is never negative, zero in many
periods for customers who order every few months, and its spread grows with its level.
A Poisson model with a log link handles all three; the quasi-Poisson dispersion turns its
standard errors honest for lumpy ordering. Each row of the arrays is one customer, fitted
by iteratively reweighted least squares, all rows at once (no Python loop per customer).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

Array = npt.NDArray[np.float64]


@dataclass(frozen=True)
class Fit:
    beta: Array  # (customers, parameters)
    se: Array  # standard errors, scaled by the dispersion
    deviance: Array
    dispersion: Array


def poisson_fit(
    y: Array, exposure: Array, x: Array, *, start: Array | None = None, iterations: int = 25
) -> Fit:
    """Fit log E[y] = log(exposure) + x @ beta per row; exposure 0 marks missing periods.

    y, exposure: (customers, periods); x: (customers, periods, parameters). `start`
    (customers × parameters) warm-starts from a related fit, e.g. the straight line for a
    bent one, which saves iterations.
    """
    n, _, k = x.shape
    used = exposure > 0
    offset = np.log(np.where(used, exposure, 1.0))
    rate = y.sum(axis=1) / np.maximum(exposure.sum(axis=1), 1e-12)
    if start is None:
        beta = np.zeros((n, k))
        beta[:, 0] = np.log(np.maximum(rate, 1e-12))
    else:
        beta = start.copy()
    ridge = np.eye(k) * 1e-9
    xt = np.swapaxes(x, 1, 2)
    active = np.arange(n)  # only customers that have not converged take another step
    for _ in range(iterations):
        if not len(active):
            break
        xa, ya, used_a = x[active], y[active], used[active]
        eta = np.clip((xa @ beta[active][:, :, None])[:, :, 0], -30.0, 30.0)
        mu = np.exp(eta + offset[active]) * used_a
        z = eta + np.where(used_a, (ya - mu) / np.maximum(mu, 1e-12), 0.0)
        weighted = xt[active] * mu[:, None, :]
        step = _solve(weighted @ xa + ridge, weighted @ z[:, :, None])[:, :, 0]
        change = np.abs(step - beta[active]).max(axis=1)
        beta[active] = step
        active = active[change >= 1e-6]
    eta = np.clip((x @ beta[:, :, None])[:, :, 0], -30.0, 30.0)
    mu = np.exp(eta + offset) * used
    safe_mu = np.maximum(mu, 1e-300)
    # the difference of logs, not the log of the quotient: a revenue of a few 1e-320 next
    # to a large expectation makes the quotient underflow to 0, its log -inf
    log_ratio = np.log(np.where(y > 0, y, 1.0)) - np.log(safe_mu)
    deviance = 2.0 * np.where(used, np.where(y > 0, y * log_ratio, 0.0) - (y - mu), 0.0).sum(1)
    dof = np.maximum(used.sum(axis=1) - k, 1)
    dispersion = np.where(used, (y - mu) ** 2 / np.maximum(mu, 1e-12), 0.0).sum(axis=1) / dof
    information = (xt * mu[:, None, :]) @ x + ridge
    variance = np.diagonal(_inverse(information), axis1=1, axis2=2)
    se = np.sqrt(np.maximum(variance, 0.0) * np.maximum(dispersion, 1e-12)[:, None])
    return Fit(beta, se, deviance, dispersion)


def _solve(a: Array, b: Array) -> Array:
    """Batched a @ step = b; where some customer's system is singular (revenue of a few
    cents next to millions), the pseudo-inverse for the whole batch, which is rare."""
    try:
        result: Array = np.asarray(np.linalg.solve(a, b), dtype=np.float64)
    except np.linalg.LinAlgError:
        result = np.asarray(np.linalg.pinv(a) @ b, dtype=np.float64)
    return result


def _inverse(a: Array) -> Array:
    try:
        result: Array = np.asarray(np.linalg.inv(a), dtype=np.float64)
    except np.linalg.LinAlgError:
        result = np.asarray(np.linalg.pinv(a), dtype=np.float64)
    return result
