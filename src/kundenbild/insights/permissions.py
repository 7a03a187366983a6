"""Who may start an analysis run; who sees the money in its results.

Value type, phase and ABC class are shown to everyone who may see the customer; the
figures and the reasons (which quote revenue and margin) only with the finance capability.
Starting a run reads every sales line, so it belongs with importing them.
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from kundenbild.accounts.capabilities import Capability, has_capability
from kundenbild.accounts.models import User
from kundenbild.core.errors import PermissionDeniedError


def analysis_can_start(user: User) -> bool:
    return has_capability(user, Capability.IMPORT_DATA)


def analysis_start_access(user: User) -> None:
    if not analysis_can_start(user):
        raise PermissionDeniedError(_("You may not start an analysis."))


def analysis_can_see_figures(user: User) -> bool:
    return has_capability(user, Capability.VIEW_FINANCE)
