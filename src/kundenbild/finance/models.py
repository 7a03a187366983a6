"""Sales lines (the ground truth of revenue and margins), the finance profile, conditions."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords


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
    import_run = models.ForeignKey(
        "imports.ImportRun",
        verbose_name=_("import"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        help_text=_("the import that last wrote this line"),
    )

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


class CreditSource(models.TextChoices):
    CREDITREFORM = "creditreform", "Creditreform"
    CRIF = "crif", "CRIF (Bürgel)"
    SCHUFA = "schufa", "SCHUFA"
    DUN_BRADSTREET = "dnb", "Dun & Bradstreet"
    CREDIT_INSURER = "insurer", _("Credit insurer")
    INTERNAL = "internal", _("Internal assessment")


class FinanceProfile(models.Model):
    """Credit and payment facts of one customer; its history keeps every earlier rating."""

    customer = models.OneToOneField(
        "customers.Customer",
        verbose_name=_("customer"),
        on_delete=models.CASCADE,
        related_name="finance_profile",
    )
    credit_rating = models.CharField(
        _("credit rating"), max_length=40, blank=True, help_text=_("e.g. index 180 or class 2")
    )
    credit_source = models.CharField(
        _("source of the rating"), max_length=20, choices=CreditSource.choices, blank=True
    )
    rated_on = models.DateField(_("rated on"), null=True, blank=True)
    credit_limit = models.DecimalField(
        _("credit limit"), max_digits=14, decimal_places=2, null=True, blank=True
    )
    payment_days_net = models.PositiveSmallIntegerField(
        _("payment term, days net"), null=True, blank=True
    )
    cash_discount_percent = models.DecimalField(
        _("cash discount in %"), max_digits=4, decimal_places=2, null=True, blank=True
    )
    cash_discount_days = models.PositiveSmallIntegerField(
        _("cash discount within days"), null=True, blank=True
    )
    observed_days_to_pay = models.DecimalField(
        _("observed days to pay"), max_digits=5, decimal_places=1, null=True, blank=True
    )
    version = models.PositiveIntegerField(default=1, editable=False)
    updated_at = models.DateTimeField(_("last changed"), auto_now=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("finance profile")
        verbose_name_plural = _("finance profiles")

    def __str__(self) -> str:
        return str(self.customer)

    def clean(self) -> None:
        errors = {}
        if self.credit_rating and not self.credit_source:
            errors["credit_source"] = _("Say where the credit rating comes from.")
        if self.credit_rating and not self.rated_on:
            errors["rated_on"] = _("Give the date of the credit rating.")
        discount_given = self.cash_discount_percent is not None
        if discount_given != (self.cash_discount_days is not None):
            errors["cash_discount_days"] = _(
                "Give the cash discount and its days together, e.g. 2 % within 10 days."
            )
        if self.cash_discount_percent is not None and not Decimal(
            "0"
        ) < self.cash_discount_percent <= Decimal("10"):
            errors["cash_discount_percent"] = _("A cash discount lies between 0 and 10 %.")
        if self.credit_limit is not None and self.credit_limit < 0:
            errors["credit_limit"] = _("A credit limit cannot be negative.")
        if (
            self.cash_discount_days is not None
            and self.payment_days_net is not None
            and self.cash_discount_days > self.payment_days_net
        ):
            errors["cash_discount_days"] = _(
                "The cash discount period cannot be longer than the payment term."
            )
        if errors:
            raise ValidationError(errors)


class ConditionKind(models.TextChoices):
    DISCOUNT = "discount", _("Discount")
    REBATE = "rebate", _("Rebate")
    BONUS = "bonus", _("Bonus scheme")
    PRICE_AGREEMENT = "price", _("Price agreement")


class Condition(models.Model):
    """A price agreement or condition with a customer, valid for a period."""

    customer = models.ForeignKey(
        "customers.Customer",
        verbose_name=_("customer"),
        on_delete=models.CASCADE,
        related_name="conditions",
    )
    kind = models.CharField(_("kind"), max_length=10, choices=ConditionKind.choices)
    description = models.CharField(_("description"), max_length=300)
    percent = models.DecimalField(
        _("percent"), max_digits=5, decimal_places=2, null=True, blank=True
    )
    valid_from = models.DateField(_("valid from"))
    valid_until = models.DateField(_("valid until"), null=True, blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("condition")
        verbose_name_plural = _("conditions")
        ordering = ["-valid_from", "kind"]

    def __str__(self) -> str:
        return self.description

    def clean(self) -> None:
        if self.valid_until and self.valid_from and self.valid_until < self.valid_from:
            raise ValidationError({"valid_until": _("The end lies before the start.")})
        if self.percent is not None and not Decimal("-100") <= self.percent <= Decimal("100"):
            raise ValidationError({"percent": _("A percentage lies between −100 and 100.")})

    def is_valid_on(self, day: date) -> bool:
        return self.valid_from <= day and (self.valid_until is None or day <= self.valid_until)


class CostKind(models.TextChoices):
    """Costs of serving one customer beyond the invoice lines.

    The first four are direct costs (contribution margin II), the last two overheads
    attributed to the customer (contribution margin III).
    """

    BONUS = "bonus", _("bonus")
    REBATE = "rebate", _("after-invoice rebate")
    FREIGHT = "freight", _("freight")
    SPECIAL_SERVICE = "service", _("special service")
    KEY_ACCOUNT = "key_account", _("key account effort")
    SUPPORT = "support", _("support and visits")


DIRECT_COST_KINDS = frozenset(
    {CostKind.BONUS, CostKind.REBATE, CostKind.FREIGHT, CostKind.SPECIAL_SERVICE}
)
OVERHEAD_COST_KINDS = frozenset({CostKind.KEY_ACCOUNT, CostKind.SUPPORT})


class CustomerCost(models.Model):
    """A cost of one customer in one month (or, without a month, the whole year)."""

    customer = models.ForeignKey(
        "customers.Customer",
        verbose_name=_("customer"),
        on_delete=models.CASCADE,
        related_name="costs",
    )
    year = models.PositiveSmallIntegerField(_("year"))
    month = models.PositiveSmallIntegerField(
        _("month"), null=True, blank=True, help_text=_("empty: the whole year")
    )
    kind = models.CharField(_("kind of cost"), max_length=12, choices=CostKind.choices)
    amount = models.DecimalField(_("amount"), max_digits=14, decimal_places=2)
    note = models.CharField(_("note"), max_length=200, blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("customer cost")
        verbose_name_plural = _("customer costs")
        constraints = [
            models.UniqueConstraint(
                fields=["customer", "year", "month", "kind"], name="customer_cost_unique_period"
            ),
            models.CheckConstraint(
                condition=models.Q(month__isnull=True) | models.Q(month__gte=1, month__lte=12),
                name="customer_cost_month_1_12",
            ),
        ]

    def __str__(self) -> str:
        period = f"{self.year}-{self.month:02d}" if self.month else str(self.year)
        return f"{self.get_kind_display()} {period}"


class OverheadRate(models.Model):
    """What one activity of a kind costs, to attribute key account effort to customers."""

    activity_kind = models.CharField(_("activity"), max_length=10, unique=True)
    amount = models.DecimalField(_("cost per activity"), max_digits=10, decimal_places=2)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("overhead rate")
        verbose_name_plural = _("overhead rates")
        ordering = ["activity_kind"]

    def __str__(self) -> str:
        return f"{self.activity_kind}: {self.amount}"
