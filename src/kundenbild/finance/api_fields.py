"""The one place that decides whether an API answer carries finance figures.

Revenue, margins, costs, credit, CLV and forecasts are for users with the finance
capability only. Endpoints used to blank such fields one by one, and one was forgotten
(`our_revenue` of an effective demand reached the service role). Now a schema marks a
field as finance with `FinanceOnly[...]`, and serialising the answer blanks it for every
user without the capability, whatever the endpoint forgot. The OpenAPI document marks
these fields with `x-finance: true`, so a test can walk every endpoint and check them.
"""

from __future__ import annotations

from typing import Annotated, Any, TypeVar

from pydantic import Field, SerializationInfo, SerializerFunctionWrapHandler, WrapSerializer

from kundenbild.accounts.models import User
from kundenbild.finance.permissions import finance_can_view

T = TypeVar("T")

FINANCE_NOTE = "null unless the user may see finance data"


def finance_visible(info: SerializationInfo) -> bool:
    """Whether the user of the request being answered may see finance figures.

    Without a request in the serialisation context (a schema dumped outside a request),
    nothing is shown: the safe side.
    """
    context = info.context if isinstance(info.context, dict) else {}
    request = context.get("request")
    user = getattr(request, "auth", None) or getattr(request, "user", None)
    return isinstance(user, User) and user.is_active and finance_can_view(user)


def _hide_without_finance(
    value: Any, handler: SerializerFunctionWrapHandler, info: SerializationInfo
) -> Any:
    return handler(value) if finance_visible(info) else None


_HIDDEN = WrapSerializer(_hide_without_finance, when_used="always")

FinanceOnly = Annotated[T | None, _HIDDEN, Field(json_schema_extra={"x-finance": True})]
"""A field shown only to users with the finance capability (null for everybody else)."""
