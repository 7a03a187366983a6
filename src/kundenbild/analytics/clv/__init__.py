"""Customer lifetime value: the probabilistic purchase models and what they predict.

One module per model, as `lifetimes` and PyMC-Marketing keep them, so that each model's
paper, likelihood and sufficient statistics read on one page:

- `bgnbd`: BG/NBD, how many orders a customer will place and whether it is still one;
- `gamma_gamma`: Gamma-Gamma, what its orders are worth;
- `fitting`: the maximum-likelihood machinery both share;
- `purchase_models`: both fitted to one analysis' customers (the papers' BG/NBD and the
  one that knows a B2B export is cut off), and their predictions per chunk of customers;
- `value`: what the forecast revenue is worth, the margin discounted over the years.

The models know nothing of value types or of the forecast built on them (`forecast`):
they are the papers' models, checked against `lifetimes` and the papers' own numbers.
"""
