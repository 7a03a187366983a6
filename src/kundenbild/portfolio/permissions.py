"""Who may rank customers by goal and see the portfolio: both rest on revenue and margins,
so both need the finance capability."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from kundenbild.accounts.models import User
from kundenbild.core.errors import PermissionDeniedError
from kundenbild.insights.permissions import analysis_can_see_figures


def selection_access(user: User) -> None:
    """The selection by goal ranks customers by revenue and margins."""
    if not analysis_can_see_figures(user):
        raise PermissionDeniedError(
            _(
                "The selection ranks customers by revenue and margins; your role does not "
                "include access to finance data."
            )
        )


def portfolio_access(user: User) -> None:
    """The portfolio shows revenue and margins."""
    if not analysis_can_see_figures(user):
        raise PermissionDeniedError(
            _(
                "The portfolio shows revenue and margins; your role does not include access "
                "to finance data."
            )
        )
