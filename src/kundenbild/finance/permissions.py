"""The chokepoint for finance data: revenue, margins, credit, conditions."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from kundenbild.accounts.capabilities import Capability, has_capability
from kundenbild.accounts.models import User
from kundenbild.core.errors import PermissionDeniedError


def finance_can_view(user: User) -> bool:
    return has_capability(user, Capability.VIEW_FINANCE)


def finance_access(user: User) -> None:
    """Raise unless the user may see finance data."""
    if not finance_can_view(user):
        raise PermissionDeniedError(_("You may not see finance data."))
