"""Sales lines (invoice lines from the ERP): the ground truth of revenue and margins."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class SalesLine(models.Model):
    customer = models.ForeignKey(
        "customers.Customer",
        verbose_name=_("customer"),
        on_delete=models.PROTECT,
        related_name="sales_lines",
    )
    invoice_number = models.CharField(_("invoice number"), max_length=40)
    line_number = models.PositiveIntegerField(_("line"))
    invoice_date = models.DateField(_("invoice date"))
    article_number = models.CharField(_("article number"), max_length=40, blank=True)
    quantity = models.DecimalField(_("quantity"), max_digits=14, decimal_places=3, default=0)
    net_revenue = models.DecimalField(_("net revenue"), max_digits=14, decimal_places=2)
    cost_of_goods = models.DecimalField(
        _("cost of goods"), max_digits=14, decimal_places=2, default=0
    )
    discount = models.DecimalField(
        _("after-invoice rebate"), max_digits=14, decimal_places=2, default=0
    )
    freight = models.DecimalField(_("freight"), max_digits=14, decimal_places=2, default=0)

    class Meta:
        verbose_name = _("sales line")
        verbose_name_plural = _("sales lines")
        constraints = [
            models.UniqueConstraint(
                fields=["invoice_number", "line_number"], name="sales_line_unique_invoice_line"
            )
        ]
        indexes = [models.Index(fields=["customer", "invoice_date"], name="sales_line_cust_date")]

    def __str__(self) -> str:
        return f"{self.invoice_number}/{self.line_number}"
