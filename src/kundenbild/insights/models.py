"""Analysis runs and the value of each customer they found, kept for every run.

A run is the analytics core applied to the app's sales lines on one as-of date; its
`CustomerValue` rows are never updated afterwards, so the history of a customer's type,
phase and figures is the list of its values over the finished runs.
"""

from __future__ import annotations

from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from kundenbild.analytics.shapes.phases import PHASES
from kundenbild.analytics.shapes.value_types import VALUE_TYPES
from kundenbild.reason_text import reason_text

# Labels per name of the analytics core; a name the core adds without a label here fails
# at import, so the app can never show a raw code.
VALUE_TYPE_LABELS = {
    "steady": pgettext_lazy("value type", "steady"),
    "cyclical": pgettext_lazy("value type", "cyclical"),
    "bell": pgettext_lazy("value type", "bell"),
    "growth": pgettext_lazy("value type", "growth"),
    "shrinking": pgettext_lazy("value type", "shrinking"),
    "burr": pgettext_lazy("value type", "burr"),
    "insufficient_history": pgettext_lazy("value type", "insufficient history"),
}
PHASE_LABELS = {
    "ramp_up": pgettext_lazy("lifecycle phase", "ramp-up"),
    "mature": pgettext_lazy("lifecycle phase", "mature"),
    "phase_out": pgettext_lazy("lifecycle phase", "phase-out"),
    "lost": pgettext_lazy("lifecycle phase", "lost"),
}
VALUE_TYPE_CHOICES = [(name, VALUE_TYPE_LABELS[name]) for name in VALUE_TYPES]
PHASE_CHOICES = [(name, PHASE_LABELS[name]) for name in PHASES]
ABC_CHOICES = [("A", "A"), ("B", "B"), ("C", "C")]


class RunStatus(models.TextChoices):
    QUEUED = "queued", _("queued")
    RUNNING = "running", _("running")
    DONE = "done", _("done")
    FAILED = "failed", _("failed")


class AnalysisRun(models.Model):
    created_at = models.DateTimeField(_("requested"), auto_now_add=True)
    started_at = models.DateTimeField(_("started"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)
    as_of = models.DateField(
        _("as of"),
        null=True,
        blank=True,
        help_text=_("empty until the run has finished: the last invoice date"),
    )
    status = models.CharField(
        _("status"), max_length=10, choices=RunStatus.choices, default=RunStatus.QUEUED
    )
    stage = models.CharField(_("stage"), max_length=10, blank=True)
    progress_done = models.PositiveIntegerField(_("done"), default=0)
    progress_total = models.PositiveIntegerField(_("total"), default=0)
    error = models.TextField(_("error"), blank=True)
    config = models.JSONField(
        _("configuration"),
        default=dict,
        blank=True,
        encoder=DjangoJSONEncoder,
        help_text=_("the as-of date, line count and thresholds the core used"),
    )
    lines = models.PositiveBigIntegerField(_("sales lines"), default=0)
    customers = models.PositiveIntegerField(_("customers"), default=0)
    started_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("started by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        verbose_name = _("analysis run")
        verbose_name_plural = _("analysis runs")
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["status", "-finished_at"], name="analysis_run_status")]

    def __str__(self) -> str:
        return f"#{self.pk} {self.as_of or ''} {self.status}".strip()

    @property
    def is_finished(self) -> bool:
        return self.status in (RunStatus.DONE, RunStatus.FAILED)

    @property
    def progress_percent(self) -> int:
        if not self.progress_total:
            return 0
        return min(100, round(100 * self.progress_done / self.progress_total))


