"""Demo data: a realistic German B2B book of business, generated deterministically."""
