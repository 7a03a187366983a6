"""Who may import sales data: the `import_data` capability (controller, administrator)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from kundenbild.accounts.capabilities import Capability, has_capability
from kundenbild.accounts.models import User
from kundenbild.core.errors import PermissionDeniedError


def import_can_run(user: User) -> bool:
    return has_capability(user, Capability.IMPORT_DATA)


def import_access(user: User) -> None:
    """Raise unless the user may import data (and so see the totals it reconciles)."""
    if not import_can_run(user):
        raise PermissionDeniedError(_("You may not import data."))
