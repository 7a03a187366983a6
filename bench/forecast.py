"""Benchmark: our BG/NBD + Gamma-Gamma fit and forecast against the `lifetimes` library.

    uv run python bench/forecast.py [--sizes 100000,1000000] [--runs 1]

For each size it simulates customers from the BG/NBD process (seeded; r = 0.25, alpha =
4.4 weeks, a = 0.8, b = 2.4, observed 1 to 78 weeks, times in whole days) with
Gamma-Gamma order values (p = 6, q = 3.7, gamma = 15), writes them to a temporary .npz,
then times each side in a fresh process with its own peak memory (max RSS):

- ours: `Tuples.of`, `fit_bgnbd`, `fit_gamma_gamma`, then for every customer the orders
  expected in the next 52 weeks, P(alive) and the expected order value;
- lifetimes: `BetaGeoFitter().fit`, `GammaGammaFitter().fit` on the customers with repeat
  orders, then the same three predictions for every customer.

Times cover the fits and predictions only (not imports or loading the data). Prints a
markdown table with both times, their ratio (lifetimes / ours), peak memory, the largest
relative difference between the seven fitted parameters and between the predictions.
Goal at 1 M customers: at least 10x faster, parameters equal to 4 significant digits.
"""

from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import tempfile
import time
import warnings
from pathlib import Path
from typing import Any, TypedDict

import numpy as np
import numpy.typing as npt

SEED = 20240607
R, ALPHA, A, B = 0.25, 4.4, 0.8, 2.4  # BG/NBD, alpha in weeks
P, Q, GAMMA = 6.0, 3.7, 15.0  # Gamma-Gamma
HORIZON_WEEKS = 52.0
PARAMS = ("r", "alpha", "a", "b", "p", "q", "gamma")
PREDICTIONS = ("orders", "alive", "value")
Data = dict[str, npt.NDArray[Any]]
Fitted = tuple[dict[str, float], list[npt.NDArray[np.float64]]]


class Result(TypedDict):
    seconds: float
    rss_mb: float
    params: dict[str, float]


def simulate(customers: int, seed: int = SEED) -> Data:
    """x, t_x and T in whole days and mean repeat-order value of `customers` customers.

    Vectorised over customers, looping over the order number: each round, every customer
    still alive and inside its window draws the gap to its next repeat order; the order
    counts if it falls before T, and the customer then drops out with probability p.
    """
    rng = np.random.default_rng(seed)
    rate = np.maximum(rng.gamma(R, 1.0 / ALPHA, customers), 1e-12)  # orders per week
    dropout = rng.beta(A, B, customers)
    observed_days = rng.integers(7, 78 * 7 + 1, customers)
    x = np.zeros(customers, dtype=np.int64)
    clock = np.zeros(customers)  # days since the first order
    last = np.zeros(customers)
    active = np.arange(customers)
    while active.size:
        clock[active] += rng.exponential(7.0 / rate[active])
        active = active[clock[active] <= observed_days[active]]
        x[active] += 1
        last[active] = clock[active]
        active = active[rng.random(active.size) >= dropout[active]]
    nu = rng.gamma(Q, 1.0 / GAMMA, customers)
    mean_value = np.zeros(customers)
    repeat = x > 0
    mean_value[repeat] = rng.gamma(P * x[repeat], 1.0 / (nu[repeat] * x[repeat]))
    t_x_days = np.floor(last).astype(np.int64)
    return {"x": x, "t_x_days": t_x_days, "T_days": observed_days, "mean_value": mean_value}


def run_ours(data: Data) -> Fitted:
    from kundenbild.analytics.clv.bgnbd import Tuples, fit_bgnbd
    from kundenbild.analytics.clv.gamma_gamma import fit_gamma_gamma

    x, t_x_days, days, m = data["x"], data["t_x_days"], data["T_days"], data["mean_value"]
    tuples = Tuples.of(x, t_x_days, days, 7.0)
    bg = fit_bgnbd(tuples)
    gg = fit_gamma_gamma(x, m)
    # predictions depend on (x, t_x, T) only: made per distinct tuple, spread to customers
    xs, t_x, weeks = tuples.x.astype(np.float64), tuples.t_x, tuples.T
    orders = bg.expected_orders(xs, t_x, weeks, HORIZON_WEEKS)[tuples.inverse]
    alive = bg.p_alive(xs, t_x, weeks)[tuples.inverse]
    value = gg.expected_order_value(x.astype(np.float64), m)
    params = {"r": bg.r, "alpha": bg.alpha, "a": bg.a, "b": bg.b, "p": gg.p, "q": gg.q}
    params["gamma"] = gg.gamma
    return params, [orders, alive, value]


