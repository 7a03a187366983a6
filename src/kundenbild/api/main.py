"""Assembles the API from each app's router and maps refusals to JSON errors."""

from __future__ import annotations

import logging

from django.core.exceptions import ValidationError
from django.db import DataError
from django.http import Http404, HttpRequest, HttpResponse
from django.http.multipartparser import MultiPartParserError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError
from ninja.errors import ValidationError as NinjaValidationError

from kundenbild.api.auth import BearerToken, SessionAuth, session_or_token
from kundenbild.core.errors import ApplicationError
from kundenbild.core.numbers import DOES_NOT_FIT

api = NinjaAPI(
    title="Kundenbild API",
    version="1",
    description=(
        "Customers and their profiles. Authenticate with `Authorization: Bearer <token>`; "
        "create a token under Settings → API tokens or with "
        "`kundenbild manage create_api_token USERNAME`."
    ),
    auth=[BearerToken(), SessionAuth()],
    docs_decorator=session_or_token,
    urls_namespace="api",
)


def _error(
    request: HttpRequest,
    status: int,
    code: str,
    message: str,
    fields: dict[str, list[str]] | None = None,
) -> HttpResponse:
    body: dict[str, object] = {"code": code, "detail": message}
    if fields:
        body["fields"] = fields
    return api.create_response(request, body, status=status)


@api.exception_handler(ApplicationError)
def on_application_error(request: HttpRequest, exc: ApplicationError) -> HttpResponse:
    fields = {exc.field: [str(exc.message)]} if exc.field else None
    return _error(request, exc.status, exc.code, str(exc.message), fields)


@api.exception_handler(ValidationError)
def on_django_validation_error(request: HttpRequest, exc: ValidationError) -> HttpResponse:
    fields = (
        {k: [str(m) for m in v] for k, v in exc.message_dict.items()}
        if hasattr(exc, "error_dict")
        else {"__all__": [str(m) for m in exc.messages]}
    )
    return _error(request, 422, "invalid", _("The data is not valid. Please correct it."), fields)


@api.exception_handler(NinjaValidationError)
def on_schema_error(request: HttpRequest, exc: NinjaValidationError) -> HttpResponse:
    fields: dict[str, list[str]] = {}
    for error in exc.errors:
        location = ".".join(str(p) for p in error.get("loc", ()) if p not in ("body", "payload"))
        message = str(error.get("msg", "")).removeprefix("Value error, ")
        fields.setdefault(location or "__all__", []).append(message)
    return _error(
        request, 422, "invalid", _("The request is not valid. Please correct it."), fields
    )


@api.exception_handler(OverflowError)
@api.exception_handler(DataError)
def on_value_too_large(request: HttpRequest, exc: Exception) -> HttpResponse:
    """A number or text the database cannot hold, wherever a check let it through."""
    return _error(request, 422, "invalid", str(DOES_NOT_FIT))


MALFORMED_UPLOAD = gettext_lazy("The upload cannot be read: the form data is malformed.")


@api.exception_handler(MultiPartParserError)
def on_malformed_upload(request: HttpRequest, exc: MultiPartParserError) -> HttpResponse:
    """A multipart body Django cannot parse (headers too long, a broken boundary): the
    client's fault, said in JSON, not a server error."""
    return _error(request, 400, "malformed_upload", str(MALFORMED_UPLOAD))


@api.exception_handler(AuthenticationError)
def on_unauthenticated(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
    return _error(
        request, 401, "unauthenticated", _("Authentication required: send a valid API token.")
    )


@api.exception_handler(Http404)
def on_not_found(request: HttpRequest, exc: Http404) -> HttpResponse:
    return _error(request, 404, "not_found", _("This object does not exist."))


@api.exception_handler(HttpError)
def on_http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
    return _error(request, exc.status_code, "error", str(exc))


@api.exception_handler(Exception)
def on_unexpected_error(request: HttpRequest, exc: Exception) -> HttpResponse:
    """Anything unforeseen: logged with its traceback, and still JSON for the client,
    never Django's HTML page (a client parsing JSON would fail on it a second time)."""
    logging.getLogger("kundenbild.api").exception("unexpected error in %s", request.path)
    return _error(
        request, 500, "server_error", _("Something went wrong on the server; it has been logged.")
    )


def _register_routers() -> None:
    from kundenbild.customers.api import router as customers_router
    from kundenbild.customers.company_api import router as company_router
    from kundenbild.profile.api import add_customer_list

    add_customer_list(customers_router)
    api.add_router("/customers/", customers_router)
    api.add_router("/customers/", company_router)
    from kundenbild.offerings.api import catalogue_router, fascination_router

    api.add_router("/customers/", fascination_router)
    from kundenbild.finance.api import router as finance_router

    api.add_router("/customers/", finance_router)
    from kundenbild.activities.api import follow_up_router
    from kundenbild.activities.api import router as activities_router

    api.add_router("/customers/", activities_router)
    api.add_router("/activities/", follow_up_router)
    api.add_router("/offerings/", catalogue_router)
    from kundenbild.buying_center import api as buying_center_api

    api.add_router("/customers/", buying_center_api.router)
    api.add_router("/contacts/", buying_center_api.contact_router)
    api.add_router("/relations/", buying_center_api.relation_router)
    api.add_router("/buying-centers/", buying_center_api.center_router)
    from kundenbild.potential import api as potential_api

    api.add_router("/customers/", potential_api.router)
    api.add_router("/needs/", potential_api.need_router)
    api.add_router("/demands/", potential_api.demand_router)
    from kundenbild.profile.api import router as profile_router

    api.add_router("/customers/", profile_router)
    from kundenbild.imports import api as imports_api

    api.add_router("/imports/", imports_api.router)
    from kundenbild.insights import api as insights_api

    api.add_router("/customers/", insights_api.router)
    api.add_router("/analysis-runs/", insights_api.run_router)
    api.add_router("/sales-totals/", imports_api.totals_router)
    from kundenbild.portfolio import api as portfolio_api
    from kundenbild.portfolio import coaching_api, selection_api

    api.add_router("/selection/", selection_api.selection_router)
    api.add_router("/portfolio/", portfolio_api.portfolio_router)
    api.add_router("/coaching/", coaching_api.coaching_router)
    from kundenbild.chains import api as chains_api

    api.add_router("/chains/", chains_api.router)
    api.add_router("/chain-stages/", chains_api.stage_router)
    api.add_router("/chain-actors/", chains_api.actor_router)
    api.add_router("/chain-flows/", chains_api.flow_router)
    api.add_router("/chain-people/", chains_api.person_router)


_register_routers()
