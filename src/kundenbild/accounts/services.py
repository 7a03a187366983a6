"""Writes on users, roles and API tokens."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from kundenbild.accounts.capabilities import STANDARD_ROLES, Capability, RoleCode
from kundenbild.accounts.models import ApiToken, Role, SecurityEventKind, User, hash_token
from kundenbild.accounts.security_log import record_security_event
from kundenbild.core.errors import ApplicationError

MAX_TOKEN_DAYS = 3650


def role_get(code: str) -> Role:
    return Role.objects.get(code=code)


def roles_ensure_standard() -> None:
    """Create the six standard roles with their capability sets where missing."""
    for code, caps in STANDARD_ROLES.items():
        Role.objects.update_or_create(
            code=code,
            defaults={
                "can_view_finance": Capability.VIEW_FINANCE in caps,
                "can_edit_own_customers": Capability.EDIT_OWN_CUSTOMERS in caps,
                "can_edit_all_customers": Capability.EDIT_ALL_CUSTOMERS in caps,
                "can_edit_finance": Capability.EDIT_FINANCE in caps,
                "can_import_data": Capability.IMPORT_DATA in caps,
                "can_manage_users": Capability.MANAGE_USERS in caps,
            },
        )


@dataclass(frozen=True)
class UserData:
    username: str
    first_name: str
    last_name: str
    email: str
    role_code: str
    language: str
    is_active: bool = True


@transaction.atomic
def user_create(*, data: UserData, password: str | None, by: User | None) -> User:
    """Create a user; without a password the account cannot log in until one is set."""
    if User.objects.filter(username__iexact=data.username).exists():
        raise ApplicationError(
            _("A user with this username exists already."), code="duplicate", field="username"
        )
    user = User(
        username=data.username,
        first_name=data.first_name,
        last_name=data.last_name,
        email=data.email,
        role=role_get(data.role_code),
        language=data.language,
        is_active=data.is_active,
    )
    if password:
        user.set_password(password)
    else:
        user.set_unusable_password()
    user.full_clean()
    user.save()
    return user


@transaction.atomic
def user_update(*, user: User, data: UserData, password: str | None = None, by: User) -> User:
    """Change a user (and the password, if given); administrators cannot lock themselves out."""
    is_self_admin = (
        user.pk == by.pk and user.role is not None and user.role.code == RoleCode.ADMINISTRATOR
    )
    if is_self_admin and (not data.is_active or data.role_code != RoleCode.ADMINISTRATOR):
        raise ApplicationError(
            _("You cannot take away your own administrator role or deactivate yourself."),
            code="self_lockout",
        )
    user.first_name = data.first_name
    user.last_name = data.last_name
    user.email = data.email
    user.role = role_get(data.role_code)
    user.language = data.language
    user.is_active = data.is_active
    if password:
        user.set_password(password)
    user.full_clean()
    user.save()
    return user


def user_set_language(*, user: User, language: str) -> User:
    user.language = language
    user.full_clean(validate_unique=False)
    user.save(update_fields=["language"])
    return user


@transaction.atomic
def api_token_create(
    *, user: User, name: str, days: int | None = None, request: HttpRequest | None = None
) -> tuple[ApiToken, str]:
    """Create a token valid for `days` (default KUNDENBILD_API_TOKEN_DAYS) and return it
    with its raw key, which is shown exactly once and stored only as its hash."""
    days = settings.KUNDENBILD_API_TOKEN_DAYS if days is None else days
    if not 1 <= days <= MAX_TOKEN_DAYS:
        raise ApplicationError(
            _("A token is valid for 1 to %(max)s days.") % {"max": MAX_TOKEN_DAYS},
            code="invalid_days",
            field="days",
        )
    raw = ApiToken.new_raw_key()
    token = ApiToken(
        user=user,
        name=name.strip() or "API",
        key_hash=hash_token(raw),
        hint=raw[:8],
        expires_at=timezone.now() + timedelta(days=days),
    )
    token.full_clean()
    token.save()
    record_security_event(
        SecurityEventKind.TOKEN_CREATED,
        request=request,
        user=user,
        detail={"token": token.name, "starts_with": token.hint, "days": days},
    )
    return token, raw


def api_token_revoke(
    *, token: ApiToken, reason: str = "revoked", request: HttpRequest | None = None
) -> None:
    token.revoked_at = timezone.now()
    token.save(update_fields=["revoked_at"])
    record_security_event(
        SecurityEventKind.TOKEN_REVOKED,
        request=request,
        user=token.user,
        detail={"token": token.name, "starts_with": token.hint, "reason": reason},
    )


def api_tokens_revoke_all(*, user: User, reason: str) -> int:
    """Revoke every token of the user that still counts: a token must not outlive the
    password or the account it was made with."""
    tokens = list(ApiToken.objects.filter(user=user, revoked_at__isnull=True))
    for token in tokens:
        api_token_revoke(token=token, reason=reason)
    return len(tokens)


def api_token_authenticate(raw: str) -> User | None:
    """The active user behind a raw bearer token, or None."""
    token = (
        ApiToken.objects.active()
        .select_related("user", "user__role")
        .filter(key_hash=hash_token(raw))
        .first()
    )
    if token is None:
        return None
    now = timezone.now()
    if token.last_used_at is None or (now - token.last_used_at).total_seconds() > 60:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
    return token.user
