"""Failed logins lock the account at one limit and the client address at a higher one.

django-axes compares one failure count with one limit, whatever it locks by: with
["username", "ip_address"] ten typos for one account lock everybody behind the same
company proxy. So axes locks by username (AXES_LOCKOUT_PARAMETERS, AXES_FAILURE_LIMIT),
and this handler adds the address: once an address has failed
KUNDENBILD_LOGIN_FAILURES_PER_ADDRESS times within the cool-off time, every login from it
counts as locked, whichever account it is for.
"""

from __future__ import annotations

from typing import Any

from axes.attempts import get_cool_off_threshold
from axes.handlers.database import AxesDatabaseHandler
from axes.helpers import get_failure_limit
from axes.models import AccessAttempt
from django.conf import settings
from django.db.models import Sum
from django.http import HttpRequest


def address_failures(request: HttpRequest) -> int:
    """Failed logins from the request's address within the cool-off time, for any account."""
    attempts = AccessAttempt.objects.filter(
        ip_address=getattr(request, "axes_ip_address", None),
        attempt_time__gte=get_cool_off_threshold(request),
    )
    total: int | None = attempts.aggregate(total=Sum("failures_since_start"))["total"]
    return total or 0


class AccountAndAddressHandler(AxesDatabaseHandler):  # type: ignore[misc]  # axes is untyped
    """axes' database handler, with the address limit on top of the account limit."""

    def get_failures(self, request: Any, credentials: dict[str, Any] | None = None) -> int:
        """The account's failures; an address over its own limit counts as locked.

        axes asks this both before a login (is it locked?) and after a failure (does it
        lock now?), and compares the answer with the account limit; the request remembers
        which limit was reached, so that the lockout page can say why.
        """
        account = int(super().get_failures(request, credentials))
        if address_failures(request) < settings.KUNDENBILD_LOGIN_FAILURES_PER_ADDRESS:
            return account
        request.kundenbild_address_locked = True
        return max(account, int(get_failure_limit(request, credentials)))
