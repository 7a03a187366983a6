"""Shared foundations: application errors, formatting, template tags."""
