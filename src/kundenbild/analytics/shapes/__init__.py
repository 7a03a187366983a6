"""The shapes of customers' value over time: what kind of customer each one is, and where
in its life it stands (DOMAIN.md, docs/value-types.md).

- `history`: a chunk of customers as dense monthly arrays, and each one's life in them;
- `seasons`, `trends`: the evidence for a cyclical, a growing or shrinking, and a bell
  customer, each measured against the customer's own noise;
- `value_types`: the six shapes decided in DOMAIN.md's order, with their evidence;
- `phases`: ramp-up, mature, phase-out, lost;
- `reasons`: why each customer has its type, as a code and the numbers it quotes.

Everything here works on NumPy arrays for a chunk of customers at once and knows nothing
of files, the engine or the forecast, which reads the shapes.
"""
