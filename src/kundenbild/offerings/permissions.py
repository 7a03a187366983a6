"""Who may maintain the offering catalogue; assessments follow the customer's edit right."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from kundenbild.accounts.capabilities import Capability, has_capability
from kundenbild.accounts.models import User
from kundenbild.core.errors import PermissionDeniedError


def offering_catalogue_can_edit(user: User) -> bool:
    return has_capability(user, Capability.EDIT_ALL_CUSTOMERS)


def offering_catalogue_access(user: User) -> None:
    """Raise unless the user may change the catalogue (those who may edit all customers)."""
    if not offering_catalogue_can_edit(user):
        raise PermissionDeniedError(_("You may not change the offering catalogue."))
