"""Offerings (Marktleistungen) and, per customer, the level at which each is perceived."""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords


class OfferingKind(models.TextChoices):
    PRODUCT = "product", _("Product")
    SERVICE = "service", _("Service")
    SOLUTION = "solution", _("Solution")


class OfferingGroup(models.Model):
    name_de = models.CharField(_("German name"), max_length=100, unique=True)
    name_en = models.CharField(_("English name"), max_length=100, blank=True)

    class Meta:
        verbose_name = _("offering group")
        verbose_name_plural = _("offering groups")
        ordering = ["name_de"]

    def __str__(self) -> str:
        return self.name

    @property
    def name(self) -> str:
        english = (get_language() or "de").startswith("en")
        return self.name_en if english and self.name_en else self.name_de


class Offering(models.Model):
    number = models.CharField(_("article number"), max_length=40, unique=True)
    name_de = models.CharField(_("German name"), max_length=200)
    name_en = models.CharField(_("English name"), max_length=200, blank=True)
    group = models.ForeignKey(
        OfferingGroup, verbose_name=_("group"), on_delete=models.PROTECT, related_name="offerings"
    )
    kind = models.CharField(_("kind"), max_length=10, choices=OfferingKind.choices)
    unit = models.CharField(_("unit"), max_length=20, blank=True, help_text=_("e.g. piece, kg, h"))
    active = models.BooleanField(_("active"), default=True)
    # field → value as the last master-data import brought it: the fields the ERP owns,
    # and what tells a change in Kundenbild from one in the ERP (docs/decisions/0008)
    erp_values = models.JSONField(default=dict, editable=False)

    history = HistoricalRecords(excluded_fields=["erp_values"])

    class Meta:
        verbose_name = _("offering")
        verbose_name_plural = _("offerings")
        ordering = ["group__name_de", "number"]

    def __str__(self) -> str:
        return self.name

    @property
    def name(self) -> str:
        english = (get_language() or "de").startswith("en")
        return self.name_en if english and self.name_en else self.name_de


class FascinationLevel(models.IntegerChoices):
    """The four levels of the fascination pyramid, bottom to top."""

    EXPECTED = 1, _("expected")
    DIFFERENTIATING = 2, _("differentiating")
    INSPIRING = 3, _("inspiring")
    FASCINATING = 4, _("fascinating")


class FascinationAssessment(models.Model):
    """Where one customer places one of our offerings; its history keeps every change."""

    customer = models.ForeignKey(
        "customers.Customer",
        verbose_name=_("customer"),
        on_delete=models.CASCADE,
        related_name="fascination",
    )
    offering = models.ForeignKey(
        Offering, verbose_name=_("offering"), on_delete=models.PROTECT, related_name="assessments"
    )
    level = models.PositiveSmallIntegerField(_("level"), choices=FascinationLevel.choices)
    note = models.TextField(_("note"), blank=True)
    assessed_on = models.DateField(_("assessed on"), default=timezone.localdate)
    assessed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("assessed by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("fascination assessment")
        verbose_name_plural = _("fascination assessments")
        ordering = ["-level", "offering__number"]
        constraints = [
            models.UniqueConstraint(
                fields=["customer", "offering"], name="fascination_one_per_offering"
            )
        ]

    def __str__(self) -> str:
        return f"{self.offering}: {self.get_level_display()}"

    def clean(self) -> None:
        if self.assessed_on and self.assessed_on > timezone.localdate():
            raise ValidationError({"assessed_on": _("An assessment cannot lie in the future.")})
