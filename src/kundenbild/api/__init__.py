"""The REST API: one NinjaAPI, token or session authentication, errors as JSON."""
