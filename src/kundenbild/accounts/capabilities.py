"""What a role allows. Capabilities, not role names, are what permission checks ask for.

A role is a named set of capabilities; the six standard roles are created by a migration
and their sets live here, so that the table of who-may-what is readable in one place.
"""

from __future__ import annotations

from typing import Any

from django.db import models
from django.utils.translation import gettext_lazy as _


class Capability(models.TextChoices):
    VIEW_FINANCE = "view_finance", _("View finance data (revenue, margins, credit)")
    EDIT_OWN_CUSTOMERS = "edit_own_customers", _("Edit the profiles of own customers")
    EDIT_ALL_CUSTOMERS = "edit_all_customers", _("Edit the profiles of all customers")
    EDIT_FINANCE = "edit_finance", _("Edit the finance profile of any customer")
    IMPORT_DATA = "import_data", _("Import data")
    MANAGE_USERS = "manage_users", _("Manage users and roles")


class RoleCode(models.TextChoices):
    MANAGEMENT = "management", _("Management")
    KEY_ACCOUNT_MANAGER = "kam", _("Key account manager")
    SALES = "sales", _("Sales")
    SERVICE = "service", _("Service")
    CONTROLLER = "controller", _("Controller")
    ADMINISTRATOR = "admin", _("Administrator")


STANDARD_ROLES: dict[str, frozenset[str]] = {
    RoleCode.MANAGEMENT: frozenset(
        {Capability.VIEW_FINANCE, Capability.EDIT_OWN_CUSTOMERS, Capability.EDIT_ALL_CUSTOMERS}
    ),
    RoleCode.KEY_ACCOUNT_MANAGER: frozenset(
        {Capability.VIEW_FINANCE, Capability.EDIT_OWN_CUSTOMERS}
    ),
    RoleCode.SALES: frozenset({Capability.VIEW_FINANCE, Capability.EDIT_OWN_CUSTOMERS}),
    RoleCode.SERVICE: frozenset(),
    RoleCode.CONTROLLER: frozenset(
        {Capability.VIEW_FINANCE, Capability.EDIT_FINANCE, Capability.IMPORT_DATA}
    ),
    RoleCode.ADMINISTRATOR: frozenset(
        {
            Capability.VIEW_FINANCE,
            Capability.EDIT_OWN_CUSTOMERS,
            Capability.EDIT_ALL_CUSTOMERS,
            Capability.EDIT_FINANCE,
            Capability.IMPORT_DATA,
            Capability.MANAGE_USERS,
        }
    ),
}


def capabilities_of(user: Any) -> frozenset[str]:
    """The capabilities of an active, logged-in user; nothing for anybody else.

    A superuser (from `kundenbild manage createsuperuser`) holds every capability, so that
    a fresh production installation has someone who can create the other users.
    """
    if user is None or not getattr(user, "is_authenticated", False) or not user.is_active:
        return frozenset()
    if user.is_superuser:
        return frozenset(str(c) for c in Capability)
    role = getattr(user, "role", None)
    if role is None:
        return frozenset()
    caps: frozenset[str] = role.capabilities()
    return caps


def has_capability(user: Any, capability: str) -> bool:
    return capability in capabilities_of(user)