class CustomerValue(models.Model):
    """What one run found for one customer; never changed after the run."""

    run = models.ForeignKey(
        AnalysisRun, verbose_name=_("run"), on_delete=models.CASCADE, related_name="values"
    )
    customer = models.ForeignKey(
        "customers.Customer",
        verbose_name=_("customer"),
        on_delete=models.CASCADE,
        related_name="values",
    )
    value_type = models.CharField(_("value type"), max_length=24, choices=VALUE_TYPE_CHOICES)
    lifecycle_phase = models.CharField(_("lifecycle phase"), max_length=12, choices=PHASE_CHOICES)
    reason_code = models.CharField(
        _("reason (code)"),
        max_length=32,
        help_text=_("why the customer has its value type, as a code of the analysis"),
    )
    reason_values = models.JSONField(
        _("numbers of the reason"),
        default=dict,
        blank=True,
        help_text=_("the numbers the reason quotes, by name"),
    )
    revenue_12m = models.DecimalField(_("revenue 12 months"), max_digits=16, decimal_places=2)
    contribution_margin_12m = models.DecimalField(
        _("contribution margin I 12 months"),
        max_digits=16,
        decimal_places=2,
        null=True,
        blank=True,
        help_text=_("empty where the sales lines carry no cost of goods"),
    )
    abc_revenue = models.CharField(_("ABC by revenue"), max_length=1, choices=ABC_CHOICES)
    abc_margin = models.CharField(
        _("ABC by contribution margin"), max_length=1, choices=ABC_CHOICES, blank=True
    )
    first_order = models.DateField(_("first order"), null=True, blank=True)
    last_order = models.DateField(_("last order"), null=True, blank=True)
    orders_12m = models.PositiveIntegerField(_("orders 12 months"), default=0)
    potential = models.DecimalField(
        _("potential"),
        max_digits=16,
        decimal_places=2,
        null=True,
        blank=True,
        help_text=_("effective demand of the as-of year, where needs were entered"),
    )
    share_of_wallet = models.DecimalField(
        _("share of wallet"),
        max_digits=7,
        decimal_places=1,
        null=True,
        blank=True,
        help_text=_("our revenue in % of the potential of the as-of year"),
    )
    forecast_revenue_12m = models.DecimalField(
        _("forecast revenue 12 months"),
        max_digits=16,
        decimal_places=2,
        null=True,
        blank=True,
        help_text=_("revenue expected in the 12 months after the as-of date"),
    )
    forecast_margin_12m = models.DecimalField(
        _("forecast contribution margin I 12 months"),
        max_digits=16,
        decimal_places=2,
        null=True,
        blank=True,
        help_text=_("empty where the sales lines carry no cost of goods"),
    )
    p_alive = models.DecimalField(
        _("probability still active"),
        max_digits=5,
        decimal_places=4,
        null=True,
        blank=True,
        help_text=_("probability that the customer has not silently left (0 to 1)"),
    )
    expected_orders_12m = models.DecimalField(
        _("expected orders 12 months"),
        max_digits=10,
        decimal_places=2,
        null=True,
        blank=True,
    )
    clv = models.DecimalField(
        _("customer lifetime value"),
        max_digits=16,
        decimal_places=2,
        null=True,
        blank=True,
        help_text=_("discounted contribution margin of the coming years; empty without costs"),
    )
    forecast_path = models.JSONField(
        _("monthly forecast"),
        default=list,
        blank=True,
        help_text=_('the 12 months after the as-of date: "month" (YYYY-MM), revenue, low, high'),
    )

    class Meta:
        verbose_name = _("customer value")
        verbose_name_plural = _("customer values")
        constraints = [
            models.UniqueConstraint(fields=["run", "customer"], name="customer_value_once_per_run")
        ]
        indexes = [
            models.Index(fields=["customer", "run"], name="customer_value_customer"),
            models.Index(fields=["run", "value_type"], name="customer_value_run_type"),
        ]

    def __str__(self) -> str:
        return f"{self.customer_id} @ {self.run_id}: {self.value_type}"

    def reason(self, language: str) -> str:
        """The reason for the value type in words, in `language`: stored as a code and its
        numbers, so it reads the same in every language and format."""
        return reason_text(self.reason_code, self.reason_values, language)
