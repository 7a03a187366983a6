"""The chokepoint for user administration."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from kundenbild.accounts.capabilities import Capability, has_capability
from kundenbild.accounts.models import User
from kundenbild.core.errors import NotFoundError, PermissionDeniedError


def user_admin_access(actor: User) -> None:
    """Raise unless the actor may manage users and roles."""
    if not has_capability(actor, Capability.MANAGE_USERS):
        raise PermissionDeniedError(_("You may not manage users."))


def user_access(actor: User, user_id: int) -> User:
    """The user to administer, if the actor may manage users."""
    user_admin_access(actor)
    try:
        return User.objects.select_related("role").get(pk=user_id)
    except User.DoesNotExist:
        raise NotFoundError(_("This user does not exist.")) from None
