"""Finance: sales lines, revenue and contribution margins per customer."""