def run_lifetimes(data: Data) -> Fitted:
    from lifetimes import BetaGeoFitter, GammaGammaFitter  # type: ignore[import-untyped]

    x, m = data["x"], data["mean_value"]
    t_x, weeks = data["t_x_days"] / 7.0, data["T_days"] / 7.0
    bg = BetaGeoFitter().fit(x, t_x, weeks)
    repeat = x > 0
    gg = GammaGammaFitter().fit(x[repeat], m[repeat])
    orders = bg.conditional_expected_number_of_purchases_up_to_time(HORIZON_WEEKS, x, t_x, weeks)
    alive = bg.conditional_probability_alive(x, t_x, weeks)
    value = gg.conditional_expected_average_profit(x, m)
    params = {k: float(bg.params_[k]) for k in ("r", "alpha", "a", "b")}
    params.update({"p": float(gg.params_["p"]), "q": float(gg.params_["q"])})
    params["gamma"] = float(gg.params_["v"])
    return params, [np.asarray(a, dtype=np.float64) for a in (orders, alive, value)]


def side(name: str, path: Path) -> None:
    """Run one side on the data in `path`; print seconds, peak RSS and parameters as JSON,
    and save the predictions next to the data."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        # each side imports only its own library, and before the clock starts
        if name == "lifetimes":
            import lifetimes  # noqa: F401  # type: ignore[import-untyped]
        else:
            import kundenbild.analytics.clv.bgnbd
            import kundenbild.analytics.clv.gamma_gamma  # noqa: F401
        with np.load(path) as npz:
            data = {k: npz[k] for k in npz.files}
        start = time.perf_counter()
        params, predictions = (run_ours if name == "ours" else run_lifetimes)(data)
        seconds = time.perf_counter() - start
    orders, alive, value = predictions
    np.savez(path.with_suffix(f".{name}.npz"), orders=orders, alive=alive, value=value)
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(json.dumps({"seconds": seconds, "rss_mb": rss, "params": params}))


def measure(name: str, path: Path) -> Result:
    """One side in its own process: its JSON line."""
    done = subprocess.run(
        [sys.executable, __file__, "--side", name, "--data", str(path)],
        capture_output=True,
        text=True,
        check=True,
    )
    result: Result = json.loads(done.stdout.strip().splitlines()[-1])
    return result


def largest_difference(ours: dict[str, float], theirs: dict[str, float]) -> tuple[float, str]:
    return max((abs(ours[k] - theirs[k]) / abs(theirs[k]), k) for k in PARAMS)


def prediction_difference(path: Path) -> float:
    """Largest relative difference of the two sides' predictions (absolute below 1e-6)."""
    worst = 0.0
    with (
        np.load(path.with_suffix(".ours.npz")) as ours,
        np.load(path.with_suffix(".lifetimes.npz")) as theirs,
    ):
        for k in PREDICTIONS:
            diff = np.abs(ours[k] - theirs[k]) / np.maximum(np.abs(theirs[k]), 1e-6)
            worst = max(worst, float(np.nanmax(diff)))
    return worst


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="100000,1000000", help="customers per run")
    parser.add_argument("--runs", type=int, default=1, help="repetitions (best time is kept)")
    parser.add_argument("--side", choices=["ours", "lifetimes"], help=argparse.SUPPRESS)
    parser.add_argument("--data", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.side:
        side(args.side, args.data)
        return
    work = tempfile.TemporaryDirectory(prefix="kundenbild-bench-forecast-")
    rows = []
    for customers in (int(s) for s in args.sizes.split(",")):
        path = Path(work.name) / f"customers-{customers}.npz"
        data = simulate(customers)
        np.savez(path, **data)  # type: ignore[arg-type]  # (numpy stubs)
        repeat = float(np.mean(data["x"] > 0))
        print(f"{customers:,} customers simulated ({repeat:.0%} with repeat orders)", flush=True)
        best: dict[str, Result] = {}
        for name in ("lifetimes", "ours"):
            runs = [measure(name, path) for _ in range(args.runs)]
            best[name] = min(runs, key=lambda r: r["seconds"])
        theirs, ours = best["lifetimes"], best["ours"]
        worst, param = largest_difference(ours["params"], theirs["params"])
        rows.append(
            f"| {customers:>9,} | {theirs['seconds']:>11.2f} | {ours['seconds']:>7.2f} "
            f"| {theirs['seconds'] / ours['seconds']:>6.1f}x "
            f"| {theirs['rss_mb']:>15.0f} | {ours['rss_mb']:>9.0f} "
            f"| {worst:.1e} ({param}, {'<' if worst < 1e-4 else '>='} 1e-4) "
            f"| {prediction_difference(path):.1e} |"
        )
        for name in ("lifetimes", "ours"):
            fitted = best[name]["params"]
            print(f"  {name:<9} " + " ".join(f"{k}={fitted[k]:.6g}" for k in PARAMS))
    print()
    print(
        "| customers | lifetimes s | ours s |  ratio | lifetimes peak MB | ours peak MB "
        "| max rel. param diff | max rel. prediction diff |"
    )
    print("|---:|---:|---:|---:|---:|---:|---|---:|")
    print("\n".join(rows))
    work.cleanup()


if __name__ == "__main__":
    main()
