"""The forecast: each customer's revenue over the coming months, and how far to trust it.

Kept apart from `clv` because it reads more than the papers' models: the shape model
follows each customer's value type (`shapes`), a new customer's forecast shrinks the run
rate with the purchase models (`clv`), and which of them a segment takes, and how wide
its band is, the data's own past decides. `clv` stays the papers' models, which know
nothing of value types; this package is where they meet.

- `models`: every forecast model (last 12 months, BG/NBD × Gamma-Gamma, shape, cautious)
  and the default per segment, bounded, with its band;
- `calibration`: the internal backtest, which learns the new customers' model, their
  level and the 80 % band from the year before the as-of date;
- `horizon`: the months ahead at which the forecasts are read.
"""
