"""The record of every import, what it replaced (to roll it back), and saved mappings."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class ImportStatus(models.TextChoices):
    IMPORTED = "imported", _("imported")
    ROLLED_BACK = "rolled_back", _("rolled back")


class ImportContent(models.TextChoices):
    """What an import brings: sales lines, or one kind of master data."""

    SALES = "sales", _("sales lines")
    CUSTOMERS = "customers", _("customers")
    PEOPLE = "people", _("people")
    OFFERINGS = "offerings", _("offerings")


class ImportRun(models.Model):
    """One import: who, when, which file, what it did. For master data, "lines" are
    records: added, changed (replaced) and unchanged."""

    created_at = models.DateTimeField(_("imported at"), auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("imported by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    file_name = models.CharField(_("file"), max_length=255)
    checksum = models.CharField(_("SHA-256"), max_length=64)
    kind = models.CharField(_("format"), max_length=10)
    content = models.CharField(
        _("content"), max_length=10, choices=ImportContent.choices, default=ImportContent.SALES
    )
    dialect = models.JSONField(_("dialect"), default=dict)
    mapping = models.JSONField(_("column mapping"), default=dict)
    lines_added = models.PositiveIntegerField(_("lines added"), default=0)
    lines_replaced = models.PositiveIntegerField(_("lines replaced"), default=0)
    lines_unchanged = models.PositiveIntegerField(_("lines unchanged"), default=0)
    revenue_total = models.DecimalField(
        _("net revenue in the file"), max_digits=16, decimal_places=2, default=0
    )
    conflicts = models.PositiveIntegerField(_("conflicts"), default=0)
    customers_created = models.PositiveIntegerField(_("customers created"), default=0)
    offerings_created = models.PositiveIntegerField(_("offerings created"), default=0)
    status = models.CharField(
        _("status"), max_length=12, choices=ImportStatus.choices, default=ImportStatus.IMPORTED
    )
    rolled_back_at = models.DateTimeField(_("rolled back at"), null=True, blank=True)
    rolled_back_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("rolled back by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        verbose_name = _("import")
        verbose_name_plural = _("imports")
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.file_name} ({self.created_at:%Y-%m-%d %H:%M})"


class ReplacedSalesLine(models.Model):
    """A sales line as it was before an import replaced it; restored on rollback."""

    run = models.ForeignKey(ImportRun, on_delete=models.CASCADE, related_name="replaced")
    invoice_number = models.CharField(max_length=40)
    line_number = models.PositiveIntegerField()
    customer_id = models.BigIntegerField()
    invoice_date = models.DateField()
    article_number = models.CharField(max_length=40, blank=True)
    quantity = models.DecimalField(max_digits=14, decimal_places=3)
    net_revenue = models.DecimalField(max_digits=14, decimal_places=2)
    cost_of_goods = models.DecimalField(max_digits=14, decimal_places=2)
    discount = models.DecimalField(max_digits=14, decimal_places=2)
    freight = models.DecimalField(max_digits=14, decimal_places=2)
    previous_run_id = models.BigIntegerField(null=True)

    class Meta:
        indexes = [models.Index(fields=["run"], name="replaced_line_run")]

    def __str__(self) -> str:
        return f"{self.invoice_number}/{self.line_number}"


class MasterChange(models.Model):
    """What a master-data import changed on one record, to roll it back: each field's
    value before and after (as `imports.master` compares them), and the record's
    `erp_values` before the import."""

    run = models.ForeignKey(ImportRun, on_delete=models.CASCADE, related_name="master_changes")
    object_id = models.BigIntegerField()
    fields = models.JSONField(default=dict)  # field → [before, after]
    erp_values_before = models.JSONField(default=dict)

    class Meta:
        indexes = [models.Index(fields=["run"], name="master_change_run")]

    def __str__(self) -> str:
        return f"{self.run_id}/{self.object_id}"


class ImportMapping(models.Model):
    """A column mapping saved by name, to be used again for the next export."""

    name = models.CharField(_("name"), max_length=100, unique=True)
    content = models.CharField(
        _("content"), max_length=10, choices=ImportContent.choices, default=ImportContent.SALES
    )
    columns = models.JSONField(_("columns"), help_text=_("field → header in the file"))
    dialect = models.JSONField(_("dialect"), default=dict, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    updated_at = models.DateTimeField(_("last changed"), auto_now=True)

    class Meta:
        verbose_name = _("column mapping")
        verbose_name_plural = _("column mappings")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name
