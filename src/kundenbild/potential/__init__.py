"""Needs → demand → effective demand → potential, share of wallet and white space."""
