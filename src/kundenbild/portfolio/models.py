"""The coaching focus: the customers chosen, for a goal, to be developed actively.

Moved here from `insights` (migration portfolio 0001 takes the model over without
touching a row, 0002 renames its tables): choosing whom to develop is the end of the
selection by goal, and insights keeps only the analysis runs and what they found.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords


class CoachingGoal(models.TextChoices):
    GROWTH = "growth", _("Revenue growth")
    PROFITABILITY = "profitability", _("Profitability")
    INNOVATION = "innovation", _("Innovation strength")
    PEARLS = "pearls", _("Pearls (hidden potential)")


class CoachingFocus(models.Model):
    """A customer chosen to be developed actively: for a goal, by an owner, with target
    figures and a date to review progress. Closed, it stays as history."""

    customer = models.ForeignKey(
        "customers.Customer",
        verbose_name=_("customer"),
        on_delete=models.CASCADE,
        related_name="coaching",
    )
    goal = models.CharField(_("goal"), max_length=16, choices=CoachingGoal.choices)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("responsible"),
        on_delete=models.PROTECT,
        related_name="coaching",
    )
    target_revenue = models.DecimalField(
        _("target revenue, 12 months"),
        max_digits=16,
        decimal_places=2,
        null=True,
        blank=True,
    )
    target_margin = models.DecimalField(
        _("target contribution margin I, 12 months"),
        max_digits=16,
        decimal_places=2,
        null=True,
        blank=True,
    )
    review_on = models.DateField(_("review on"))
    note = models.TextField(_("note"), blank=True)
    started_on = models.DateField(_("started on"))
    closed_on = models.DateField(_("closed on"), null=True, blank=True)
    scope = models.JSONField(
        _("chosen from"),
        default=dict,
        blank=True,
        help_text=_("the scope of the selection the customer was chosen from"),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("coaching focus")
        verbose_name_plural = _("coaching focus")
        ordering = ["review_on", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["customer", "goal"],
                condition=models.Q(closed_on__isnull=True),
                name="coaching_focus_open_once_per_goal",
            )
        ]

    def __str__(self) -> str:
        return f"{self.customer_id}: {self.goal}"
