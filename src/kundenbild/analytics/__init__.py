"""The analytics core: pure Python over Ibis tables and NumPy arrays, no Django.

It takes invoice lines and returns tables; the app's `insights` bridge and the
`kundenbild analyze-file` command both call `analysis`, which reads the lines (`books`),
judges the customers (`judging`) and writes the result (`results`). Beneath them, in
layers: `forecast`, then `shapes` and `clv` (independent of each other), then `io`, the
only part that touches files. See docs/architecture.md, docs/value-types.md and
docs/forecast.md.

Nothing is re-exported here: import from the module that defines a name.
"""
