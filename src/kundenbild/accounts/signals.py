"""Receivers: the security log hears logins and lockouts; tokens die with the password.

Connected in AccountsConfig.ready(). Signals rather than calls in our views, because
logins also happen in Django's own views and password changes in Django's forms and
management commands, and each of them must count.
"""

from __future__ import annotations

from typing import Any

from axes.signals import user_locked_out
from django.contrib.auth.signals import user_logged_in, user_login_failed
from django.db.models.signals import post_save
from django.dispatch import receiver
from django.http import HttpRequest

from kundenbild.accounts.models import SecurityEventKind, User
from kundenbild.accounts.security_log import record_security_event
from kundenbild.accounts.services import api_tokens_revoke_all


@receiver(user_logged_in, dispatch_uid="kundenbild_log_login")
def log_login(sender: Any, request: HttpRequest | None, user: User, **kwargs: Any) -> None:
    record_security_event(SecurityEventKind.LOGIN, request=request, user=user)


@receiver(user_login_failed, dispatch_uid="kundenbild_log_login_failed")
def log_login_failed(
    sender: Any, credentials: dict[str, Any], request: HttpRequest | None = None, **kwargs: Any
) -> None:
    record_security_event(
        SecurityEventKind.LOGIN_FAILED,
        request=request,
        username=str(credentials.get("username") or ""),
    )


@receiver(user_locked_out, dispatch_uid="kundenbild_log_lockout")
def log_lockout(
    sender: Any, request: HttpRequest, username: str | None, ip_address: str, **kwargs: Any
) -> None:
    """axes sends this for the failure that locks and for every attempt while locked."""
    by_address = getattr(request, "kundenbild_address_locked", False)
    record_security_event(
        SecurityEventKind.LOCKED_OUT,
        request=request,
        username=username or "",
        detail={"locked": "address" if by_address else "account"},
    )


@receiver(post_save, sender=User, dispatch_uid="kundenbild_revoke_tokens")
def revoke_tokens_of_changed_users(
    sender: Any, instance: User, created: bool, **kwargs: Any
) -> None:
    """A new password (own change, administrator's reset, changepassword command) or a
    deactivation revokes the user's API tokens.

    `_password` holds the raw password from set_password() until save() has told the
    password validators; Django clears it first when it only rehashes the same password
    at login, so a rehash does not count as a change.
    """
    if created:
        return
    if getattr(instance, "_password", None) is not None:
        api_tokens_revoke_all(user=instance, reason="password_changed")
        return
    if not instance.is_active:
        api_tokens_revoke_all(user=instance, reason="deactivated")
