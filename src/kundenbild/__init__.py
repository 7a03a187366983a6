"""Kundenbild: one living picture of each B2B customer."""
