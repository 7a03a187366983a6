"""The whole surface of the app, for tests that must walk all of it: every page and export
(from the URL configuration) and every API operation (from the OpenAPI document), their
ids filled from a mapping."""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from typing import Any

from django.urls import URLPattern, URLResolver, get_resolver

from kundenbild.api.main import api

# Pages that change the session rather than show something.
SKIPPED_PAGES = {"accounts:logout"}


def api_paths(ids: Mapping[str, Any], method: str = "get") -> Iterator[str]:
    """Every path of the OpenAPI document with an operation of the method, ids filled."""
    for path, operations in api.get_openapi_schema()["paths"].items():
        if method in operations:
            yield re.sub(r"\{(\w+)\}", lambda m: str(ids[m.group(1)]), path)


def api_query_parameters(kind: str) -> Iterator[tuple[str, str]]:
    """(path template, name) of every GET query parameter whose schema allows the kind."""
    for path, operations in api.get_openapi_schema()["paths"].items():
        for parameter in operations.get("get", {}).get("parameters", []):
            schema = parameter.get("schema", {})
            kinds = {schema.get("type")} | {s.get("type") for s in schema.get("anyOf", [])}
            if parameter["in"] == "query" and kind in kinds:
                yield path, parameter["name"]


def page_routes() -> Iterator[tuple[str, str]]:
    """(name, route) of every page and export of the app, outside the API."""

    def walk(patterns: list[Any], prefix: str, namespace: str) -> Iterator[tuple[str, str]]:
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                inner = pattern.namespace or namespace
                yield from walk(pattern.url_patterns, prefix + str(pattern.pattern), inner)
            elif isinstance(pattern, URLPattern):
                yield f"{namespace}:{pattern.name}", prefix + str(pattern.pattern)

    for name, route in walk(get_resolver().url_patterns, "/", ""):
        if not route.startswith("/api/") and name not in SKIPPED_PAGES:
            yield name, route


def fill(route: str, ids: Mapping[str, Any], default: str = "0") -> str:
    """The route with each <converter:name> replaced by ids[name] (else the default)."""
    return re.sub(r"<(?:\w+:)?(\w+)>", lambda m: str(ids.get(m.group(1), default)), route)
