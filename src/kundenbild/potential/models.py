"""What the customer needs, which demand makes it concrete, and what it will spend on it.

The chain of DOMAIN.md: a *need* (a problem to solve) becomes *demand* for a concrete
offering, ours or a competitor's; *effective demand* is what the customer will really
spend on it in a year. The sum of effective demand is the *potential*.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords


class Priority(models.TextChoices):
    HIGH = "high", _("high")
    MEDIUM = "medium", _("medium")
    LOW = "low", _("low")


class Need(models.Model):
    customer = models.ForeignKey(
        "customers.Customer",
        verbose_name=_("customer"),
        on_delete=models.CASCADE,
        related_name="needs",
    )
    title = models.CharField(_("need"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    priority = models.CharField(
        _("priority"), max_length=10, choices=Priority.choices, default=Priority.MEDIUM
    )
    business_unit = models.ForeignKey(
        "customers.BusinessUnit",
        verbose_name=_("business unit"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="needs",
    )
    version = models.PositiveIntegerField(default=0, editable=False)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("need")
        verbose_name_plural = _("needs")
        ordering = ["customer", "title"]

    def __str__(self) -> str:
        return self.title


class Demand(models.Model):
    """A need made concrete: our offering, or a competitor's (then it is white space)."""

    need = models.ForeignKey(
        Need, verbose_name=_("need"), on_delete=models.CASCADE, related_name="demands"
    )
    offering = models.ForeignKey(
        "offerings.Offering",
        verbose_name=_("our offering"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="demands",
    )
    competitor = models.CharField(
        _("competitor"), max_length=150, blank=True, help_text=_("who serves this today")
    )
    competitor_offering = models.CharField(_("competitor's offering"), max_length=200, blank=True)
    description = models.CharField(_("description"), max_length=300, blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("demand")
        verbose_name_plural = _("demands")

    def __str__(self) -> str:
        if self.offering_id:
            return str(self.offering)
        return self.competitor_offering or self.description or str(self.competitor)

    def clean(self) -> None:
        if not (self.offering_id or self.competitor_offering or self.description):
            raise ValidationError(
                {
                    "offering": _(
                        "Name our offering, or describe the demand or the competitor's offering."
                    )
                }
            )


class DemandSource(models.TextChoices):
    CUSTOMER = "customer", _("customer's statement")
    TENDER = "tender", _("tender or enquiry")
    ESTIMATE = "estimate", _("our estimate")
    MARKET = "market", _("market data")


class EffectiveDemand(models.Model):
    """What the customer will spend on a demand in one year, and how sure we are."""

    demand = models.ForeignKey(
        Demand, verbose_name=_("demand"), on_delete=models.CASCADE, related_name="effective"
    )
    year = models.PositiveSmallIntegerField(
        _("year"), validators=[MinValueValidator(2000), MaxValueValidator(2100)]
    )
    amount = models.DecimalField(
        _("amount per year"), max_digits=14, decimal_places=2, validators=[MinValueValidator(0)]
    )
    confidence = models.PositiveSmallIntegerField(
        _("confidence in %"), default=50, validators=[MinValueValidator(0), MaxValueValidator(100)]
    )
    source = models.CharField(
        _("source"), max_length=10, choices=DemandSource.choices, default=DemandSource.ESTIMATE
    )
    our_revenue = models.DecimalField(
        _("our revenue (entered)"),
        max_digits=14,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(0)],
        help_text=_("used only when there are no sales lines for this offering and year"),
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("effective demand")
        verbose_name_plural = _("effective demand")
        ordering = ["demand", "year"]
        constraints = [
            models.UniqueConstraint(fields=["demand", "year"], name="effective_demand_unique_year")
        ]

    def __str__(self) -> str:
        return f"{self.demand} {self.year}"
