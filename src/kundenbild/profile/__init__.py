"""Keeping the customer profile true: completeness, reviews and the history of all areas."""
