"""Users carry one role; a role is a set of capability flags (like pretix's team flags)."""

from __future__ import annotations

import hashlib
import secrets
from datetime import datetime, timedelta

from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from kundenbild.accounts.capabilities import Capability, RoleCode


class Role(models.Model):
    code = models.CharField(_("code"), max_length=40, unique=True, choices=RoleCode.choices)
    can_view_finance = models.BooleanField(_("may view finance data"), default=False)
    can_edit_own_customers = models.BooleanField(_("may edit own customers"), default=False)
    can_edit_all_customers = models.BooleanField(_("may edit all customers"), default=False)
    can_edit_finance = models.BooleanField(_("may edit every finance profile"), default=False)
    can_import_data = models.BooleanField(_("may import data"), default=False)
    can_manage_users = models.BooleanField(_("may manage users"), default=False)

    class Meta:
        verbose_name = _("role")
        verbose_name_plural = _("roles")
        ordering = ["id"]

    def __str__(self) -> str:
        return str(self.label)

    @property
    def label(self) -> str:
        return str(RoleCode(self.code).label) if self.code in RoleCode.values else self.code

    def capabilities(self) -> frozenset[str]:
        flags = {
            Capability.VIEW_FINANCE: self.can_view_finance,
            Capability.EDIT_OWN_CUSTOMERS: self.can_edit_own_customers,
            Capability.EDIT_ALL_CUSTOMERS: self.can_edit_all_customers,
            Capability.EDIT_FINANCE: self.can_edit_finance,
            Capability.IMPORT_DATA: self.can_import_data,
            Capability.MANAGE_USERS: self.can_manage_users,
        }
        return frozenset(str(cap) for cap, allowed in flags.items() if allowed)


class Language(models.TextChoices):
    GERMAN = "de", _("German")
    ENGLISH = "en", _("English")


class User(AbstractUser):
    role = models.ForeignKey(
        Role,
        verbose_name=_("role"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="users",
    )
    language = models.CharField(
        _("language"), max_length=5, choices=Language.choices, default=Language.GERMAN
    )

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")
        ordering = ["last_name", "first_name", "username"]

    def __str__(self) -> str:
        return self.get_full_name() or self.username


def hash_token(raw: str) -> str:
    """Tokens are stored only as SHA-256: they are long and random, so no salt is needed."""
    return hashlib.sha256(raw.encode("utf-8")).hexdigest()


def token_expiry_default() -> datetime:
    """A token made now expires after KUNDENBILD_API_TOKEN_DAYS; tokens from before expiry
    existed get that term from the migration that added it."""
    return timezone.now() + timedelta(days=settings.KUNDENBILD_API_TOKEN_DAYS)


class ApiTokenQuerySet(models.QuerySet["ApiToken"]):
    def active(self) -> ApiTokenQuerySet:
        return self.filter(
            revoked_at__isnull=True, user__is_active=True, expires_at__gt=timezone.now()
        )


class ApiToken(models.Model):
    PREFIX = "kb_"

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        on_delete=models.CASCADE,
        related_name="api_tokens",
    )
    name = models.CharField(_("name"), max_length=100)
    key_hash = models.CharField(max_length=64, unique=True, editable=False)
    hint = models.CharField(_("starts with"), max_length=12, editable=False)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    last_used_at = models.DateTimeField(_("last used"), null=True, blank=True)
    expires_at = models.DateTimeField(_("expires"), default=token_expiry_default)
    revoked_at = models.DateTimeField(_("revoked"), null=True, blank=True)

    objects = ApiTokenQuerySet.as_manager()

    class Meta:
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.name} ({self.hint}…)"

    @classmethod
    def new_raw_key(cls) -> str:
        return cls.PREFIX + secrets.token_urlsafe(32)

    @property
    def is_expired(self) -> bool:
        return self.expires_at <= timezone.now()


class SecurityEventKind(models.TextChoices):
    LOGIN = "login", _("Signed in")
    LOGIN_FAILED = "login_failed", _("Sign-in failed")
    LOCKED_OUT = "locked_out", _("Locked out")
    TOKEN_CREATED = "token_created", _("API token created")
    TOKEN_REVOKED = "token_revoked", _("API token revoked")
    EXCEL_EXPORT = "excel_export", _("Excel export")
    PDF_EXPORT = "pdf_export", _("PDF export")
    API_EXPORT = "api_export", _("API export")
    IMPORT_DONE = "import_done", _("Import done")
    IMPORT_FAILED = "import_failed", _("Import failed")
    IMPORT_ROLLED_BACK = "import_rolled_back", _("Import rolled back")


class SecurityEvent(models.Model):
    """Who signed in, failed, was locked out, made or lost a token, took data out or put
    data in: for administrators to read when something looks wrong. Never changed."""

    created_at = models.DateTimeField(_("when"), default=timezone.now, db_index=True)
    kind = models.CharField(_("event"), max_length=30, choices=SecurityEventKind.choices)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    # the name as typed at a failed login; the user's name otherwise, kept if the user goes
    username = models.CharField(_("username"), max_length=150, blank=True)
    ip_address = models.GenericIPAddressField(_("IP address"), null=True, blank=True)
    detail = models.JSONField(_("detail"), default=dict, blank=True)

    class Meta:
        verbose_name = _("security event")
        verbose_name_plural = _("security events")
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["kind", "-created_at"], name="securityevent_kind_when")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.username} {self.created_at:%Y-%m-%d %H:%M}"
