"""People at the customer. Buying roles, relations and coverage build on these."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords


class BuyingRoleCode(models.TextChoices):
    """The roles in a buying center (Webster & Wind)."""

    INITIATOR = "initiator", _("Initiator")
    USER = "user", _("User")
    INFLUENCER = "influencer", _("Influencer")
    DECIDER = "decider", _("Decider")
    BUYER = "buyer", _("Buyer")
    GATEKEEPER = "gatekeeper", _("Gatekeeper")


class BuyingRole(models.Model):
    code = models.CharField(max_length=20, unique=True, choices=BuyingRoleCode.choices)

    class Meta:
        verbose_name = _("buying role")
        verbose_name_plural = _("buying roles")
        ordering = ["id"]

    def __str__(self) -> str:
        return str(self.get_code_display())


class Influence(models.TextChoices):
    LOW = "low", _("low")
    MEDIUM = "medium", _("medium")
    HIGH = "high", _("high")


class Attitude(models.TextChoices):
    CHAMPION = "champion", _("champion")
    SUPPORTER = "supporter", _("supporter")
    NEUTRAL = "neutral", _("neutral")
    SCEPTIC = "sceptic", _("sceptic")
    OPPONENT = "opponent", _("opponent")


class Contact(models.Model):
    customer = models.ForeignKey(
        "customers.Customer",
        verbose_name=_("customer"),
        on_delete=models.CASCADE,
        related_name="contacts",
    )
    first_name = models.CharField(_("first name"), max_length=100, blank=True)
    last_name = models.CharField(_("last name"), max_length=100)
    function = models.CharField(_("function"), max_length=150, blank=True)
    department = models.CharField(_("department"), max_length=150, blank=True)
    email = models.EmailField(_("email"), blank=True)
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    buying_roles = models.ManyToManyField(
        BuyingRole, verbose_name=_("buying roles"), blank=True, related_name="contacts"
    )
    influence = models.CharField(
        _("influence"), max_length=10, choices=Influence.choices, blank=True
    )
    attitude = models.CharField(
        _("attitude towards us"), max_length=10, choices=Attitude.choices, blank=True
    )
    known_by = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("known by (our staff)"),
        blank=True,
        related_name="known_contacts",
    )
    last_contact_on = models.DateField(_("last contact"), null=True, blank=True)

    history = HistoricalRecords(m2m_fields=[buying_roles, known_by])

    class Meta:
        verbose_name = _("contact")
        verbose_name_plural = _("contacts")
        ordering = ["customer", "last_name", "first_name"]

    def __str__(self) -> str:
        return f"{self.first_name} {self.last_name}".strip()
