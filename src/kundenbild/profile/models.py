"""When each area of a customer's profile was last confirmed as true, and by whom."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords


class ProfileArea(models.TextChoices):
    """The five areas of the customer profile (DOMAIN.md)."""

    COMPANY = "company", _("Company")
    BUYING_CENTER = "buying_center", _("Buying center")
    FASCINATION = "fascination", _("Fascination")
    POTENTIAL = "potential", _("Needs and potential")
    FINANCE = "finance", _("Finance")


class AreaReview(models.Model):
    """The latest review of one area; its history keeps the earlier ones."""

    customer = models.ForeignKey(
        "customers.Customer",
        verbose_name=_("customer"),
        on_delete=models.CASCADE,
        related_name="area_reviews",
    )
    area = models.CharField(_("area"), max_length=20, choices=ProfileArea.choices)
    reviewed_on = models.DateField(_("reviewed on"))
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("reviewed by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("review")
        verbose_name_plural = _("reviews")
        constraints = [
            models.UniqueConstraint(fields=["customer", "area"], name="area_review_unique")
        ]
        indexes = [models.Index(fields=["area", "reviewed_on"], name="area_review_area_date")]

    def __str__(self) -> str:
        return f"{self.get_area_display()} {self.reviewed_on}"
