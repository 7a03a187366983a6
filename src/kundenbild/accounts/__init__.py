"""Users, roles with explicit capabilities, API tokens."""
